"""Survey editing in the process back office: moderators create survey phases and add, change,
reorder and remove their questions (single/multiple choice, ranking, free text).

The lock rule: once a survey has a response, its *structure* is frozen — no question may be
added, removed or moved, and no question may change its kind, its number of choices, whether it
is required or its limit. Only the wording of a question and of its choices may still be
corrected (a typo fix); the choices keep their identity and order, so every stored answer still
points at the choice it was given for. Everything else raises :class:`Conflict` (409) with a
German message. The check runs under a row lock on the phase, which :func:`surveys.survey_submit`
takes as well, so an answer and a structural edit can never interleave.

Every change writes an audit entry (``participation.survey.*``) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, InvalidInput

from .models import Choice, Phase, PhaseKind, Process, Question, QuestionKind

MAX_CHOICES = 20
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING})
LIMIT_KINDS = frozenset({QuestionKind.MULTIPLE, QuestionKind.RANKING})


@dataclass(frozen=True)
class QuestionData:
    """What a moderator entered for one question (choices in their order)."""

    text: str
    kind: str
    choices: tuple[str, ...] = ()
    required: bool = False
    max_choices: int | None = None


def split_choices(raw: str) -> tuple[str, ...]:
    """One choice per line; blank lines are dropped."""
    return tuple(line.strip() for line in str(raw or "").splitlines() if line.strip())


def _choices_error(kind: str, choices: tuple[str, ...]) -> str | None:
    if kind in CHOICE_KINDS:
        if len(choices) < 2:
            return _("Bitte geben Sie mindestens zwei Antwortmöglichkeiten an.")
        if len(choices) > MAX_CHOICES:
            return _("Bitte höchstens %(n)d Antwortmöglichkeiten.") % {"n": MAX_CHOICES}
        if any(len(c) > 200 for c in choices):
            return _("Jede Antwortmöglichkeit darf höchstens 200 Zeichen haben.")
        if len({c.casefold() for c in choices}) != len(choices):
            return _("Jede Antwortmöglichkeit darf nur einmal vorkommen.")
    elif kind == QuestionKind.TEXT and choices:
        return _("Freitextfragen haben keine Antwortmöglichkeiten.")
    return None


def _limit_error(kind: str, limit: int | None, choices: tuple[str, ...]) -> str | None:
    if limit is None:
        return None
    if kind not in LIMIT_KINDS:
        return _("Eine Höchstzahl gibt es nur bei Mehrfachauswahl und Rangfolge.")
    if limit < 1:
        return _("Bitte eine Zahl ab 1.")
    if limit > len(choices):
        return _("Die Höchstzahl ist größer als die Zahl der Antwortmöglichkeiten (%(n)d).") % {
            "n": len(choices)
        }
    return None


def _clean(data: QuestionData) -> QuestionData:
    """The question with its rules checked; :class:`InvalidInput` with per-field messages."""
    errors: dict[str, str] = {}
    text = data.text.strip()
    if not text:
        errors["text"] = _("Bitte geben Sie den Wortlaut der Frage ein.")
    elif len(text) > 300:
        errors["text"] = _("Bitte höchstens 300 Zeichen.")
    if data.kind not in QuestionKind.values:
        errors["kind"] = _("Bitte wählen Sie eine Frageart.")
    choices = tuple(c.strip() for c in data.choices if c.strip())
    if (message := _choices_error(data.kind, choices)) is not None:
        errors["choices"] = message
    elif (message := _limit_error(data.kind, data.max_choices, choices)) is not None:
        errors["max_choices"] = message
    if errors:
        raise InvalidInput(_("Bitte prüfen Sie die Angaben zur Frage."), fields=errors)
    return QuestionData(
        text=text,
        kind=data.kind,
        choices=choices,
        required=bool(data.required),
        max_choices=data.max_choices,
    )


def _locked_phase(phase: Phase) -> tuple[Phase, int]:
    """The phase row locked for this transaction, and its number of responses."""
    locked = Phase.objects.select_for_update().get(pk=phase.pk)
    if locked.kind != PhaseKind.SURVEY:
        raise InvalidInput(_("Diese Phase ist keine Umfrage."))
    return locked, locked.responses.count()


def _refuse_locked(responses: int) -> None:
    if responses:
        raise Conflict(
            ngettext(
                "Diese Umfrage hat bereits %(n)d Antwort. Fragen können deshalb nicht mehr "
                "hinzugefügt, entfernt, umsortiert oder in Art, Antwortmöglichkeiten, Pflicht "
                "und Höchstzahl geändert werden – sonst würden die Ergebnisse verfälscht. Nur "
                "Tippfehler im Wortlaut lassen sich noch korrigieren.",
                "Diese Umfrage hat bereits %(n)d Antworten. Fragen können deshalb nicht mehr "
                "hinzugefügt, entfernt, umsortiert oder in Art, Antwortmöglichkeiten, Pflicht "
                "und Höchstzahl geändert werden – sonst würden die Ergebnisse verfälscht. Nur "
                "Tippfehler im Wortlaut lassen sich noch korrigieren.",
                responses,
            )
            % {"n": responses},
            code="survey_locked",
        )


def survey_is_locked(phase: Phase) -> bool:
    return phase.responses.exists()


def survey_phase_create(
    *,
    process: Process,
    actor: Any,
    name: str,
    description: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Phase:
    """A new survey phase on the process's timeline (it must not overlap another phase: the
    phase active *now* decides what participants may do)."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Bitte geben Sie einen Namen an.")
    elif len(name) > 200:
        errors["name"] = _("Bitte höchstens 200 Zeichen.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("Das Ende muss nach dem Beginn liegen.")
    with transaction.atomic():
        Process.objects.select_for_update().filter(pk=process.pk).first()
        if "ends_at" not in errors:
            clash = (
                process.phases.filter(Q(starts_at__lt=ends_at) & Q(ends_at__gt=starts_at))
                .order_by("starts_at")
                .first()
            )
            if clash is not None:
                errors["starts_at"] = _(
                    "Der Zeitraum überschneidet sich mit der Phase „%(name)s“ "
                    "(%(start)s – %(end)s)."
                ) % {
                    "name": clash.name,
                    "start": f"{timezone.localtime(clash.starts_at):%d.%m.%Y %H:%M}",
                    "end": f"{timezone.localtime(clash.ends_at):%d.%m.%Y %H:%M}",
                }
        if errors:
            raise InvalidInput(_("Bitte prüfen Sie die Angaben zur Umfrage."), fields=errors)
        phase = Phase.objects.create(
            process=process,
            kind=PhaseKind.SURVEY,
            name=name,
            description=description.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
        )
        audit_log(
            action="participation.survey.created",
            actor=actor,
            obj=phase,
            payload={"starts_at": starts_at, "ends_at": ends_at},
        )
    return phase


def _write_choices(question: Question, labels: tuple[str, ...]) -> None:
    """Update the choices in place by position, add missing ones, delete surplus ones."""
    existing = list(question.choices.order_by("position", "pk"))
    for position, label in enumerate(labels):
        if position < len(existing):
            choice = existing[position]
            if (choice.label, choice.position) != (label, position):
                choice.label, choice.position = label, position
                choice.save(update_fields=["label", "position"])
        else:
            Choice.objects.create(question=question, label=label, position=position)
    surplus = [c.pk for c in existing[len(labels) :]]
    if surplus:
        Choice.objects.filter(pk__in=surplus).delete()


def _snapshot(question: Question) -> dict[str, Any]:
    return {
        "text": question.text,
        "kind": question.kind,
        "required": question.required,
        "max_choices": question.max_choices,
        "choices": [c.label for c in question.choices.order_by("position", "pk")],
    }


def question_add(*, phase: Phase, actor: Any, data: QuestionData) -> Question:
    clean = _clean(data)
    with transaction.atomic():
        locked, responses = _locked_phase(phase)
        _refuse_locked(responses)
        last = locked.questions.aggregate(last=Max("position"))["last"]
        question = Question.objects.create(
            phase=locked,
            text=clean.text,
            kind=clean.kind,
            required=clean.required,
            max_choices=clean.max_choices,
            position=0 if last is None else last + 1,
        )
        _write_choices(question, clean.choices)
        audit_log(
            action="participation.survey.question_added",
            actor=actor,
            obj=locked,
            payload={"question": question.pk, **_snapshot(question)},
        )
    return question


def _reordered(old: list[str], new: tuple[str, ...]) -> bool:
    """A label that moved to another position: the answers would change their meaning."""
    where = {label.casefold(): i for i, label in enumerate(old)}
    return any(where.get(label.casefold(), i) != i for i, label in enumerate(new))


def question_update(*, question: Question, actor: Any, data: QuestionData) -> Question:
    """Change a question; once the survey has answers only its wording (and the wording of its
    choices, same number and order) may change."""
    clean = _clean(data)
    with transaction.atomic():
        _locked, responses = _locked_phase(question.phase)
        question = Question.objects.select_for_update().get(pk=question.pk)
        before = _snapshot(question)
        if responses:
            structural = (
                clean.kind != question.kind
                or clean.required != question.required
                or clean.max_choices != question.max_choices
                or len(clean.choices) != len(before["choices"])
                or _reordered(before["choices"], clean.choices)
            )
            if structural:
                _refuse_locked(responses)
        question.text = clean.text
        question.kind = clean.kind
        question.required = clean.required
        question.max_choices = clean.max_choices
        question.save(update_fields=["text", "kind", "required", "max_choices"])
        _write_choices(question, clean.choices)
        after = _snapshot(question)
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            audit_log(
                action="participation.survey.question_changed",
                actor=actor,
                obj=question.phase,
                payload={"question": question.pk, "changes": changes, "answered": responses},
            )
    return question


def question_move(*, question: Question, actor: Any, direction: str) -> None:
    """Swap the question with its neighbour above (``"up"``) or below (``"down"``)."""
    if direction not in {"up", "down"}:
        raise InvalidInput(_("Unbekannte Richtung."), fields={"direction": _("oben oder unten")})
    with transaction.atomic():
        locked, responses = _locked_phase(question.phase)
        _refuse_locked(responses)
        order = list(locked.questions.order_by("position", "pk"))
        index = next(i for i, q in enumerate(order) if q.pk == question.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(order):
            raise InvalidInput(
                _("Die Frage steht schon ganz oben.")
                if direction == "up"
                else _("Die Frage steht schon ganz unten.")
            )
        order[index], order[other] = order[other], order[index]
        for position, item in enumerate(order):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        audit_log(
            action="participation.survey.question_moved",
            actor=actor,
            obj=locked,
            payload={"question": question.pk, "order": [q.pk for q in order]},
        )


def question_remove(*, question: Question, actor: Any) -> None:
    with transaction.atomic():
        locked, responses = _locked_phase(question.phase)
        _refuse_locked(responses)
        snapshot = _snapshot(question)
        pk = question.pk
        question.delete()
        audit_log(
            action="participation.survey.question_removed",
            actor=actor,
            obj=locked,
            payload={"question": pk, **snapshot},
        )
