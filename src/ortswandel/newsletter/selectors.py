"""Reads of the newsletter: what an editor may put into an issue, who receives it, the
per-issue counts and the status panel of a programme (for the back-office dashboard)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from ortswandel.catalogue import selectors as catalogue_selectors
from ortswandel.catalogue.models import NewsItem, Programme, Result
from ortswandel.core.models import QueuedMail
from ortswandel.events import selectors as event_selectors
from ortswandel.events.models import Event

from .models import (
    Delivery,
    Issue,
    IssueStatus,
    ProgrammeNewsletter,
    Subscription,
    SubscriptionStatus,
    SuppressedAddress,
    SuppressionReason,
    TopicKind,
)

#: How far back the composer offers content when nothing was sent yet.
COMPOSE_DAYS = 90


@dataclass
class ComposeOptions:
    news: list[NewsItem] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)


def last_sent_at(programme: Programme) -> dt.datetime | None:
    return (
        Issue.objects.filter(programme=programme, status=IssueStatus.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def compose_options(
    programme: Programme, *, since: dt.datetime | None, unsent_only: bool = False
) -> ComposeOptions:
    """Public news, upcoming events and results of ``programme``; with ``since``: only those
    new since then (news by date, results by creation, events by creation); with
    ``unsent_only``: only those not in an issue already sent (or being sent)."""
    news = catalogue_selectors.published_news().filter(programme=programme)
    results = catalogue_selectors.published_results().filter(programme=programme)
    events = event_selectors.public_events(
        event_selectors.EventFilters(programme=programme.slug)
    ).filter(programme=programme)
    if since is not None:
        news = news.filter(published_on__gte=timezone.localtime(since).date())
        results = results.filter(created_at__gte=since)
        events = events.filter(created_at__gte=since)
    if unsent_only:
        sent = Issue.objects.filter(programme=programme).exclude(status=IssueStatus.DRAFT)
        news = news.exclude(pk__in=sent.filter(news__isnull=False).values("news"))
        events = events.exclude(pk__in=sent.filter(events__isnull=False).values("events"))
        results = results.exclude(pk__in=sent.filter(results__isnull=False).values("results"))
    return ComposeOptions(
        news=list(news.order_by("-published_on", "-id")[:50]),
        events=list(events[:50]),
        results=list(results.order_by("-created_at", "-id")[:50]),
    )


@dataclass
class IssueContent:
    news: list[NewsItem]
    events: list[Event]
    results: list[Result]


def issue_content(issue: Issue) -> IssueContent:
    return IssueContent(
        news=list(issue.news.order_by("-published_on", "-id")),
        events=list(issue.events.order_by("starts_at", "id")),
        results=list(issue.results.order_by("title", "id")),
    )


def issue_is_empty(issue: Issue) -> bool:
    return not (issue.news.exists() or issue.events.exists() or issue.results.exists())


def _audience(issue: Issue) -> Q:
    """Subscriptions that receive ``issue``: to its programme; to a theme of one of its items;
    to a Land or municipality where the programme has a project."""
    programme = issue.programme
    theme_ids = (
        set(issue.news.values_list("themes", flat=True))
        | set(issue.events.values_list("themes", flat=True))
        | set(issue.results.values_list("themes", flat=True))
    ) - {None}
    places = programme.projects.filter(
        pk__in=catalogue_selectors.published_projects().values("pk")
    ).values_list("municipalities__pk", "municipalities__land_code")
    municipality_ids = {pk for pk, _land in places if pk is not None}
    lands = {land for _pk, land in places if land}
    return (
        Q(topic_kind=TopicKind.PROGRAMME, programme=programme)
        | Q(topic_kind=TopicKind.THEME, theme_id__in=theme_ids)
        | Q(topic_kind=TopicKind.LAND, land_code__in=lands)
        | Q(topic_kind=TopicKind.MUNICIPALITY, municipality_id__in=municipality_ids)
    )


def recipients(issue: Issue) -> QuerySet[Subscription]:
    """One confirmed subscription per address that receives ``issue`` (not suppressed)."""
    suppressed = SuppressedAddress.objects.filter(
        reason__in=[SuppressionReason.BOUNCE, SuppressionReason.COMPLAINT]
    ).values("address_hash")
    firsts = (
        Subscription.objects.confirmed()
        .filter(_audience(issue))
        .exclude(address_hash__in=suppressed)
        .values("address_hash")
        .annotate(first=Min("pk"))
        .values("first")
    )
    return Subscription.objects.filter(pk__in=firsts).order_by("address_hash")


def pending_recipients(issue: Issue) -> QuerySet[Subscription]:
    """Recipients who have no delivery of ``issue`` yet (the next batch)."""
    served = Delivery.objects.filter(issue=issue).values("address_hash")
    return recipients(issue).exclude(address_hash__in=served)


@dataclass(frozen=True)
class IssueStatistics:
    """Counts only: no per-person data, no tracking pixels."""

    recipients: int
    sent: int
    failed: int
    waiting: int
    unsubscribed_after: int


def issue_statistics(issue: Issue) -> IssueStatistics:
    mail_ids = [
        pk
        for pk in Delivery.objects.filter(issue=issue).values_list("mail_id", flat=True)
        if pk is not None
    ]
    total = Delivery.objects.filter(issue=issue).count()
    mails = QueuedMail.objects.filter(pk__in=mail_ids)
    failed = mails.filter(failed_at__isnull=False).count()
    waiting = mails.filter(sent_at__isnull=True, failed_at__isnull=True).count()
    # A mail missing from the queue was sent and purged, or cancelled by an unsubscribe.
    return IssueStatistics(
        recipients=total,
        sent=max(total - failed - waiting, 0),
        failed=failed,
        waiting=waiting,
        unsubscribed_after=issue.unsubscribed_count,
    )


def issues_of(programme: Programme) -> QuerySet[Issue]:
    return Issue.objects.filter(programme=programme).order_by("-created_at", "-id")


def subscriptions_of_address(hash_: str) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(address_hash=hash_)
        .exclude(status=SubscriptionStatus.UNSUBSCRIBED)
        .select_related("programme", "theme", "theme__programme", "municipality")
        .order_by("topic_kind", "id")
    )


def newsletter_status(programme: Programme) -> dict[str, Any]:
    """For a back-office dashboard panel: subscribers (count), drafts, the last issue and its
    counts, and the digest schedule of ``programme``."""
    audience = Subscription.objects.confirmed().filter(
        Q(topic_kind=TopicKind.PROGRAMME, programme=programme)
        | Q(topic_kind=TopicKind.THEME, theme__programme=programme)
    )
    last = (
        Issue.objects.filter(
            programme=programme, status__in=[IssueStatus.SENT, IssueStatus.SENDING]
        )
        .order_by("-send_started_at", "-id")
        .first()
    )
    digest = ProgrammeNewsletter.objects.filter(programme=programme).first()
    return {
        "subscribers": audience.values("address_hash").distinct().count(),
        "drafts": Issue.objects.filter(programme=programme, status=IssueStatus.DRAFT).count(),
        "last_issue": last,
        "last_statistics": issue_statistics(last) if last else None,
        "digest": digest.get_digest_display() if digest else None,
    }


def digest_frequency(programme: Programme) -> str:
    entry = ProgrammeNewsletter.objects.filter(programme=programme).first()
    return entry.digest if entry else "off"
