"""The configurable application form of a call, and the eligibility rules.

``Call.form_fields`` is a list of field specs (JSON)::

    {"key": "ziele", "label": "Ziele", "kind": "text", "max_length": 3000, "required": true}
    {"key": "einwohner", "label": "…", "kind": "number", "min": 0, "max": 1000000}
    {"key": "schwerpunkt", "label": "…", "kind": "choice", "choices": ["Mobilität", "…"]}

The budget table (one row per grant year: total cost and own contribution) is always part of
the form; the call sets the years, the minimum own share and the maximum grant.
Checks return ``{field: German message}``; nothing here writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core import questions
from ortswandel.core.questions import parse_decimal as _decimal

KINDS = ("text", "number", "choice")

#: The built-in kinds; text without control characters (PostgreSQL refuses NUL in JSON).
_CALL_KINDS = {"text": questions.TEXT, "number": questions.NUMBER, "choice": questions.CHOICE}
#: The wording of the application form (the rest: :data:`ortswandel.core.questions.MESSAGES`).
_MESSAGES = {
    "required": gettext_lazy("Bitte füllen Sie „%(label)s“ aus."),
    "max_length": gettext_lazy("Höchstens %(n)s Zeichen (jetzt %(m)s)."),
    "invalid_choice": gettext_lazy("Bitte wählen Sie eine der Möglichkeiten."),
}


class FieldSpec(questions.QuestionSpec):
    """A field of the application form (:class:`~ortswandel.core.questions.QuestionSpec`)."""

    @property
    def input_name(self) -> str:
        return f"f_{self.key}"


def field_specs(raw: Any) -> list[FieldSpec]:
    """Parse ``Call.form_fields``; raises ``ValueError`` naming the bad entry."""
    specs: list[FieldSpec] = []
    for i, item in enumerate(raw or []):
        if not isinstance(item, dict) or not item.get("key") or item.get("kind") not in KINDS:
            raise ValueError(f"form field #{i}: needs key and kind in {KINDS}; got {item!r}")
        specs.append(
            FieldSpec(
                key=str(item["key"]),
                label=str(item.get("label") or item["key"]),
                kind=item["kind"],
                required=bool(item.get("required", True)),
                max_length=int(item.get("max_length", 5000)),
                min_length=int(item.get("min_length", 0)),
                min_value=Decimal(str(item["min"])) if item.get("min") is not None else None,
                max_value=Decimal(str(item["max"])) if item.get("max") is not None else None,
                choices=tuple(str(c) for c in item.get("choices", ())),
                help=str(item.get("help", "")),
                position=i,
            )
        )
    return specs


def clean_answers(
    specs: list[FieldSpec], data: dict[str, Any], *, complete: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean the answers (keyed by ``spec.key``; numbers are kept as text). ``complete``:
    required fields must be filled (on submission); a draft may be incomplete but never
    invalid."""
    raw = {spec.key: str(data.get(spec.key) or "") for spec in specs}
    answers, errors = questions.clean_answers(
        specs, raw, kinds=_CALL_KINDS, messages=_MESSAGES, complete=complete
    )
    return {key: str(value) for key, value in answers.items()}, errors


def clean_budget(
    data: dict[str, Any],
    *,
    years: list[int],
    own_share_min: Decimal,
    max_grant: Decimal,
    complete: bool,
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The budget table: ``{"2024": {"total": "…", "own": "…"}}``; errors keyed
    ``budget_<year>_total`` / ``budget_<year>_own`` / ``budget``."""
    table: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    requested = Decimal(0)
    for year in years:
        row = data.get(str(year)) or {}
        total, own = _decimal(row.get("total")), _decimal(row.get("own"))
        raw_total, raw_own = str(row.get("total") or "").strip(), str(row.get("own") or "").strip()
        if raw_total and (total is None or total < 0):
            errors[f"budget_{year}_total"] = _("Bitte geben Sie einen Betrag ≥ 0 ein.")
        if raw_own and (own is None or own < 0):
            errors[f"budget_{year}_own"] = _("Bitte geben Sie einen Betrag ≥ 0 ein.")
        if total is None or own is None:
            if complete and not errors.get(f"budget_{year}_total"):
                key = f"budget_{year}_total" if total is None else f"budget_{year}_own"
                errors.setdefault(
                    key, _("Bitte füllen Sie den Finanzplan für %(y)s aus.") % {"y": year}
                )
            if total is not None or own is not None:
                table[str(year)] = {"total": str(total or ""), "own": str(own or "")}
            continue
        table[str(year)] = {"total": str(total), "own": str(own)}
        if own > total:
            errors[f"budget_{year}_own"] = _("Der Eigenanteil ist höher als die Gesamtkosten.")
        elif total and own * 100 < total * own_share_min:
            errors[f"budget_{year}_own"] = _(
                "Der Eigenanteil muss mindestens %(p)s %% der Gesamtkosten betragen."
            ) % {"p": number_format(own_share_min.normalize())}
        requested += total - own
    if requested > max_grant:
        errors["budget"] = _(
            "Die beantragte Förderung (%(r)s €) übersteigt die Höchstförderung von %(m)s €."
        ) % {
            "r": number_format(requested, 2, force_grouping=True),
            "m": number_format(max_grant, 2, force_grouping=True),
        }
    return table, errors


def requested_grant(budget: dict[str, Any]) -> Decimal:
    """Sum over the years of (total − own contribution)."""
    total = Decimal(0)
    for row in (budget or {}).values():
        t, o = _decimal(row.get("total")), _decimal(row.get("own"))
        if t is not None and o is not None:
            total += t - o
    return total


def eligibility_errors(call: Any, municipality: Any, *, other_applications: int) -> list[str]:
    """One German message per failed eligibility rule (empty: eligible)."""
    problems: list[str] = []
    if call.lands and municipality.land_code not in call.lands:
        problems.append(
            _("%(m)s liegt in %(land)s; diese Ausschreibung ist auf andere Länder beschränkt.")
            % {"m": municipality.name, "land": municipality.land_name or municipality.land_code}
        )
    population = municipality.population
    if call.population_min is not None or call.population_max is not None:
        if population is None:
            problems.append(
                _(
                    "Für %(m)s ist keine Einwohnerzahl bekannt; die Ausschreibung setzt eine "
                    "Einwohnerzahl voraus."
                )
                % {"m": municipality.name}
            )
        elif call.population_min is not None and population < call.population_min:
            problems.append(
                _("%(m)s hat %(p)s Einwohner; verlangt sind mindestens %(n)s.")
                % {
                    "m": municipality.name,
                    "p": number_format(population, force_grouping=True),
                    "n": number_format(call.population_min, force_grouping=True),
                }
            )
        elif call.population_max is not None and population > call.population_max:
            problems.append(
                _("%(m)s hat %(p)s Einwohner; zugelassen sind höchstens %(n)s.")
                % {
                    "m": municipality.name,
                    "p": number_format(population, force_grouping=True),
                    "n": number_format(call.population_max, force_grouping=True),
                }
            )
    if call.municipality_types and municipality.municipality_type not in call.municipality_types:
        problems.append(
            _("Gemeindetyp „%(t)s“ ist nicht zugelassen (zugelassen: %(ok)s).")
            % {"t": municipality.municipality_type or "–", "ok": ", ".join(call.municipality_types)}
        )
    if call.one_per_municipality and other_applications:
        problems.append(
            _(
                "%(m)s hat bereits eine Bewerbung zu dieser Ausschreibung eingereicht; je Kommune "
                "ist eine Bewerbung zugelassen."
            )
            % {"m": municipality.name}
        )
    return problems
