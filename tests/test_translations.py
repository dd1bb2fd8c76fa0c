"""Dutch is the default language: every string in the catalogue has a Dutch translation,
and the compiled catalogue is in step with its source."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "buurtkracht" / "locale"


def test_every_dutch_message_is_translated() -> None:
    catalogue = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"Translate these in django.po: {untranslated}"
    assert fuzzy == [], f"Check these fuzzy translations in django.po: {fuzzy}"


def test_compiled_catalogue_matches_source() -> None:
    source = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.mo"))
    compiled_map = {entry.msgid: entry.msgstr for entry in compiled}
    source_map = {e.msgid: e.msgstr for e in source.translated_entries() if not e.msgid_plural}
    assert source_map.items() <= compiled_map.items(), "Run: manage.py compilemessages"
