"""The signals API: partners deliver batches of signals and fetch their feedback.

Plain Django views, JSON in and out. A partner authenticates with an API token of its
organisation (`Authorization: Bearer <token>`); there is no user and no session, so the
views opt out of the login requirement and of CSRF (no cookie is used, so there is no
cross-site request to forge). The limits are the same as for an uploaded file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from buurtkracht.audit.decorators import audited, note_look
from buurtkracht.audit.models import Action, Ground
from buurtkracht.signals import services
from buurtkracht.signals.columns import CANONICAL_FIELDS
from buurtkracht.signals.feedback import feedback_collect
from buurtkracht.signals.models import ApiToken, Delivery
from buurtkracht.signals.openapi import build_openapi
from buurtkracht.signals.parsing import MAX_BYTES, MAX_ROWS
from buurtkracht.signals.tokens import authenticate_token

MAX_BODY_BYTES = MAX_BYTES
MAX_SIGNALS = MAX_ROWS
_FIELDS = frozenset(CANONICAL_FIELDS)
_JSON_PARAMS = {"ensure_ascii": False}

TokenView = Callable[[HttpRequest, ApiToken], HttpResponse]


def _error(message: str, status: int, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status, json_dumps_params=_JSON_PARAMS)
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def _method_not_allowed(method: str) -> JsonResponse:
    return _error(_("Use %(method)s for this address.") % {"method": method}, 405, Allow=method)


def token_required(method: str) -> Callable[[TokenView], Callable[[HttpRequest], HttpResponse]]:
    """Let a view answer only `method`, only with a valid token, and pass it the token.
    A partner that is not allowed to deliver signals (PermissionDenied) gets a 403."""

    def decorate(view: TokenView) -> Callable[[HttpRequest], HttpResponse]:
        @login_not_required
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
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
                return view(request, token)
            except PermissionDenied as denied:
                return _error(str(denied) or _("This organisation may not use this API."), 403)

        return wrapper

    return decorate


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _read_json(request: HttpRequest) -> Any:
    """The body as JSON, read no further than the limit (a body too large is refused
    before it is held in memory in full)."""
    too_large = _(
        "The body is larger than %(limit)s MB. Split the signals over several batches."
    ) % {"limit": MAX_BODY_BYTES // 2**20}
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise BadRequest(too_large, 413)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(too_large, 413)
    if not body.strip():
        raise BadRequest(_('The body is empty. Send JSON such as {"signals": [{…}]}.'))
    try:
        return json.loads(body)
    except UnicodeDecodeError as exc:
        raise BadRequest(_("The body is not UTF-8 text. Send JSON in UTF-8.")) from exc
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


def _signals_of(payload: Any) -> list[dict[str, Any]]:
    shape = _('Send a JSON object with a list "signals": {"signals": [{…}, {…}]}.')
    if not isinstance(payload, dict) or "signals" not in payload:
        raise BadRequest(_('The list "signals" is missing.') + " " + shape)
    signals = payload["signals"]
    if not isinstance(signals, list):
        raise BadRequest(_('"signals" is not a list.') + " " + shape)
    if not signals:
        raise BadRequest(_('The list "signals" is empty. Send at least one signal.'))
    if len(signals) > MAX_SIGNALS:
        raise BadRequest(
            _("The batch holds %(count)s signals. The limit is %(limit)s. Split the batch.")
            % {"count": len(signals), "limit": MAX_SIGNALS},
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
    rejected = [
        {
            "index": row.line - 1,
            "line": row.line,
            "partner_reference": row.raw.get("partner_reference", ""),
            "errors": [{"field": e.field, "message": e.message} for e in row.errors],
        }
        for row in outcome.rejected or []
    ]
    body = {
        "delivery": delivery.pk,
        "received": len(rows),
        "accepted": delivery.rows_valid,
        "delivered_before": delivery.rows_duplicate,
        "rejected": rejected,
        "ignored_fields": ignored,
    }
    status = 200 if delivery.rows_duplicate == len(rows) else 201
    return JsonResponse(body, status=status, json_dumps_params=_JSON_PARAMS)


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
