"""The three instruments Buurtkracht ships with, in our own short wording.

The labels are data, not interface text: a functional admin edits them (as a new version)
in the admin, so they are stored in Dutch here rather than passed through gettext. Item
codes of the life-domain instruments are the codes of `casework.LifeDomain`.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

LIFE_DOMAINS = [
    ("finances", "Financiën", "Inkomen, rekeningen betalen, schulden."),
    ("work", "Dagbesteding", "Werk, school, vrijwilligerswerk of iets anders zinvols overdag."),
    ("housing", "Huisvesting", "Een veilige en betaalbare plek om te wonen."),
    ("family", "Huiselijke relaties", "Partner, kinderen en familie: rust en veiligheid thuis."),
    ("mental_health", "Geestelijke gezondheid", "Hoe het in je hoofd gaat: stress, zorgen, angst."),
    ("physical_health", "Lichamelijke gezondheid", "Je lichaam, ziek zijn, pijn of een beperking."),
    ("addiction", "Verslaving", "Alcohol, drugs, gokken of medicijnen."),
    ("daily_living", "Dagelijks leven", "Eten, wassen, boodschappen en het huishouden."),
    ("social_network", "Sociaal netwerk", "Mensen om je heen op wie je kunt rekenen."),
    ("participation", "Meedoen in de buurt", "Meedoen in de buurt en in de samenleving."),
    ("justice", "Justitie", "Contact met politie of justitie, boetes, een straf."),
]

SELF_RELIANCE_LEVELS = [
    (1, "Acuut probleem", "Er is nu meteen hulp nodig."),
    (2, "Niet zelfredzaam", "Het lukt niet zonder hulp. Zonder hulp wordt het erger."),
    (3, "Beperkt zelfredzaam", "Het lukt voor een deel, met hulp of met veel moeite."),
    (4, "Voldoende zelfredzaam", "Het lukt, soms met een beetje hulp van anderen."),
    (5, "Volledig zelfredzaam", "Het lukt helemaal zelf."),
]

LADDER_RUNGS = [
    (1, "Geïsoleerd", "Bijna geen contact met anderen buiten het eigen huis."),
    (2, "Sociale contacten buiten huis", "Contact met familie, vrienden of buren buiten huis."),
    (3, "Georganiseerde activiteiten", "Meedoen met een club, cursus, groep of buurtactiviteit."),
    (4, "Onbetaald werk", "Vrijwilligerswerk of werkervaring, zonder loon."),
    (5, "Betaald werk met ondersteuning", "Betaald werk met begeleiding of andere steun."),
    (6, "Betaald werk", "Betaald werk zonder extra steun."),
]

OWN_SCORE_LEVELS = [
    (1, "1", "Het gaat heel slecht."),
    (2, "2", "Het gaat slecht."),
    (3, "3", "Het gaat niet goed."),
    (4, "4", "Het gaat matig."),
    (5, "5", "Het gaat bijna goed."),
    (6, "6", "Het gaat net goed."),
    (7, "7", "Het gaat goed."),
    (8, "8", "Het gaat heel goed."),
    (9, "9", "Het gaat bijna zoals ik wil."),
    (10, "10", "Het gaat helemaal zoals ik wil."),
]


def _items(rows: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "label": label, "description": text} for code, label, text in rows]


def _scale(rows: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    return [{"value": value, "label": label, "description": text} for value, label, text in rows]


INSTRUMENTS = [
    (
        "zrm",
        "Zelfredzaamheidsmatrix",
        "Hoe zelfredzaam is iemand op elk leefgebied, van acuut probleem tot helemaal zelf.",
        _items(LIFE_DOMAINS),
        _scale(SELF_RELIANCE_LEVELS),
    ),
    (
        "participation_ladder",
        "Participatieladder",
        "Hoe iemand meedoet, van geïsoleerd tot betaald werk, in zes treden.",
        _items([("rung", "Trede", "Op welke trede van de ladder staat iemand nu?")]),
        _scale(LADDER_RUNGS),
    ),
    (
        "own_score",
        "Eigen cijfer per leefgebied",
        "Het cijfer dat de bewoner zelf geeft, van 1 tot 10, voor elk leefgebied.",
        _items(LIFE_DOMAINS),
        _scale(OWN_SCORE_LEVELS),
    ),
]


def load(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("outcomes", "Instrument")
    InstrumentVersion = apps.get_model("outcomes", "InstrumentVersion")
    for code, name, description, items, scale in INSTRUMENTS:
        instrument, _ = Instrument.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        if not InstrumentVersion.objects.filter(instrument=instrument).exists():
            InstrumentVersion.objects.create(
                instrument=instrument, number=1, items=items, scale=scale, active=True
            )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
