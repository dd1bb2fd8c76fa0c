"""Fuzzing the signals API (issue 15, finding 7): whatever a partner sends — NUL, half a
surrogate pair as a JSON escape or as raw bytes, wrong types, huge numbers, deep nesting —
the answer is never a server error. A batch that is not of the described form is a 4xx
with a message; values that are merely wrong set their signal aside with a message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtkracht.signals.columns import CANONICAL_FIELDS
from buurtkracht.signals.models import Delivery
from buurtkracht.signals.tokens import api_token_create
from tests.conftest import Personas
from tests.signals.test_api import SIGNALS_URL, _batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(personas: Personas) -> str:
    organisation = personas.partner_liaison.organisation
    assert organisation is not None
    _token, plain = api_token_create(
        organisation=organisation,
        label="Koppeling",
        by=personas.functional_admin,
    )
    return plain


def _send(token: str, body: bytes) -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    return client.post(
        SIGNALS_URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _refused(response: Any) -> str:
    """The message of a 4xx answer in JSON; fails on anything else."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    message = response.json()["error"]
    assert isinstance(message, str) and len(message) > 20
    return message


def _with(personas: Personas, field: str, value: Any) -> bytes:
    batch = _batch(personas)
    batch[0][field] = value
    return json.dumps({"signals": batch}).encode()


@pytest.mark.parametrize("field", ["partner_reference", "surname", "postcode", "signal_date"])
@pytest.mark.parametrize("character", ["\x00", "\ud800", "\udfff", "\x1b"])
def test_nul_and_lone_surrogates_as_json_escapes(
    personas: Personas, token: str, field: str, character: str
) -> None:
    message = _refused(_send(token, _with(personas, field, f"Jan{character}sen")))
    assert f"Signal 0 (counting from 0), field “{field}”" in message
    assert f"U+{ord(character):04X}" in message
    assert not Delivery.objects.exists()


RAW_BODIES = {
    "NUL byte inside a string": b'{"signals": [{"partner_reference": "A\x00B"}]}',
    "invalid UTF-8": b'{"signals": [{"partner_reference": "A\xff\xfe"}]}',
    "a surrogate encoded as UTF-8 bytes": b'{"signals": [{"partner_reference": "A\xed\xa0\x80"}]}',
    "a surrogate in a field name": b'{"signals": [{"x\\ud800": 1}]}',
    "deeply nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "deeply nested objects": b'{"signals": ' + b'{"a":' * 10_000 + b"1" + b"}" * 10_001,
    "a 5000-digit number": b'{"signals": [{"amount": 1' + b"0" * 5000 + b"}]}",
    "a 31-digit number": b'{"signals": [{"amount": 1' + b"0" * 30 + b"}]}",
    "1e400": b'{"signals": [{"amount": 1e400}]}',
    "NaN": b'{"signals": [{"amount": NaN}]}',
    "Infinity": b'{"signals": [{"amount": -Infinity}]}',
    "not JSON": b"partner_reference;surname\nA;B",
    "empty": b"   ",
    "signals is text": b'{"signals": "all of them"}',
    "signals is null": b'{"signals": null}',
    "a signal is a number": b'{"signals": [12]}',
    "a list": b"[1, 2, 3]",
    "a field is a list": b'{"signals": [{"surname": ["Jansen"]}]}',
    "a field is an object": b'{"signals": [{"amount": {"euros": 12}}]}',
}


@pytest.mark.parametrize("name", sorted(RAW_BODIES))
def test_raw_bodies_get_a_4xx_with_a_message(token: str, name: str) -> None:
    _refused(_send(token, RAW_BODIES[name]))
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 10**29),
        ("amount", 1.5e25),
        ("amount", True),
        ("amount", -5),
        ("house_number", 10**29),
        ("missed_terms", -(10**20)),
        ("signal_date", 99999999),
        ("signal_date", 1.5),
        ("surname", "x" * 100_000),
        ("postcode", None),
    ],
)
def test_wrong_values_set_the_signal_aside_with_a_message(
    personas: Personas, token: str, field: str, value: Any
) -> None:
    response = _send(token, _with(personas, field, value))
    assert response.status_code in (200, 201)
    rejected = {row["index"]: row for row in response.json()["rejected"]}
    assert 0 in rejected
    assert all(error["message"] for error in rejected[0]["errors"])


_BAD = st.sampled_from(["\x00", "\ud800", "\udc00", "\x07", "\x7f"])
_TEXT = st.text(st.characters(exclude_categories=()), max_size=20)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    field=st.sampled_from(CANONICAL_FIELDS),
    value=_VALUES,
    bad=_BAD,
    where=st.integers(min_value=0, max_value=20),
)
def test_anything_in_a_field_is_never_a_server_error(
    personas: Personas, token: str, field: str, value: Any, bad: str, where: int
) -> None:
    for candidate in (value, f"{str(value)[:where]}{bad}{str(value)[where:]}"):
        batch = _batch(personas)[:1]
        batch[0][field] = candidate
        body = json.dumps({"signals": batch}, allow_nan=True).encode()
        response = _send(token, body)
        if response.status_code >= 400:
            _refused(response)
        else:
            assert response.status_code in (200, 201), response.content[:300]
            answer = response.json()
            assert answer["received"] == 1
            for row in answer["rejected"]:
                assert all(error["message"] for error in row["errors"])
