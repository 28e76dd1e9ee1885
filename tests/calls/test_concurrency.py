"""No overspend: parallel grants against one year's budget, from threads with their own
database connections (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``SELECT … FOR UPDATE`` on the
budget row), whichever ``DATABASE_URL`` selects."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from ortswandel.calls.models import Application, ApplicationStatus, Budget, Grant
from ortswandel.calls.services import grant_set
from ortswandel.core.errors import Conflict
from tests.conftest import _municipality

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

N = 8


def _run_parallel_grants(call, applicant, monkeypatch) -> list[str]:
    Budget.objects.filter(call=call, year=2024).update(amount=Decimal(100000))
    apps = [
        Application.objects.create(
            call=call,
            municipality=_municipality(f"120690{i:02d}", f"Ort {i}"),
            applicant=applicant,
            title=f"Vorhaben {i}",
            status=ApplicationStatus.SELECTED,
            submitted_at=timezone.now(),
        )
        for i in range(N)
    ]
    # Widen the window between counting and writing (the counter-proof below shows that the
    # race exists in it without the budget lock).
    original_create = Grant.objects.create

    def slow_create(**kwargs):
        time.sleep(0.05)
        return original_create(**kwargs)

    monkeypatch.setattr(Grant.objects, "create", slow_create)
    barrier = threading.Barrier(N)

    def one(application: Application) -> str:
        barrier.wait()
        try:
            grant_set(application=application, year=2024, amount="30000", acting_user=None)
            return "ok"
        except Conflict as exc:
            return exc.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=N) as pool:
        return list(pool.map(one, apps))


def test_parallel_grants_never_overspend(call, applicant, monkeypatch):
    outcomes = _run_parallel_grants(call, applicant, monkeypatch)
    assert outcomes.count("ok") == 3, outcomes
    assert outcomes.count("budget_exceeded") == N - 3, outcomes
    total = Grant.objects.filter(budget__year=2024).aggregate(s=Sum("amount"))["s"]
    assert total == Decimal(90000)


def test_without_the_budget_lock_the_budget_is_overspent(call, applicant, monkeypatch):
    """Counter-proof (pretix style): without ``select_for_update`` every grant counts the others
    before any has written, and the year's budget is overspent. Both row locks of
    :func:`grant_set` serialise on PostgreSQL — the budget row, and the call row that
    ``FOR UPDATE`` also locks through the application's ``select_related("call")`` — so both are
    dropped here. PostgreSQL only: SQLite serialises writers at ``BEGIN IMMEDIATE``."""
    if connection.vendor != "postgresql":
        pytest.skip("the unlocked race needs concurrent writers (PostgreSQL)")
    monkeypatch.setattr(Budget.objects, "select_for_update", Budget.objects.all)
    monkeypatch.setattr(Application.objects, "select_for_update", Application.objects.all)
    outcomes = _run_parallel_grants(call, applicant, monkeypatch)
    total = Grant.objects.filter(budget__year=2024).aggregate(s=Sum("amount"))["s"]
    assert outcomes.count("ok") > 3, outcomes
    assert total > Decimal(100000)  # overspent: the lock is what prevents this
