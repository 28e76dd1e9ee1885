"""Periodic jobs of the accounts app, run by the worker (``manage.py run_worker``)."""

from __future__ import annotations

from ortswandel.core import jobs

from . import services


@jobs.periodic(name="accounts.delete_unverified_accounts", daily_at="03:45")
def delete_unverified_accounts() -> str:
    return f"deleted={services.unverified_users_delete()}"
