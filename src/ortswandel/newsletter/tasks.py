"""Jobs of the newsletter: batch sending, digests and the retention purges."""

from __future__ import annotations

from ortswandel.core import jobs

from . import services


def send_issue_batch(issue_id: int) -> str:
    """Queue the next batch of an issue being sent (queued by ``services.issue_send``)."""
    return f"queued={services.issue_send_batch(issue_id=issue_id)}"


@jobs.periodic(name="newsletter.send_digests", daily_at="07:00")
def send_digests() -> str:
    return f"digests={len(services.digests_send_due())}"


@jobs.periodic(name="newsletter.purge_subscriptions", daily_at="03:40")
def purge_subscriptions() -> str:
    unconfirmed = services.purge_unconfirmed()
    unsubscribed = services.purge_unsubscribed()
    return f"unconfirmed={unconfirmed} unsubscribed={unsubscribed}"
