"""Every write of the participation app: joining, ideas, comments, votes, moderation, following.

Each service owns its transaction, writes an audit entry and queues mail on commit (through
:mod:`ortswandel.core.notifications`). Permission checks ask the rules of ``rules.py`` with
the clock of *now* (``phase_allows``); views and the API call the same functions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core import signed_links, site
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ortswandel.core.notifications import mail_queue_template, ui_language
from ortswandel.core.params import check_text
from ortswandel.core.richtext import sanitize_html

from . import conf, places
from .models import (
    Admission,
    Category,
    Comment,
    FeedbackStatus,
    Follow,
    Idea,
    IdeaVersion,
    InvitationCode,
    Participant,
    Process,
    Report,
    Vote,
)

UNFOLLOW_PURPOSE = "participation.unfollow"


def _require(user: Any, perm: str, obj: Any) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied()


def _require_phase(process: Process, feature: str) -> None:
    """The phase active now allows ``feature`` – also for site admins, whom Django grants every
    permission."""
    phase = process.active_phase(timezone.now())
    if phase is None or feature not in phase.features:
        raise Conflict(_("Das ist in der aktuellen Phase nicht möglich."), code="phase_closed")


def _text(value: str, *, name: str, label: str, max_length: int, required: bool = True) -> str:
    value = check_text((value or "").strip(), name=name, max_length=max_length)
    if required and not value:
        raise InvalidInput(
            _("Bitte füllen Sie „%(label)s“ aus.") % {"label": label},
            fields={name: _("Pflichtfeld")},
        )
    return value


# --- joining ----------------------------------------------------------------------------------


def _profile_municipality_id(user: User) -> int | None:
    profile = getattr(user, "profile", None)
    return getattr(profile, "municipality_id", None) if profile is not None else None


@transaction.atomic
def process_join(
    *,
    process: Process,
    user: User,
    display_name: str,
    accept_code: bool,
    resident: bool = False,
    code: str = "",
) -> Participant:
    """Take part in ``process`` under ``display_name`` (admission rules of the process)."""
    _require(user, "participation.join_process", process)
    name = _text(display_name, name="display_name", label=_("Anzeigename"), max_length=60)
    errors: dict[str, str] = {}
    if not accept_code:
        errors["accept_code"] = _("Bitte akzeptieren Sie die Verhaltensregeln.")
    invitation = None
    if process.admission == Admission.RESIDENTS:
        home = _profile_municipality_id(user)
        if not resident:
            errors["resident"] = _("Dieser Prozess ist Einwohnerinnen und Einwohnern vorbehalten.")
        elif home is not None and home != process.municipality_id:
            errors["resident"] = _(
                "Laut Ihrem Profil wohnen Sie in einer anderen Kommune. "
                "Bitte ändern Sie Ihr Profil."
            )
    if process.admission == Admission.INVITATION:
        invitation = (
            InvitationCode.objects.select_for_update()
            .filter(process=process, code=(code or "").strip().upper())
            .first()
        )
        if invitation is None or invitation.uses >= invitation.max_uses:
            errors["code"] = _("Dieser Einladungscode ist ungültig oder schon eingelöst.")
    if errors:
        raise InvalidInput(_("Bitte prüfen Sie Ihre Angaben."), fields=errors)
    if Participant.objects.filter(process=process, user=user).exists():
        raise Conflict(_("Sie nehmen an diesem Prozess bereits teil."), code="already_joined")
    participant = Participant.objects.create(
        process=process,
        user=user,
        display_name=name,
        accepted_code_at=timezone.now(),
        resident_declared=bool(resident),
        invitation=invitation,
        trusted=not process.first_post_review,
    )
    if invitation is not None:
        InvitationCode.objects.filter(pk=invitation.pk).update(uses=F("uses") + 1)
    Follow.objects.update_or_create(
        process=process, user=user, defaults={"language": ui_language()}
    )
    audit_log(action="participation.participant.joined", actor=user, obj=process)
    user.__dict__.pop("_participation_memo", None)
    return participant


def participant_of(process: Process, user: Any) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(process=process, user=user).first()


def _participant(process: Process, user: User) -> Participant:
    participant = participant_of(process, user)
    if participant is None:
        raise PermissionDenied(_("Bitte treten Sie dem Prozess zuerst bei."))
    return participant


def invitation_codes_create(
    *, process: Process, count: int, note: str, actor: User, max_uses: int = 1
) -> list[InvitationCode]:
    import secrets

    _require(actor, "participation.moderate_process", process)
    if not 1 <= count <= 500:
        raise InvalidInput(_("Bitte 1 bis 500 Codes anfordern."), fields={"count": "1–500"})
    with transaction.atomic():
        codes = [
            InvitationCode.objects.create(
                process=process,
                code=secrets.token_hex(4).upper(),
                note=note[:200],
                max_uses=max_uses,
            )
            for _i in range(count)
        ]
        audit_log(
            action="participation.codes.created", actor=actor, obj=process, payload={"n": count}
        )
    return codes


# --- ideas ------------------------------------------------------------------------------------


def _position(map_x: Any, map_y: Any) -> tuple[float | None, float | None]:
    if map_x in (None, "") and map_y in (None, ""):
        return None, None
    try:
        x, y = float(map_x), float(map_y)
    except (TypeError, ValueError):
        x = y = -1.0
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise InvalidInput(
            _("Der Ort liegt nicht auf der Karte der Kommune."),
            fields={"map_x": _("Bitte einen Punkt innerhalb der Kommune wählen.")},
        )
    return x, y


def _place(process: Process, map_x: Any, map_y: Any) -> tuple[float | None, float | None]:
    """A position on the map whose grid square lies inside the municipality."""
    x, y = _position(map_x, map_y)
    places.check_position(process, x, y)
    return x, y


@transaction.atomic
def idea_create(
    *,
    process: Process,
    user: User,
    title: str,
    text: str,
    category: Category | None = None,
    map_x: Any = None,
    map_y: Any = None,
    location_text: str = "",
    image: Any = None,
    image_alt: str = "",
    cost: Decimal | None = None,
) -> Idea:
    _require(user, "participation.add_idea", process)
    _require_phase(process, "propose")
    conf.CONTRIBUTION_LIMIT.check(f"user:{user.pk}")
    participant = _participant(process, user)
    title = _text(title, name="title", label=_("Titel"), max_length=120)
    clean_text = sanitize_html(_text(text, name="text", label=_("Beschreibung"), max_length=10000))
    if category is not None and category.process_id != process.pk:
        raise InvalidInput(fields={"category": _("Unbekannte Kategorie.")})
    x, y = _place(process, map_x, map_y)
    if image and not (image_alt or "").strip():
        raise InvalidInput(
            _("Bitte beschreiben Sie das Bild."),
            fields={"image_alt": _("Ein Bild braucht eine Beschreibung (Alternativtext).")},
        )
    if cost is not None and cost < 0:
        raise InvalidInput(fields={"cost": _("Die Kosten dürfen nicht negativ sein.")})
    idea = Idea(
        process=process,
        author=user,
        author_name=participant.display_name,
        title=title,
        text=clean_text,
        category=category,
        map_x=x,
        map_y=y,
        location_text=(location_text or "").strip()[:200],
        image_alt=(image_alt or "").strip()[:300],
        cost=cost,
        awaiting_review=not participant.trusted,
    )
    if image:
        idea.image = image
    idea.full_clean(exclude=["author", "text"])
    idea.save()
    audit_log(action="participation.idea.created", actor=user, obj=idea)
    places.bump_map(process.pk)
    return idea


@transaction.atomic
def idea_update(*, idea: Idea, user: User, **changes: Any) -> Idea:
    """Change an idea; the state before the change goes to its edit history."""
    _require(user, "participation.change_idea", idea)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    IdeaVersion.objects.create(
        idea=idea,
        title=idea.title,
        text=idea.text,
        edited_by_moderator=idea.author_id != user.pk,
    )
    if "title" in changes:
        idea.title = _text(changes["title"], name="title", label=_("Titel"), max_length=120)
    if "text" in changes:
        idea.text = sanitize_html(
            _text(changes["text"], name="text", label=_("Beschreibung"), max_length=10000)
        )
    if "map_x" in changes or "map_y" in changes:
        position = _position(changes.get("map_x"), changes.get("map_y"))
        if position != (idea.map_x, idea.map_y):  # a place kept from before is not re-checked
            places.check_position(idea.process, *position)
            idea.map_x, idea.map_y = position
    if "location_text" in changes:
        idea.location_text = (changes["location_text"] or "").strip()[:200]
    if "category" in changes:
        category = changes["category"]
        if category is not None and category.process_id != idea.process_id:
            raise InvalidInput(fields={"category": _("Unbekannte Kategorie.")})
        idea.category = category
    idea.save()
    audit_log(action="participation.idea.changed", actor=user, obj=idea)
    places.bump_map(idea.process_id)
    return idea


# --- comments ---------------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, idea: Idea, user: User, text: str, parent: Comment | None = None) -> Comment:
    _require(user, "participation.comment_idea", idea)
    _require_phase(idea.process, "comment")
    if not user.has_perm("participation.view_idea", idea):
        raise NotFound()
    conf.CONTRIBUTION_LIMIT.check(f"user:{user.pk}")
    participant = _participant(idea.process, user)
    body = _text(text, name="text", label=_("Kommentar"), max_length=5000)
    if parent is not None and parent.idea_id != idea.pk:
        raise InvalidInput(fields={"parent": _("Unbekannter Kommentar.")})
    comment = Comment.objects.create(
        idea=idea,
        parent=parent,
        author=user,
        author_name=participant.display_name,
        text=body,
        awaiting_review=not participant.trusted,
    )
    if not comment.awaiting_review:
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        _notify_reply(comment)
    audit_log(action="participation.comment.created", actor=user, obj=comment)
    return comment


# --- votes ------------------------------------------------------------------------------------


def vote_cast(*, idea: Idea, user: User, value: int = 1) -> Vote:
    """Support (+1) or object to (−1) an idea; voting again changes the vote.

    Exact under concurrency: the unique constraint (idea, user) admits one row per person, and
    the counters change by ``F()`` in the same transaction as the row.
    """
    if value not in (1, -1):
        raise InvalidInput(fields={"value": _("Erlaubt sind 1 und -1.")})
    _require(user, "participation.vote_idea", idea)
    _require_phase(idea.process, "vote")
    _participant(idea.process, user)
    if not user.has_perm("participation.view_idea", idea):
        raise NotFound()
    field = {1: "support_count", -1: "against_count"}
    try:
        with transaction.atomic():
            vote = Vote.objects.create(idea=idea, user=user, value=value)
            Idea.objects.filter(pk=idea.pk).update(**{field[value]: F(field[value]) + 1})
            return vote
    except IntegrityError:
        pass
    with transaction.atomic():
        vote = Vote.objects.select_for_update().get(idea=idea, user=user)
        if vote.value != value:
            Idea.objects.filter(pk=idea.pk).update(
                **{field[value]: F(field[value]) + 1, field[vote.value]: F(field[vote.value]) - 1}
            )
            vote.value = value
            vote.save(update_fields=["value"])
        return vote


@transaction.atomic
def vote_withdraw(*, idea: Idea, user: User) -> bool:
    _require(user, "participation.vote_idea", idea)
    vote = Vote.objects.select_for_update().filter(idea=idea, user=user).first()
    if vote is None:
        return False
    field = "support_count" if vote.value == 1 else "against_count"
    vote.delete()
    Idea.objects.filter(pk=idea.pk).update(**{field: F(field) - 1})
    return True


# --- moderation -------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, user: User, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> Report:
    target = idea or (comment.idea if comment else None)
    if target is None:
        raise InvalidInput()
    _require(user, "participation.report_content", target)
    conf.CONTRIBUTION_LIMIT.check(f"user:{user.pk}")
    text = _text(reason, name="reason", label=_("Grund der Meldung"), max_length=2000)
    report = Report.objects.create(idea=idea, comment=comment, reporter=user, reason=text)
    audit_log(action="participation.report.created", actor=user, obj=report)
    return report


@transaction.atomic
def content_hide(*, obj: Idea | Comment, actor: User, reason: str, hidden: bool = True) -> None:
    """Hide (or show again) an idea or comment; hiding needs a reason, shown in its place."""
    _require(actor, "participation.moderate_process", obj)
    reason = _text(reason, name="reason", label=_("Grund"), max_length=300, required=hidden)
    was_counted = isinstance(obj, Comment) and not obj.is_hidden and not obj.awaiting_review
    obj.is_hidden = hidden
    obj.hidden_reason = reason if hidden else ""
    obj.save(update_fields=["is_hidden", "hidden_reason"])
    if isinstance(obj, Comment):
        counted = not obj.is_hidden and not obj.awaiting_review
        if counted != was_counted:
            delta = 1 if counted else -1
            Idea.objects.filter(pk=obj.idea_id).update(comment_count=F("comment_count") + delta)
    Report.objects.filter(**{"idea" if isinstance(obj, Idea) else "comment": obj}).update(
        resolved_at=timezone.now()
    )
    if isinstance(obj, Idea):
        places.bump_map(obj.process_id)
    audit_log(
        action=f"participation.{obj._meta.model_name}.{'hidden' if hidden else 'shown'}",
        actor=actor,
        obj=obj,
        payload={"reason": reason},
    )


@transaction.atomic
def content_approve(*, obj: Idea | Comment, actor: User) -> None:
    """Release a first post waiting for review; the author's later posts need no review."""
    _require(actor, "participation.moderate_process", obj)
    if not obj.awaiting_review:
        return
    obj.awaiting_review = False
    obj.save(update_fields=["awaiting_review"])
    process_id = obj.process_id if isinstance(obj, Idea) else obj.idea.process_id
    if obj.author_id is not None:
        Participant.objects.filter(process_id=process_id, user_id=obj.author_id).update(
            trusted=True
        )
    if isinstance(obj, Comment) and not obj.is_hidden:
        Idea.objects.filter(pk=obj.idea_id).update(comment_count=F("comment_count") + 1)
    if isinstance(obj, Idea):
        places.bump_map(obj.process_id)
    audit_log(action=f"participation.{obj._meta.model_name}.approved", actor=actor, obj=obj)


@transaction.atomic
def idea_feedback(*, idea: Idea, actor: User, status: str, text: str) -> Idea:
    """Moderator feedback with a public status (in review, taken up, not taken up + reason)."""
    _require(actor, "participation.moderate_process", idea)
    if status not in FeedbackStatus.values:
        raise InvalidInput(fields={"status": _("Unbekannter Status.")})
    text = _text(text, name="text", label=_("Begründung"), max_length=3000, required=False)
    if status == FeedbackStatus.NOT_TAKEN_UP and not text:
        raise InvalidInput(
            _("Bitte begründen Sie, warum die Idee nicht aufgegriffen wird."),
            fields={"text": _("Eine Begründung ist nötig.")},
        )
    idea.feedback_status = status
    idea.feedback_text = text
    idea.save(update_fields=["feedback_status", "feedback_text", "updated_at"])
    places.bump_map(idea.process_id)
    audit_log(
        action="participation.idea.feedback", actor=actor, obj=idea, payload={"status": status}
    )
    if idea.author_id and idea.author and idea.author.email:
        _mail_follower(
            user=idea.author,
            process=idea.process,
            template="participation/mail/feedback.txt",
            subject=gettext_lazy("Rückmeldung zu Ihrer Idee „%(title)s“"),
            subject_params={"title": idea.title},
            # rendered in the follower's language (a callable: called by the template)
            context={"idea": idea, "status": idea.get_feedback_status_display},
            regarding=idea,
        )
    return idea


# --- following and mail -----------------------------------------------------------------------


def unfollow_token(*, process: Process, user: User) -> str:
    return signed_links.make([process.pk, user.pk], purpose=UNFOLLOW_PURPOSE)


def unfollow_url(*, process: Process, user: User) -> str:
    token = unfollow_token(process=process, user=user)
    return site.base_url() + reverse("participation:unfollow", kwargs={"token": token})


@transaction.atomic
def follow_set(*, process: Process, user: User, follow: bool) -> bool:
    _require(user, "participation.view_process", process)
    if follow:
        Follow.objects.update_or_create(
            process=process, user=user, defaults={"language": ui_language()}
        )
    else:
        Follow.objects.filter(process=process, user=user).delete()
    audit_log(
        action=f"participation.process.{'followed' if follow else 'unfollowed'}",
        actor=user,
        obj=process,
    )
    return follow


@transaction.atomic
def unfollow_by_token(*, token: str) -> Process:
    """One-click unsubscribe from a mail (signed link; no login)."""
    payload = signed_links.read(token, purpose=UNFOLLOW_PURPOSE)
    try:
        process_id, user_id = int(payload[0]), int(payload[1])
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise signed_links.LinkInvalid() from exc
    process = Process.objects.filter(pk=process_id).first()
    if process is None:
        raise signed_links.LinkInvalid()
    Follow.objects.filter(process=process, user_id=user_id).delete()
    audit_log(action="participation.process.unfollowed", actor=None, obj=process)
    return process


def _mail_follower(
    *,
    user: User,
    process: Process,
    template: str,
    subject: Any,
    context: dict,
    regarding: Any,
    subject_params: dict[str, Any] | None = None,
) -> None:
    """Mail a follower in the language stored with the follow; ``subject`` is a lazy msgid."""
    follow = Follow.objects.filter(process=process, user_id=user.pk).first()
    if not user.email or follow is None:
        return
    with translation.override(follow.language):  # links with the follower's language prefix
        links = {
            "process_url": site.base_url() + process.get_absolute_url(),
            "unfollow_url": unfollow_url(process=process, user=user),
        }
    mail_queue_template(
        to=user.email,
        template=template,
        context={**context, "process": process, **links},
        subject=subject,
        subject_params=subject_params,
        kind="participation",
        language=follow.language,
        regarding=regarding,
    )


def _notify_reply(comment: Comment) -> None:
    """Mail the author of the idea (or of the parent comment) about a reply."""
    target = comment.parent.author if comment.parent_id and comment.parent else comment.idea.author
    if target is None or target.pk == comment.author_id:
        return
    _mail_follower(
        user=target,
        process=comment.idea.process,
        template="participation/mail/reply.txt",
        subject=gettext_lazy("Neue Antwort auf Ihren Beitrag"),
        context={"comment": comment, "idea": comment.idea},
        regarding=comment,
    )


def phase_changes_notify(*, now: Any = None) -> int:
    """Mail the followers of each process whose phase has started and not been announced."""
    from .models import Phase

    moment = now or timezone.now()
    sent = 0
    due = Phase.objects.filter(
        starts_at__lte=moment, ends_at__gt=moment, notified_at__isnull=True
    ).select_related("process")
    for phase in due:
        with transaction.atomic():
            claimed = Phase.objects.filter(pk=phase.pk, notified_at__isnull=True).update(
                notified_at=moment
            )
            if not claimed or not phase.process.is_published:
                continue
            for follow in Follow.objects.filter(process=phase.process).select_related("user"):
                _mail_follower(
                    user=follow.user,
                    process=phase.process,
                    template="participation/mail/phase.txt",
                    subject=gettext_lazy("Neue Phase: %(name)s"),
                    subject_params={"name": phase.name},
                    context={"phase": phase},
                    regarding=phase.process,
                )
                sent += 1
    return sent
