"""Fixtures for the participation tests: a process of Stahnsdorf with a timeline of phases, its
moderator, participants (of this and of another municipality), a moderator of another process,
and a frozen clock (``clock.at("ideas")`` puts "now" in the middle of that phase)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ortswandel.participation.models import Phase, PhaseKind, Process

#: The seven roles of issue 11.
PARTICIPATION_ROLES = (
    "anonymous",
    "participant",
    "other_participant",
    "moderator",
    "other_moderator",
    "programme_editor",
    "site_admin",
)

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
#: (kind, start offset in days, length in days)
TIMELINE = [
    (PhaseKind.INFORMATION, 0, 10),
    (PhaseKind.IDEAS, 10, 20),
    (PhaseKind.DISCUSSION, 30, 10),
    (PhaseKind.VOTING, 40, 10),
    (PhaseKind.SURVEY, 50, 10),
    (PhaseKind.BUDGET, 60, 10),
    (PhaseKind.RESULTS, 70, 30),
]


@pytest.fixture(autouse=True)
def _participation_settings(settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    settings.ORTSWANDEL_BASE_URL = "http://testserver"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The frozen clock jumps months: sessions must outlive the jumps.
    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600


_REAL_NOW = timezone.now


class Clock:
    def __init__(self, monkeypatch: Any) -> None:
        self.monkeypatch = monkeypatch

    def reset(self) -> None:
        """Back to the real clock (model defaults such as the mail queue's ``next_attempt_at``
        hold the real ``timezone.now``, so queued mail is due only in real time)."""
        self.monkeypatch.setattr(timezone, "now", _REAL_NOW)

    def set(self, moment: dt.datetime) -> dt.datetime:
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    def at(self, phase: str) -> dt.datetime:
        """The middle of the phase of kind ``phase``; "before" and "after" the whole timeline."""
        if phase == "before":
            return self.set(T0 - dt.timedelta(days=1))
        if phase == "after":
            return self.set(T0 + dt.timedelta(days=200))
        for kind, start, length in TIMELINE:
            if kind == phase:
                return self.set(T0 + dt.timedelta(days=start + length / 2))
        raise ValueError(phase)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def make_process(municipality, *, slug: str = "zukunft", programme=None, **fields: Any) -> Process:
    process = Process.objects.create(
        title=f"Zukunftsdialog {slug}",
        slug=slug,
        municipality=municipality,
        programme=programme,
        is_published=True,
        code_of_conduct="Wir gehen respektvoll miteinander um.",
        **fields,
    )
    for kind, start, length in TIMELINE:
        Phase.objects.create(
            process=process,
            kind=kind,
            name=str(PhaseKind(kind).label),
            starts_at=T0 + dt.timedelta(days=start),
            ends_at=T0 + dt.timedelta(days=start + length),
            budget=10000 if kind == PhaseKind.BUDGET else None,
        )
    return process


@pytest.fixture
def process(staff_municipality, programme):
    return make_process(staff_municipality, programme=programme)


@pytest.fixture
def other_process(other_staff_municipality, other_programme):
    return make_process(other_staff_municipality, slug="teltow-dialog", programme=other_programme)


def _user(django_user_model, password, name: str, municipality=None):
    from ortswandel.accounts.models import Profile

    user = django_user_model.objects.create_user(
        username=f"{name}@example.org", email=f"{name}@example.org", password=password
    )
    Profile.objects.create(user=user, municipality=municipality)
    return user


def join(process, user, name: str = "Anna"):
    from ortswandel.participation.models import Participant

    return Participant.objects.create(
        process=process,
        user=user,
        display_name=name,
        accepted_code_at=timezone.now(),
        trusted=True,
    )


@pytest.fixture
def participant(django_user_model, password, process, staff_municipality):
    user = _user(django_user_model, password, "anna", staff_municipality)
    join(process, user, "Anna aus Stahnsdorf")
    return user


@pytest.fixture
def other_participant(django_user_model, password, other_process, other_staff_municipality):
    """Takes part in the Teltow process, lives in Teltow; not a participant of ``process``."""
    user = _user(django_user_model, password, "tom", other_staff_municipality)
    join(other_process, user, "Tom aus Teltow")
    return user


@pytest.fixture
def moderator(django_user_model, password, process):
    user = _user(django_user_model, password, "moderation")
    process.moderators.add(user)
    return user


@pytest.fixture
def other_moderator(django_user_model, password, other_process):
    user = _user(django_user_model, password, "moderation-teltow")
    other_process.moderators.add(user)
    return user


@pytest.fixture
def idea(process, participant, clock):
    from ortswandel.participation import services

    now = clock.at(PhaseKind.IDEAS)
    made = services.idea_create(
        process=process,
        user=participant,
        title="Bank am Dorfteich",
        text="<p>Eine Bank zum Ausruhen.</p><script>alert(1)</script>",
        map_x=0.4,
        map_y=0.6,
        location_text="Am Dorfteich",
    )
    clock.set(now)
    return made
