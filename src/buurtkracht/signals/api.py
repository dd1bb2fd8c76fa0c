"""The signals API: partners deliver batches of signals and fetch their feedback.

Plain Django views, JSON in and out. A partner authenticates with an API token of its
organisation (`Authorization: Bearer <token>`); there is no user and no session, so the
views opt out of the login requirement and of CSRF (no cookie is used, so there is no
cross-site request to forge). A request holds at most SIGNALS_API_MAX_SIGNALS signals
and SIGNALS_API_MAX_MB megabytes; every bad input is a 4xx with a message.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action, Ground
from buurtkracht.signals import services
from buurtkracht.signals.columns import CANONICAL_FIELDS, UNREADABLE
from buurtkracht.signals.feedback import feedback_collect
from buurtkracht.signals.models import ApiToken, Delivery
from buurtkracht.signals.openapi import build_openapi
from buurtkracht.signals.parsing import ParsedRow
from buurtkracht.signals.tokens import authenticate_token

_FIELDS = frozenset(CANONICAL_FIELDS)
_JSON_PARAMS = {"ensure_ascii": False}

TokenView = Callable[..., HttpResponse]


def _error(message: str, status: int, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status, json_dumps_params=_JSON_PARAMS)
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def _method_not_allowed(method: str) -> JsonResponse:
    return _error(_("Use %(method)s for this address.") % {"method": method}, 405, Allow=method)


def token_required(method: str) -> Callable[[TokenView], Callable[..., HttpResponse]]:
    """Let a view answer only `method`, only with a valid token, and pass it the token.
    A partner that is not allowed to deliver signals (PermissionDenied) gets a 403."""

    def decorate(view: TokenView) -> Callable[..., HttpResponse]:
        @login_not_required
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if request.method != method:
                return _method_not_allowed(method)
            header = request.headers.get("Authorization", "")
            token = authenticate_token(header)
            if token is None:
                message = (
                    _(
                        "No API token was sent. Send it in the header "
                        "“Authorization: Bearer <token>”."
                    )
                    if not header.strip()
                    else _(
                        "The API token is not valid or has been revoked. Check the header "
                        "“Authorization: Bearer <token>”, or ask the municipality for a new "
                        "token."
                    )
                )
                return _error(message, 401, WWW_Authenticate='Bearer realm="buurtkracht"')
            try:
                return view(request, token, **kwargs)
            except PermissionDenied as denied:
                return _error(str(denied) or _("This organisation may not use this API."), 403)

        return wrapper

    return decorate


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def max_signals() -> int:
    """Signals per request: checking and matching this many stays well within the
    application server's timeout (docs/signals.md). Larger deliveries are split."""
    return int(settings.SIGNALS_API_MAX_SIGNALS)


def max_body_bytes() -> int:
    return int(settings.SIGNALS_API_MAX_MB) * 2**20


# No field holds a number this long; Python would refuse past 4,300 digits anyway.
_MAX_DIGITS = 30


def _read_json(request: HttpRequest) -> Any:
    """The body as JSON, read no further than the limit (a body too large is refused
    before it is held in memory in full)."""
    limit = max_body_bytes()
    too_large = _(
        "The body is larger than %(limit)s MB. Split the signals over several requests of "
        "at most %(limit)s MB and %(count)s signals each."
    ) % {"limit": limit // 2**20, "count": max_signals()}
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise BadRequest(too_large, 413)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise BadRequest(too_large, 413)
    if not body.strip():
        raise BadRequest(_('The body is empty. Send JSON such as {"signals": [{…}]}.'))
    try:
        # Strictly: encoded surrogates (ED A0 80) are not UTF-8 either.
        text = body.decode(json.detect_encoding(body)).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            _("The body is not UTF-8 text: byte %(position)s cannot be read. Send JSON in UTF-8.")
            % {"position": exc.start}
        ) from exc
    try:
        return json.loads(
            text, parse_int=_integer, parse_float=_decimal, parse_constant=_no_constant
        )
    except json.JSONDecodeError as exc:
        raise BadRequest(
            _(
                "The body is not valid JSON: %(problem)s at line %(line)s, column %(column)s. "
                "Check for a missing comma, quote or bracket there."
            )
            % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from exc
    except RecursionError as exc:
        raise BadRequest(_("The JSON is nested too deeply.")) from exc


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_DIGITS:
        raise BadRequest(
            _(
                "The JSON holds a number of %(count)s digits. No field needs more than "
                "%(limit)s: check the number."
            )
            % {"count": len(digits.lstrip("-")), "limit": _MAX_DIGITS}
        )
    return int(digits)


def _decimal(text: str) -> Decimal:
    # Exact, as amounts are: 1234.56 stays 1234.56, and 1e400 does not become infinity.
    value = Decimal(text)
    if len(text) > 2 * _MAX_DIGITS or abs(value.adjusted()) > _MAX_DIGITS:
        raise BadRequest(
            _("The JSON holds the number %(value)s, far too large or small for any field.")
            % {"value": text[:40]}
        )
    return value


def _no_constant(name: str) -> Any:
    raise BadRequest(
        _("“%(name)s” is not a number in JSON. Leave the field out or write null.") % {"name": name}
    )


def _not_text(value: str) -> str:
    """The first character that is not text, as U+XXXX, or ""."""
    # NUL and the other control characters (tab and line breaks aside), and the halves of
    # a surrogate pair on their own: not text, and the database cannot store them.
    found = UNREADABLE.search(value)
    return f"U+{ord(found.group()):04X}" if found else ""


def _check_signal(index: int, signal: dict[str, Any]) -> None:
    """Refuse values that are no field value at all, naming the signal and the field."""
    for key, value in signal.items():
        if bad := _not_text(key):
            raise BadRequest(
                _(
                    "Signal %(index)s (counting from 0) has a field name with a character "
                    "that is not allowed (%(char)s). Use the field names of the description."
                )
                % {"index": index, "char": bad}
            )
        if key not in _FIELDS:
            continue
        if isinstance(value, dict | list):
            raise BadRequest(
                _(
                    "Signal %(index)s (counting from 0), field “%(field)s”: a list or object "
                    "is not a value here. Write text, a number or null."
                )
                % {"index": index, "field": key}
            )
        if isinstance(value, str) and (bad := _not_text(value)):
            raise BadRequest(
                _(
                    "Signal %(index)s (counting from 0), field “%(field)s”: the text holds a "
                    "character that is not allowed (%(char)s: a control character or half "
                    "of a surrogate pair). Remove it and send the batch again."
                )
                % {"index": index, "field": key, "char": bad}
            )


def _signals_of(payload: Any) -> list[dict[str, Any]]:
    shape = _('Send a JSON object with a list "signals": {"signals": [{…}, {…}]}.')
    if not isinstance(payload, dict) or "signals" not in payload:
        raise BadRequest(_('The list "signals" is missing.') + " " + shape)
    signals = payload["signals"]
    if not isinstance(signals, list):
        raise BadRequest(_('"signals" is not a list.') + " " + shape)
    if not signals:
        raise BadRequest(_('The list "signals" is empty. Send at least one signal.'))
    if len(signals) > (limit := max_signals()):
        raise BadRequest(
            _(
                "The batch holds %(count)s signals. The limit is %(limit)s signals per "
                "request. Split the batch into requests of at most %(limit)s signals."
            )
            % {"count": len(signals), "limit": limit},
            413,
        )
    for index, signal in enumerate(signals):
        if not isinstance(signal, dict):
            raise BadRequest(
                _(
                    "Signal %(index)s (counting from 0) is not a JSON object. Write each "
                    'signal as an object, such as {"partner_reference": "A-1", …}.'
                )
                % {"index": index}
            )
        _check_signal(index, signal)
    return signals


@token_required("POST")
def signals_deliver(request: HttpRequest, token: ApiToken) -> HttpResponse:
    """POST a batch of signals; answers what was taken in and what was set aside."""
    try:
        signals = _signals_of(_read_json(request))
    except BadRequest as bad:
        return _error(bad.message, bad.status)
    # Only the documented fields are passed on: the rest is named in the answer, so a
    # partner who sends "Achternaam" instead of "surname" sees why the surname is missing.
    ignored = sorted({key for signal in signals for key in signal} - _FIELDS)
    rows = [{k: v for k, v in signal.items() if k in _FIELDS} for signal in signals]
    del signals
    if len(rows) > settings.SIGNALS_API_SYNC_MAX:
        # A large batch is stored and taken in by a background job; the answer says where
        # to ask how far it is (and, at the end, which signals were set aside).
        outcome = services.delivery_submit_rows(
            organisation=token.organisation,
            rows=rows,
            channel=Delivery.Channel.API,
            username=f"api-token:{token.prefix}",
            received_by=token.account,
        )
        outcome.delivery.refresh_from_db()
        body = _delivery_body(outcome.delivery, ignored, received=len(rows))
        return JsonResponse(body, status=202, json_dumps_params=_JSON_PARAMS)
    outcome = services.delivery_receive_rows(
        organisation=token.organisation,
        rows=rows,
        channel=Delivery.Channel.API,
        user=None,
        request=request,
        username=f"api-token:{token.prefix}",
        received_by=token.account,
    )
    delivery = outcome.delivery
    body = _delivery_body(delivery, ignored, outcome.rejected or [])
    status = 200 if delivery.rows_duplicate == len(rows) else 201
    return JsonResponse(body, status=status, json_dumps_params=_JSON_PARAMS)


def _delivery_body(
    delivery: Delivery,
    ignored: list[str],
    rejected_rows: list[ParsedRow] | None = None,
    received: int | None = None,
) -> dict[str, Any]:
    if rejected_rows is None and delivery.status != Delivery.Status.PROCESSING:
        rejected_rows = services.rejected_rows_of(delivery)
    rejected = [
        {
            "index": row.line - 1,
            "line": row.line,
            "partner_reference": row.raw.get("partner_reference", ""),
            "errors": [{"field": e.field, "message": e.message} for e in row.errors],
        }
        for row in rejected_rows or []
    ]
    body: dict[str, Any] = {
        "delivery": delivery.pk,
        "status": delivery.status,
        "received": delivery.rows_total if received is None else received,
        "processed": delivery.rows_done,
        "accepted": delivery.rows_valid,
        "delivered_before": delivery.rows_duplicate,
        "updated": delivery.rows_updated,
        "rejected": rejected,
        "ignored_fields": ignored,
        "progress": reverse("signals-api:delivery", args=[delivery.pk]),
    }
    if delivery.status == Delivery.Status.FAILED:
        body["message"] = delivery.message
    return body


@token_required("GET")
def delivery_status(request: HttpRequest, token: ApiToken, pk: int) -> HttpResponse:
    """GET how far a delivery of the token's organisation is, and at the end what was set
    aside. The rows set aside are the partner's own data, linked to nobody."""
    delivery = Delivery.objects.filter(organisation=token.organisation, pk=pk).first()
    if delivery is None:
        return _error(_("There is no delivery %(pk)s of your organisation.") % {"pk": pk}, 404)
    return JsonResponse(_delivery_body(delivery, []), json_dumps_params=_JSON_PARAMS)


@token_required("GET")
@audited
def feedback(request: HttpRequest, token: ApiToken) -> HttpResponse:
    """GET the feedback per signal of the token's organisation."""
    organisation = token.organisation
    services.partner_kind_for(organisation)  # only partners have signals to hear about
    since: dt.date | None = None
    if value := request.GET.get("sinds", "").strip():
        try:
            since = dt.date.fromisoformat(value)
        except ValueError:
            return _error(
                _("“%(value)s” is not a date. Write sinds as YYYY-MM-DD, such as 2026-01-31.")
                % {"value": value[:40]},
                400,
            )
    collected = feedback_collect(organisation, since=since)
    note_look(
        request,
        action=Action.EXPORT,
        subjects=collected.subjects,
        obj=organisation,
        ground=Ground.ROLE,
        on_behalf_of=str(organisation),
        client=f"api-token:{token.prefix}",
        details={
            "api": "feedback",
            "rows": len(collected.rows),
            "since": since.isoformat() if since else "",
        },
    )
    return JsonResponse({"feedback": collected.rows}, json_dumps_params=_JSON_PARAMS)


@login_not_required
@csrf_exempt
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI description; public, so a partner can build a client before it has a
    token."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed("GET")
    root = reverse("signals-api:openapi").removesuffix("openapi.json").rstrip("/")
    document = build_openapi(request.build_absolute_uri(root))
    return JsonResponse(document, json_dumps_params={**_JSON_PARAMS, "indent": 2})
