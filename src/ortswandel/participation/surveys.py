"""Polls and surveys (single/multiple choice, ranking, free text) and participatory budgeting
(CONSUL: costed proposals, knapsack or approval ballots, one ballot per verified participant).

One response and one ballot per person and phase are guaranteed by unique constraints, so
parallel submissions of the same person store exactly one; counts are computed from the rows.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core import questions
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, InvalidInput, PermissionDenied
from ortswandel.core.spreadsheets import safe_row

from .models import (
    Answer,
    Ballot,
    BudgetMethod,
    Idea,
    Phase,
    PhaseKind,
    QuestionKind,
    SurveyResponse,
)


def _require_open(user: Any, phase: Phase, perm: str, kind: str) -> None:
    if phase.kind != kind:
        raise InvalidInput(_("Diese Phase ist keine %(kind)s.") % {"kind": kind})
    if not user.has_perm(perm, phase.process) or not phase.is_active(timezone.now()):
        raise PermissionDenied(_("Diese Phase ist nicht geöffnet – oder Sie nehmen nicht teil."))
    if not phase.process.participants.filter(user_id=user.pk).exists():
        raise PermissionDenied(_("Bitte treten Sie dem Prozess zuerst bei."))


class RankingKind(questions.MultipleChoiceKind):
    """A ranking: distinct choices in order of preference (the first is rank 1)."""

    def display(self, spec: questions.QuestionSpec | None, value: Any) -> str:
        labels = super().display(spec, value).split("; ") if value else []
        return "; ".join(f"{rank}. {label}" for rank, label in enumerate(labels, start=1))


#: The survey's kinds (stored values) on the shared kinds, plus the ranking of its own.
SURVEY_KINDS: dict[str, questions.AnswerKind] = {
    QuestionKind.SINGLE: questions.ChoiceKind(accept_list=True),
    QuestionKind.MULTIPLE: questions.MULTIPLE,
    QuestionKind.RANKING: RankingKind(),
    QuestionKind.TEXT: questions.TEXT,  # no control characters: PostgreSQL refuses NUL
}
_MESSAGES = {
    "max_length": gettext_lazy("Bitte höchstens 2000 Zeichen."),
    "invalid_choice": gettext_lazy("Ungültige Auswahl."),
}


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    try:
        return [int(v) for v in values if str(v).strip() != ""]
    except (TypeError, ValueError) as exc:
        raise ValueError from exc


def _answer_rows(question: Any, raw: Any) -> list[Answer]:
    """The answer rows for one question; ``ValueError`` with a German message if invalid."""
    if question.kind == QuestionKind.TEXT:
        raw = str(raw or "")
    else:  # choice ids as typed by a form or an API client: whole numbers
        try:
            raw = [str(i) for i in _ids(raw)] if raw not in (None, "") else []
        except ValueError as exc:
            raise ValueError(_("Ungültige Auswahl.")) from exc
    value = questions.clean_answer(
        question.spec(), raw, kinds=SURVEY_KINDS, messages=_MESSAGES
    )  # an AnswerError is a ValueError
    if value is None:
        return []
    if question.kind == QuestionKind.TEXT:
        return [Answer(question=question, text=value)]
    if question.max_choices is not None and len(_as_list(value)) > question.max_choices:
        if question.kind == QuestionKind.RANKING:
            raise ValueError(
                _("Bitte vergeben Sie höchstens %(n)d Ränge.") % {"n": question.max_choices}
            )
        raise ValueError(_("Bitte höchstens %(n)d Antworten wählen.") % {"n": question.max_choices})
    choices = {str(c.pk): c for c in question.choices.all()}
    if question.kind == QuestionKind.RANKING:
        return [
            Answer(question=question, choice=choices[v], rank=r + 1) for r, v in enumerate(value)
        ]
    return [Answer(question=question, choice=choices[v]) for v in _as_list(value)]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def survey_submit(*, phase: Phase, user: User, answers: dict[str, Any]) -> SurveyResponse:
    """Store one person's answers. ``answers``: ``{"q<id>": choice id | [choice ids] | text}``
    (for a ranking: the choice ids in order of preference)."""
    _require_open(user, phase, "participation.answer_survey", PhaseKind.SURVEY)
    try:
        with transaction.atomic():
            # The same row lock as the survey editor (survey_editor): the questions validated
            # here cannot change before the answers are stored.
            Phase.objects.select_for_update().filter(pk=phase.pk).first()
            rows = _validated_rows(phase, answers)
            response = SurveyResponse.objects.create(phase=phase, user=user)
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            audit_log(action="participation.survey.answered", actor=user, obj=phase.process)
    except IntegrityError as exc:
        raise Conflict(
            _("Sie haben diese Umfrage schon beantwortet."), code="already_answered"
        ) from exc
    return response


def _validated_rows(phase: Phase, answers: dict[str, Any]) -> list[Answer]:
    rows: list[Answer] = []
    errors: dict[str, str] = {}
    for question in phase.questions.prefetch_related("choices"):
        key = f"q{question.pk}"
        try:
            found = _answer_rows(question, answers.get(key))
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        if question.required and not found:
            errors[key] = _("Bitte beantworten Sie diese Pflichtfrage.")
        rows += found
    if errors:
        raise InvalidInput(_("Bitte prüfen Sie Ihre Antworten."), fields=errors)
    if not rows:
        raise InvalidInput(_("Bitte beantworten Sie mindestens eine Frage."))
    return rows


def answers_from_post(phase: Phase, data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers of a submitted survey form (``q<id>`` for choices and texts, ``r<q>_<c>`` for
    the rank of each choice of a ranking) and the errors found while reading the ranks: each
    rank a whole number from 1 to the number of choices, none given twice."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in phase.questions.prefetch_related("choices"):
        key = f"q{question.pk}"
        if question.kind == QuestionKind.RANKING:
            choices = list(question.choices.all())
            ranked: list[tuple[int, int]] = []
            for choice in choices:
                raw = str(data.get(f"r{question.pk}_{choice.pk}") or "").strip()
                if not raw:
                    continue
                if not raw.isdigit() or not 1 <= int(raw) <= len(choices):
                    errors[key] = _("Bitte nur Ränge von 1 bis %(n)d vergeben.") % {
                        "n": len(choices)
                    }
                    break
                ranked.append((int(raw), choice.pk))
            else:
                if len({rank for rank, _cid in ranked}) != len(ranked):
                    errors[key] = _("Jeder Rang darf nur einmal vergeben werden.")
            answers[key] = [cid for _rank, cid in sorted(ranked)]
        elif question.kind == QuestionKind.MULTIPLE:
            answers[key] = data.getlist(key) if hasattr(data, "getlist") else data.get(key)
        else:
            answers[key] = data.get(key)
    return answers, errors


def survey_form_rows(
    phase: Phase, data: Any = None, errors: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """What the survey form shows per question: the question, its choices with the values the
    person entered (kept after an error) and the error message of the question."""
    errors = errors or {}
    rows = []
    for question in phase.questions.prefetch_related("choices"):
        key = f"q{question.pk}"
        picked = set(data.getlist(key)) if data is not None and hasattr(data, "getlist") else set()
        choices = [
            {
                "choice": c,
                "checked": str(c.pk) in picked,
                "rank": (data.get(f"r{question.pk}_{c.pk}") or "") if data is not None else "",
            }
            for c in question.choices.all()
        ]
        rows.append(
            {
                "question": question,
                "key": key,
                "choices": choices,
                "count": len(choices),
                "text": (data.get(key) or "") if data is not None else "",
                "error": errors.get(key, ""),
            }
        )
    return rows


def survey_results(phase: Phase) -> list[dict[str, Any]]:
    """Per question: rows ``(label, count, percent)`` (ranking: Borda points, the first place
    of k choices scoring k); free text: the number of answers (texts for managers only)."""
    results = []
    responses = phase.responses.count()
    for question in phase.questions.prefetch_related("choices"):
        answers = Answer.objects.filter(question=question)
        if question.kind == QuestionKind.TEXT:
            texts = list(answers.exclude(text="").values_list("text", flat=True))
            results.append(
                {"question": question, "rows": [], "texts": texts, "responses": responses}
            )
            continue
        choices = list(question.choices.all())
        if question.kind == QuestionKind.RANKING:
            k = len(choices)
            score: Counter[int] = Counter()
            for choice_id, rank in answers.values_list("choice_id", "rank"):
                score[choice_id] += k + 1 - (rank or k)
        else:
            score = Counter(answers.values_list("choice_id", flat=True))
        total = sum(score.values()) or 1
        rows = [
            (c.label, score.get(c.pk, 0), round(100 * score.get(c.pk, 0) / total, 1))
            for c in choices
        ]
        results.append({"question": question, "rows": rows, "texts": [], "responses": responses})
    return results


def result_charts(phase: Phase) -> list[Any]:
    """One bar chart (with its data table) per choice question (:mod:`ortswandel.core.charts`)."""
    from ortswandel.core import charts

    source = _("Beteiligungsplattform Ortswandel, %(phase)s, bis %(date)s") % {
        "phase": phase.name,
        "date": date_format(timezone.localtime(phase.ends_at), "SHORT_DATE_FORMAT"),
    }
    out = []
    for result in survey_results(phase):
        if not result["rows"]:
            continue
        question = result["question"]
        ranking = question.kind == QuestionKind.RANKING
        unit = _("Punkte") if ranking else _("Antworten")
        out.append(
            charts.bar_chart(
                title=question.text,
                description=_("%(n)d Teilnahmen; %(how)s je Antwort.")
                % {"n": result["responses"], "how": unit},
                categories=[label for label, _count, _share in result["rows"]],
                series=[charts.Series(name=unit, values=[c for _l, c, _s in result["rows"]])],
                source=source,
                cid=f"survey-q{question.pk}",
            )
        )
    return out


def survey_csv(phase: Phase, *, with_texts: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Frage"), _("Antwort"), _("Anzahl / Punkte"), _("Anteil (%)")])
    for result in survey_results(phase):
        for label, count, share in result["rows"]:
            writer.writerow(safe_row([result["question"].text, label, count, share]))
        if with_texts:
            for text in result["texts"]:
                writer.writerow(safe_row([result["question"].text, text, "", ""]))
    return out.getvalue()


# --- participatory budgeting ----------------------------------------------------------------


def budget_proposals(phase: Phase) -> list[Idea]:
    return list(
        Idea.objects.visible()
        .filter(process=phase.process, cost__isnull=False, cost__gt=0)
        .order_by("title", "pk")
    )


def ballot_submit(*, phase: Phase, user: User, idea_ids: list[int]) -> Ballot:
    """One ballot: knapsack (total cost within the budget) or approval (at most N proposals)."""
    _require_open(user, phase, "participation.cast_ballot", PhaseKind.BUDGET)
    proposals = {i.pk: i for i in budget_proposals(phase)}
    if not idea_ids:
        raise InvalidInput(fields={"ideas": _("Bitte wählen Sie mindestens einen Vorschlag.")})
    if len(set(idea_ids)) != len(idea_ids) or any(i not in proposals for i in idea_ids):
        raise InvalidInput(fields={"ideas": _("Unbekannter Vorschlag.")})
    chosen = [proposals[i] for i in idea_ids]
    total = sum((i.cost or Decimal(0) for i in chosen), Decimal(0))
    if phase.budget_method == BudgetMethod.KNAPSACK:
        if phase.budget is None or total > phase.budget:
            raise InvalidInput(
                _("Ihre Auswahl kostet %(total)s €, das Budget beträgt %(budget)s €.")
                % {"total": total, "budget": phase.budget},
                fields={"ideas": _("Das Budget ist überschritten.")},
            )
    elif len(chosen) > phase.approval_limit:
        raise InvalidInput(
            fields={
                "ideas": _("Bitte höchstens %(n)d Vorschläge wählen.") % {"n": phase.approval_limit}
            }
        )
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(phase=phase, user=user, total=total)
            ballot.ideas.set(chosen)
            audit_log(action="participation.ballot.cast", actor=user, obj=phase.process)
    except IntegrityError as exc:
        raise Conflict(_("Sie haben bereits abgestimmt."), code="already_voted") from exc
    return ballot


def budget_results(phase: Phase) -> list[dict[str, Any]]:
    """Proposals by votes; funded greedily in that order while the budget lasts (CONSUL)."""
    through = Ballot.ideas.through
    counts = Counter(through.objects.filter(ballot__phase=phase).values_list("idea_id", flat=True))
    remaining = phase.budget if phase.budget is not None else None
    rows = []
    for idea in sorted(budget_proposals(phase), key=lambda i: (-counts.get(i.pk, 0), i.pk)):
        cost = idea.cost or Decimal(0)
        funded = remaining is not None and counts.get(idea.pk, 0) > 0 and cost <= remaining
        if funded and remaining is not None:
            remaining -= cost
        rows.append({"idea": idea, "votes": counts.get(idea.pk, 0), "cost": cost, "funded": funded})
    return rows
