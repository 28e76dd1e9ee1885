"""Reads of the calls app. Every read for a juror excludes the applications they declared a
conflict for (the same rule as the permissions and the file downloads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import F, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.accounts.roles import staff_municipality_ids
from ortswandel.municipalities.models import Municipality

from .aggregation import Row, aggregate_weighted, sensitivity_summary
from .models import (
    REPORT_REMINDER_DAYS,
    REVIEWABLE,
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    CallPhase,
    ConflictOfInterest,
    Criterion,
    DiscussionNote,
    JuryMember,
    Milestone,
    MilestoneKind,
    Review,
    Score,
)
from .predicates import jury_state, may


def public_calls() -> QuerySet[Call]:
    return Call.objects.public().select_related("programme").prefetch_related("criteria")


def open_calls() -> QuerySet[Call]:
    now = timezone.now()
    return public_calls().filter(phase=CallPhase.SUBMISSION, opens_at__lte=now, closes_at__gt=now)


def call_for(slug: str, user: Any, perm: str = "calls.view_call") -> Call:
    call = Call.objects.select_related("programme").filter(slug=slug).first()
    if call is None or not may(user, perm, call):
        raise Http404(_("Diese Ausschreibung gibt es nicht oder Sie dürfen sie nicht sehen."))
    return call


def application_for(pk: int, user: Any, perm: str = "calls.view_application") -> Application:
    application = (
        Application.objects.select_related("call", "call__programme", "municipality", "applicant")
        .filter(pk=pk)
        .first()
    )
    if application is None or not may(user, perm, application):
        raise Http404(_("Diese Bewerbung gibt es nicht oder Sie dürfen sie nicht sehen."))
    return application


def applicable_municipalities(user: Any) -> QuerySet[Municipality]:
    ids = staff_municipality_ids(user)
    if ids is None:
        return Municipality.objects.none()  # site admins do not apply
    return Municipality.objects.filter(pk__in=ids).order_by("name")


def my_applications(user: Any) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    ids = staff_municipality_ids(user) or set()
    from django.db.models import Q

    return (
        Application.objects.filter(Q(applicant=user) | Q(municipality_id__in=ids))
        .select_related("call", "municipality")
        .order_by("-updated_at")
    )


def my_jury_calls(user: Any) -> QuerySet[Call]:
    if not getattr(user, "is_authenticated", False):
        return Call.objects.none()
    return Call.objects.filter(jury__user=user, jury__accepted_at__isnull=False).distinct()


@dataclass
class JuryItem:
    application: Application
    assigned: bool
    submitted: bool


def jury_dashboard(call: Call, user: Any) -> list[JuryItem]:
    """The applications a juror sees: all submitted ones except those with a conflict;
    assigned ones first."""
    member_id, _chair, conflicts = jury_state(user, call.pk)
    if member_id is None:
        return []
    assigned = set(
        Assignment.objects.filter(juror_id=member_id).values_list("application_id", flat=True)
    )
    done = set(
        Review.objects.filter(juror_id=member_id, submitted_at__isnull=False).values_list(
            "application_id", flat=True
        )
    )
    apps = (
        Application.objects.filter(call=call, status__in=REVIEWABLE)
        .exclude(pk__in=conflicts)
        .select_related("municipality")
        .order_by("pk")
    )
    items = [JuryItem(a, a.pk in assigned, a.pk in done) for a in apps]
    return sorted(items, key=lambda i: (not i.assigned, i.application.pk))


@dataclass
class ReviewView:
    own: Review | None
    own_scores: dict[int, Score]
    others_visible: bool
    others: list[dict[str, Any]]


def review_view(application: Application, user: Any) -> ReviewView:
    member_id, _chair, conflicts = jury_state(user, application.call_id)
    if member_id is None or application.pk in conflicts:
        raise Http404
    own = Review.objects.filter(juror_id=member_id, application=application).first()
    own_scores = {s.criterion_id: s for s in own.scores.all()} if own else {}
    call = application.call
    visible = (not call.scores_after_own) or (own is not None and own.submitted_at is not None)
    others: list[dict[str, Any]] = []
    if visible:
        conflicted = set(
            ConflictOfInterest.objects.filter(application=application).values_list(
                "juror_id", flat=True
            )
        )
        reviews = (
            Review.objects.filter(application=application, submitted_at__isnull=False)
            .exclude(juror_id=member_id)
            .exclude(juror_id__in=conflicted)
            .select_related("juror")
            .prefetch_related("scores")
        )
        others = [
            {
                "juror": review.juror,
                "scores": {s.criterion_id: s for s in review.scores.all()},
                "comment": review.comment,
            }
            for review in reviews
        ]
    return ReviewView(own, own_scores, visible, others)


class RankedApplication(NamedTuple):
    """What the meeting shows of an application (plain values: no model instances to build
    for 200 rows)."""

    pk: int
    title: str
    status: str
    municipality: str
    outcome: str | None  # the decision's outcome; None while undecided
    reason: str
    notes: list[tuple[dt.datetime, str]]  # (created at, text) of the discussion notes


@dataclass
class Ranking:
    call: Call
    criteria: list[Criterion]
    rows: list[Row]
    applications: dict[int, RankedApplication]
    jurors: dict[int, JuryMember]
    sensitivity: dict[int, list[int]]
    top: int
    #: application → reviews assigned to jurors without a conflict and not yet submitted
    outstanding: dict[int, int]


def ranking(call: Call, *, top: int | None = None) -> Ranking:
    """The jury meeting's ranking: submitted reviews of jurors without a conflict."""
    criteria = list(call.criteria.all())
    apps = {
        pk: RankedApplication(pk, title, status, municipality, outcome, reason or "", [])
        for pk, title, status, municipality, outcome, reason in Application.objects.filter(
            call=call, status__in=REVIEWABLE
        )
        .order_by("pk")
        .values_list(
            "pk", "title", "status", "municipality__name", "decision__outcome", "decision__reason"
        )
    }
    for app_id, created_at, text in (
        DiscussionNote.objects.filter(application__call=call)
        .order_by("created_at", "pk")
        .values_list("application_id", "created_at", "text")
    ):
        if app_id in apps:
            apps[app_id].notes.append((created_at, text))
    conflicted = set(
        ConflictOfInterest.objects.filter(juror__call=call).values_list(
            "juror_id", "application_id"
        )
    )
    # Weighted score per review, computed by the database: Σ value·weight / Σ weight.
    per_review = (
        Score.objects.filter(review__application__call=call, review__submitted_at__isnull=False)
        .values_list("review__application_id", "review__juror_id")
        .annotate(num=Sum(F("value") * F("criterion__weight")), den=Sum("criterion__weight"))
        .order_by()
    )
    weighted = [
        (app_id, juror_id, float(num) / float(den))
        for app_id, juror_id, num, den in per_review
        if den and (juror_id, app_id) not in conflicted
    ]
    submitted = {(juror_id, app_id) for app_id, juror_id, _score in weighted}
    outstanding: dict[int, int] = {}
    for pair in Assignment.objects.filter(juror__call=call).values_list(
        "juror_id", "application_id"
    ):
        if pair not in submitted and pair not in conflicted and pair[1] in apps:
            outstanding[pair[1]] = outstanding.get(pair[1], 0) + 1
    rows = aggregate_weighted(
        applications=list(apps), weighted=weighted, disagreement_spread=call.scale_max * 0.4
    )
    if top is None:
        top = max(sum(1 for a in apps.values() if a.status == ApplicationStatus.SELECTED), 3)
    jurors = {j.pk: j for j in JuryMember.objects.filter(call=call)}
    return Ranking(
        call, criteria, rows, apps, jurors, sensitivity_summary(rows, top=top), top, outstanding
    )


@dataclass(frozen=True)
class ReportDue:
    """An open report milestone of a selected application, due within the reminder period or
    overdue; ``days`` until the due date (negative: overdue)."""

    milestone: Milestone
    days: int
    reminders: tuple[str, ...]  # kinds already mailed

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def days_overdue(self) -> int:
        return -self.days


def reports_due(
    call: Call, *, today: dt.date | None = None, within: int = REPORT_REMINDER_DAYS
) -> list[ReportDue]:
    """Reports of ``call`` not yet received that are overdue or due within ``within`` days, the
    most urgent first (the programme editors' funding page)."""
    today = today or timezone.localdate()
    milestones = (
        Milestone.objects.filter(
            application__call=call,
            application__status=ApplicationStatus.SELECTED,
            kind=MilestoneKind.REPORT,
            done_on__isnull=True,
            due_on__lte=today + dt.timedelta(days=within),
        )
        .select_related("application__municipality")
        .prefetch_related("reminders")
        .order_by("due_on", "pk")
    )
    return [
        ReportDue(m, (m.due_on - today).days, tuple(r.kind for r in m.reminders.all()))
        for m in milestones
    ]
