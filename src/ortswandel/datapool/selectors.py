"""Reads of the data pool: visible values, key figures and time series for a municipality page,
and the population base of a municipality (register data before estimates).

Private register values are only returned to people who may see them (the municipality's
staff, site admins) — see :func:`visible_values`. Every figure carries its attribution.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.scenario.build import BuildError

from .care import CareError, care_split
from .models import (
    Aggregation,
    ImportRun,
    Indicator,
    Level,
    RegisterKind,
    RegisterUpload,
    SpatialUnit,
    TerritorialChange,
    Value,
)
from .rules import can, granted_ags

logger = logging.getLogger(__name__)

#: Figures of the municipality itself, in this order (the latest date of each).
MUNICIPALITY_FIGURES = (
    "register-bevoelkerung",
    "gv100ad-bevoelkerung",
    "zensus2022-bevoelkerung",
    "gv100ad-flaeche",
)
#: Figures only published for districts, shown as the district's (never as the municipality's).
DISTRICT_FIGURES = (
    "12411-0018-bevoelkerung",
    "22411-02-03-4-pflegebeduerftige",
    "inkar-betreuungsquote-kleinkinder",
    "inkar-erreichbarkeit-oberzentren",
    "inkar-grundschulen-distanz",
)
CONVERTED = "converted"
AGS_LENGTH = 8


def visible_values(user: Any) -> QuerySet[Value]:
    """All values ``user`` may see: public ones plus the register data of granted AGS."""
    allowed = granted_ags(user)
    if allowed is None:
        return Value.objects.all()
    if not allowed:
        return Value.objects.filter(is_private=False)
    return Value.objects.filter(
        Q(is_private=False) | Q(unit__level=Level.MUNICIPALITY, unit__code__in=sorted(allowed))
    )


def indicator_list(*, search: str = "") -> QuerySet[Indicator]:
    queryset = Indicator.objects.select_related("weight_indicator").order_by("code")
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(source_table__icontains=search)
        )
    return queryset


def indicator_get(code: str) -> Indicator:
    indicator = Indicator.objects.select_related("weight_indicator").filter(code=code).first()
    if indicator is None:
        raise NotFound(_("Den Indikator „%(code)s“ gibt es nicht.") % {"code": code[:80]})
    return indicator


@dataclass(frozen=True)
class ValueFilter:
    indicator: str = ""
    level: str = ""
    code: str = ""
    date: dt.date | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    breakdown: str | None = None  # None: all; "" : totals only
    origin: str = ""


def value_search(flt: ValueFilter, *, user: Any) -> QuerySet[Value]:
    """Values matching ``flt`` that ``user`` may see, in a stable order."""
    if flt.level and flt.level not in Level.values:
        raise InvalidInput(
            _("Unbekannte Ebene „%(level)s“.") % {"level": flt.level[:20]},
            fields={"level": ", ".join(Level.values)},
        )
    queryset = visible_values(user).select_related("indicator", "unit")
    if flt.indicator:
        queryset = queryset.filter(indicator__code=flt.indicator)
    if flt.level:
        queryset = queryset.filter(unit__level=flt.level)
    if flt.code:
        queryset = queryset.filter(unit__code=flt.code)
    if flt.date:
        queryset = queryset.filter(date=flt.date)
    if flt.date_from:
        queryset = queryset.filter(date__gte=flt.date_from)
    if flt.date_to:
        queryset = queryset.filter(date__lte=flt.date_to)
    if flt.breakdown is not None:
        queryset = queryset.filter(breakdown=flt.breakdown)
    if flt.origin:
        queryset = queryset.filter(origin=flt.origin)
    return queryset.order_by("indicator__code", "unit__level", "unit__code", "date", "breakdown")


def unit_list(*, level: str = "", code_prefix: str = "") -> QuerySet[SpatialUnit]:
    queryset = SpatialUnit.objects.select_related("parent").order_by("level", "code")
    if level:
        queryset = queryset.filter(level=level)
    if code_prefix:
        queryset = queryset.filter(code__startswith=code_prefix)
    return queryset


def municipality(ags: str) -> SpatialUnit:
    """The municipality (current or former) with this AGS."""
    if len(ags) != AGS_LENGTH or not ags.isascii() or not ags.isdigit():
        raise InvalidInput(
            _("„%(ags)s“ ist kein Gemeindeschlüssel (AGS, 8 Ziffern).") % {"ags": ags[:12]},
            code="invalid_ags",
        )
    unit = SpatialUnit.objects.filter(level=Level.MUNICIPALITY, code=ags).first()
    if unit is None:
        raise NotFound(_("Die Gemeinde %(ags)s ist nicht im Datenpool.") % {"ags": ags})
    return unit


def hierarchy(unit: SpatialUnit) -> list[SpatialUnit]:
    """``unit`` and its district, Land and Germany (the Gemeindeverband is skipped)."""
    chain = [unit]
    current = unit
    while current.parent_id is not None:
        current = SpatialUnit.objects.get(pk=current.parent_id)
        if current.level != Level.ASSOCIATION:
            chain.append(current)
    return chain


# ----------------------------------------------------------------------------- key figures


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of a municipality: the value with its date, area, origin and source."""

    indicator: str
    name: str
    unit: str
    value: float | None
    sign: str
    date: dt.date
    period_label: str
    level: str
    area_code: str
    area_name: str
    origin: str
    note: str
    source_table: str
    attribution: str
    licence: str
    territorial_status: dt.date | None
    is_private: bool


def _figure(value: Value) -> KeyFigure:
    indicator = value.indicator
    return KeyFigure(
        indicator=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        value=value.value,
        sign=value.sign,
        date=value.date,
        period_label=value.period_label,
        level=value.unit.level,
        area_code=value.unit.code,
        area_name=value.unit.name,
        origin=value.origin,
        note=value.note,
        source_table=indicator.source_table,
        attribution=indicator.attribution,
        licence=indicator.licence,
        territorial_status=value.territorial_status,
        is_private=value.is_private,
    )


def key_figures(ags: str, *, user: Any = None) -> list[KeyFigure]:
    """The latest total of each key indicator for the municipality ``ags`` and, for figures
    only published for districts, for its district (marked with level ``kreis``)."""
    unit = municipality(ags)
    district = next((u for u in hierarchy(unit) if u.level == Level.DISTRICT), None)
    wanted = {(unit.pk, code) for code in MUNICIPALITY_FIGURES}
    if district is not None:
        wanted |= {(district.pk, code) for code in DISTRICT_FIGURES}
    queryset = (
        visible_values(user)
        .filter(
            unit_id__in=[u for u, _c in wanted],
            indicator__code__in=[c for _u, c in wanted],
            breakdown="",
        )
        .select_related("indicator", "unit")
        .order_by("date")
    )
    latest: dict[tuple[int, str], Value] = {}
    for value in queryset:
        key = (value.unit_id, value.indicator.code)
        if key in wanted:
            latest[key] = value
    order = [(unit.pk, c) for c in MUNICIPALITY_FIGURES]
    if district is not None:
        order += [(district.pk, c) for c in DISTRICT_FIGURES]
    return [_figure(latest[key]) for key in order if key in latest]


# ----------------------------------------------------------------------------- time series


@dataclass(frozen=True)
class SeriesPoint:
    date: dt.date
    period_label: str
    value: float | None
    sign: str
    origin: str
    note: str
    territorial_status: dt.date | None


@dataclass
class Series:
    level: str
    code: str
    name: str
    points: list[SeriesPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class SeriesBundle:
    indicator: Indicator
    breakdown: str
    series: list[Series]

    @property
    def attribution(self) -> str:
        return self.indicator.attribution


def _point(value: Value) -> SeriesPoint:
    return SeriesPoint(
        value.date,
        value.period_label,
        value.value,
        value.sign,
        value.origin,
        value.note,
        value.territorial_status,
    )


def indicator_series(
    code: str, ags: str, *, user: Any = None, breakdown: str = "", harmonise: bool = True
) -> SeriesBundle:
    """Time series of ``code`` for the municipality ``ags``, its district, Land and Germany.

    With ``harmonise``, dates before a recorded territorial change of a unit are converted to
    the unit's later territory (sum, or weighted mean, of its predecessors), labelled as such —
    e.g. the district 03159 Göttingen before 01.11.2016 as 03152 + 03156.
    """
    indicator = indicator_get(code)
    chain = hierarchy(municipality(ags))
    values = visible_values(user).filter(indicator=indicator, breakdown=breakdown)
    rows: dict[int, list[Value]] = defaultdict(list)
    for value in values.filter(unit__in=chain).order_by("date").select_related("unit"):
        rows[value.unit_id].append(value)
    series = []
    for unit in chain:
        item = Series(unit.level, unit.code, unit.name, [_point(v) for v in rows[unit.pk]])
        if harmonise:
            _harmonise(item, unit, indicator, values)
        series.append(item)
    return SeriesBundle(indicator, breakdown, series)


def _harmonise(
    series: Series, unit: SpatialUnit, indicator: Indicator, values: QuerySet[Value]
) -> None:
    if indicator.aggregation == Aggregation.NONE:
        return
    points = {p.date: p for p in series.points}
    changes = TerritorialChange.objects.filter(successor=unit).prefetch_related("predecessors")
    for change in changes.order_by("date"):
        predecessors = {p.pk: p for p in change.predecessors.all()}
        grouped: dict[dt.date, dict[int, Value]] = defaultdict(dict)
        for value in values.filter(unit_id__in=list(predecessors), date__lt=change.date):
            grouped[value.date][value.unit_id] = value
        names = " und ".join(f"{p.code} {p.name}" for p in predecessors.values())
        label = _("umgerechnet auf den Gebietsstand ab %(date)s: %(how)s aus %(names)s") % {
            "date": f"{change.date:%d.%m.%Y}",
            "how": _("Summe") if indicator.aggregation == Aggregation.SUM else _("Mittelwert"),
            "names": names,
        }
        for date, items in grouped.items():
            if unit.pk not in predecessors and date in points:
                continue  # already published for the later territory
            combined = _combine_predecessors(indicator, items, set(predecessors), date)
            if combined is not None:
                points[date] = SeriesPoint(
                    date, "", combined, "", CONVERTED, label[:300], change.date
                )
        if grouped:
            series.notes.append(label)
    series.points = [points[d] for d in sorted(points)]


def _combine_predecessors(
    indicator: Indicator, items: dict[int, Value], required: set[int], date: dt.date
) -> float | None:
    if set(items) != required or any(v.value is None for v in items.values()):
        return None
    if indicator.aggregation == Aggregation.SUM:
        return float(sum(v.value for v in items.values() if v.value is not None))
    if indicator.weight_indicator_id is None:
        return None
    weights = dict(
        Value.objects.filter(
            indicator_id=indicator.weight_indicator_id,
            breakdown=indicator.weight_breakdown,
            unit_id__in=list(required),
            date=date,
        ).values_list("unit_id", "value")
    )
    if set(weights) != required or any(w is None for w in weights.values()):
        return None
    total = sum(w for w in weights.values() if w is not None)
    if total <= 0:
        return None
    return round(sum((v.value or 0) * (weights[u] or 0) for u, v in items.items()) / total, 6)


# ----------------------------------------------------------------------------- population base


@dataclass(frozen=True)
class PopulationBase:
    """Persons by sex and single year of age (index 0–99, 100 = 100 and older) for one
    municipality: ``source`` is ``register`` (the municipality's upload) or ``estimate``."""

    ags: str
    name: str
    date: dt.date
    source: str
    female: tuple[float, ...]
    male: tuple[float, ...]
    attribution: str
    is_published: bool = True

    def as_array(self) -> np.ndarray:
        """``[2, 101]`` (female, male; ages 0..99, 100+), the engine's sex order."""
        return np.array([self.female, self.male], dtype=float)


ESTIMATE_ATTRIBUTION = (
    "Schätzung aus GV100AD (Destatis, Stand 30.11.2023), 12411-0018 (Regionalstatistik) und "
    "Sterbetafel 12621-0001 (Destatis); dl-de/by-2-0, Daten verändert"
)


@functools.lru_cache(maxsize=1)
def _estimates(directory: str) -> Any:
    from ortswandel.sources.base_population import estimate_base_population

    return estimate_base_population(data=official(directory))


def official(directory: str | Path | None = None) -> Any:
    """The official files (:class:`~ortswandel.sources.official.OfficialData`) of the data
    directory, with derived arrays kept in ``ORTSWANDEL_DERIVED_DIR`` between processes."""
    from ortswandel.sources.official import official_data

    return official_data(
        directory if directory is not None else settings.ORTSWANDEL_DATA_DIR,
        cache_dir=settings.ORTSWANDEL_DERIVED_DIR,
    )


def register_population(ags: str, *, user: Any = None) -> PopulationBase | None:
    """The municipality's own register population (latest Stichtag) when ``user`` may see it
    (published, or the municipality's staff), else the estimate from official tables; ``None``
    when neither exists."""
    unit = municipality(ags)
    uploads = RegisterUpload.objects.filter(unit=unit, kind=RegisterKind.POPULATION)
    if not can("view_private_register_data", user, ags):
        uploads = uploads.filter(is_published=True)
    upload = uploads.order_by("-reference_date").first()
    if upload is not None:
        female, male = [0.0] * 101, [0.0] * 101
        for breakdown, value in upload.values.filter(breakdown__startswith="age=").values_list(
            "breakdown", "value"
        ):
            parts = dict(part.split("=", 1) for part in breakdown.split(";"))
            age = int(parts["age"].rstrip("+"))
            (female if parts["sex"] == "w" else male)[age] = float(value or 0)
        return PopulationBase(
            ags,
            unit.name,
            upload.reference_date,
            "register",
            tuple(female),
            tuple(male),
            f"Melderegister der Gemeinde {unit.name}, Stichtag {upload.reference_date:%d.%m.%Y}",
            upload.is_published,
        )
    return _estimate(unit)


def _estimate(unit: SpatialUnit) -> PopulationBase | None:
    try:
        estimates = _estimates(str(settings.ORTSWANDEL_DATA_DIR))
    except (OSError, ValueError, KeyError):
        return None
    if unit.code not in estimates.ags:
        return None
    row = estimates.population[estimates.ags.index(unit.code)]
    return PopulationBase(
        unit.code,
        unit.name,
        dt.date(estimates.year, 12, 31),
        "estimate",
        tuple(float(x) for x in row[0]),
        tuple(float(x) for x in row[1]),
        ESTIMATE_ATTRIBUTION,
    )


def population_estimates() -> Any:
    """The estimated base population of all municipalities (31.12. of the register year,
    :class:`~ortswandel.sources.base_population.BasePopulation`; computed once per process),
    or ``None`` when the official files are missing. Used for age structures of many
    municipalities at once (the municipality profile, similarity)."""
    try:
        return _estimates(str(settings.ORTSWANDEL_DATA_DIR))
    except (OSError, ValueError, KeyError):
        return None


def warm_derived(directory: str | Path | None = None) -> float:
    """Estimate the age structure of all municipalities and read the district history now and
    keep them in ``ORTSWANDEL_DERIVED_DIR`` (the import commands call this, so that no visitor
    waits for it); returns the seconds taken. Missing files are left to the pages to report."""
    from ortswandel.scenario.build import prepare
    from ortswandel.sources.base_population import MUNICIPAL_YEAR, estimate_base_population

    started = time.perf_counter()
    data = official(directory)
    try:
        data.districts  # noqa: B018 - read for its side effect (the stored arrays)
        estimate_base_population(data=data)
        prepare(data, MUNICIPAL_YEAR)  # the workspace's district assumptions
        # the care table is read and stored whole, whichever district is asked for
        care_split(kreis="DG", root=data.root, cache_dir=settings.ORTSWANDEL_DERIVED_DIR)
    except (OSError, ValueError, KeyError, CareError, BuildError):
        logger.warning("derived arrays of %s not built", data.root, exc_info=True)
    return time.perf_counter() - started


def district_population_history() -> Any:
    """Persons by district at 31.12. of 2015–2020 (12411-0018, on today's territory,
    :class:`~ortswandel.sources.regionalstatistik.DistrictHistory`), or ``None``."""
    try:
        return official().districts
    except (OSError, ValueError, KeyError):
        return None


def data_version() -> str:
    """Changes whenever an import runs or a register upload is added, removed, published or
    withdrawn: a cache key part for pages built from the data pool."""
    runs = ImportRun.objects.aggregate(last=Max("id"), n=Count("id"))
    uploads = RegisterUpload.objects.aggregate(
        last=Max("id"), n=Count("id"), published=Count("id", filter=Q(is_published=True))
    )
    return f"{runs['last']}.{runs['n']}.{uploads['last']}.{uploads['n']}.{uploads['published']}"
