"""The OpenAPI 3.1 description of the signals API, built in code.

The fields of a signal come from `columns.CANONICAL_FIELDS` and `REQUIRED_FIELDS`, the same
lists the file reader uses, so the description cannot drift from what is accepted: a new
field without a description here fails the tests (`FIELD_DOCS[name]` raises KeyError).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buurtkracht.signals.columns import (
    CANONICAL_FIELDS,
    HEADER_SPELLINGS,
    PARTNER_KINDS,
    REQUIRED_FIELDS,
)
from buurtkracht.signals.feedback import FEEDBACK_FIELDS, NO, UNKNOWN, YES

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"


@dataclass(frozen=True)
class FieldDoc:
    """How one field of a signal is written in JSON: its types, description (an English
    msgid, translated when the description is built), an example and the format. Dates and
    amounts may also be text as in a file (31-01-2026, 1.234,56)."""

    types: tuple[str, ...]
    description: str
    example: Any
    format: str = ""


FIELD_DOCS: dict[str, FieldDoc] = {
    "partner_reference": FieldDoc(
        ("string",),
        gettext_noop(
            "Your own reference for this signal, such as a file or contract number. A "
            "reference is taken in once: sending it again adds nothing. Up to 64 characters."
        ),
        "WS-2026-000123",
    ),
    "partner_kind": FieldDoc(
        ("string",),
        gettext_noop(
            "The kind of partner: housing, energy, water or health_insurer (Dutch names such "
            "as woningcorporatie also work). Leave it out to use the kind of your organisation."
        ),
        "housing",
    ),
    "signal_date": FieldDoc(
        ("string",),
        gettext_noop(
            "The date of the signal, as 2026-01-31 or 31-01-2026. It cannot be in the future, "
            "nor before 1 January two years ago."
        ),
        "2026-01-31",
        "date",
    ),
    "initials": FieldDoc(("string",), gettext_noop("Initials, such as J.H."), "J.H."),
    "given_names": FieldDoc(("string",), gettext_noop("Given names."), "Jan Hendrik"),
    "surname_prefix": FieldDoc(
        ("string",), gettext_noop("Surname prefix, such as van der."), "van der"
    ),
    "surname": FieldDoc(("string",), gettext_noop("Surname."), "Berg"),
    "date_of_birth": FieldDoc(
        ("string",),
        gettext_noop("Date of birth, as 1970-05-17 or 17-05-1970. Helps to find the right person."),
        "1970-05-17",
        "date",
    ),
    "street": FieldDoc(("string",), gettext_noop("Street."), "Lindenstraat"),
    "house_number": FieldDoc(
        ("string", "integer"),
        gettext_noop(
            "House number, from 1 to 99999. It may hold the letter or addition too, such as "
            "12A or 12-2."
        ),
        "12",
    ),
    "house_letter": FieldDoc(
        ("string",), gettext_noop("House letter, one letter, such as A."), "A"
    ),
    "addition": FieldDoc(
        ("string",),
        gettext_noop("House number addition, up to 4 letters or digits, such as 2 or BIS."),
        "2",
    ),
    "postcode": FieldDoc(("string",), gettext_noop("Postcode, such as 1234 AB."), "1234 AB"),
    "town": FieldDoc(("string",), gettext_noop("Town."), "Testwijk aan Zee"),
    "amount": FieldDoc(
        ("number", "string"),
        gettext_noop(
            "The amount in arrears in euros: a number such as 1234.56, or text such as "
            "1.234,56. Required, and more than zero."
        ),
        1234.56,
    ),
    "missed_terms": FieldDoc(
        ("integer", "string"),
        gettext_noop("The number of missed terms (months), a whole number such as 3."),
        3,
    ),
    "end_of_supply_date": FieldDoc(
        ("string",),
        gettext_noop(
            "For energy and water: the date on which supply will end, as 2026-02-28 or 28-02-2026."
        ),
        "2026-02-28",
        "date",
    ),
}


def signal_schema() -> dict[str, Any]:
    """The JSON Schema of one signal, one property per canonical field."""
    properties: dict[str, Any] = {}
    for name in CANONICAL_FIELDS:
        doc = FIELD_DOCS[name]
        types = list(doc.types) if name in REQUIRED_FIELDS else [*doc.types, "null"]
        schema: dict[str, Any] = {
            "type": types[0] if len(types) == 1 else types,
            "description": _(doc.description),
            "examples": [doc.example],
            # The column names that mean the same field in a CSV or Excel file.
            "x-column-names": list(HEADER_SPELLINGS[name]),
        }
        if doc.format:
            schema["format"] = doc.format
        if name == "partner_kind":
            schema["examples"] = list(PARTNER_KINDS)
        properties[name] = schema
    return {
        "type": "object",
        "description": _(
            "One signal of payment arrears. Only the fields below are read; other fields are "
            "ignored and named in the response."
        ),
        "required": list(REQUIRED_FIELDS),
        "properties": properties,
        "examples": [{name: FIELD_DOCS[name].example for name in CANONICAL_FIELDS}],
    }


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def build_openapi(server_url: str) -> dict[str, Any]:
    """The description, in the active language; `server_url` is where the API lives
    (such as https://example.nl/api/v1)."""
    answer = {"type": "string", "enum": [YES, NO, UNKNOWN]}
    unauthorised = _error_response(
        _("No API token was sent, or the token is not valid or has been revoked.")
    )
    forbidden = _error_response(
        _("The organisation of the token is not a partner that delivers signals.")
    )
    schemas: dict[str, Any] = {
        "Signal": signal_schema(),
        "Batch": {
            "type": "object",
            "required": ["signals"],
            "properties": {
                "signals": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": settings.SIGNALS_API_MAX_SIGNALS,
                    "items": {"$ref": "#/components/schemas/Signal"},
                }
            },
        },
        "FieldError": {
            "type": "object",
            "required": ["field", "message"],
            "properties": {
                "field": {
                    "type": "string",
                    "enum": list(CANONICAL_FIELDS),
                    "description": _("The field that is wrong."),
                },
                "message": {
                    "type": "string",
                    "description": _("What is wrong and how to fix it."),
                },
            },
        },
        "RejectedSignal": {
            "type": "object",
            "required": ["index", "line", "partner_reference", "errors"],
            "properties": {
                "index": {
                    "type": "integer",
                    "description": _("Position of the signal in the list, counting from 0."),
                },
                "line": {
                    "type": "integer",
                    "description": _(
                        "Position of the signal in the list, counting from 1, as the messages "
                        "name it."
                    ),
                },
                "partner_reference": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/FieldError"},
                },
            },
        },
        "DeliveryResult": {
            "type": "object",
            "required": ["delivery", "received", "accepted", "delivered_before", "rejected"],
            "properties": {
                "delivery": {
                    "type": "integer",
                    "description": _("Number of this delivery; quote it in questions."),
                },
                "received": {"type": "integer", "description": _("Signals in the batch.")},
                "status": {
                    "type": "string",
                    "enum": ["processing", "done", "failed"],
                    "description": _("Whether the delivery is being taken in, done or failed."),
                },
                "processed": {
                    "type": "integer",
                    "description": _("Signals processed so far (all of them when done)."),
                },
                "progress": {
                    "type": "string",
                    "description": _("Where to ask how far this delivery is (GET)."),
                },
                "message": {
                    "type": "string",
                    "description": _("Why the delivery failed, when it did."),
                },
                "accepted": {"type": "integer", "description": _("New signals taken in.")},
                "delivered_before": {
                    "type": "integer",
                    "description": _(
                        "Signals whose reference was delivered before; nothing was changed."
                    ),
                },
                "updated": {
                    "type": "integer",
                    "description": _(
                        "Signals delivered before whose amount, missed terms or end of "
                        "supply changed: the new figures were taken."
                    ),
                },
                "rejected": {
                    "type": "array",
                    "description": _(
                        "Signals set aside because of errors. Correct them and send them again."
                    ),
                    "items": {"$ref": "#/components/schemas/RejectedSignal"},
                },
                "ignored_fields": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": _("Field names that are not known and were not read."),
                },
            },
        },
        "FeedbackRow": {
            "type": "object",
            "required": list(FEEDBACK_FIELDS),
            "additionalProperties": False,
            "properties": {
                "partner_reference": {
                    "type": "string",
                    "description": _("Your reference of the signal."),
                },
                "signal_date": {"type": "string", "format": "date"},
                "status": {
                    "type": "string",
                    "enum": ["open", "closed"],
                    "description": _("open: the municipality is still working on it."),
                },
                "contact_made": {
                    **answer,
                    "description": _(
                        "Whether the municipality spoke with the household: yes, no, or empty "
                        "while this is not known yet."
                    ),
                },
                "help_accepted": {
                    **answer,
                    "description": _(
                        "Whether the household accepted help: yes, no, or empty while this is "
                        "not known, or when the signal was closed because it was paid."
                    ),
                },
                "closed_on": {"type": ["string", "null"], "format": "date"},
            },
        },
        "Feedback": {
            "type": "object",
            "required": ["feedback"],
            "properties": {
                "feedback": {"type": "array", "items": {"$ref": "#/components/schemas/FeedbackRow"}}
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {"type": "string", "description": _("What is wrong and what to do.")}
            },
        },
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": _("Buurtkracht signals API"),
            "version": API_VERSION,
            "description": _(
                "Partners (housing corporations, energy suppliers, water companies and health "
                "insurers) deliver signals of payment arrears here, and fetch per signal what "
                "came of it: whether contact was made and whether help was accepted. Ask the "
                "municipality for an API token; send it in the header "
                "“Authorization: Bearer <token>”."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/signalen/": {
                "post": {
                    "operationId": "deliverSignals",
                    "summary": _("Deliver a batch of signals"),
                    "description": _(
                        "Send up to %(rows)s signals per request, at most %(mb)s MB. A larger "
                        "batch is refused with status 413 and the limit: split it into "
                        "requests of at most %(rows)s signals. Signals with errors in their "
                        "values are set aside and named in the response; the others are taken "
                        "in. A batch that is not JSON of the form described here (a value "
                        "that is a list or object, a control character such as NUL or half "
                        "of a surrogate pair in a text, a number of more than 30 digits) is "
                        "refused whole with status 400 and a message naming the signal and "
                        "the field. Sending the same signals again is safe: a reference that "
                        "was delivered before is counted, not added again."
                    )
                    % {
                        "rows": f"{settings.SIGNALS_API_MAX_SIGNALS:,}".replace(",", "."),
                        "mb": settings.SIGNALS_API_MAX_MB,
                    },
                    "requestBody": {"required": True, "content": _json("Batch")},
                    "responses": {
                        "201": {
                            "description": _("The batch was taken in."),
                            "content": _json("DeliveryResult"),
                        },
                        "200": {
                            "description": _(
                                "Every signal in the batch was delivered before; nothing new."
                            ),
                            "content": _json("DeliveryResult"),
                        },
                        "202": {
                            "description": _(
                                "A large batch (more than %(rows)s signals) is stored and "
                                "taken in in the background. Ask the address in “progress” "
                                "how far it is; when its status is “done” it names the "
                                "signals set aside."
                            )
                            % {"rows": settings.SIGNALS_API_SYNC_MAX},
                            "content": _json("DeliveryResult"),
                        },
                        "400": _error_response(
                            _("The body is not JSON, or not in the form described here.")
                        ),
                        "401": unauthorised,
                        "403": forbidden,
                        "413": _error_response(
                            _(
                                "The batch holds more signals or more megabytes than the "
                                "limit, which the message names. Split it."
                            )
                        ),
                    },
                }
            },
            "/leveringen/{delivery}/": {
                "get": {
                    "operationId": "getDelivery",
                    "summary": _("How far a delivery is"),
                    "description": _(
                        "The status of a delivery of your organisation (processing, done or "
                        "failed), how many signals were processed and taken in, and when it "
                        "is done the signals set aside with their messages."
                    ),
                    "parameters": [
                        {
                            "name": "delivery",
                            "in": "path",
                            "required": True,
                            "description": _("The number “delivery” in the answer."),
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": _("The delivery."),
                            "content": _json("DeliveryResult"),
                        },
                        "401": unauthorised,
                        "404": _error_response(_("No delivery of your organisation.")),
                    },
                }
            },
            "/terugkoppeling/": {
                "get": {
                    "operationId": "getFeedback",
                    "summary": _("Feedback per signal"),
                    "description": _(
                        "Per signal of your organisation: whether it is still open, whether "
                        "contact was made and whether help was accepted. Nothing else about "
                        "the household is shared."
                    ),
                    "parameters": [
                        {
                            "name": "sinds",
                            "in": "query",
                            "required": False,
                            "description": _(
                                "Only signals with a signal date on or after this date "
                                "(YYYY-MM-DD)."
                            ),
                            "schema": {"type": "string", "format": "date"},
                            "example": "2026-01-01",
                        }
                    ],
                    "responses": {
                        "200": {"description": _("The feedback."), "content": _json("Feedback")},
                        "400": _error_response(_("The date in “sinds” cannot be read.")),
                        "401": unauthorised,
                        "403": forbidden,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": _("The API token the municipality gave your organisation."),
                }
            },
            "schemas": schemas,
        },
    }
