"""The survey lock under concurrency (PostgreSQL): participants answer while a moderator adds a
question at the same instant. The editor and the answer take the same row lock on the phase, so
either the question came first (and every answer was given after it) or an answer came first
(and the editor refused with 409) — never a question added to a survey that already had answers.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from ortswandel.core.errors import Conflict
from ortswandel.core.models import AuditEntry
from ortswandel.participation import survey_editor, surveys
from ortswandel.participation.models import Choice, Phase, PhaseKind, Process, Question
from ortswandel.participation.survey_editor import QuestionData

from .conftest import join

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

ROUNDS = 8
PEOPLE = 6


def _survey(municipality, number: int) -> tuple[Phase, Question]:
    now = timezone.now()
    process = Process.objects.create(
        title=f"Umfrage {number}", slug=f"umfrage-{number}", municipality=municipality
    )
    phase = Phase.objects.create(
        process=process,
        kind=PhaseKind.SURVEY,
        name="Umfrage",
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1),
    )
    question = Question.objects.create(phase=phase, text="Bus?", kind="single")
    for label in ("ja", "nein"):
        Choice.objects.create(question=question, label=label)
    return phase, question


def _race(
    phase: Phase, question: Question, people: list, moderator, handicap: int
) -> tuple[str, list]:
    """Everybody answers while the moderator adds a question, leaving together at a barrier;
    the moderator first makes ``handicap`` round trips to the database (so that over the rounds
    the edit lands before, among and after the answers — without sleeping)."""
    choice = question.choices.first()
    barrier = threading.Barrier(len(people) + 1)
    errors: list[BaseException] = []
    outcome: list[str] = []

    def answer(user) -> None:
        try:
            barrier.wait()
            surveys.survey_submit(phase=phase, user=user, answers={f"q{question.pk}": choice.pk})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def edit() -> None:
        try:
            barrier.wait()
            for _ in range(handicap):
                Phase.objects.filter(pk=phase.pk).exists()
            survey_editor.question_add(
                phase=phase, actor=moderator, data=QuestionData(text="Noch etwas?", kind="text")
            )
            outcome.append("added")
        except Conflict:
            outcome.append("refused")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(u,)) for u in people]
    threads.append(threading.Thread(target=edit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (outcome or ["failed"])[0], errors


def test_question_added_while_people_answer_never_lands_after_an_answer(
    staff_municipality, django_user_model
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    moderator = django_user_model.objects.create_user(username="mod", email="mod@example.org")
    outcomes = {"added": 0, "refused": 0, "failed": 0}
    for number in range(ROUNDS):
        phase, question = _survey(staff_municipality, number)
        people = []
        for i in range(PEOPLE):
            user = django_user_model.objects.create_user(
                username=f"p{number}-{i}", email=f"p{number}-{i}@example.org"
            )
            join(phase.process, user, f"P{i}")
            people.append(user)
        outcome, errors = _race(phase, question, people, moderator, handicap=4 * number)
        outcomes[outcome] += 1
        assert errors == []
        assert phase.responses.count() == PEOPLE
        added = AuditEntry.objects.filter(
            action="participation.survey.question_added", object_id=str(phase.pk)
        ).first()
        if added is not None:
            # The question was added first: every answer was given after it.
            assert not phase.responses.filter(created_at__lte=added.created_at).exists()
            assert phase.questions.count() == 2
        else:
            assert phase.questions.count() == 1
    assert outcomes["failed"] == 0 and outcomes["added"] + outcomes["refused"] == ROUNDS
    print(f"survey lock race: {outcomes}")
