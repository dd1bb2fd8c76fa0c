"""Pages of participatory budgeting (issue 8).

Public (no account: the letter with the code is the proof of eligibility): the rounds,
voting with a code, the result once counted. Staff:

| role | manage rounds* | result before counting | democratic quality |
|---|---|---|---|
| community worker | yes | yes | yes |
| policy advisor | – (read only) | yes | yes |

*rounds, plans, codes and letters, blocking, paper ballots, closing and counting.

Anyone else gets a 404 on the staff pages. The voting pages hold no resident data.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from buurtkracht.accounts.decorators import role_required
from buurtkracht.accounts.models import Role
from buurtkracht.accounts.types import AuthenticatedRequest
from buurtkracht.core.forms import errors_to_form
from buurtkracht.core.throttle import Limit, client_address
from buurtkracht.core.versioning import ChangedMeanwhile
from buurtkracht.voting import services
from buurtkracht.voting.forms import (
    BlockForm,
    CodeForm,
    FollowUpForm,
    ProposalForm,
    RoundForm,
)
from buurtkracht.voting.letters_job import letters_start, letters_take
from buurtkracht.voting.models import Ballot, LettersDownload, Proposal, VotingCode, VotingRound
from buurtkracht.voting.quality import quality_of
from buurtkracht.voting.results import recount

STAFF = (Role.COMMUNITY_WORKER,)
READERS = (Role.COMMUNITY_WORKER, Role.POLICY_ADVISOR)
# Wrong codes before a quarter of an hour of terse answers: enough for typing errors. A
# community centre shares one address, so the address may make more than a session.
WRONG_CODES_PER_SESSION = Limit("voting-wrong-session", 10, 15 * 60)
WRONG_CODES_PER_ADDRESS = Limit("voting-wrong-address", 50, 15 * 60)
SESSION_KEY = "voting-code-%s"


def _is_reader(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and any(user.has_role(role) for role in READERS)


def _round(pk: int, *, public: bool = False) -> VotingRound:
    voting_round = get_object_or_404(VotingRound.objects.select_related("area"), pk=pk)
    if public and voting_round.status == VotingRound.Status.DRAFT:
        raise Http404
    return voting_round


# --- public pages -----------------------------------------------------------------------


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rounds = VotingRound.objects.exclude(status=VotingRound.Status.DRAFT).select_related("area")
    return render(
        request,
        "voting/index.html",
        {
            "open_rounds": [r for r in rounds if r.status == VotingRound.Status.OPEN],
            "counted_rounds": [r for r in rounds if r.status == VotingRound.Status.COUNTED],
            "is_reader": _is_reader(request),
        },
    )


@login_not_required
@require_GET
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = _round(pk, public=True)
    return render(
        request,
        "voting/round.html",
        {
            "round": voting_round,
            "proposals": voting_round.proposals.select_related("neighbourhood").order_by("title"),
        },
    )


def _pairs(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.POST.lists() for value in values]


def _wrong_code_counted(request: HttpRequest) -> bool:
    """Count a wrong code for the session and the client address; True when either is
    past its limit. Every wrong code counts, also past the limit."""
    if not request.session.session_key:
        request.session.save()
    session = WRONG_CODES_PER_SESSION.hit(str(request.session.session_key))
    address = WRONG_CODES_PER_ADDRESS.hit(client_address(request))
    return session > WRONG_CODES_PER_SESSION.limit or address > WRONG_CODES_PER_ADDRESS.limit


@login_not_required
@require_http_methods(["GET", "POST"])
def vote_code(request: HttpRequest, pk: int) -> HttpResponse:
    voting_round = _round(pk, public=True)
    form = CodeForm(request.POST or None)
    closed = ""
    try:
        services.round_accepts(voting_round, Ballot.Channel.ONLINE)
    except ValidationError as error:
        closed = error.messages[0]
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and not closed and form.is_valid():
        try:
            code = services.code_check(voting_round=voting_round, typed=form.cleaned_data["code"])
        except ValidationError as error:
            if _wrong_code_counted(request):
                # Past the limit a wrong code no longer says *why* it is wrong: "used",
                # "blocked" or "another round" would tell a guesser that a code exists.
                status = 429
                form.add_error("code", _(
                    "Too many wrong codes. Check each character of the code on your letter. "
                    "After a quarter of an hour we will again say what is wrong with a code."
                ))  # fmt: skip
            else:
                form.add_error("code", error.messages[0])
        else:
            # A right code always votes, however many wrong codes came from this address
            # or session before (docs/voting.md: throttling wrong codes).
            # The session holds the code's hash until the ballot is cast, then drops it.
            request.session[SESSION_KEY % voting_round.pk] = code.code_hash
            return redirect("voting:ballot", pk=voting_round.pk)
    return render(
        request,
        "voting/code.html",
        {"round": voting_round, "form": form, "closed": closed},
        status=status,
    )


def _ballot_lines(
    voting_round: VotingRound, proposals: list[Proposal], choices: dict[int, int]
) -> list[dict[str, Any]]:
    return [{"proposal": p, "value": choices.get(p.pk, 0)} for p in proposals]


def _ballot_context(
    voting_round: VotingRound, proposals: list[Proposal], choices: dict[int, int]
) -> dict[str, Any]:
    chosen_cost = sum(p.cost for p in proposals if choices.get(p.pk))
    return {
        "round": voting_round,
        "lines": _ballot_lines(voting_round, proposals, choices),
        "chosen": [p for p in proposals if choices.get(p.pk)],
        "chosen_cost": chosen_cost,
        "tokens_spent": sum(choices.values()),
        "budget_text": services.euros(voting_round.budget),
        "chosen_cost_text": services.euros(chosen_cost),
    }


@login_not_required
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot, then a confirmation page, then the vote. Works without JavaScript: the
    totals are computed here and shown on the confirmation page."""
    voting_round = _round(pk, public=True)
    hashed = request.session.get(SESSION_KEY % voting_round.pk)
    if not hashed:
        return redirect("voting:code", pk=voting_round.pk)
    proposals = list(voting_round.proposals.order_by("title"))
    choices: dict[int, int] = {}
    error = ""
    template = "voting/ballot.html"
    if request.method == "POST":
        try:
            choices = services.choices_from(_pairs(request), voting_round)
            action = request.POST.get("action", "check")
            if action == "change":
                pass
            elif action == "confirm":
                services.vote_cast(voting_round=voting_round, hashed=hashed, choices=choices)
                del request.session[SESSION_KEY % voting_round.pk]
                request.session.cycle_key()
                return redirect("voting:done", pk=voting_round.pk)
            else:
                services.ballot_validate(voting_round=voting_round, choices=choices)
                template = "voting/confirm.html"
        except services.CodeRefused as refused:
            del request.session[SESSION_KEY % voting_round.pk]
            messages.error(request, refused.messages[0])
            return redirect("voting:code", pk=voting_round.pk)
        except ValidationError as invalid:
            error = invalid.messages[0]
    context = _ballot_context(voting_round, proposals, choices)
    context["error"] = error
    return render(request, template, context, status=400 if error else 200)


@login_not_required
@require_GET
def done(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "voting/done.html", {"round": _round(pk, public=True)})


@login_not_required
@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """Public once counted; before that only for staff who read results."""
    voting_round = _round(pk)
    if voting_round.status != VotingRound.Status.COUNTED and not (
        _is_reader(request) and voting_round.status != VotingRound.Status.DRAFT
    ):
        raise Http404
    tally = recount(voting_round)
    return render(
        request,
        "voting/result.html",
        {
            "round": voting_round,
            "tally": tally,
            "budget_text": services.euros(voting_round.budget),
            "spent_text": services.euros(tally.spent),
            "left_text": services.euros(voting_round.budget - tally.spent),
            "proposals": sorted(
                voting_round.proposals.all(), key=lambda p: (-tally.scores[p.pk], p.title)
            ),
            "is_tokens": voting_round.ballot_type == VotingRound.BallotType.TOKENS,
        },
    )


# --- staff pages ------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def manage(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "voting/manage.html",
        {
            "rounds": VotingRound.objects.select_related("area"),
            "may_edit": request.user.has_role(Role.COMMUNITY_WORKER),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def round_new(request: AuthenticatedRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            voting_round = services.round_create(
                data=form.round_input(), user=request.user, request=request
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The voting round has been made. Now add the plans."))
            return redirect("voting:round-manage", pk=voting_round.pk)
    return render(
        request, "voting/round_form.html", {"form": form},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@require_GET
@role_required(*READERS)
def round_manage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    voting_round = _round(pk)
    counts = {
        status: voting_round.codes.filter(status=status).count()
        for status in VotingCode.Status.values
    }
    return render(
        request,
        "voting/round_manage.html",
        {
            "round": voting_round,
            "proposals": voting_round.proposals.select_related("neighbourhood"),
            "codes": counts,
            "codes_total": sum(counts.values()),
            "may_edit": request.user.has_role(Role.COMMUNITY_WORKER),
            "block_form": BlockForm(),
            "budget_text": services.euros(voting_round.budget),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def proposal_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    voting_round = _round(pk)
    form = ProposalForm(request.POST or None, voting_round=voting_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_create(
                voting_round=voting_round, **form.cleaned_data, user=request.user, request=request
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The plan is on the ballot."))
            return redirect("voting:round-manage", pk=voting_round.pk)
    return render(
        request, "voting/proposal_form.html", {"form": form, "round": voting_round},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def proposal_follow_up(request: AuthenticatedRequest, pk: int, proposal_pk: int) -> HttpResponse:
    voting_round = _round(pk)
    proposal = get_object_or_404(Proposal, pk=proposal_pk, round=voting_round)
    form = FollowUpForm.for_record(request.POST or None, proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_follow_up(
                proposal=proposal,
                status=form.cleaned_data["follow_up_status"],
                text=form.cleaned_data["follow_up_text"],
                user=request.user,
                request=request,
                expected_version=form.expected_version(),
            )
        except ChangedMeanwhile:
            form.changed_meanwhile(Proposal.objects.get(pk=proposal.pk))
        else:
            messages.success(request, _("The follow-through has been saved."))
            return redirect("voting:round-manage", pk=voting_round.pk)
    return render(
        request, "voting/follow_up.html",
        {"form": form, "round": voting_round, "proposal": proposal},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@require_POST
@role_required(*STAFF)
def letters(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Start the background job that makes the codes and the one download with them (PDF
    letters and the mail house CSV in a ZIP). With again=yes (a lost download, a round not
    yet open) the letters are made anew and the earlier codes stop working."""
    voting_round = _round(pk)
    url = request.build_absolute_uri(reverse("voting:code", args=[voting_round.pk]))
    job = letters_start(
        voting_round=voting_round,
        user=request.user,
        vote_url=url,
        again=request.POST.get("again") == "yes",
    )
    return redirect("core:job", pk=job.pk)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def letters_download(request: AuthenticatedRequest, pk: int, download_pk: int) -> HttpResponse:
    """The letters, ready: downloaded once (POST), then only the codes' hashes remain."""
    voting_round = _round(pk)
    download = get_object_or_404(LettersDownload, pk=download_pk, round=voting_round)
    if request.method == "POST":
        try:
            data = letters_take(download)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("voting:letters-download", pk=voting_round.pk, download_pk=download.pk)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="stemcodes-{voting_round.pk}.zip"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request, "voting/letters_download.html", {"round": voting_round, "download": download}
    )


@require_POST
@role_required(*STAFF)
def block(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    voting_round = _round(pk)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            blocked = services.code_block(
                voting_round=voting_round,
                code=form.cleaned_data["code"] or "",
                letter_number=form.cleaned_data["letter_number"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Letter %(number)s is blocked. Its code can no longer vote.")
                % {"number": blocked.letter_number},
            )
    else:
        messages.error(request, _("Type the code or the letter number."))
    return redirect("voting:round-manage", pk=voting_round.pk)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def paper(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Paper ballots of the voting day: the code on the ballot is checked and used as
    online, and the ballot counts for the code's neighbourhood."""
    voting_round = _round(pk)
    proposals = list(voting_round.proposals.order_by("title"))
    form = CodeForm(request.POST or None)
    choices: dict[int, int] = {}
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            choices = services.choices_from(_pairs(request), voting_round)
            services.vote_cast(
                voting_round=voting_round,
                typed_code=form.cleaned_data["code"],
                choices=choices,
                channel=Ballot.Channel.PAPER,
            )
        except services.CodeRefused as refused:
            form.add_error("code", refused.messages[0])
        except ValidationError as invalid:
            error = invalid.messages[0]
        else:
            messages.success(request, _("The paper ballot has been counted. Enter the next one."))
            return redirect("voting:paper", pk=voting_round.pk)
    context = _ballot_context(voting_round, proposals, choices)
    context.update({"form": form, "error": error})
    return render(
        request, "voting/paper.html", context,
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@require_POST
@role_required(*STAFF)
def advance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    voting_round = _round(pk)
    try:
        services.round_advance(voting_round=voting_round, user=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("voting:round-manage", pk=voting_round.pk)
    if voting_round.status == VotingRound.Status.COUNTED:
        messages.success(request, _("The votes have been counted. The result is public now."))
        return redirect("voting:result", pk=voting_round.pk)
    messages.success(
        request,
        _("The round is now: %(status)s.") % {"status": voting_round.get_status_display()},
    )
    return redirect("voting:round-manage", pk=voting_round.pk)


@require_GET
@role_required(*READERS)
def quality(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    voting_round = _round(pk)
    return render(
        request,
        "voting/quality.html",
        {
            "round": voting_round,
            "quality": quality_of(voting_round),
            "per_resident": voting_round.eligibility == VotingRound.Eligibility.RESIDENT_16,
        },
    )
