"""Jury side: invitations, conflicts of interest, assignment, reviews, notes, decisions.

Scores are frozen once the application has a decision: a later change is refused (never
silently overwritten). Decisions are taken live in the meeting and may be revised until they are
announced (:func:`decisions_announce`), which sends every applicant the outcome with its reason.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ortswandel.calls.assignment import plan_assignment
from ortswandel.calls.models import (
    DEFAULT_CRITERIA,
    OPTIONAL_CRITERIA,
    REVIEWABLE,
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    CallPhase,
    ConflictOfInterest,
    Criterion,
    Decision,
    DiscussionNote,
    JuryMember,
    Outcome,
    Review,
    Score,
)
from ortswandel.calls.predicates import forget_jury_state, may
from ortswandel.calls.versions import bump_call
from ortswandel.core import notifications, signed_links, site
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, PermissionDenied, Unprocessable
from ortswandel.core.typing import ActingUser, account_of

INVITE_PURPOSE = "calls.jury.invite"
INVITE_MAX_AGE = timedelta(days=30)


def _require(user: ActingUser | None, perm: str, obj: Any) -> None:
    if user is None or not may(user, perm, obj):
        raise PermissionDenied()


def criteria_add_defaults(*, call: Call, optional: bool = False) -> list[Criterion]:
    names = [n for n, _w in DEFAULT_CRITERIA] + (list(OPTIONAL_CRITERIA) if optional else [])
    created = []
    for position, name in enumerate(names):
        criterion, made = Criterion.objects.get_or_create(
            call=call, name=name, defaults={"position": position}
        )
        if made:
            created.append(criterion)
    if created:
        bump_call(call.pk)
    return created


def call_set_phase(*, call: Call, phase: str, acting_user: ActingUser | None) -> Call:
    if acting_user is not None:
        _require(acting_user, "calls.chair_call", call)
    if phase not in CallPhase.values:
        raise Unprocessable(_("Unbekannte Phase."))
    with transaction.atomic():
        before = call.phase
        Call.objects.filter(pk=call.pk).update(phase=phase)
        call.phase = phase
        bump_call(call.pk)
        audit_log(
            action="calls.call.phase",
            actor=acting_user,
            obj=call,
            payload={"phase": [before, phase]},
        )
    return call


def invite_token(member: JuryMember) -> str:
    return signed_links.make({"m": member.pk, "e": member.email.lower()}, purpose=INVITE_PURPOSE)


def invited_member(token: str) -> JuryMember:
    """The jury member of a genuine, unexpired invitation (``LinkInvalid`` otherwise)."""
    payload = signed_links.read(token, purpose=INVITE_PURPOSE, max_age=INVITE_MAX_AGE)
    if not isinstance(payload, dict):
        raise signed_links.LinkInvalid()
    pk = payload.get("m")
    if not isinstance(pk, int):
        raise signed_links.LinkInvalid()
    member = JuryMember.objects.select_related("call").filter(pk=pk).first()
    if member is None or member.email.lower() != payload.get("e"):
        raise signed_links.LinkInvalid()
    return member


def juror_invite(
    *,
    call: Call,
    email: str,
    name: str = "",
    is_chair: bool = False,
    acting_user: ActingUser | None,
    send: bool = True,
    language: str = "",
) -> JuryMember:
    """Invite ``email`` to the call's jury. ``language``: the invitation's language (one of
    ``settings.LANGUAGES``; empty: the inviting person's UI language) — nothing else is known
    of the invitee yet."""
    if acting_user is not None:
        _require(acting_user, "calls.manage_call", call)
    language = language or notifications.ui_language()
    if language not in dict(settings.LANGUAGES):
        raise Unprocessable(
            _("Diese Sprache gibt es nicht."), fields={"language": _("Unbekannte Sprache.")}
        )
    email = (email or "").strip().lower()
    if "@" not in email:
        raise Unprocessable(
            _("Bitte geben Sie eine gültige E-Mail-Adresse an."),
            fields={"email": _("Ungültige E-Mail-Adresse.")},
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                member = JuryMember.objects.create(
                    call=call, email=email, name=name[:200], is_chair=is_chair
                )
        except IntegrityError:
            raise Conflict(
                _("%(e)s ist bereits eingeladen.") % {"e": email}, code="duplicate_juror"
            ) from None
        audit_log(
            action="calls.juror.invited",
            actor=acting_user,
            obj=member,
            payload={"call": call.pk, "chair": is_chair},
        )
        if send:
            with translation.override(language):
                link = site.absolute_url(
                    reverse("calls:jury_accept", kwargs={"token": invite_token(member)})
                )
                notifications.mail_queue(
                    to=email,
                    subject=_("Einladung in die Jury: %(c)s") % {"c": call.title},
                    body=render_to_string(
                        "calls/mail/jury_invite.txt",
                        {"call": call, "member": member, "link": link},
                    ),
                    kind="calls.jury_invite",
                    language=language,
                    regarding=member,
                    sensitive=True,
                )
    return member


def juror_accept(*, token: str, acting_user: ActingUser) -> JuryMember:
    """Accept an invitation with the signed link, signed in with any account."""
    user = account_of(acting_user)
    if user is None:
        raise PermissionDenied(_("Bitte melden Sie sich an, um die Einladung anzunehmen."))
    member = invited_member(token)
    with transaction.atomic():
        member = JuryMember.objects.select_for_update().get(pk=member.pk)
        if member.user_id and member.user_id != user.pk:
            raise Conflict(
                _("Diese Einladung wurde bereits mit einem anderen Konto angenommen."),
                code="invite_used",
            )
        if (
            JuryMember.objects.filter(call_id=member.call_id, user=user)
            .exclude(pk=member.pk)
            .exists()
        ):
            raise Conflict(_("Sie sind bereits Mitglied dieser Jury."), code="already_juror")
        if member.accepted_at is None:
            member.user, member.accepted_at = user, timezone.now()
            member.save(update_fields=["user", "accepted_at"])
            audit_log(action="calls.juror.accepted", actor=user, obj=member)
    forget_jury_state(user)
    return member


def member_of(call: Call, user: ActingUser) -> JuryMember:
    account = account_of(user)
    member = (
        JuryMember.objects.filter(call=call, user=account, accepted_at__isnull=False).first()
        if account is not None
        else None
    )
    if member is None:
        raise PermissionDenied()
    return member


def conflict_declare(
    *, application: Application, acting_user: ActingUser, reason: str = ""
) -> ConflictOfInterest:
    """The juror declares a conflict: the assignment goes, the application disappears from
    their views and downloads, their review (if any) no longer counts."""
    member = member_of(application.call, acting_user)
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            juror=member, application=application, defaults={"reason": reason[:500]}
        )
        removed = Assignment.objects.filter(juror=member, application=application).delete()[0]
        bump_call(application.call_id)
        if created:
            audit_log(
                action="calls.conflict.declared",
                actor=acting_user,
                obj=conflict,
                payload={
                    "application": application.pk,
                    "juror": member.pk,
                    "assignment_removed": bool(removed),
                },
            )
    forget_jury_state(acting_user)
    return conflict


def assignment_auto(*, call: Call, acting_user: ActingUser | None) -> dict[str, Any]:
    """Assign every submitted application to ``call.reviews_per_application`` jurors without a
    conflict, balancing the load; existing assignments are kept."""
    if acting_user is not None:
        _require(acting_user, "calls.chair_call", call)
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        apps = list(
            Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED).values_list(
                "pk", flat=True
            )
        )
        jurors = list(
            JuryMember.objects.filter(call=call, accepted_at__isnull=False).values_list(
                "pk", flat=True
            )
        )
        conflicts = ConflictOfInterest.objects.filter(juror__call=call).values_list(
            "juror_id", "application_id"
        )
        existing = Assignment.objects.filter(juror__call=call).values_list(
            "juror_id", "application_id"
        )
        plan = plan_assignment(
            applications=apps,
            jurors=jurors,
            k=call.reviews_per_application,
            conflicts=list(conflicts),
            existing=list(existing),
        )
        Assignment.objects.bulk_create(
            [Assignment(juror_id=j, application_id=a) for j, a in plan.pairs]
        )
        if plan.pairs:
            bump_call(call.pk)
        loads = list(plan.load.values()) or [0]
        summary = {
            "created": len(plan.pairs),
            "short": len(plan.short),
            "min_load": min(loads),
            "max_load": max(loads),
        }
        audit_log(action="calls.assignment.auto", actor=acting_user, obj=call, payload=summary)
    return summary


def _clean_scores(
    call: Call, criteria: list[Criterion], values: dict[int, Any], *, submit: bool
) -> dict[int, int]:
    errors: dict[str, str] = {}
    clean: dict[int, int] = {}
    for criterion in criteria:
        raw = values.get(criterion.pk)
        if raw in (None, ""):
            if submit:
                errors[f"score_{criterion.pk}"] = _("Bitte bewerten Sie „%(c)s“.") % {
                    "c": criterion.name
                }
            continue
        try:
            value = int(str(raw))
        except ValueError:
            value = -1
        if not 0 <= value <= call.scale_max:
            errors[f"score_{criterion.pk}"] = _("Bitte eine ganze Zahl von 0 bis %(n)s.") % {
                "n": call.scale_max
            }
        else:
            clean[criterion.pk] = value
    if errors:
        raise Unprocessable(_("Bitte prüfen Sie die markierten Bewertungen."), fields=errors)
    return clean


def review_save(
    *,
    application: Application,
    acting_user: ActingUser,
    values: dict[int, Any],
    comments: dict[int, str] | None = None,
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save (and with ``submit`` hand in) the juror's scores; audited per changed score."""
    _require(acting_user, "calls.review_application", application)
    call = application.call
    if call.phase not in (CallPhase.REVIEW, CallPhase.MEETING):
        raise Conflict(
            _("Bewertungen sind nur in der Begutachtungsphase möglich."), code="not_review_phase"
        )
    member = member_of(call, acting_user)
    criteria = list(call.criteria.all())
    comments = comments or {}
    clean = _clean_scores(call, criteria, values, submit=submit)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if Decision.objects.filter(application=locked).exists():
            raise Conflict(
                _("Über diese Bewerbung ist entschieden; die Bewertungen sind eingefroren."),
                code="scores_frozen",
            )
        review, _created = Review.objects.get_or_create(juror=member, application=locked)
        old = {s.criterion_id: s for s in review.scores.all()}
        changes: dict[str, list[Any]] = {}
        for criterion in criteria:
            if criterion.pk not in clean:
                continue
            text = (comments.get(criterion.pk) or "").strip()[:3000]
            score = old.get(criterion.pk)
            if score is None:
                Score.objects.create(
                    review=review, criterion=criterion, value=clean[criterion.pk], comment=text
                )
                changes[str(criterion.pk)] = [None, clean[criterion.pk]]
            elif score.value != clean[criterion.pk] or score.comment != text:
                changes[str(criterion.pk)] = [score.value, clean[criterion.pk]]
                score.value, score.comment = clean[criterion.pk], text
                score.save(update_fields=["value", "comment"])
        review.comment = comment.strip()[:5000]
        was_submitted = review.submitted_at is not None
        if submit and not was_submitted:
            review.submitted_at = timezone.now()
        review.save()
        bump_call(locked.call_id)
        if changes:
            audit_log(
                action="calls.review.scored",
                actor=acting_user,
                obj=review,
                payload={
                    "application": locked.pk,
                    "scores": changes,
                    "after_submission": was_submitted,
                },
            )
        if submit and not was_submitted:
            audit_log(
                action="calls.review.submitted",
                actor=acting_user,
                obj=review,
                payload={"application": locked.pk},
            )
    return review


def note_add(*, application: Application, text: str, acting_user: ActingUser) -> DiscussionNote:
    _require(acting_user, "calls.decide_application", application)
    text = text.strip()
    if not text:
        raise Unprocessable(
            _("Bitte geben Sie eine Notiz ein."), fields={"text": _("Pflichtfeld.")}
        )
    with transaction.atomic():
        note = DiscussionNote.objects.create(
            application=application, text=text[:5000], author=account_of(acting_user)
        )
        bump_call(application.call_id)
        audit_log(
            action="calls.note.added", actor=acting_user, obj=application, payload={"note": note.pk}
        )
    return note


def decision_take(
    *,
    application: Application,
    outcome: str,
    reason: str,
    acting_user: ActingUser | None,
    reserve_rank: int | None = None,
) -> Decision:
    """Decide (or revise before the announcement): selected, reserve (with its place) or
    rejected, always with a reason."""
    if acting_user is not None:
        _require(acting_user, "calls.decide_application", application)
    reason = (reason or "").strip()
    if outcome not in Outcome.values:
        raise Unprocessable(
            _("Bitte wählen Sie eine Entscheidung."), fields={"outcome": _("Pflichtfeld.")}
        )
    if not reason:
        raise Unprocessable(
            _("Bitte begründen Sie die Entscheidung."),
            fields={"reason": _("Eine Begründung ist erforderlich.")},
        )
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        if call.phase == CallPhase.DECIDED:
            raise Conflict(_("Die Entscheidungen sind bereits bekannt gegeben."), code="announced")
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in REVIEWABLE:
            raise Conflict(
                _("Über diese Bewerbung kann nicht entschieden werden."), code="not_reviewable"
            )
        if outcome == Outcome.RESERVE and reserve_rank is None:
            reserve_rank = (
                Application.objects.filter(call=call, status=ApplicationStatus.RESERVE)
                .exclude(pk=locked.pk)
                .count()
                + 1
            )
        before = locked.status
        previous = Decision.objects.filter(application=locked).first()
        decision, _created = Decision.objects.update_or_create(
            application=locked,
            defaults={
                "outcome": outcome,
                "reason": reason[:5000],
                "decided_by": account_of(acting_user),
                "decided_at": timezone.now(),
            },
        )
        locked.status = outcome
        locked.reserve_rank = reserve_rank if outcome == Outcome.RESERVE else None
        locked.save(update_fields=["status", "reserve_rank", "updated_at"])
        if outcome != Outcome.SELECTED:
            locked.grants.all().delete()
        bump_call(call.pk)
        audit_log(
            action="calls.decision.taken",
            actor=acting_user,
            obj=locked,
            payload={
                "status": [before, outcome],
                "reason": reason,
                "revised": previous is not None,
                "reserve_rank": locked.reserve_rank,
            },
        )
    return decision


def decisions_announce(*, call: Call, acting_user: ActingUser | None) -> int:
    """Close the meeting: every decided applicant gets the outcome and its reason by mail."""
    if acting_user is not None:
        _require(acting_user, "calls.chair_call", call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.phase == CallPhase.DECIDED:
            raise Conflict(_("Die Entscheidungen sind bereits bekannt gegeben."), code="announced")
        undecided = Application.objects.filter(
            call=call, status=ApplicationStatus.SUBMITTED
        ).count()
        if undecided:
            raise Conflict(
                _("Über %(n)s Bewerbungen ist noch nicht entschieden.") % {"n": undecided},
                code="undecided",
            )
        decided = list(
            Application.objects.filter(call=call, decision__isnull=False).select_related(
                "decision", "applicant"
            )
        )
        for application in decided:
            with translation.override(application.language):  # the applicant's language
                notifications.mail_queue(
                    to=application.applicant.email,
                    subject=_("Entscheidung zu Ihrer Bewerbung: %(t)s") % {"t": application.title},
                    body=render_to_string(
                        "calls/mail/decision.txt",
                        {
                            "application": application,
                            "decision": application.decision,
                            "call": call,
                        },
                    ),
                    kind="calls.decision",
                    language=application.language,
                    regarding=application,
                )
        call_set_phase(call=call, phase=CallPhase.DECIDED, acting_user=None)
        audit_log(
            action="calls.decisions.announced",
            actor=acting_user,
            obj=call,
            payload={"notified": len(decided)},
        )
    return len(decided)
