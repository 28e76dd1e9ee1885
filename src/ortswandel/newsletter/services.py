"""Writes of the newsletter: subscribe (double opt-in), confirm, preferences, one-click
unsubscribe, suppression (bounces, complaints), issues (compose, test, send in batches),
digests and the purges of the retention rules.

Every service owns its transaction, writes its audit entry and queues mail through
:mod:`ortswandel.core.notifications` (sent by the worker after the commit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ortswandel.catalogue.models import Programme, Theme
from ortswandel.core import jobs, notifications, signed_links, site
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import InvalidInput, PermissionDenied, Unprocessable
from ortswandel.core.models import QueuedMail
from ortswandel.core.richtext import sanitize_html
from ortswandel.core.typing import ActingUser, account_of
from ortswandel.municipalities.models import LAND_NAMES, Municipality

from . import conf, selectors
from .models import (
    Delivery,
    DigestFrequency,
    Issue,
    IssueKind,
    IssueStatus,
    ProgrammeNewsletter,
    Subscription,
    SubscriptionStatus,
    SuppressedAddress,
    SuppressionReason,
    TopicKind,
    address_hash,
    new_secret,
)

logger = logging.getLogger(__name__)

PURPOSE_CONFIRM = "newsletter.confirm"
PURPOSE_MANAGE = "newsletter.manage"
MAIL_KIND_CONFIRM = "newsletter.confirm"
MAIL_KIND_ISSUE = "newsletter.issue"
SEND_BATCH_JOB = "ortswandel.newsletter.tasks.send_issue_batch"


# --- links -------------------------------------------------------------------------------------
def _secrets_digest(subscriptions: Sequence[Subscription]) -> str:
    joined = "\x00".join(sub.secret for sub in sorted(subscriptions, key=lambda sub: sub.pk))
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def confirm_token(subscriptions: Subscription | Sequence[Subscription]) -> str:
    """One link confirming the pending subscriptions of one sign-up (all topics at once); it
    stops working when one of them is asked for again after unsubscribing (new secret)."""
    subs = [subscriptions] if isinstance(subscriptions, Subscription) else list(subscriptions)
    return signed_links.make(
        {"s": sorted(sub.pk for sub in subs), "k": _secrets_digest(subs)},
        purpose=PURPOSE_CONFIRM,
    )


def manage_token(hash_: str, *, issue_id: int | None = None) -> str:
    """Token of the preferences and unsubscribe links of one address (no expiry: it is in every
    mail; it names the address only by its hash)."""
    payload: dict[str, Any] = {"h": hash_}
    if issue_id is not None:
        payload["i"] = issue_id
    return signed_links.make(payload, purpose=PURPOSE_MANAGE)


@dataclass(frozen=True)
class ManageLink:
    address_hash: str
    issue_id: int | None


def manage_link_read(token: str) -> ManageLink:
    """The address hash (and issue) of a preferences/unsubscribe token; ``LinkInvalid`` else."""
    data = signed_links.read(token, purpose=PURPOSE_MANAGE)
    if not isinstance(data, dict) or not isinstance(data.get("h"), str):
        raise signed_links.LinkInvalid()
    issue_id = data.get("i")
    return ManageLink(data["h"], issue_id if isinstance(issue_id, int) else None)


def _absolute(path: str) -> str:
    return site.absolute_url(path)


def unsubscribe_url(hash_: str, *, issue_id: int | None = None) -> str:
    token = manage_token(hash_, issue_id=issue_id)
    return _absolute(reverse("newsletter:unsubscribe", kwargs={"token": token}))


def preferences_url(hash_: str) -> str:
    return _absolute(reverse("newsletter:preferences", kwargs={"token": manage_token(hash_)}))


def list_unsubscribe_headers(hash_: str, *, issue_id: int | None = None) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: an HTTPS one-click link and a ``mailto:`` alternative."""
    token = manage_token(hash_, issue_id=issue_id)
    url = _absolute(reverse("newsletter:unsubscribe", kwargs={"token": token}))
    mailto = f"mailto:{conf.unsubscribe_mailto()}?subject={quote('unsubscribe ' + token)}"
    return {
        "List-Unsubscribe": f"<{url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.ORTSWANDEL_SITE_NAME} Newsletter <newsletter.{_list_host()}>",
    }


def _list_host() -> str:
    from urllib.parse import urlparse

    return urlparse(conf.base_url()).hostname or "ortswandel.invalid"


# --- subscribing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Topic:
    kind: str
    programme: Programme | None = None
    theme: Theme | None = None
    land_code: str = ""
    municipality: Municipality | None = None

    @property
    def key(self) -> str:
        if self.kind == TopicKind.PROGRAMME and self.programme is not None:
            return f"programme:{self.programme.pk}"
        if self.kind == TopicKind.THEME and self.theme is not None:
            return f"theme:{self.theme.pk}"
        if self.kind == TopicKind.LAND and self.land_code in LAND_NAMES:
            return f"land:{self.land_code}"
        if self.kind == TopicKind.MUNICIPALITY and self.municipality is not None:
            return f"ags:{self.municipality.ags}"
        raise InvalidInput(
            str(_("Bitte wählen Sie ein Thema für den Newsletter.")), code="no_topic"
        )


def is_suppressed(hash_: str) -> bool:
    return SuppressedAddress.objects.filter(
        address_hash=hash_, reason__in=[SuppressionReason.BOUNCE, SuppressionReason.COMPLAINT]
    ).exists()


def _confirmation_sent_recently(subscriptions: Sequence[Subscription]) -> bool:
    """Whether a confirmation mail about one of these went out within the resend interval:
    repeated sign-ups with somebody else's address do not flood their mailbox."""
    minutes = conf.resend_interval_minutes()
    return (
        minutes > 0
        and QueuedMail.objects.filter(
            kind=MAIL_KIND_CONFIRM,
            object_type=Subscription._meta.label_lower,
            object_id__in=[str(sub.pk) for sub in subscriptions],
            created_at__gte=timezone.now() - dt.timedelta(minutes=minutes),
        ).exists()
    )


def _queue_confirmation(subscriptions: Sequence[Subscription]) -> None:
    first = subscriptions[0]
    token = confirm_token(subscriptions)
    notifications.mail_queue_template(
        to=first.email,
        template="newsletter/mail/confirm.txt",
        subject=_("Bitte bestätigen Sie Ihr Newsletter-Abonnement"),
        context={
            "site_name": settings.ORTSWANDEL_SITE_NAME,
            "topics": [sub.topic_label for sub in subscriptions],
            "confirm_url": _absolute(reverse("newsletter:confirm", kwargs={"token": token})),
            "days": conf.unconfirmed_days(),
        },
        kind=MAIL_KIND_CONFIRM,
        language=first.language,
        regarding=first,
        sensitive=True,
    )


def subscription_request(
    *,
    email: str,
    topic: Topic,
    language: str = "",
    acting_user: ActingUser | None = None,
    is_demo: bool = False,
) -> Subscription | None:
    """:func:`subscriptions_request` for one topic; the pending subscription or ``None``."""
    pending = subscriptions_request(
        email=email, topics=[topic], language=language, acting_user=acting_user, is_demo=is_demo
    )
    return pending[0] if pending else None


@transaction.atomic
def subscriptions_request(
    *,
    email: str,
    topics: Sequence[Topic],
    language: str = "",
    acting_user: ActingUser | None = None,
    is_demo: bool = False,
) -> list[Subscription]:
    """Ask for subscriptions (double opt-in): topics that are new or were unsubscribed become
    pending and get one confirmation mail together; pending ones get it again (at most once
    per resend interval); confirmed ones nothing. Returns the pending subscriptions. Callers
    show the same message in every case (no existence oracle)."""
    email = email.strip().lower()
    if not email or "@" not in email:
        raise InvalidInput(fields={"email": str(_("Bitte geben Sie eine E-Mail-Adresse an."))})
    hash_ = address_hash(email)
    keys = {topic.key: topic for topic in topics}
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    if is_suppressed(hash_):
        audit_log(action="newsletter.subscription.suppressed_request", actor=acting_user)
        return []
    user = account_of(acting_user)
    pending: list[Subscription] = []
    fresh = False
    for key, topic in keys.items():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(address_hash=hash_, topic_key=key)
            .first()
        )
        if subscription is not None and subscription.status == SubscriptionStatus.CONFIRMED:
            continue
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email,
                        address_hash=hash_,
                        topic_kind=topic.kind,
                        topic_key=key,
                        programme=topic.programme,
                        theme=topic.theme,
                        land_code=topic.land_code,
                        municipality=topic.municipality,
                        language=language,
                        user=user if user is not None and user.email.lower() == email else None,
                        is_demo=is_demo,
                    )
            except IntegrityError:  # a parallel request created it
                continue
            fresh = True
        else:
            if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
                subscription.secret = new_secret()  # links of an earlier sign-up stop working
                fresh = True
            subscription.status = SubscriptionStatus.PENDING
            subscription.language = language
            subscription.created_at = timezone.now()
            subscription.unsubscribed_at = None
            subscription.save(
                update_fields=["status", "language", "created_at", "unsubscribed_at", "secret"]
            )
        pending.append(subscription)
    if not pending:
        return []
    audit_log(
        action="newsletter.subscription.requested",
        actor=acting_user,
        obj=pending[0],
        payload={"topics": [sub.topic_key for sub in pending]},
    )
    if fresh or not _confirmation_sent_recently(pending):
        _queue_confirmation(pending)
    return pending


def confirmation_check(*, token: str) -> list[Subscription]:
    """The subscriptions a confirmation link belongs to (``LinkInvalid``: forged, expired, a
    subscription deleted, or asked for again after unsubscribing, which gives it a new
    secret)."""
    data = signed_links.read(
        token, purpose=PURPOSE_CONFIRM, max_age=dt.timedelta(days=conf.unconfirmed_days())
    )
    ids = data.get("s") if isinstance(data, dict) else None
    if not isinstance(ids, list) or not ids or not all(isinstance(pk, int) for pk in ids):
        raise signed_links.LinkInvalid()
    subscriptions = list(Subscription.objects.filter(pk__in=ids).order_by("pk"))
    if len(subscriptions) != len(set(ids)) or not constant_time_compare(
        str(data.get("k", "")), _secrets_digest(subscriptions)
    ):
        raise signed_links.LinkInvalid()
    return subscriptions


@transaction.atomic
def subscription_confirm(*, token: str) -> list[Subscription]:
    """Confirm the address (second step of the double opt-in); confirming twice is harmless."""
    checked = confirmation_check(token=token)
    subscriptions = list(
        Subscription.objects.select_for_update().filter(pk__in=[s.pk for s in checked])
    )
    now = timezone.now()
    for subscription in subscriptions:
        if subscription.status == SubscriptionStatus.PENDING:
            subscription.status = SubscriptionStatus.CONFIRMED
            subscription.confirmed_at = now
            subscription.save(update_fields=["status", "confirmed_at"])
            audit_log(action="newsletter.subscription.confirmed", actor=None, obj=subscription)
    SuppressedAddress.objects.filter(
        address_hash=subscriptions[0].address_hash, reason=SuppressionReason.UNSUBSCRIBED
    ).delete()
    return sorted(subscriptions, key=lambda sub: sub.pk)


def _cancel_unsent_mail(hash_: str) -> int:
    """Drop newsletter mails to this address that are still waiting in the queue."""
    ids = list(Subscription.objects.filter(address_hash=hash_).values_list("pk", flat=True))
    deleted, _ = QueuedMail.objects.filter(
        kind=MAIL_KIND_ISSUE,
        object_type=Subscription._meta.label_lower,
        object_id__in=[str(pk) for pk in ids],
        sent_at__isnull=True,
    ).delete()
    return deleted


@transaction.atomic
def unsubscribe_all(*, hash_: str, issue_id: int | None = None, via: str = "link") -> int:
    """Unsubscribe every topic of an address (one-click); counts once for ``issue_id``."""
    subscriptions = Subscription.objects.select_for_update().filter(
        address_hash=hash_, status__in=[SubscriptionStatus.CONFIRMED, SubscriptionStatus.PENDING]
    )
    ids = list(subscriptions.values_list("pk", flat=True))
    if not ids:
        return 0
    Subscription.objects.filter(pk__in=ids).update(
        status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    if issue_id is not None:
        Issue.objects.filter(pk=issue_id).update(unsubscribed_count=F("unsubscribed_count") + 1)
    _cancel_unsent_mail(hash_)
    audit_log(
        action="newsletter.subscription.unsubscribed",
        actor=None,
        payload={"subscriptions": ids, "issue": issue_id, "via": via},
    )
    return len(ids)


@transaction.atomic
def preferences_update(
    *, hash_: str, keep_ids: Iterable[int], language: str, acting_user: ActingUser | None = None
) -> int:
    """Keep the chosen topics of an address, unsubscribe the others, set the language."""
    keep = {int(pk) for pk in keep_ids}
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(fields={"language": str(_("Bitte wählen Sie eine Sprache."))})
    active = Subscription.objects.select_for_update().filter(
        address_hash=hash_, status=SubscriptionStatus.CONFIRMED
    )
    drop = [pk for pk in active.values_list("pk", flat=True) if pk not in keep]
    Subscription.objects.filter(address_hash=hash_).update(language=language)
    if drop:
        Subscription.objects.filter(pk__in=drop).update(
            status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )
    audit_log(
        action="newsletter.subscription.preferences_changed",
        actor=acting_user,
        payload={"dropped": drop, "language": language},
    )
    return len(drop)


@transaction.atomic
def suppression_record(*, email: str, reason: str, source: str = "") -> SuppressedAddress:
    """A bounce or complaint: the address gets no newsletter mail any more (kept hashed)."""
    if reason not in (SuppressionReason.BOUNCE, SuppressionReason.COMPLAINT):
        raise InvalidInput(
            str(_("Grund muss „bounce“ oder „complaint“ sein.")),
            fields={"type": "bounce|complaint"},
        )
    hash_ = address_hash(email)
    entry, created = SuppressedAddress.objects.update_or_create(
        address_hash=hash_, defaults={"reason": reason}
    )
    Subscription.objects.filter(address_hash=hash_).exclude(
        status=SubscriptionStatus.UNSUBSCRIBED
    ).update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    _cancel_unsent_mail(hash_)
    audit_log(
        action="newsletter.address.suppressed",
        actor=None,
        obj=entry,
        payload={"reason": reason, "source": source, "new": created},
    )
    return entry


# --- issues ------------------------------------------------------------------------------------
def _require_editor(user: ActingUser | None, programme: Programme) -> None:
    if user is None or not user.has_perm("newsletter.manage_issue", programme):
        raise PermissionDenied()


def _ids(values: Iterable[Any]) -> list[int]:
    try:
        return sorted({int(v) for v in values})
    except (TypeError, ValueError) as exc:
        raise InvalidInput(str(_("Ungültige Auswahl."))) from exc


def _set_items(
    issue: Issue, news_ids: Iterable[Any], event_ids: Iterable[Any], result_ids: Iterable[Any]
) -> None:
    options = selectors.compose_options(issue.programme, since=None)
    chosen = {"news": _ids(news_ids), "events": _ids(event_ids), "results": _ids(result_ids)}
    allowed = {
        "news": {n.pk for n in options.news},
        "events": {e.pk for e in options.events},
        "results": {r.pk for r in options.results},
    }
    for name, ids in chosen.items():
        if set(ids) - allowed[name]:
            raise InvalidInput(
                str(_("Die Auswahl enthält Einträge, die nicht zu diesem Programm gehören.")),
                fields={name: str(_("Ungültige Auswahl."))},
            )
    issue.news.set(chosen["news"])
    issue.events.set(chosen["events"])
    issue.results.set(chosen["results"])


@transaction.atomic
def issue_create(
    *,
    programme: Programme,
    subject: str,
    intro: str = "",
    news_ids: Iterable[Any] = (),
    event_ids: Iterable[Any] = (),
    result_ids: Iterable[Any] = (),
    acting_user: ActingUser | None,
    kind: str = IssueKind.EDITED,
) -> Issue:
    if kind == IssueKind.EDITED:
        _require_editor(acting_user, programme)
    subject = " ".join((subject or "").split())
    if not subject:
        raise InvalidInput(fields={"subject": str(_("Bitte geben Sie einen Betreff an."))})
    issue = Issue.objects.create(
        programme=programme,
        kind=kind,
        subject=subject[:200],
        intro=sanitize_html(intro),
        created_by=account_of(acting_user),
    )
    _set_items(issue, news_ids, event_ids, result_ids)
    audit_log(action="newsletter.issue.created", actor=acting_user, obj=issue)
    return issue


@transaction.atomic
def issue_update(
    *,
    issue: Issue,
    subject: str,
    intro: str,
    news_ids: Iterable[Any],
    event_ids: Iterable[Any],
    result_ids: Iterable[Any],
    acting_user: ActingUser | None,
) -> Issue:
    _require_editor(acting_user, issue.programme)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise Unprocessable(str(_("Eine versandte Ausgabe kann nicht mehr geändert werden.")))
    subject = " ".join((subject or "").split())
    if not subject:
        raise InvalidInput(fields={"subject": str(_("Bitte geben Sie einen Betreff an."))})
    issue.subject = subject[:200]
    issue.intro = sanitize_html(intro)
    issue.save(update_fields=["subject", "intro"])
    _set_items(issue, news_ids, event_ids, result_ids)
    audit_log(action="newsletter.issue.changed", actor=acting_user, obj=issue)
    return issue


def _digest_subject(programme: Programme, since: dt.date) -> str:
    """The subject of a digest in the active language."""
    return str(_("%(programme)s: Neues seit dem %(date)s")) % {
        "programme": programme,
        "date": date_format(since, "SHORT_DATE_FORMAT"),
    }


#: The date at the end of a digest's stored (German, ``d.m.Y``) subject.
DIGEST_SINCE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})$")


def _subject_in(issue: Issue) -> str:
    """The subject in the active language: an edited issue's subject is the editor's text; a
    digest's subject is ours, rebuilt from the date stored at its end."""
    match = DIGEST_SINCE.search(issue.subject) if issue.kind == IssueKind.DIGEST else None
    if match is None:
        return issue.subject
    day, month, year = (int(g) for g in match.groups())
    return _digest_subject(issue.programme, dt.date(year, month, day))


def render_issue(issue: Issue, *, hash_: str, language: str) -> tuple[str, str, str]:
    """``(subject, text, html)`` of ``issue`` for one address, in ``language``."""
    content = selectors.issue_content(issue)
    with translation.override(language):
        subject = _subject_in(issue)
        context = {
            "language": language,
            "issue": issue,
            "subject": subject,
            "content": content,
            "site_name": settings.ORTSWANDEL_SITE_NAME,
            "base_url": conf.base_url(),
            "unsubscribe_url": unsubscribe_url(hash_, issue_id=issue.pk),
            "preferences_url": preferences_url(hash_),
        }
        text = render_to_string("newsletter/mail/issue.txt", context)
        html = render_to_string("newsletter/mail/issue.html", context)
    return subject, text, html


@transaction.atomic
def issue_send_test(*, issue: Issue, acting_user: ActingUser | None) -> QueuedMail:
    """Send the issue to the editor's own address (marked as a test)."""
    _require_editor(acting_user, issue.programme)
    user = account_of(acting_user)
    if user is None or not user.email:
        raise Unprocessable(str(_("Ihr Konto hat keine E-Mail-Adresse für den Testversand.")))
    hash_ = address_hash(user.email)
    language = translation.get_language() or settings.LANGUAGE_CODE
    subject, text, html = render_issue(issue, hash_=hash_, language=language)
    mail = notifications.mail_queue(
        to=user.email,
        subject=f"[Test] {subject}",
        body=text,
        html_body=html,
        kind="newsletter.test",
        language=language,
        regarding=issue,
        headers=list_unsubscribe_headers(hash_),
    )
    audit_log(action="newsletter.issue.test_sent", actor=acting_user, obj=issue)
    return mail


@transaction.atomic
def issue_send(*, issue: Issue, acting_user: ActingUser | None) -> Issue:
    """Start sending: the batch job queues one mail per subscribed address."""
    if acting_user is not None:
        _require_editor(acting_user, issue.programme)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise Unprocessable(str(_("Diese Ausgabe wurde bereits versandt.")), code="already_sent")
    if selectors.issue_is_empty(issue) and not issue.intro:
        raise Unprocessable(
            str(_("Die Ausgabe ist leer: Bitte wählen Sie mindestens einen Beitrag."))
        )
    issue.status = IssueStatus.SENDING
    issue.send_started_at = timezone.now()
    issue.save(update_fields=["status", "send_started_at"])
    audit_log(action="newsletter.issue.sending", actor=acting_user, obj=issue)
    jobs.enqueue_on_commit(SEND_BATCH_JOB, issue.pk, group="newsletter")
    return issue


def issue_send_batch(*, issue_id: int, limit: int | None = None) -> int:
    """Queue up to ``limit`` mails of an issue being sent, one per address not yet served; queue
    the next batch if more remain, else mark the issue sent. Safe to re-run: the unique
    (issue, address) constraint lets each address get at most one mail."""
    limit = limit or conf.batch_size()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None or issue.status != IssueStatus.SENDING:
            return 0
        batch = selectors.pending_recipients(issue)[: limit + 1]
        more = len(batch) > limit
        queued = 0
        for subscription in batch[:limit]:
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(
                        issue=issue, address_hash=subscription.address_hash
                    )
            except IntegrityError:
                continue
            subject, text, html = render_issue(
                issue, hash_=subscription.address_hash, language=subscription.language
            )
            mail = notifications.mail_queue(
                to=subscription.email,
                subject=subject,
                body=text,
                html_body=html,
                kind=MAIL_KIND_ISSUE,
                language=subscription.language,
                regarding=subscription,
                headers=list_unsubscribe_headers(subscription.address_hash, issue_id=issue.pk),
            )
            Delivery.objects.filter(pk=delivery.pk).update(mail_id=mail.pk)
            queued += 1
        if more:
            jobs.enqueue_on_commit(SEND_BATCH_JOB, issue.pk, group="newsletter")
        else:
            issue.status = IssueStatus.SENT
            issue.sent_at = timezone.now()
            issue.save(update_fields=["status", "sent_at"])
            audit_log(
                action="newsletter.issue.sent",
                actor=None,
                obj=issue,
                payload={"recipients": issue.deliveries.count()},
            )
    return queued


# --- digests -----------------------------------------------------------------------------------
DIGEST_DAYS = {DigestFrequency.WEEKLY: 7, DigestFrequency.MONTHLY: 30}


def digests_send_due(*, now: dt.datetime | None = None) -> list[Issue]:
    """Build and send the digest of every programme whose schedule is due and that has
    something new since its last digest (nothing new: no mail, and the clock is not reset)."""
    now = now or timezone.now()
    sent: list[Issue] = []
    settings_qs: QuerySet[ProgrammeNewsletter] = ProgrammeNewsletter.objects.exclude(
        digest=DigestFrequency.OFF
    ).select_related("programme")
    for entry in settings_qs:
        days = DIGEST_DAYS.get(DigestFrequency(entry.digest))
        if days is None:
            continue
        since = entry.last_digest_at or now - dt.timedelta(days=days)
        if entry.last_digest_at and now - entry.last_digest_at < dt.timedelta(days=days):
            continue
        options = selectors.compose_options(entry.programme, since=since, unsent_only=True)
        if not (options.news or options.events or options.results):
            continue
        with transaction.atomic():
            with translation.override(settings.LANGUAGE_CODE):  # stored German, sent translated
                subject = _digest_subject(entry.programme, timezone.localtime(since).date())
            issue = issue_create(
                programme=entry.programme,
                subject=subject,
                news_ids=[n.pk for n in options.news],
                event_ids=[e.pk for e in options.events],
                result_ids=[r.pk for r in options.results],
                acting_user=None,
                kind=IssueKind.DIGEST,
            )
            ProgrammeNewsletter.objects.filter(pk=entry.pk).update(last_digest_at=now)
            sent.append(issue_send(issue=issue, acting_user=None))
    return sent


@transaction.atomic
def digest_schedule_set(
    *, programme: Programme, frequency: str, acting_user: ActingUser | None
) -> ProgrammeNewsletter:
    """Set how often the digest of ``programme`` goes out (off, weekly, monthly)."""
    _require_editor(acting_user, programme)
    if frequency not in DigestFrequency.values:
        raise InvalidInput(fields={"digest": str(_("Ungültige Auswahl."))})
    entry, _created = ProgrammeNewsletter.objects.update_or_create(
        programme=programme, defaults={"digest": frequency}
    )
    audit_log(
        action="newsletter.digest.scheduled",
        actor=acting_user,
        obj=entry,
        payload={"digest": frequency},
    )
    return entry


# --- retention ---------------------------------------------------------------------------------
@transaction.atomic
def purge_unconfirmed(*, older_than_days: int | None = None) -> int:
    """Delete subscriptions not confirmed within ``ORTSWANDEL_NEWSLETTER_UNCONFIRMED_DAYS``."""
    days = conf.unconfirmed_days() if older_than_days is None else older_than_days
    stale = Subscription.objects.filter(
        status=SubscriptionStatus.PENDING, created_at__lt=timezone.now() - dt.timedelta(days=days)
    )
    return _delete(stale, action="newsletter.subscription.unconfirmed_deleted")


@transaction.atomic
def purge_unsubscribed(*, older_than_days: int | None = None) -> int:
    """Delete unsubscribed addresses after ``ORTSWANDEL_NEWSLETTER_RETENTION_DAYS``."""
    days = conf.retention_days() if older_than_days is None else older_than_days
    stale = Subscription.objects.filter(
        status=SubscriptionStatus.UNSUBSCRIBED,
        unsubscribed_at__lt=timezone.now() - dt.timedelta(days=days),
    )
    return _delete(stale, action="newsletter.subscription.unsubscribed_deleted")


def _delete(queryset: QuerySet[Subscription], *, action: str) -> int:
    """Delete subscriptions and their mails; the deliveries of an address that has no
    subscription left lose its hash (the per-issue counts stay)."""
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    hashes = set(Subscription.objects.filter(pk__in=ids).values_list("address_hash", flat=True))
    notifications.mail_delete_regarding(object_type=Subscription._meta.label_lower, object_ids=ids)
    Subscription.objects.filter(pk__in=ids).delete()
    still_used = set(
        Subscription.objects.filter(address_hash__in=hashes).values_list("address_hash", flat=True)
    )
    Delivery.objects.filter(address_hash__in=hashes - still_used).update(
        address_hash=Concat(Value("erased:"), Cast("pk", output_field=CharField()))
    )
    audit_log(action=action, actor=None, payload={"count": len(ids)})
    return len(ids)


# --- DSGVO hooks (called by accounts through the app package) ---------------------------------
def personal_data_export(*, user: Any) -> list[dict[str, Any]]:
    """The subscriptions of the account's address (Art. 15/20)."""
    if not getattr(user, "email", ""):
        return []
    hash_ = address_hash(user.email)
    rows = Subscription.objects.filter(address_hash=hash_).select_related(
        "programme", "theme", "theme__programme", "municipality"
    )
    return [
        {
            "email": s.email,
            "topic": s.topic_label,
            "topic_kind": s.topic_kind,
            "language": s.language,
            "status": s.status,
            "created_at": s.created_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
        }
        for s in rows
    ]


@transaction.atomic
def personal_data_erase(*, user: Any) -> int:
    """Delete the subscriptions of the account's address and their mails (Art. 17)."""
    if not getattr(user, "email", ""):
        return 0
    hash_ = address_hash(user.email)
    rows = Subscription.objects.filter(address_hash=hash_) | Subscription.objects.filter(
        user_id=user.pk
    )
    return _delete(rows, action="newsletter.subscription.erased")
