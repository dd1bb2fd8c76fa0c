"""Beheer (the Django admin) speaks Dutch: every column header and filter title of every
changelist is translated (issue 13: "untranslated column headers in Beheer"), including
the headers of Django's own tables that Django's Dutch catalogue lacks."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from buurtkracht.signals.services import outreach_settings
from buurtkracht.signals.tokens import api_token_create
from tests import factories
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

# Words that are the same in Dutch and English (and translated so in the catalogue);
# anything else that reads the same in both languages has not been translated.
SAME_IN_BOTH = {"account", "code", "instrument", "partner", "status", "team", "label"}

_HEADER = re.compile(r"<th\b[^>]*\bscope=\"col\"[^>]*>(.*?)</th>", re.S)
_FILTER = re.compile(r"data-filter-title=\"([^\"]*)\"")
_TAG = re.compile(r"<[^>]+>")


def _registry() -> list[type[Model]]:
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def _changelist(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _page_headers(client: Client, url: str, language: str) -> list[str]:
    """The column headers (also those only a screen reader reads) and filter titles of the
    page as rendered in `language`."""
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, url
    content = response.content.decode()
    headers = [" ".join(_TAG.sub(" ", h).split()) for h in _HEADER.findall(content)]
    return [html.unescape(h) for h in headers + _FILTER.findall(content) if h]


def _untranslated(dutch: list[str], english: list[str]) -> list[str]:
    assert len(dutch) == len(english)
    return [
        nl
        for nl, en in zip(dutch, english, strict=True)
        if nl == en and not any(c.isdigit() for c in nl) and nl.casefold() not in SAME_IN_BOTH
    ]


@pytest.fixture
def superuser(personas: Personas) -> Any:
    """An operator who sees every changelist, with something in the lists to show."""
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    api_token_create(organisation=organisation, label="koppeling")
    outreach_settings()
    return factories.UserFactory.create(is_staff=True, is_superuser=True)


def test_every_changelist_page_has_dutch_headers(superuser: Any) -> None:
    client = Client()
    client.force_login(superuser)
    found: dict[str, list[str]] = {}
    for model in _registry():
        url = _changelist(model)
        same = _untranslated(_page_headers(client, url, "nl"), _page_headers(client, url, "en"))
        if same:
            found[model._meta.label] = same
    assert found == {}


def test_every_list_display_column_and_filter_is_translated(superuser: Any) -> None:
    """Also the columns of lists that are empty here (an empty list shows no table)."""

    def headers(model: type[Model], language: str) -> list[str]:
        with translation.override(language):
            request = RequestFactory().get("/")
            request.user = superuser
            changelist = admin.site._registry[model].get_changelist_instance(request)
            texts = [str(h["text"]) for h in result_headers(changelist) if h["text"]]
            texts += [str(spec.title) for spec in changelist.filter_specs]
        return [t for t in texts if "<input" not in t]

    found = {
        model._meta.label: same
        for model in _registry()
        if (same := _untranslated(headers(model, "nl"), headers(model, "en")))
    }
    assert found == {}
