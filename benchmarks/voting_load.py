"""Benchmark: 10,000 votes cast over HTTP within 10 minutes, with zero errors and all counted
(issue 8), on PostgreSQL.

Builds a register of N households (default 10,500) in one district of a database this
script creates (`buurtkracht_bench_voting`), makes a budget (knapsack) round with eight
plans and a voting code per household through the real service, and opens it. Then it
starts gunicorn with the production settings (debug off, manifest static files, secure
cookies off because the benchmark speaks plain HTTP to 127.0.0.1) and lets C client
threads cast V votes (default 10,000), each doing what a resident's browser does:

    GET  /stemmen/<round>/code/         the code page (CSRF cookie and token)
    POST /stemmen/<round>/code/         the code from the letter → redirect to the ballot
    GET  /stemmen/<round>/stembiljet/   the ballot
    POST /stemmen/<round>/stembiljet/   action=check: the confirmation page with the total
    POST /stemmen/<round>/stembiljet/   action=confirm → redirect → "Uw stem is geteld"

Reported: wall time of the voting, votes per second, median and 95th percentile of the
time per vote (all five requests), errors, and the recount from the stored ballots, which
must equal the number of votes cast.

Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/voting_load.py
    PYTHONPATH=src .venv/bin/python benchmarks/voting_load.py --votes 2000 --clients 4
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchlib import percentile, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "buurtkracht_bench_voting"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BUDGET = 50_000
PLAN = re.compile(r'name="plan" value="(\d+)" id="plan-\d+" data-bk-cost="(\d+)"')


def environment(static_root: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "buurtkracht.conf.production",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{DATABASE}",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
        "BUURTKRACHT_AUDIT_ANCHOR_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "DEBUG": "0",
    }


def build(households: int) -> tuple[int, list[str], float]:
    """The register, the round and its codes. Returns the round id, the plain codes (as on
    the letters) and the seconds the code generation took."""
    from django.core.management import call_command

    from buurtkracht.core.models import Address, Area, Municipality
    from buurtkracht.households.models import Household, Membership, Person
    from buurtkracht.voting import services

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    municipality = Municipality.objects.create(name="Benchstad", cbs_code="GM9998")
    district = Area.objects.create(
        municipality=municipality, kind=Area.Kind.DISTRICT, cbs_code="WK999801", name="Oost"
    )
    areas = [
        Area.objects.create(
            municipality=municipality,
            kind=Area.Kind.NEIGHBOURHOOD,
            cbs_code=f"BU9998010{i}",
            name=name,
            parent=district,
        )
        for i, name in enumerate(["Bomenbuurt", "Bloemenbuurt", "Vogelwijk", "Vruchtenbuurt"])
    ]
    rng = random.Random(1)
    addresses = Address.objects.bulk_create(
        [
            Address(
                street="Lindenstraat",
                house_number=i + 1,
                postcode=f"9998{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}",
                town="Benchstad",
                neighbourhood=areas[i % len(areas)],
            )
            for i in range(households)
        ],
        batch_size=2000,
    )
    has_area = any(f.name == "neighbourhood" for f in Household._meta.get_fields())
    made = Household.objects.bulk_create(
        [
            Household(
                address=a,
                start_date=dt.date(2015, 1, 1),
                **({"neighbourhood_id": a.neighbourhood_id} if has_area else {}),
            )
            for a in addresses
        ],
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                initials="A.",
                given_names="Anna",
                surname=f"Bank{i}",
                date_of_birth=dt.date(1940 + rng.randrange(65), 1 + rng.randrange(12), 1),
            )
            for i in range(households)
        ],
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        [
            Membership(household=h, person=p, role=Membership.Role.HEAD)
            for h, p in zip(made, people, strict=True)
        ],
        batch_size=2000,
    )
    today = dt.date.today()
    voting_round = services.round_create(
        data=services.RoundInput(
            name="Bewonersbudget Oost (benchmark)",
            area=district,
            budget=BUDGET,
            opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=14),
        ),
        user=None,
    )
    for i, cost in enumerate([4_800, 3_500, 7_500, 2_400, 1_800, 2_000, 12_000, 25_000]):
        services.proposal_create(
            voting_round=voting_round,
            title=f"Plan {i + 1}",
            description="Een plan van bewoners.",
            cost=cost,
            user=None,
        )
    started = time.perf_counter()
    letters = services.codes_generate(voting_round=voting_round, user=None)
    generation = time.perf_counter() - started
    services.round_advance(voting_round=voting_round, user=None)
    return voting_round.pk, [letter.code for letter in letters], generation


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own http URL)
                return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not come up")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep a 302 as the answer, so its Location can be checked without another request."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def cast_one(
    base: str, round_pk: int, code: str, plans: list[tuple[int, int]], rng: random.Random,
    full: bool,
) -> None:  # fmt: skip
    """One resident's vote, as the browser does it. Raises on anything unexpected."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def get(path: str) -> str:
        with opener.open(base + path, timeout=60) as response:
            return str(response.read().decode())

    def post(path: str, data: list[tuple[str, str]]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with opener.open(base + path, data=body, timeout=60) as response:
                return int(response.status), "", str(response.read().decode())
        except urllib.error.HTTPError as answer:
            if answer.code != 302:
                raise
            return 302, str(answer.headers["Location"]), ""

    code_path = f"/stemmen/{round_pk}/code/"
    ballot_path = f"/stemmen/{round_pk}/stembiljet/"
    page = get(code_path)
    token = CSRF.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the code page")
    status, location, _ = post(code_path, [("csrfmiddlewaretoken", token[1]), ("code", code)])
    if status != 302 or not location.endswith("/stembiljet/"):
        raise RuntimeError(f"code refused: {status}")
    shuffled = plans[:]
    rng.shuffle(shuffled)
    chosen: list[tuple[str, str]] = []
    spent = 0
    for pk, cost in shuffled:
        if spent + cost <= BUDGET and rng.random() < 0.5:
            chosen.append(("plan", str(pk)))
            spent += cost
    if not chosen:
        chosen = [("plan", str(min(plans, key=lambda p: p[1])[0]))]
    if full:  # the ballot page and the confirmation page too, as without JavaScript
        ballot = get(ballot_path)
        if len(PLAN.findall(ballot)) != len(plans):
            raise RuntimeError("the ballot does not show every plan")
        _, _, confirm = post(
            ballot_path, [("csrfmiddlewaretoken", token[1]), *chosen, ("action", "check")]
        )
        if "Bevestig mijn stem" not in confirm:
            raise RuntimeError("no confirmation page")
    status, location, _ = post(
        ballot_path, [("csrfmiddlewaretoken", token[1]), *chosen, ("action", "confirm")]
    )
    if status != 302 or not location.endswith("/geteld/"):
        raise RuntimeError(f"vote not confirmed: {status} {location}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--votes", type=int, default=10_000)
    parser.add_argument("--households", type=int, default=10_500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--full-flow",
        action="store_true",
        help="also fetch the ballot and the confirmation page (five requests a vote)",
    )
    args = parser.parse_args()
    if args.votes > args.households:
        parser.error("--votes may not exceed --households (a code votes once)")

    static_root = tempfile.mkdtemp(prefix="bench-voting-static-")
    env = environment(static_root)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    recreate_database(DATABASE)
    import django

    django.setup()
    started = time.perf_counter()
    round_pk, codes, generation = build(args.households)
    print(
        f"register and round: {time.perf_counter() - started:.1f} s "
        f"(codes for {len(codes)} households: {generation:.1f} s)",
        file=sys.stderr,
    )
    from django.db import connection

    from buurtkracht.voting.models import Proposal

    plans = list(Proposal.objects.filter(round=round_pk).values_list("pk", "cost"))
    connection.close()

    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "buurtkracht.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/stemmen/")
        queue = list(codes[: args.votes])
        lock = threading.Lock()
        durations: list[float] = []
        errors: list[str] = []

        def client(number: int) -> None:
            rng = random.Random(number)
            while True:
                with lock:
                    if not queue:
                        return
                    code = queue.pop()
                begun = time.perf_counter()
                try:
                    cast_one(base, round_pk, code, plans, rng, args.full_flow)
                except Exception as error:  # every failure counts, none stops the run
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}"[:200])
                    continue
                with lock:
                    durations.append(time.perf_counter() - begun)

        begun = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - begun
    finally:
        server.terminate()
        server.wait(timeout=30)

    from buurtkracht.voting import services
    from buurtkracht.voting.models import VotingCode, VotingRound
    from buurtkracht.voting.results import recount

    voting_round = VotingRound.objects.get(pk=round_pk)
    waiting = services.mix_waiting(voting_round)
    # Close and count, as the community worker does: the rest of the mix is written.
    services.round_advance(voting_round=voting_round, user=None)
    services.round_advance(voting_round=voting_round, user=None)
    tally = recount(voting_round)
    used = VotingCode.objects.filter(round=voting_round, status=VotingCode.Status.USED).count()
    load = os.getloadavg()
    result = {
        "votes_asked": args.votes,
        "votes_cast": len(durations),
        "errors": len(errors),
        "first_errors": errors[:5],
        "wall_seconds": round(wall, 1),
        "votes_per_second": round(len(durations) / wall, 1) if wall else 0,
        "p50_ms": round(1000 * statistics.median(durations), 1) if durations else None,
        "p95_ms": round(1000 * percentile(durations, 0.95), 1) if durations else None,
        "in_mix_before_closing": waiting,
        "recount_ballots": tally.ballots,
        "codes_used": used,
        "requests_per_vote": 5 if args.full_flow else 3,
        "clients": args.clients,
        "gunicorn_workers": args.workers,
        "code_generation_seconds": round(generation, 1),
        "cpu_count": os.cpu_count(),
        "load_average_after": [round(x, 2) for x in load],
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"voting_load-{dt.datetime.now():%Y%m%d-%H%M%S}.json").write_text(
        json.dumps(result, indent=2)
    )
    print(json.dumps(result, indent=2))
    ok = (
        not errors
        and len(durations) == args.votes
        and tally.ballots == args.votes
        and used == args.votes
        and wall < 600
    )
    print("PASS" if ok else "FAIL", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
