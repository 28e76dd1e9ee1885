"""The data part of the municipality profile: key figures, population development, age
structure, comparison with district, Land and Germany, and the maps.

Sources (each figure on the page names its own): the data pool's values (key figures and
series, :mod:`ortswandel.datapool.selectors`), the municipality's register population or the
estimate from official tables (:func:`~ortswandel.datapool.selectors.register_population`), and
the age structure of *all* municipalities (:class:`Structure`, from the same estimate),
aggregated to districts, Länder and Germany for the comparison and used by
:mod:`.similarity`.

What exists at which level (so the page says it): the official files hold a municipality's
population only for 2022 (Zensus 15.05.2022 and the register's 31.12.2022). Development over
time is therefore shown for its district (12411-0018, 2015–2020, and the register 2022), the
Land and Germany; the trend used for similarity is the district's.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ortswandel.core import charts
from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.datapool import selectors as datapool
from ortswandel.datapool.rules import can
from ortswandel.sources.regionalstatistik import SUCCESSORS

from . import maps
from .models import LAND_NAMES, Municipality

#: Trend period (31.12. of both years): the district's average yearly change in percent.
TREND_FROM = 2017
TREND_TO = 2022
FIVE_YEAR_GROUPS = tuple(range(0, 100, 5))


def shares(population: np.ndarray) -> tuple[float, float, float]:
    """Percent under 18, 65 and older, 80 and older of ``population`` ``[..., 2, 101]``."""
    by_age = np.asarray(population, dtype=float).sum(axis=-2)
    total = by_age.sum(axis=-1)
    if np.ndim(total) == 0 and total <= 0:
        return (math.nan, math.nan, math.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            float(by_age[..., :18].sum(axis=-1) / total * 100),
            float(by_age[..., 65:].sum(axis=-1) / total * 100),
            float(by_age[..., 80:].sum(axis=-1) / total * 100),
        )


def yearly_change(first: float | None, last: float | None, years: int) -> float:
    """Average yearly change in percent (compound); NaN when unknown."""
    if not first or not last or first <= 0 or last <= 0 or years <= 0:
        return math.nan
    return ((last / first) ** (1 / years) - 1) * 100


@dataclass(frozen=True)
class Structure:
    """Age structure of every municipality (estimate of 31.12. ``year``) and the district
    trend, aligned by AGS; aggregates for districts, Länder and Germany."""

    year: int
    index: dict[str, int]
    population: np.ndarray  # [n, 2, 101] female, male
    kreis: tuple[str, ...]
    under18: np.ndarray  # [n] percent
    over65: np.ndarray
    over80: np.ndarray
    kreis_population: dict[str, np.ndarray]  # [2, 101]
    land_population: dict[str, np.ndarray]
    germany_population: np.ndarray
    kreis_trend: dict[str, float]  # % per year, TREND_FROM → TREND_TO
    kreis_history: dict[str, list[tuple[int, float]]]  # (year, persons) 2015–2020, 2022
    #: Persons per year of each Land (2 digits) and Germany (""), from the districts.
    area_history: dict[str, dict[int, float]] = field(default_factory=dict)
    error: dict[str, float] = field(default_factory=dict)

    def trend_of(self, ags: str) -> float:
        i = self.index.get(ags)
        return self.kreis_trend.get(self.kreis[i], math.nan) if i is not None else math.nan


def _build_structure() -> Structure | None:
    estimate = datapool.population_estimates()
    if estimate is None:
        return None
    population = np.asarray(estimate.population, dtype=float)
    by_age = population.sum(axis=1)  # [n, 101]
    total = by_age.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        under18 = np.where(total > 0, by_age[:, :18].sum(axis=1) / total * 100, np.nan)
        over65 = np.where(total > 0, by_age[:, 65:].sum(axis=1) / total * 100, np.nan)
        over80 = np.where(total > 0, by_age[:, 80:].sum(axis=1) / total * 100, np.nan)
    kreis = tuple(estimate.kreis) or tuple(a[:5] for a in estimate.ags)
    kreis_population = _sums_by(kreis, population)
    land_population = _sums_by(tuple(a[:2] for a in estimate.ags), population)
    history: dict[str, list[tuple[int, float]]] = defaultdict(list)
    trend: dict[str, float] = {}
    districts = datapool.district_population_history()
    if districts is not None:
        totals = districts.counts.sum(axis=(2, 3)).tolist()  # [year][kreis] persons (whole)
        for t, year in enumerate(districts.years):
            for k, code in enumerate(districts.ags5):
                history[code].append((int(year), float(totals[t][k])))
    # Districts merged after the history's territory (Eisenach into the Wartburgkreis, 2021):
    # add the predecessor to its successor in the earlier years, as the 2022 values are.
    for old, new in SUCCESSORS.items():
        if old in history and old not in kreis_population and new in history:
            merged = dict(history.pop(old))
            history[new] = [(y, v + merged.get(y, 0.0)) for y, v in history[new]]
    for code, persons in kreis_population.items():
        now = float(persons.sum())
        if now <= 0:
            continue  # unincorporated areas (…999) without inhabitants
        history[code].append((estimate.year, now))
        earlier = dict(history[code]).get(TREND_FROM)
        trend[code] = yearly_change(earlier, now, estimate.year - TREND_FROM)
    return Structure(
        area_history=_area_history(history),
        year=int(estimate.year),
        index={a: i for i, a in enumerate(estimate.ags)},
        population=population,
        kreis=kreis,
        under18=under18,
        over65=over65,
        over80=over80,
        kreis_population=kreis_population,
        land_population=land_population,
        germany_population=population.sum(axis=0),
        kreis_trend=trend,
        kreis_history=dict(history),
        error=dict(getattr(estimate, "error", {}) or {}),
    )


def _sums_by(keys: tuple[str, ...], population: np.ndarray) -> dict[str, np.ndarray]:
    """``population [n, 2, 101]`` summed over the rows with the same key (in key order)."""
    codes, inverse = np.unique(np.asarray(keys), return_inverse=True)
    order = np.argsort(inverse, kind="stable")  # rows of a key together, in their order
    starts = np.flatnonzero(np.r_[True, np.diff(inverse[order]) != 0])
    sums = np.add.reduceat(population[order], starts, axis=0)
    return {str(code): sums[k] for k, code in enumerate(codes)}


def _area_history(history: dict[str, list[tuple[int, float]]]) -> dict[str, dict[int, float]]:
    """Persons per year of every Land and of Germany (``""``), summed over the districts."""
    totals: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for code, items in history.items():
        for year, count in items:
            totals[code[:2]][year] += count
            totals[""][year] += count
    return {key: dict(value) for key, value in totals.items()}


@functools.lru_cache(maxsize=1)
def _structure_cached(_data_dir: str) -> Structure | None:
    return _build_structure()


def structure() -> Structure | None:
    """The :class:`Structure` of the official files (once per process); ``None`` without
    them."""
    from django.conf import settings

    return _structure_cached(str(settings.ORTSWANDEL_DATA_DIR))


def clear_cache() -> None:
    _structure_cached.cache_clear()


# ----------------------------------------------------------------------------- the profile


@dataclass(frozen=True)
class ComparisonRow:
    level: str
    name: str
    population: float | None
    density: float | None
    under18: float
    over65: float
    over80: float
    trend: float
    trend_note: str = ""


@dataclass
class Profile:
    key_figures: list[Any] = field(default_factory=list)
    development: charts.Chart | None = None
    development_index: charts.Chart | None = None
    development_note: str = ""
    pyramid: charts.Chart | None = None
    pyramid_note: str = ""
    comparison: list[ComparisonRow] = field(default_factory=list)
    comparison_chart: charts.Chart | None = None
    outline_map: maps.MapSvg | None = None
    position_map: maps.MapSvg | None = None
    sources: list[str] = field(default_factory=list)


def _safe_key_figures(ags: str, user: Any) -> list[Any]:
    try:
        return datapool.key_figures(ags, user=user)
    except (NotFound, InvalidInput):
        return []


def _development(m: Municipality, s: Structure | None, profile: Profile) -> None:
    if s is None:
        return
    code = m.ags[:5]
    kreis_history = s.kreis_history.get(code) or []
    if not kreis_history:
        return
    years = sorted({y for y, _v in kreis_history})
    land = m.land_code
    land_history = _sum_history(s, prefix=land)
    germany = _sum_history(s, prefix="")
    area_name = m.kreis_name or m.name
    x_labels = [str(y) for y in years]
    kreis_values = dict(kreis_history)
    title = _("Bevölkerung im Kreis %(name)s, %(a)s–%(b)s") % {
        "name": area_name,
        "a": years[0],
        "b": years[-1],
    }
    if m.is_district_free:
        title = _("Bevölkerung von %(name)s, %(a)s–%(b)s") % {
            "name": m.name,
            "a": years[0],
            "b": years[-1],
        }
    first, last = kreis_values[years[0]], kreis_values[years[-1]]
    description = _(
        "Liniendiagramm: von %(first)s Einwohnern (31.12.%(a)s) auf %(last)s (31.12.%(b)s), "
        "%(change)s."
    ) % {
        "first": charts.number(first),
        "last": charts.number(last),
        "a": years[0],
        "b": years[-1],
        "change": charts.percent((last / first - 1) * 100 if first else None, 1, signed=True),
    }
    source = _(
        "Statistische Ämter des Bundes und der Länder, 12411-0018 (31.12.2015–2020); "
        "Destatis, Gemeindeverzeichnis GV100AD (31.12.2022); dl-de/by-2-0"
    )
    profile.development = charts.line_chart(
        title=title,
        description=description,
        x=years,
        x_labels=x_labels,
        series=[charts.Series(area_name, [kreis_values.get(y) for y in years])],
        unit=_("Personen"),
        source=source,
        cid="ch-development",
    )
    base_year = years[0]

    def index(history: dict[int, float]) -> list[float | None]:
        base = history.get(base_year)
        return [history[y] / base * 100 if base and y in history else None for y in years]

    profile.development_index = charts.line_chart(
        title=_("Entwicklung im Vergleich (%(year)s = 100)") % {"year": base_year},
        description=_(
            "Liniendiagramm der Einwohnerzahl als Index (%(year)s = 100) für den Kreis, das "
            "Land und Deutschland: %(kreis)s, %(land)s, %(de)s im Jahr %(last)s."
        )
        % {
            "year": base_year,
            "last": years[-1],
            "kreis": f"{area_name} {charts.number(index(kreis_values)[-1], 1)}",
            "land": f"{LAND_NAMES.get(land, land)} {charts.number(index(land_history)[-1], 1)}",
            "de": f"{_('Deutschland')} {charts.number(index(germany)[-1], 1)}",
        },
        x=years,
        x_labels=x_labels,
        series=[
            charts.Series(area_name, index(kreis_values)),
            charts.Series(LAND_NAMES.get(land, land), index(land_history)),
            charts.Series(_("Deutschland"), index(germany)),
        ],
        decimals=1,
        source=source,
        cid="ch-development-index",
        table_open=False,
    )
    profile.development_note = _(
        "Für die Gemeinde selbst enthalten die amtlichen Dateien nur Einwohnerzahlen des Jahres "
        "2022 (Kennzahlen oben); die Entwicklung wird deshalb für den Kreis gezeigt. Alle "
        "Werte sind Fortschreibungen auf Basis des Zensus 2011, auf dem heutigen Gebietsstand."
    )


def _sum_history(s: Structure, *, prefix: str) -> dict[int, float]:
    """Persons per year of a Land (2 digits) or Germany (``""``), summed over its districts;
    every person is counted once per year whatever the territory."""
    return s.area_history.get(prefix, {})


def _grouped(values: Any) -> list[float]:
    arr = np.asarray(values, dtype=float)
    return [float(arr[a : a + 5].sum()) for a in FIVE_YEAR_GROUPS] + [float(arr[100:].sum())]


GROUP_LABELS = (*tuple(f"{a}–{a + 4}" for a in FIVE_YEAR_GROUPS), "100+")


def _pyramid(m: Municipality, s: Structure | None, user: Any, profile: Profile) -> None:
    try:
        base = datapool.register_population(m.ags, user=user)
    except (NotFound, InvalidInput):
        base = None
    if base is None:
        return
    compare_f = compare_m = None
    compare_label = ""
    if s is not None and m.ags[:5] in s.kreis_population and not m.is_district_free:
        district = s.kreis_population[m.ags[:5]]
        compare_f, compare_m = _grouped(district[0]), _grouped(district[1])
        compare_label = _("Kreis %(name)s (Schätzung)") % {"name": m.kreis_name}
    elif s is not None and m.land_code in s.land_population:
        land = s.land_population[m.land_code]
        compare_f, compare_m = _grouped(land[0]), _grouped(land[1])
        compare_label = LAND_NAMES.get(m.land_code, m.land_code)
    u18, o65, o80 = shares(np.array([base.female, base.male]))
    date = f"{base.date:%d.%m.%Y}"
    is_estimate = base.source == "estimate"
    title = _("Altersaufbau von %(name)s am %(date)s%(kind)s") % {
        "name": m.name,
        "date": date,
        "kind": _(" (Schätzung)") if is_estimate else _(" (Melderegister)"),
    }
    description = _(
        "Bevölkerungspyramide in Fünfjahresgruppen, Anteile an allen Einwohnern, Männer links, "
        "Frauen rechts: unter 18 Jahre %(u18)s, 65 Jahre und älter %(o65)s, 80 und älter "
        "%(o80)s."
    ) % {"u18": charts.percent(u18), "o65": charts.percent(o65), "o80": charts.percent(o80)}
    profile.pyramid = charts.population_pyramid(
        title=title,
        description=description,
        age_labels=GROUP_LABELS,
        female=_grouped(base.female),
        male=_grouped(base.male),
        compare_female=compare_f,
        compare_male=compare_m,
        compare_label=compare_label,
        as_share=True,
        source=base.attribution,
        cid="ch-pyramid",
    )
    if is_estimate:
        misplaced = s.error.get("misplaced") if s is not None else None
        profile.pyramid_note = _(
            "Altersstruktur geschätzt: Altersgruppen des Kreises, an die Einwohnerdichte der "
            "Gemeinde angepasst und auf ihre amtlichen Einwohnerzahlen nach Geschlecht "
            "abgestimmt."
        ) + (
            " "
            + _(
                "Gemessener Fehler des Verfahrens (jeder Kreis aus seinem Land geschätzt): im "
                "Mittel %(err)s der Personen in einer falschen Altersgruppe."
            )
            % {"err": charts.percent(misplaced)}
            if misplaced
            else ""
        )


def _comparison(m: Municipality, s: Structure | None, profile: Profile) -> None:
    if s is None or m.ags not in s.index:
        return
    i = s.index[m.ags]
    rows: list[ComparisonRow] = []
    areas = _areas()
    kreis_key = m.ags[:5]
    trend_kreis = s.kreis_trend.get(kreis_key, math.nan)
    period = f"{TREND_FROM}–{TREND_TO}"
    rows.append(
        ComparisonRow(
            "gemeinde",
            m.name,
            m.population,
            m.density,
            float(s.under18[i]),
            float(s.over65[i]),
            float(s.over80[i]),
            trend_kreis,
            _("Trend des Kreises"),
        )
    )
    if not m.is_district_free and kreis_key in s.kreis_population:
        pop = s.kreis_population[kreis_key]
        area = areas.get(kreis_key)
        total = float(pop.sum())
        rows.append(
            ComparisonRow(
                "kreis",
                m.kreis_name or kreis_key,
                total,
                total / area if area else None,
                *shares(pop),
                trend_kreis,
            )
        )
    land_pop = s.land_population.get(m.land_code)
    if land_pop is not None:
        total = float(land_pop.sum())
        area = areas.get(m.land_code)
        rows.append(
            ComparisonRow(
                "land",
                LAND_NAMES.get(m.land_code, m.land_code),
                total,
                total / area if area else None,
                *shares(land_pop),
                _history_trend(_sum_history(s, prefix=m.land_code), s.year),
            )
        )
    total = float(s.germany_population.sum())
    area = areas.get("")
    rows.append(
        ComparisonRow(
            "bund",
            _("Deutschland"),
            total,
            total / area if area else None,
            *shares(s.germany_population),
            _history_trend(_sum_history(s, prefix=""), s.year),
        )
    )
    profile.comparison = rows
    profile.comparison_chart = charts.bar_chart(
        title=_("Altersstruktur im Vergleich (%(date)s)")
        % {"date": date_format(dt.date(s.year, 12, 31), "SHORT_DATE_FORMAT")},
        description=_("Balkendiagramm der Anteile unter 18, ab 65 und ab 80 Jahren für %(areas)s.")
        % {"areas": ", ".join(r.name for r in rows)},
        categories=[r.name for r in rows],
        series=[
            charts.Series(_("unter 18 Jahre"), [r.under18 for r in rows]),
            charts.Series(_("65 Jahre und älter"), [r.over65 for r in rows]),
            charts.Series(_("80 Jahre und älter"), [r.over80 for r in rows]),
        ],
        unit="%",
        decimals=1,
        source=datapool.ESTIMATE_ATTRIBUTION,
        cid="ch-comparison",
    )
    profile.sources.append(
        _(
            "Trend: mittlere jährliche Veränderung %(period)s (31.12.), Kreise nach 12411-0018 "
            "und GV100AD."
        )
        % {"period": period}
    )


def _history_trend(history: dict[int, float], year: int) -> float:
    return yearly_change(history.get(TREND_FROM), history.get(year), year - TREND_FROM)


@functools.lru_cache(maxsize=1)
def _areas_cached(_token: int) -> dict[str, float]:
    areas: dict[str, float] = defaultdict(float)
    for ags, area in Municipality.objects.values_list("ags", "area_km2"):
        if area:
            areas[ags[:5]] += area
            areas[ags[:2]] += area
            areas[""] += area
    return dict(areas)


def _areas() -> dict[str, float]:
    """Area (km²) of every district (5 digits), Land (2) and Germany (""); per process,
    refreshed every 10 minutes."""
    return _areas_cached(int(dt.datetime.now(tz=dt.UTC).timestamp() // 600))


def can_see_private(ags: str, user: Any) -> bool:
    return bool(can("view_private_register_data", user, ags))


def sees_private_data(ags: str, user: Any) -> bool:
    """Whether ``user`` may see unpublished register data of ``ags`` (then the profile is
    personal and not cached)."""
    return bool(user is not None and user.is_authenticated and can_see_private(ags, user))


def data_version() -> str:
    return datapool.data_version()


def municipality_profile(municipality: Municipality, *, user: Any = None) -> Profile:
    """Everything the profile page shows beyond the register facts."""
    profile = Profile()
    s = structure()
    profile.key_figures = _safe_key_figures(municipality.ags, user)
    _development(municipality, s, profile)
    _pyramid(municipality, s, user, profile)
    _comparison(municipality, s, profile)
    profile.outline_map = maps.outline_map(municipality.ags)
    profile.position_map = maps.position_map(municipality.ags)
    return profile
