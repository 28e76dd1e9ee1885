"""The workspace form: assumptions, up to three scenarios, capacities and budget parameters.

Every number has a label with its unit, bounds checked with a German message next to the field,
and (in the template) its default and source. German decimals (``1,5``) are accepted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .assumptions import BUDGET_PARAMS, CAPACITY_FIELDS
from .workspace import ScenarioChoice, Settings

SLOTS = 3
KIND_CHOICES = [
    ("", _("— kein Szenario —")),
    ("housing", _("Neubaugebiet")),
    ("migration", _("Mehr oder weniger Zuwanderung")),
    ("kita", _("Kita-Gruppe eröffnen oder schließen")),
    ("school", _("Schulen zusammenlegen")),
]
BUILDING_CHOICES = [
    ("detached", _("Einfamilienhäuser (3,2 Personen je Wohnung)")),
    ("semi_detached", _("Doppel- und Reihenhäuser (3,0 Personen je Wohnung)")),
    ("flat", _("Mehrfamilienhäuser (2,1 Personen je Wohnung)")),
]
FACILITY_CHOICES = [
    ("kita_u3", _("Kita unter 3 Jahren")),
    ("kita_3_6", _("Kita 3 bis 6 Jahre")),
    ("primary", _("Grundschule")),
    ("secondary", _("Weiterführende Schule")),
]


def _num(label: Any, lo: float, hi: float, *, whole: bool = False, required: bool = False) -> Any:
    messages = {
        "min_value": _("Bitte einen Wert ab %(limit_value)s eingeben."),
        "max_value": _("Bitte einen Wert bis %(limit_value)s eingeben."),
        "invalid": _("Bitte eine Zahl eingeben."),
        "required": _("Bitte einen Wert eingeben."),
    }
    if whole:
        return forms.IntegerField(
            label=label,
            min_value=int(lo),
            max_value=int(hi),
            required=required,
            error_messages=messages,
            localize=True,
        )
    return forms.FloatField(
        label=label,
        min_value=lo,
        max_value=hi,
        required=required,
        error_messages=messages,
        localize=True,
    )


class WorkspaceForm(forms.Form):
    """``launch`` (the base year) bounds the scenario years to the projection period."""

    def __init__(self, *args: Any, launch: int, defaults: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.launch, self.defaults = launch, defaults
        f = self.fields
        f["horizon"] = _num(_("Zeitraum (Jahre)"), 20, 25, whole=True)
        f["tfr"] = _num(_("Geburtenrate (Kinder je Frau)"), 0.5, 3.0)
        f["e0_female"] = _num(_("Lebenserwartung Frauen (Jahre)"), 60, 100)
        f["e0_male"] = _num(_("Lebenserwartung Männer (Jahre)"), 60, 100)
        f["migration_factor"] = _num(
            _("Wanderungssaldo: Faktor auf den bisherigen Saldo (1 = wie bisher)"), 0, 5
        )
        for key, label in CAPACITY_FIELDS:
            f[f"cap_{key}"] = _num(
                _("%(label)s: vorhandene Plätze") % {"label": _(label)}, 0, 1e6, whole=True
            )
        f["threshold"] = _num(
            _("Auslastung gilt als niedrig unter (Anteil, 0,7 = 70 %)"), 0.05, 1.0
        )
        f["class_size_primary"] = _num(
            _("Grundschule: Schüler je Klasse höchstens"), 10, 40, whole=True
        )
        f["class_size_secondary"] = _num(
            _("Weiterführende Schule: Schüler je Klasse höchstens"), 10, 40, whole=True
        )
        for p in BUDGET_PARAMS:
            # the labels and units of assumptions.py are msgids (German), translated here
            label = f"{_(p.label)} ({_(p.unit)})"
            f[f"b_{p.name}"] = _num(label, p.minimum, p.maximum, whole=p.whole)
        for i in range(1, SLOTS + 1):
            f[f"s{i}_kind"] = forms.ChoiceField(
                label=_("Art des Szenarios"), choices=KIND_CHOICES, required=False
            )
            f[f"s{i}_name"] = forms.CharField(label=_("Name"), max_length=60, required=False)
            f[f"s{i}_year"] = _num(_("ab Jahr"), launch + 1, launch + 25, whole=True)
            f[f"s{i}_per_year"] = _num(_("Neue Wohnungen je Jahr"), 1, 5000, whole=True)
            f[f"s{i}_years"] = _num(_("über wie viele Jahre"), 1, 25, whole=True)
            f[f"s{i}_building_type"] = forms.ChoiceField(
                label=_("Gebäudeart"), choices=BUILDING_CHOICES, required=False
            )
            f[f"s{i}_factor"] = _num(
                _("Wanderung: Faktor (0,5 = halb so viel, 1,5 = anderthalbmal so viel)"), 0, 5
            )
            f[f"s{i}_facility"] = forms.ChoiceField(
                label=_("Einrichtung"), choices=FACILITY_CHOICES, required=False
            )
            f[f"s{i}_groups"] = _num(
                _("Kita-Gruppen (+1 = eine neue Gruppe, −1 = eine Gruppe schließt)"),
                -20,
                20,
                whole=True,
            )
            f[f"s{i}_group_size"] = _num(_("Plätze je Gruppe"), 1, 40, whole=True)
            f[f"s{i}_places"] = _num(
                _("Plätze, die durch die Zusammenlegung wegfallen"), 0, 100_000, whole=True
            )

    def scenario_slots(self) -> list[list[Any]]:
        names = (
            "kind",
            "name",
            "year",
            "per_year",
            "years",
            "building_type",
            "factor",
            "facility",
            "groups",
            "group_size",
            "places",
        )
        return [[self[f"s{i}_{n}"] for n in names] for i in range(1, SLOTS + 1)]

    def _slot(self, i: int, data: dict[str, Any]) -> ScenarioChoice | None:
        kind = data.get(f"s{i}_kind") or ""
        if not kind:
            return None
        p = f"s{i}_"
        year = data.get(p + "year") or self.launch + 2

        def need(name: str) -> Any:
            if data.get(p + name) in (None, ""):
                self.add_error(p + name, _("Für dieses Szenario bitte angeben."))
            return data.get(p + name)

        name = (data.get(p + "name") or "").strip() or str(dict(KIND_CHOICES)[kind])
        if kind == "housing":
            return ScenarioChoice(
                kind,
                name,
                year,
                per_year=need("per_year") or 0,
                years=data.get(p + "years") or 1,
                building_type=data.get(p + "building_type") or "semi_detached",
            )
        if kind == "migration":
            # the scenario format scales migration over the whole period (no start year)
            factor = need("factor")
            return ScenarioChoice(
                kind, name, self.launch + 1, factor=1.0 if factor is None else factor
            )
        if kind == "kita":
            facility = data.get(p + "facility") or "kita_3_6"
            if facility not in ("kita_u3", "kita_3_6"):
                self.add_error(p + "facility", _("Bitte eine Kita-Art wählen."))
            return ScenarioChoice(
                kind,
                name,
                year,
                facility=facility,
                groups=need("groups") or 0,
                group_size=data.get(p + "group_size") or (12 if facility == "kita_u3" else 25),
            )
        facility = data.get(p + "facility") or "primary"
        if facility not in ("primary", "secondary"):
            self.add_error(p + "facility", _("Bitte eine Schulart wählen."))
        return ScenarioChoice(kind, name, year, facility=facility, places=need("places") or 0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slots = [c for i in range(1, SLOTS + 1) if (c := self._slot(i, data)) is not None]
        names = [c.name for c in slots]
        for i in range(1, SLOTS + 1):
            n = (data.get(f"s{i}_name") or "").strip()
            if n and (names.count(n) > 1 or n == "Basis"):
                self.add_error(
                    f"s{i}_name", _("Jedes Szenario braucht einen eigenen Namen (nicht „Basis“).")
                )
        if len(set(names)) != len(names) and not self.errors:
            self.add_error(None, _("Zwei Szenarien derselben Art brauchen eigene Namen."))
        data["scenario_choices"] = tuple(slots)
        return data

    def settings(self) -> Settings:
        d = self.cleaned_data
        budget = {p.name: _or(d.get(f"b_{p.name}"), p.default) for p in BUDGET_PARAMS}
        return Settings(
            horizon=d.get("horizon") or 25,
            tfr=d.get("tfr"),
            e0_female=d.get("e0_female"),
            e0_male=d.get("e0_male"),
            migration_factor=_or(d.get("migration_factor"), 1.0),
            capacities={
                k: float(d[f"cap_{k}"])
                for k, _l in CAPACITY_FIELDS
                if d.get(f"cap_{k}") is not None
            },
            threshold=d.get("threshold") or 0.7,
            class_size_primary=d.get("class_size_primary") or 25,
            class_size_secondary=d.get("class_size_secondary") or 28,
            budget=budget,
            scenarios=d["scenario_choices"],
        )


def _or(value: Any, default: float) -> float:
    return float(default if value is None else value)


def initial_from(s: Settings) -> dict[str, Any]:
    """Form data (strings not needed: unbound initial) showing saved settings ``s``."""
    out: dict[str, Any] = {
        "horizon": s.horizon,
        "tfr": s.tfr,
        "e0_female": s.e0_female,
        "e0_male": s.e0_male,
        "migration_factor": s.migration_factor,
        "threshold": s.threshold,
        "class_size_primary": s.class_size_primary,
        "class_size_secondary": s.class_size_secondary,
    }
    out.update({f"cap_{k}": v for k, v in s.capacities.items()})
    out.update({f"b_{k}": v for k, v in s.budget.items()})
    relevant = {
        "housing": ("per_year", "years", "building_type"),
        "migration": ("factor",),
        "kita": ("facility", "groups", "group_size"),
        "school": ("facility", "places"),
    }
    for i, c in enumerate(s.scenarios, start=1):
        for key in ("kind", "name", "year", *relevant.get(c.kind, ())):
            out[f"s{i}_{key}"] = getattr(c, key)
    return out
