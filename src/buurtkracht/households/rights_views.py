"""A resident's correction request on their file (AVG art. 16, docs/data-rights.md): the
lead worker (or the team leader) reads what the resident says is wrong and answers. The
privacy officer sees the same request on their list (`privacy/rights_views.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.audit.decorators import audited
from buurtkracht.audit.models import Action
from buurtkracht.households.guard import household_for_request
from buurtkracht.households.models import DataRequest
from buurtkracht.households.rights import ANSWERING_GROUNDS, data_request_answer
from buurtkracht.households.rights_forms import AnswerForm


@require_http_methods(["GET", "POST"])
@audited
def data_request_on_file(request: AuthenticatedRequest, pk: int, request_pk: int) -> HttpResponse:
    posted = request.method == "POST"
    household, ground = household_for_request(
        request,
        pk,
        action=Action.UPDATE if posted else Action.READ,
        details={"page": "data request", "request": request_pk},
    )
    found = (
        DataRequest.objects.filter(
            pk=request_pk,
            kind=DataRequest.Kind.CORRECTION,
            person_id__in=household.current_member_ids(),
        )
        .select_related("person", "handled_by")
        .first()
    )
    if ground not in ANSWERING_GROUNDS or found is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    if posted and found.is_open and form.is_valid():
        data_request_answer(
            data_request=found, user=request.user, answer=form.cleaned_data["answer"], ground=ground
        )
        messages.success(request, _("Your answer is sent; the resident reads it on their page."))
        return redirect("workspace:household", pk=household.pk)
    return render(
        request,
        "households/data_request.html",
        {
            "household": household,
            "data_request": found,
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if posted else 200,
    )
