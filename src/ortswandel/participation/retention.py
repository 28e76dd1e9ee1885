"""Personal data of participants: export (DSGVO Art. 15/20) and erasure (Art. 17).

Deleting an account keeps its ideas and comments, anonymised (author removed, display name
replaced), so discussions stay readable – unless the person asks for removal
(``remove_contributions=True``, e.g. from the account deletion form), which deletes them.
Votes and ballots lose their link to the person but keep counting.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import Ballot, Comment, Follow, Idea, Participant, Report, SurveyResponse, Vote


def personal_data_export(*, user: Any) -> dict[str, Any]:
    return {
        "participations": [
            {
                "process": p.process.title,
                "display_name": p.display_name,
                "accepted_code_at": p.accepted_code_at.isoformat(),
                "resident_declared": p.resident_declared,
            }
            for p in Participant.objects.filter(user=user).select_related("process")
        ],
        "ideas": [
            {
                "process": i.process.title,
                "title": i.title,
                "text": i.text,
                "location_text": i.location_text,
                "created_at": i.created_at.isoformat(),
            }
            for i in Idea.objects.filter(author=user).select_related("process")
        ],
        "comments": [
            {"idea": c.idea.title, "text": c.text, "created_at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=user).select_related("idea")
        ],
        "votes": [
            {"idea": v.idea.title, "value": v.value}
            for v in Vote.objects.filter(user=user).select_related("idea")
        ],
        "follows": [
            f.process.title for f in Follow.objects.filter(user=user).select_related("process")
        ],
    }


@transaction.atomic
def personal_data_erase(*, user: Any, remove_contributions: bool = False) -> None:
    anonymous = _("gelöschtes Konto")
    if remove_contributions:
        contributions_remove(user=user)
    else:
        Idea.objects.filter(author=user).update(author=None, author_name=anonymous)
        Comment.objects.filter(author=user).update(author=None, author_name=anonymous)
    Vote.objects.filter(user=user).update(user=None)
    Ballot.objects.filter(user=user).update(user=None)
    SurveyResponse.objects.filter(user=user).update(user=None)
    Report.objects.filter(reporter=user).update(reporter=None)
    Participant.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()


@transaction.atomic
def contributions_remove(*, user: Any) -> int:
    """Delete the person's ideas and comments (on request, DSGVO Art. 17) – before or without
    deleting the account; returns how many were deleted."""
    from ortswandel.core.audit import audit_log

    comments = list(Comment.objects.filter(author=user))
    for comment in comments:
        if not comment.is_hidden and not comment.awaiting_review:
            Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)
    # Replies of others below a removed comment go with it (threads stay consistent).
    deleted_comments = Comment.objects.filter(pk__in=[c.pk for c in comments]).delete()[0]
    from .places import bump_map

    for process_id in set(Idea.objects.filter(author=user).values_list("process_id", flat=True)):
        bump_map(process_id)  # the idea map counts them
    deleted_ideas = Idea.objects.filter(author=user).delete()[0]
    audit_log(
        action="participation.contributions.removed",
        actor=user,
        payload={"ideas_and_comments": deleted_comments + deleted_ideas},
    )
    return len(comments) + deleted_ideas
