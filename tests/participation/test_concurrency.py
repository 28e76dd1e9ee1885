"""Votes are counted exactly under concurrency: N people support the same idea at the same
instant through real HTTP requests to the threaded live server (SQLite or PostgreSQL, whichever
``DATABASE_URL`` selects), and one person voting many times in parallel counts once.

``ORTSWANDEL_PARALLEL_VOTES`` sets N (default 500, the figure of issue 11);
``ORTSWANDEL_PARALLEL_CLIENTS`` how many are in flight at once (default 30; the first wave
leaves together at a barrier).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.servers.basehttp import WSGIServer
from django.utils import timezone

from ortswandel.participation.models import Idea, Participant, Phase, PhaseKind, Process, Vote

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

WSGIServer.request_queue_size = 1024
N = int(os.environ.get("ORTSWANDEL_PARALLEL_VOTES", "500"))
#: Requests in flight at once (each holds a database connection in the live server; the shared
#: PostgreSQL of the test machine allows 100 connections for all sessions together).
CLIENTS = int(os.environ.get("ORTSWANDEL_PARALLEL_CLIENTS", "30"))
CSRF = "a" * 32  # an unmasked CSRF secret: cookie and form field carry the same value


def _voting_idea(municipality) -> Idea:
    now = timezone.now()
    process = Process.objects.create(
        title="Abstimmung", slug="abstimmung", municipality=municipality, is_published=True
    )
    Phase.objects.create(
        process=process,
        kind=PhaseKind.VOTING,
        name="Abstimmung",
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1),
    )
    return Idea.objects.create(process=process, author_name="A", title="Idee", text="x")


def _sessions(django_user_model, idea: Idea, n: int) -> list[str]:
    users = django_user_model.objects.bulk_create(
        django_user_model(username=f"v{i}@example.org", email=f"v{i}@example.org", password="!")
        for i in range(n)
    )
    users = list(django_user_model.objects.filter(username__startswith="v").order_by("pk"))
    Participant.objects.bulk_create(
        Participant(
            process=idea.process,
            user=u,
            display_name=f"V{i}",
            accepted_code_at=timezone.now(),
            trusted=True,
        )
        for i, u in enumerate(users)
    )
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "ortswandel.accounts.throttle.ThrottledModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def _vote(url: str, session_key: str) -> int:
    request = urllib.request.Request(  # noqa: S310 (loopback test server)
        url,
        data=f"csrfmiddlewaretoken={CSRF}&value=1".encode(),
        headers={
            "Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_parallel_votes_are_counted_exactly(live_server, django_user_model, staff_municipality):
    idea = _voting_idea(staff_municipality)
    keys = _sessions(django_user_model, idea, N)
    url = f"{live_server.url}/beteiligung/{idea.process.slug}/ideen/{idea.pk}/abstimmen/"
    workers = min(N, CLIENTS)
    barrier = threading.Barrier(workers)

    def one(i: int) -> int:
        if i < workers:
            barrier.wait()  # the first wave leaves at the same instant
        return _vote(url, keys[i])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(one, range(N)))
    assert statuses == [302] * N, sorted(set(statuses))
    idea.refresh_from_db()
    assert idea.support_count == N == Vote.objects.filter(idea=idea).count()


def test_one_person_voting_in_parallel_counts_once(
    live_server, django_user_model, staff_municipality
):
    idea = _voting_idea(staff_municipality)
    (key,) = _sessions(django_user_model, idea, 1)
    url = f"{live_server.url}/beteiligung/{idea.process.slug}/ideen/{idea.pk}/abstimmen/"
    barrier = threading.Barrier(12)

    def one(_i: int) -> int:
        barrier.wait()
        return _vote(url, key)

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert list(pool.map(one, range(12))) == [302] * 12
    idea.refresh_from_db()
    assert idea.support_count == 1 == Vote.objects.filter(idea=idea).count()


def _ballot(url: str, session_key: str, idea_ids: list[int]) -> int:
    body = f"csrfmiddlewaretoken={CSRF}&" + "&".join(f"ideas={pk}" for pk in idea_ids)
    request = urllib.request.Request(  # noqa: S310 (loopback test server)
        url,
        data=body.encode(),
        headers={
            "Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_parallel_ballots_one_per_person_counted_exactly(
    live_server, django_user_model, staff_municipality
):
    """Participatory budgeting: N people cast ballots at once and some of them twice; every
    person counts once, and the tally equals the number of ballots per proposal."""
    from decimal import Decimal

    from ortswandel.participation.models import Ballot
    from ortswandel.participation.surveys import budget_results

    idea = _voting_idea(staff_municipality)
    phase = idea.process.phases.get()
    phase.kind, phase.budget = PhaseKind.BUDGET, Decimal(10000)
    phase.save()
    Idea.objects.filter(pk=idea.pk).update(cost=Decimal(4000))
    other = Idea.objects.create(
        process=idea.process, author_name="B", title="Zweite", text="x", cost=Decimal(5000)
    )
    n = min(N, 120)
    keys = _sessions(django_user_model, idea, n)
    url = f"{live_server.url}/beteiligung/{idea.process.slug}/phasen/{phase.pk}/"
    jobs = [(k, [idea.pk, other.pk] if i % 2 else [idea.pk]) for i, k in enumerate(keys)]
    jobs += jobs[:10]  # ten people press the button twice
    workers = min(len(jobs), CLIENTS)
    barrier = threading.Barrier(workers)

    def one(i: int) -> int:
        if i < workers:
            barrier.wait()
        key, ids = jobs[i]
        return _ballot(url, key, ids)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(one, range(len(jobs))))
    assert statuses.count(200) == n and statuses.count(400) == 0, sorted(set(statuses))
    assert statuses.count(409) == 10
    assert Ballot.objects.filter(phase=phase).count() == n
    tally = {row["idea"].pk: row["votes"] for row in budget_results(phase)}
    assert tally == {idea.pk: n, other.pk: n // 2}
