from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the icon that
    base.html names. Looked up per request, so production's hashed file name is used."""
    response = HttpResponseRedirect(static("buurtkracht/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the smoke test: the app runs and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
