"""Predicates of the calls app (combined into permissions in ``rules.py``).

Scopes: a call itself, or anything with ``call`` (application) or ``application`` (attachment,
review). Jury membership and conflicts are read once per user and call and cached on the user
object for the request.
"""

from __future__ import annotations

from typing import Any

import rules

from ortswandel.accounts.predicates import is_editor_of_programme, is_site_admin
from ortswandel.accounts.roles import granted_municipality_ids

_JURY_CACHE = "_ortswandel_calls_jury"


def _label(obj: Any) -> str:
    meta = getattr(obj, "_meta", None)
    return meta.label_lower if meta is not None else ""


def application_of(obj: Any) -> Any:
    """The application ``obj`` is, or belongs to (attachment, review, decision …); else None."""
    label = _label(obj)
    if label == "calls.application":
        return obj
    if label.startswith("calls.") and hasattr(obj, "application_id"):
        return obj.application
    return None


def call_of(obj: Any) -> Any:
    if _label(obj) == "calls.call":
        return obj
    application = application_of(obj)
    if application is not None:
        return application.call
    return getattr(obj, "call", None) if _label(obj).startswith("calls.") else None


def jury_state(user: Any, call_id: int) -> tuple[int | None, bool, frozenset[int]]:
    """``(jury member id, is chair, application ids with a declared conflict)`` of ``user`` in
    the call; ``(None, False, ∅)`` if not an accepted juror."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None, False, frozenset()
    cache: dict[int, tuple[int | None, bool, frozenset[int]]] = (
        getattr(user, _JURY_CACHE, None) or {}
    )
    if call_id not in cache:
        from .models import ConflictOfInterest, JuryMember

        member = (
            JuryMember.objects.filter(call_id=call_id, user=user, accepted_at__isnull=False)
            .values("pk", "is_chair")
            .first()
        )
        if member is None:
            cache[call_id] = (None, False, frozenset())
        else:
            conflicts = frozenset(
                ConflictOfInterest.objects.filter(juror_id=member["pk"]).values_list(
                    "application_id", flat=True
                )
            )
            cache[call_id] = (member["pk"], member["is_chair"], conflicts)
        setattr(user, _JURY_CACHE, cache)
    return cache[call_id]


def forget_jury_state(user: Any) -> None:
    if hasattr(user, _JURY_CACHE):
        delattr(user, _JURY_CACHE)


@rules.predicate
def is_call_editor(user: Any, obj: Any) -> bool:
    """Editor of the programme of the call (of the application …)."""
    call = call_of(obj)
    return bool(call is not None and is_editor_of_programme.test(user, call))


@rules.predicate
def is_public_call(user: Any, obj: Any) -> bool:
    return bool(_label(obj) == "calls.call" and obj.is_public)


@rules.predicate
def is_applicant_of(user: Any, obj: Any) -> bool:
    """Applicant of the application: its author, or staff of its municipality."""
    application = application_of(obj)
    if application is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(
        application.applicant_id == user.pk
        or application.municipality_id in granted_municipality_ids(user)
    )


@rules.predicate
def is_co_applicant_of(user: Any, obj: Any) -> bool:
    """Staff of a co-applying municipality of the application."""
    application = application_of(obj)
    if application is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    granted = granted_municipality_ids(user)
    if not granted:
        return False
    co = {m.pk for m in application.co_municipalities.all()}
    return bool(co & granted)


@rules.predicate
def is_juror_of_call(user: Any, obj: Any) -> bool:
    call = call_of(obj)
    return bool(call is not None and jury_state(user, call.pk)[0] is not None)


@rules.predicate
def is_chair_of_call(user: Any, obj: Any) -> bool:
    call = call_of(obj)
    return bool(call is not None and jury_state(user, call.pk)[1])


@rules.predicate
def has_conflict(user: Any, obj: Any) -> bool:
    """The juror declared a conflict of interest for this application."""
    application = application_of(obj)
    if application is None:
        return False
    return application.pk in jury_state(user, application.call_id)[2]


@rules.predicate
def is_before_jury(user: Any, obj: Any) -> bool:
    """The application is submitted (or decided): the jury may see it."""
    from .models import REVIEWABLE

    application = application_of(obj)
    return bool(application is not None and application.status in REVIEWABLE)


#: Runs the call: site admins and editors of its programme.
is_call_manager = is_site_admin | is_call_editor
#: A juror without a conflict for this submitted application.
is_free_juror = is_juror_of_call & is_before_jury & ~has_conflict


def may(user: Any, perm: str, obj: Any) -> bool:
    """``perm`` as declared in ``rules.py`` for ``(user, obj)``.

    Unlike ``user.has_perm`` this does not grant every permission to a superuser: a site admin
    manages calls (the rules say so) but is no applicant or juror unless they hold that role.
    """
    return bool(rules.has_perm(perm, user, obj))
