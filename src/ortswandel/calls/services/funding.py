"""Funding: grants per selected application and year within the call's budget, the reserve
list, payment milestones and reports due, and the way into the catalogue.

The budget is a check-then-write rule: :func:`grant_set` locks the year's budget row
(``select_for_update``; on SQLite the settings use ``BEGIN IMMEDIATE``) and re-sums the grants
inside the lock, as the events app does for seats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ortswandel.calls.models import (
    Application,
    ApplicationStatus,
    Budget,
    Call,
    Grant,
    Milestone,
    MilestoneKind,
)
from ortswandel.calls.predicates import may
from ortswandel.calls.versions import bump_call
from ortswandel.catalogue.services import project_create
from ortswandel.core import notifications
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, PermissionDenied, Unprocessable
from ortswandel.core.typing import ActingUser


def _euro(value: Decimal) -> str:
    return number_format(value, 2, force_grouping=True) + " €"


def _require(user: ActingUser | None, perm: str, obj: Any) -> None:
    if user is not None and not may(user, perm, obj):
        raise PermissionDenied()


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(
            str(value).strip().replace(".", "").replace(",", ".")
            if "," in str(value)
            else str(value).strip()
        )
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        raise Unprocessable(
            _("Bitte geben Sie einen Betrag ≥ 0 ein."), fields={"amount": _("Ungültiger Betrag.")}
        )
    return amount.quantize(Decimal("0.01"))


def grant_set(
    *, application: Application, year: int, amount: Any, acting_user: ActingUser | None
) -> Grant | None:
    """Set the grant of ``application`` for ``year`` (0 removes it). Refused (409) if the year's
    budget or the call's maximum grant per application would be exceeded."""
    _require(acting_user, "calls.manage_call", application.call)
    value = _amount(amount)
    with transaction.atomic():
        budget = (
            Budget.objects.select_for_update()
            .filter(call_id=application.call_id, year=year)
            .first()
        )
        if budget is None:
            raise Unprocessable(
                _("Für %(y)s gibt es kein Budget.") % {"y": year},
                fields={"year": _("Kein Budget für dieses Jahr.")},
            )
        locked = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        if locked.status != ApplicationStatus.SELECTED:
            raise Conflict(
                _("Zuwendungen gibt es nur für ausgewählte Bewerbungen."), code="not_selected"
            )
        others = Grant.objects.filter(budget=budget).exclude(application=locked).aggregate(
            s=Sum("amount")
        )["s"] or Decimal(0)
        if others + value > budget.amount:
            raise Conflict(
                _("Das Budget %(y)s reicht nicht: frei sind %(free)s, verlangt %(want)s.")
                % {"y": year, "free": _euro(budget.amount - others), "want": _euro(value)},
                code="budget_exceeded",
            )
        own_other_years = Grant.objects.filter(application=locked).exclude(budget=budget).aggregate(
            s=Sum("amount")
        )["s"] or Decimal(0)
        if own_other_years + value > locked.call.max_grant:
            raise Conflict(
                _("Die Höchstförderung je Bewerbung (%(m)s) würde überschritten.")
                % {"m": _euro(locked.call.max_grant)},
                code="max_grant_exceeded",
            )
        grant = Grant.objects.filter(application=locked, budget=budget).first()
        before = str(grant.amount) if grant else None
        if value == 0:
            if grant is not None:
                grant.delete()
            grant = None
        elif grant is None:
            grant = Grant.objects.create(application=locked, budget=budget, amount=value)
        else:
            grant.amount = value
            grant.save(update_fields=["amount"])
        audit_log(
            action="calls.grant.set",
            actor=acting_user,
            obj=locked,
            payload={"year": year, "amount": [before, str(value)]},
        )
    return grant


def budget_usage(call: Call) -> list[dict[str, Any]]:
    rows = []
    for budget in call.budgets.annotate(used=Sum("grants__amount")):
        used = budget.used or Decimal(0)
        rows.append(
            {
                "year": budget.year,
                "amount": budget.amount,
                "used": used,
                "free": budget.amount - used,
            }
        )
    return rows


def reserve_promote(*, call: Call, acting_user: ActingUser | None) -> Application | None:
    """Move the first application of the reserve list up to "selected" (inside the caller's
    transaction), audited; its applicant is told by mail."""
    with transaction.atomic():
        nxt = (
            Application.objects.select_for_update()
            .filter(call=call, status=ApplicationStatus.RESERVE)
            .order_by("reserve_rank", "pk")
            .first()
        )
        if nxt is None:
            return None
        nxt.status, nxt.reserve_rank = ApplicationStatus.SELECTED, None
        nxt.save(update_fields=["status", "reserve_rank", "updated_at"])
        if hasattr(nxt, "decision"):
            nxt.decision.outcome = ApplicationStatus.SELECTED
            nxt.decision.save(update_fields=["outcome"])
        bump_call(call.pk)
        audit_log(
            action="calls.application.promoted",
            actor=acting_user,
            obj=nxt,
            payload={"status": ["reserve", "selected"]},
        )
        with translation.override(nxt.language):  # the applicant's language
            notifications.mail_queue(
                to=nxt.applicant.email,
                subject=_("Nachgerückt: %(t)s") % {"t": nxt.title},
                body=render_to_string(
                    "calls/mail/promoted.txt", {"application": nxt, "call": call}
                ),
                kind="calls.promoted",
                language=nxt.language,
                regarding=nxt,
            )
    return nxt


def milestone_add(
    *,
    application: Application,
    kind: str,
    due_on: dt.date,
    label: str,
    amount: Any = None,
    acting_user: ActingUser | None,
) -> Milestone:
    _require(acting_user, "calls.manage_call", application.call)
    if kind not in MilestoneKind.values:
        raise Unprocessable(_("Unbekannte Art."), fields={"kind": _("Pflichtfeld.")})
    status = Application.objects.filter(pk=application.pk).values_list("status", flat=True)
    if status.first() != ApplicationStatus.SELECTED:
        raise Conflict(
            _("Meilensteine gibt es nur für ausgewählte Bewerbungen."), code="not_selected"
        )
    with transaction.atomic():
        milestone = Milestone.objects.create(
            application=application,
            kind=kind,
            due_on=due_on,
            label=label[:200] or kind,
            amount=_amount(amount) if amount not in (None, "") else None,
        )
        audit_log(
            action="calls.milestone.added",
            actor=acting_user,
            obj=application,
            payload={"kind": kind, "due_on": due_on, "amount": str(milestone.amount)},
        )
    return milestone


def application_to_catalogue(
    *,
    application: Application,
    acting_user: ActingUser | None,
    themes: Any = (),
    published: bool = False,
) -> Any:
    """A selected application becomes a model project of the call's programme in the catalogue
    (municipalities, themes, period from the grant years, funding = sum of grants)."""
    _require(acting_user, "calls.manage_call", application.call)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("call", "call__programme", "municipality")
            .get(pk=application.pk)
        )
        if locked.status != ApplicationStatus.SELECTED:
            raise Conflict(
                _("Nur ausgewählte Bewerbungen werden Modellprojekte."), code="not_selected"
            )
        if locked.project_id:
            raise Conflict(
                _("Diese Bewerbung ist bereits im Katalog."), code="already_in_catalogue"
            )
        grants = list(locked.grants.select_related("budget"))
        years = sorted(g.budget.year for g in grants) or sorted(
            int(y) for y in locked.call.grant_years
        )
        total = sum((g.amount for g in grants), Decimal(0))
        project = project_create(
            programme=locked.call.programme,
            acronym=locked.municipality.name.split(",")[0][:60],
            title=locked.title,
            slug=slugify(f"{locked.call.slug}-{locked.municipality.name}")[:110]
            or f"modell-{locked.pk}",
            summary=f"<p>{locked.answers.get('kurzbeschreibung', '')}</p>"
            if locked.answers.get("kurzbeschreibung")
            else "",
            start_date=dt.date(years[0], 1, 1) if years else None,
            end_date=dt.date(years[-1], 12, 31) if years else None,
            funding_amount=total or None,
            funding_reference=f"{locked.call.slug}/{locked.pk}",
            municipalities=[locked.municipality, *locked.co_municipalities.all()],
            themes=themes,
            published=published,
            actor=acting_user,
        )
        locked.project = project
        locked.save(update_fields=["project", "updated_at"])
        audit_log(
            action="calls.application.to_catalogue",
            actor=acting_user,
            obj=locked,
            payload={"project": project.pk},
        )
    return project
