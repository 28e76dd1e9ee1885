"""Default assumptions from official history for all districts at a launch year.

Everything here uses only data up to the launch year ``L`` (31.12.``L`` is the base):

* **Mortality** — the Destatis period life table of ``L-2..L`` when the data directory
  has it, else one computed from the deaths and population of those years
  (:func:`ortswandel.sources.derived.period_death_rates`); Land-adjusted by a
  proportional-hazards factor per Land and sex that reproduces the Land's cohort
  decrements at ages 75–89 (12411-0013, years up to ``L``), relative to Germany's.
* **Fertility** — the Land's TFR of year ``L`` (12612-0104) with the age shape of the
  national age-specific rates of ``L`` (12612-0008; the Länder's mean age of mothers is
  not in the data directory); locally multiplied by the district's child–woman factor
  where it is stable (see :func:`cwr_factors`).
* **Migration** — residual net migration by district, sex and the 17 age groups for each
  year of the base period (population change minus the births and deaths of the same
  assumptions; :mod:`ortswandel.engine.residual`), pooled over the base period, pulled
  towards the Land's rates by the size of each age group (``E / (E + k)``).

Years 2015 and 2016 are flagged: refugee migration inflates the rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine import AgeGrid, NetMigration, ProjectionInputs, project
from ortswandel.engine.lifetable import LifeTable
from ortswandel.engine.mortality import hazard_factor, life_table_from_rates
from ortswandel.engine.residual import expand_groups, group_sums, residual_migration, shrink_rates
from ortswandel.sources.base_population import MUNICIPAL_YEAR, districts_rolled_forward
from ortswandel.sources.derived import (
    N_AGES,
    OPEN_AGE,
    LandStandard,
    district_single_years,
    land_standard,
    period_death_rates,
)
from ortswandel.sources.official import OfficialData, Source, de_number
from ortswandel.sources.regionalstatistik import GROUP_STARTS, SUCCESSORS

__all__ = [
    "FLAGGED_YEARS",
    "DistrictAssumptions",
    "MigrationOptions",
    "district_assumptions",
    "fertility_by_land",
    "land_survival",
]

F64 = NDArray[np.float64]
GRID = AgeGrid(1, OPEN_AGE)
#: Calendar years whose migration is flagged (refugee migration inflates the rates).
FLAGGED_YEARS = frozenset({2015, 2016})
#: Ages whose cohort decrement measures a Land's mortality level (75..88 -> 76..89).
LAND_MORTALITY_AGES = np.arange(75, 89)
#: A district's child–woman factor is used when its yearly values differ by less than this.
CWR_STABLE_SPREAD = 0.10
FERTILE = slice(15, 50)


@dataclass(frozen=True)
class MigrationOptions:
    """How migration is derived from history.

    Parameters
    ----------
    base_years : tuple of int, optional
        Calendar years whose net migration is pooled (each needs the populations at the
        end of the year before and of the year itself). Default: the launch year only.
    shrink : float or 17 floats (one per district age group)
        ``k`` in persons: an age group's own rate gets the weight ``E / (E + k)``, the
        rest comes from the parent area (the Land for a district). Default, chosen by the
        backtest (``bench/bench_backtest.py``): 1,000 for ages 0–5 and 500 for 75+ (local
        patterns that persist: young families, care homes), 10,000 for 6–17, 20,000 for
        18–64 (noisier), 5,000 for 65–74.
    """

    base_years: tuple[int, ...] | None = None
    shrink: float | tuple[float, ...] = (
        (1000.0,) * 2 + (10000.0,) * 3 + (20000.0,) * 10 + (5000.0, 500.0)
    )


@dataclass
class DistrictAssumptions:
    """Assumptions for all districts at 31.12.``launch`` (arrays over districts ``D``)."""

    launch: int
    ags5: tuple[str, ...]
    names: tuple[str, ...]
    land: NDArray[np.int64]  # [D] 0..15
    base: F64  # [D, 2, 101] persons at 31.12.launch
    survival: F64  # [D, 2, 101] survival ratios (Land-adjusted)
    fertility: F64  # [D, 101] births per woman and year
    tfr: F64  # [D]
    cwr_factor: F64  # [D] factor applied to the Land's fertility (1 where not stable)
    cwr_stable: NDArray[np.bool_]  # [D]
    rates: F64  # [D, 2, 17] net migrants per expected resident and year, by group
    rates_single: F64  # [D, 2, 101]
    counts: F64  # [D, 2, 101] net migrants in the first year (persons)
    base_years: tuple[int, ...]
    national_net: float  # mean yearly net migration of Germany over the base years
    life_tables: dict[str, LifeTable]
    land_factor: F64  # [16, 2] hazard factors
    sources: list[Source] = field(default_factory=list)
    estimates: list[str] = field(default_factory=list)

    def inputs(
        self, idx: NDArray[np.int64], steps: int, *, migration: str = "counts"
    ) -> ProjectionInputs:
        """Projection inputs (timing "end") for the districts ``idx``.

        ``migration="counts"``: the first year's net migrants in every year (what a
        scenario file holds); ``"rates"``: each year's net migrants are the rates times
        that year's survivors (counts per step, computed by projecting year by year).
        """
        counts = migration_counts(
            self.base[idx],
            self.survival[idx],
            self.fertility[idx],
            self.rates_single[idx],
            steps=steps if migration == "rates" else 1,
            year=self.launch,
        )
        return ProjectionInputs(
            grid=GRID,
            population=self.base[idx],
            survival=self.survival[idx],
            fertility=self.fertility[idx],
            steps=steps,
            start_year=self.launch,
            net_migration=NetMigration(counts if migration == "rates" else counts[0]),
            migration_timing="end",
            area_ids=tuple(self.ags5[i] for i in idx),
        )


def migration_counts(
    base: F64, survival: F64, fertility: F64, rates: F64, *, steps: int, year: int
) -> F64:
    """Net migrants ``[steps, A, 2, 101]``: rates ``[A, 2, 101]`` times each year's
    survivors (the population at the end of the year before migration)."""
    out = np.empty((steps, *base.shape))
    pop = base
    for t in range(steps):
        survivors = _expected(pop, survival, fertility, year + t)
        out[t] = rates * survivors
        pop = np.maximum(survivors + out[t], 0.0)
    return out


def land_survival(
    data: OfficialData, launch: int
) -> tuple[F64, dict[str, LifeTable], F64, list[Source], list[str]]:
    """Survival ratios per Land ``[16, 2, 101]``, the national tables, the Land factors
    ``[16, 2]``, sources and estimate notes."""
    first, last = launch - 2, launch
    sources: list[Source] = []
    notes: list[str] = []
    published = data.published_life_table(first, last)
    if published is not None:
        tables = published
        sources.append(data.life_table_source(first, last))
    else:
        rates = period_death_rates(data, launch)
        tables = {
            "female": life_table_from_rates(rates.m[0], sex="female"),
            "male": life_table_from_rates(rates.m[1], sex="male"),
        }
        sources.extend(rates.sources)
        notes.append(
            f"Sterbetafel {rates.first}–{rates.last} aus Gestorbenen und Bevölkerung berechnet "
            f"(e0 Frauen {de_number(tables['female'].e0, 2)}, Männer "
            f"{de_number(tables['male'].e0, 2)} Jahre)"
        )
    s = np.stack([tables["female"].survival_ratios(), tables["male"].survival_ratios()])
    by_sex = data.laender_by_sex
    years = [y for y in by_sex.years if y <= launch and y - 1 in by_sex.counts]
    factor = np.ones((16, 2))
    if years:
        p0 = np.sum([by_sex.at(y - 1) for y in years], axis=0)  # [16, 2, 91]
        p1 = np.sum([by_sex.at(y) for y in years], axis=0)
        s91 = s[None, :, : p0.shape[-1]]
        k_land = hazard_factor(p0, p1, s91, LAND_MORTALITY_AGES)
        k_de = hazard_factor(p0.sum(axis=0), p1.sum(axis=0), s91[0], LAND_MORTALITY_AGES)
        factor = k_land / k_de
        sources.append(data.source("laender_by_sex", f"31.12.{years[0] - 1}–31.12.{years[-1]}"))
        notes.append(
            "Sterblichkeit je Land geschätzt aus dem Rückgang der Jahrgänge 75–89 "
            f"({years[0] - 1}–{years[-1]}), Faktoren {de_number(factor.min(), 2)}–"
            f"{de_number(factor.max(), 2)}"
        )
    else:
        notes.append(
            f"Sterblichkeit: Bundestafel ohne Länderanpassung (keine Länderdaten bis {launch})"
        )
    surv = np.minimum(s[None] ** factor[..., None], 1.0)
    return surv, tables, factor, sources, notes


#: Last year whose age-specific rates (12612-0008) are still on the Zensus-2011 population
#: basis while the TFR tables (12612-0009, -0104) were revised to the Zensus-2022 basis.
LAST_ZENSUS_2011_RATES = 2021


def tfr_basis_factor(data: OfficialData, year: int) -> tuple[float, bool]:
    """Factor that puts a revised TFR of ``year`` on the Zensus-2011 population basis of
    the population tables (and whether it is an estimate).

    Destatis revised the TFR of 2011–2021 with Zensus-2022 based numbers of women (fewer
    women, higher rates); 12612-0008 still has the rates on the old basis. Their ratio is
    the factor (about 0.98 in 2021). From 2022 on both tables use the new basis while the
    populations in the data directory (GV100AD 31.12.2022) keep the old one: the factor of
    2021 is carried forward (an estimate).
    """
    y = min(year, LAST_ZENSUS_2011_RATES)
    if y not in data.asfr.rates or y not in data.tfr_germany:
        return 1.0, False
    return float(data.asfr.rates[y].sum() / data.tfr_germany[y]), year > y


def fertility_by_land(data: OfficialData, year: int) -> tuple[F64, F64, list[Source]]:
    """Rates ``[16, 101]`` and TFR ``[16]`` of ``year``: the Land's TFR (on the population
    basis of the population tables, see :func:`tfr_basis_factor`) with the national age
    shape of the same year."""
    asfr = data.asfr
    shape_year = max(y for y in asfr.rates if y <= year)
    shape = np.zeros(N_AGES)
    shape[asfr.first_age : asfr.first_age + asfr.rates[shape_year].size] = asfr.rates[shape_year]
    shape /= shape.sum()
    factor, _estimated = tfr_basis_factor(data, year)
    tfr = factor * np.array([data.tfr_laender[f"{i + 1:02d}"][year] for i in range(16)])
    sources = [
        data.source("tfr_laender", str(year)),
        data.source("tfr_germany", str(min(year, LAST_ZENSUS_2011_RATES))),
        data.source("asfr", f"Altersprofil {shape_year}"),
    ]
    return tfr[:, None] * shape[None], tfr, sources


def _fertility_years(data: OfficialData, launch: int) -> dict[int, F64]:
    return {y: fertility_by_land(data, y)[0] for y in data.districts.years if y <= launch}


def cwr_factors(
    single: dict[int, F64], groups: dict[int, F64], land: NDArray[np.int64], fert: dict[int, F64]
) -> tuple[F64, NDArray[np.bool_]]:
    """Child–woman factor per district and whether it is stable.

    For each year ``y``: children under 3 (observed) per birth expected from the district's
    women by single year of age at the Land's fertility of ``y``, relative to the same
    ratio of the Land. The factor is the mean over the years; it is *stable* (and used)
    when at least two years are known and they differ by less than
    :data:`CWR_STABLE_SPREAD`.
    """
    ratios = []
    for y in sorted(single):
        expected = (single[y][:, 0, FERTILE] * fert[y][land][:, FERTILE]).sum(axis=-1)  # [D]
        children = groups[y][:, :, 0].sum(axis=-1)
        land_exp = np.bincount(land, expected, minlength=16)
        land_ch = np.bincount(land, children, minlength=16)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (children / expected) / (land_ch / land_exp)[land]
        ratios.append(np.where(np.isfinite(r), r, 1.0))
    arr = np.array(ratios)  # [Y, D]
    mean = arr.mean(axis=0)
    stable = (len(arr) >= 2) & ((arr.max(axis=0) - arr.min(axis=0)) / mean < CWR_STABLE_SPREAD)
    return np.where(stable, mean, 1.0), stable


def _expected(pop: F64, survival: F64, fertility: F64, year: int) -> F64:
    """One-year projection without migration (timing "end"): ``[D, 2, 101]``."""
    inp = ProjectionInputs(
        grid=GRID,
        population=pop,
        survival=survival,
        fertility=fertility,
        steps=1,
        start_year=year,
    )
    return project(inp).population[1]


def _territory(
    data: OfficialData, launch: int
) -> tuple[tuple[str, ...], tuple[str, ...], F64 | None]:
    """District AGS and names at ``launch`` and the matrix ``[D', D]`` that aggregates the
    district table's districts onto them (``None``: the table's own territory)."""
    hist = data.districts
    if launch in hist.years:
        return hist.ags5, hist.names, None
    if launch != MUNICIPAL_YEAR:
        raise KeyError(
            f"district ages exist for {hist.years[0]}–{hist.years[-1]}, municipal "
            f"populations for {MUNICIPAL_YEAR}"
        )
    names: dict[str, str] = {}
    people: dict[str, float] = {}
    for m in data.municipalities:
        names.setdefault(m["kreis"], m["kreis_name"])
        people[m["kreis"]] = people.get(m["kreis"], 0.0) + float(m["population"] or 0)
    kreise = tuple(sorted(k for k in names if people[k] > 0))  # no coastal waters etc.
    index = {k: i for i, k in enumerate(kreise)}
    agg = np.zeros((len(kreise), len(hist.ags5)))
    for j, k in enumerate(hist.ags5):
        target = k
        while target not in index and target in SUCCESSORS:
            target = SUCCESSORS[target]
        agg[index[target], j] = 1.0
    return kreise, tuple(names[k] for k in kreise), agg


def land_residual_rates(data: OfficialData, year: int, survival: F64, m: F64) -> F64:
    """The Länder's net migration rates ``[16, 2, 17]`` of ``year`` by the same residual
    method, from their single years (12411-0013/-0012)."""
    p0 = land_standard(data, year - 1, m).counts
    p1 = land_standard(data, year, m).counts
    exp = _expected(p0, survival, fertility_by_land(data, year)[0], year - 1)
    return residual_migration(group_sums(p1, GROUP_STARTS), exp, GROUP_STARTS)[1]


def _residual_rates(
    *,
    single: dict[int, F64],
    groups: dict[int, F64],
    land: NDArray[np.int64],
    survival: F64,
    fertility: dict[int, F64],
    base_years: tuple[int, ...],
    shrink: F64,
    land_rates: dict[int, F64],
) -> tuple[F64, F64, F64]:
    """Net migrants and expected residents summed over the base years ``[D, 2, 17]`` and
    the rates pulled towards the Land's. Years in ``land_rates`` (no district ages at the
    start of the year) use the Land's rates ``[16, 2, 17]`` for every district."""
    bounds = GROUP_STARTS
    m_sum = np.zeros((len(land), 2, len(bounds)))
    e_sum = np.zeros_like(m_sum)
    for y in base_years:
        if y in land_rates:
            m_sum += land_rates[y][land] * groups[y]
            e_sum += groups[y]
            continue
        exp = _expected(single[y - 1], survival, fertility[y], y - 1)
        m, _r = residual_migration(groups[y], exp, bounds)
        m_sum += m
        e_sum += group_sums(exp, bounds)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(e_sum > 0, m_sum / e_sum, 0.0)
        land_m = np.stack([m_sum[land == i].sum(axis=0) for i in range(16)])
        land_e = np.stack([e_sum[land == i].sum(axis=0) for i in range(16)])
        parent = np.where(land_e > 0, land_m / land_e, 0.0)[land]
    return m_sum, e_sum, shrink_rates(own, e_sum / len(base_years), parent, shrink)


def district_assumptions(
    data: OfficialData, launch: int, options: MigrationOptions | None = None
) -> DistrictAssumptions:
    """All districts' assumptions at 31.12.``launch`` (raises ``KeyError`` naming the
    available years if there is no base population for ``launch`` or a base year lacks
    data). ``launch`` is a year of the district table (2015–2020) or the year of the
    municipal populations (2022: base estimated, see
    :func:`ortswandel.sources.base_population.districts_rolled_forward`)."""
    opts = options or MigrationOptions()
    hist = data.districts
    ags5, names, agg = _territory(data, launch)
    history_end = min(launch, hist.years[-1])

    def on_territory(arr: F64) -> F64:
        return arr if agg is None else np.tensordot(agg, arr, axes=1)

    land = np.array([int(k[:2]) - 1 for k in ags5])
    surv_land, tables, factor, sources, notes = land_survival(data, launch)
    survival = surv_land[land]
    rates = period_death_rates(data, launch)
    standards: dict[int, LandStandard] = {
        y: land_standard(data, y, rates.m) for y in hist.years if y <= history_end
    }
    single = {y: on_territory(district_single_years(data, y, std)) for y, std in standards.items()}
    groups = {y: on_territory(hist.at(y)) for y in single}
    fert_years = _fertility_years(data, history_end)
    cwr, stable = cwr_factors(single, groups, land, fert_years)
    base_years = opts.base_years or (history_end,)
    for y in base_years:
        if y not in single:
            raise KeyError(
                f"migration of {y} needs district ages at 31.12.{y} "
                f"(available {hist.years[0]}–{history_end})"
            )
    land_rates = {
        y: land_residual_rates(data, y, surv_land, rates.m)
        for y in base_years
        if y - 1 not in single
    }
    for y in land_rates:
        notes.append(
            f"Wanderung {y}: Raten des Landes für alle Kreise (Kreisaltersdaten erst ab "
            f"31.12.{hist.years[0]}; Land 31.12.{y - 1} nach Geschlecht geschätzt)"
        )
    m_sum, _e_sum, rates_g = _residual_rates(
        single=single,
        groups=groups,
        land=land,
        survival=survival,
        fertility={y: fert_years[y][land] * cwr[:, None] for y in base_years},
        base_years=base_years,
        shrink=np.asarray(opts.shrink),
        land_rates=land_rates,
    )
    rates_1 = expand_groups(rates_g, GROUP_STARTS, N_AGES)
    fert_l, tfr_l, fert_src = fertility_by_land(data, launch)
    fertility = fert_l[land] * cwr[:, None]
    if launch in single:
        base = single[launch]
    else:
        kreise, rolled, base_sources = districts_rolled_forward(data)
        base = rolled[[kreise.index(k) for k in ags5]]
        sources += base_sources
        notes.append(
            f"Basisbevölkerung 31.12.{launch} geschätzt: Kreisaltersstruktur "
            f"{history_end} fortgeschrieben (Kohortenveränderung des Landes) und auf die "
            "Kreissummen nach Geschlecht (GV100AD) abgestimmt"
        )
    counts = migration_counts(base, survival, fertility, rates_1, steps=1, year=launch)[0]
    flagged = sorted(FLAGGED_YEARS & set(base_years))
    if flagged:
        notes.append(
            "Wanderung " + ", ".join(map(str, flagged)) + " im Basiszeitraum: Fluchtmigration "
            "erhöht die Raten (markiert; kürzerer oder späterer Basiszeitraum empfohlen)"
        )
    if history_end < launch:
        notes.append(
            f"Wanderung und Kind-Frau-Faktor aus Kreisdaten bis {history_end} (neuere "
            "Kreisaltersdaten fehlen im Datenverzeichnis)"
        )
    factor_tfr, estimated_tfr = tfr_basis_factor(data, launch)
    if estimated_tfr:
        notes.append(
            f"Geburtenziffer {launch} auf die Bevölkerungsbasis Zensus 2011 umgerechnet mit "
            f"dem Faktor von {LAST_ZENSUS_2011_RATES} ({de_number(factor_tfr, 3)})"
        )
    sources += [
        data.source("districts", f"31.12.{min(single)}–31.12.{history_end}"),
        *standards[history_end].sources,
        *fert_src,
        *rates.sources,
    ]
    return DistrictAssumptions(
        launch=launch,
        ags5=ags5,
        names=names,
        land=land,
        base=base,
        survival=survival,
        fertility=fertility,
        tfr=tfr_l[land] * cwr,
        cwr_factor=cwr,
        cwr_stable=stable,
        rates=rates_g,
        rates_single=rates_1,
        counts=counts,
        base_years=tuple(base_years),
        national_net=float(m_sum.sum()) / len(base_years),
        life_tables=tables,
        land_factor=factor,
        sources=_unique(sources),
        estimates=notes,
    )


_ARRAY_FIELDS = (
    "land",
    "base",
    "survival",
    "fertility",
    "tfr",
    "cwr_factor",
    "cwr_stable",
    "rates",
    "rates_single",
    "counts",
    "land_factor",
)


def assumptions_to_arrays(a: DistrictAssumptions) -> dict[str, np.ndarray]:
    """``a`` as plain arrays (for :mod:`ortswandel.sources.stored`); see
    :func:`assumptions_from_arrays`."""
    sexes = list(a.life_tables)
    tables = [a.life_tables[s] for s in sexes]
    return {
        **{name: np.asarray(getattr(a, name)) for name in _ARRAY_FIELDS},
        "launch": np.array(a.launch),
        "ags5": np.array(a.ags5, dtype=str),
        "names": np.array(a.names, dtype=str),
        "base_years": np.array(a.base_years, dtype=np.int64),
        "national_net": np.array(a.national_net),
        "lt_sexes": np.array(sexes, dtype=str),
        "lt_lx": np.stack([t.Lx for t in tables]) if tables else np.zeros((0, 3)),
        "lt_width": np.array([t.width for t in tables], dtype=np.int64),
        "lt_radix": np.array([t.radix for t in tables], dtype=np.float64),
        "lt_source": np.array([t.source for t in tables], dtype=str),
        "sources": np.array([list(s.as_dict().values()) for s in a.sources], dtype=str),
        "estimates": np.array(a.estimates, dtype=str),
    }


def assumptions_from_arrays(d: dict[str, np.ndarray]) -> DistrictAssumptions:
    def strings(key: str) -> list[str]:
        return [str(v) for v in d[key].tolist()]

    tables = {
        sex: LifeTable(
            d["lt_lx"][i], width=int(d["lt_width"][i]), radix=float(d["lt_radix"][i]), source=src
        )
        for i, (sex, src) in enumerate(zip(strings("lt_sexes"), strings("lt_source"), strict=True))
    }
    return DistrictAssumptions(
        launch=int(d["launch"]),
        ags5=tuple(strings("ags5")),
        names=tuple(strings("names")),
        base_years=tuple(int(y) for y in d["base_years"].tolist()),
        national_net=float(d["national_net"]),
        life_tables=tables,
        sources=[Source(*row) for row in d["sources"].astype(str).tolist()],
        estimates=strings("estimates"),
        **{name: d[name] for name in _ARRAY_FIELDS},
    )


def _unique(sources: list[Source]) -> list[Source]:
    seen: dict[tuple[str, str], Source] = {}
    for s in sources:
        seen.setdefault((s.key, s.title), s)
    return list(seen.values())
