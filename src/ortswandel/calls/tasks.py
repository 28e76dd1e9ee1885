"""Periodic jobs of the calls app, run by the worker (``manage.py run_worker``)."""

from __future__ import annotations

from ortswandel.core import jobs

from .services.reports import report_reminders_send_due


@jobs.periodic(name="calls.send_report_reminders", daily_at="07:20")
def send_report_reminders() -> str:
    """Reminders to the applicants: a report is due soon, or overdue (each once)."""
    return f"reminders={report_reminders_send_due()}"
