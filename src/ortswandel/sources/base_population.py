"""Base populations by sex and single year of age for districts and municipalities.

**Districts, 2015–2020** (:func:`ortswandel.sources.derived.district_single_years`): the 17
official age groups (12411-0018) split with the Land's single-year structure at the same
date (12411-0013), so that birth troughs inside a group are kept.

**Districts, 31.12.2022** (:func:`districts_rolled_forward`; an estimate): the 2020 single
years aged by two years with the Land's cohort change 2020→2022 (12411-0013/-0012), the
youngest two years from the Land's in proportion to the district's share of the Land's
children under 3 in 2020; then raked to the district totals by sex of 31.12.2022 (GV100AD)
and to the Land's single years of 31.12.2022.

**Municipalities, 31.12.2022** (:func:`estimate_base_population`; an estimate unless the
data directory has municipal age groups, :data:`MUNICIPAL_AGE_CSV`): the district's age
groups of 2022, adjusted to the municipality's population density with slopes fitted on
all districts (log share ratio of each sex and age group against the log density ratio to
the Land), split into single years like the district, then raked so that every
municipality keeps its official totals by sex (GV100AD) and the municipalities of a
district add up to the district by sex and single year of age. Municipalities with their
own age groups in :data:`MUNICIPAL_AGE_CSV` keep them (split with the district's single-year
structure) and the others share the rest of the district. The adjustment's error is
measured one level up (every district estimated from its Land the same way, leaving the
district out of the fit): :func:`density_model`.

Attribution: GV100AD, 12411-0018, 12411-0012, 12411-0013 (see :mod:`.official`), all
dl-de/by-2-0, "Daten verändert".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine.grouping import split_groups_like
from ortswandel.engine.raking import rake_within_groups
from ortswandel.engine.residual import group_sums

from .derived import N_AGES, district_single_years, land_standard, period_death_rates
from .official import OfficialData, Source, de_number, official_data
from .regionalstatistik import GROUP_STARTS, SUCCESSORS, read_municipal_age_groups
from .stored import stored

__all__ = [
    "MUNICIPAL_AGE_CSV",
    "MUNICIPAL_YEAR",
    "BasePopulation",
    "DensityModel",
    "density_model",
    "districts_rolled_forward",
    "estimate_base_population",
]

F64 = NDArray[np.float64]
#: Optional municipal age groups (tidy: year_end, ags8, sex, age_group, population).
MUNICIPAL_AGE_CSV = "regionalstatistik_gemeinden/12411-02-03-5_gemeinden_tidy_utf8.csv"
#: Date (31.12.) of the municipal populations of the GV100AD register in the data directory.
MUNICIPAL_YEAR = 2022
#: Kept for callers of the previous version.
DISTRICT_CSV = "regionalstatistik_kreise/destatis_12411-0018_tidy_utf8.csv"
LIFE_TABLE_CSV = "sterbetafeln/destatis_12621-0001_sterbetafel_2022-2024.csv"
BANDS = {"0-5": (0, 6), "6-17": (6, 18), "65+": (65, None), "75+": (75, None)}


@dataclass(frozen=True)
class BasePopulation:
    """Persons ``[area, 2, 101]`` (female, male; ages 0..99, 100+) per municipality."""

    ags: tuple[str, ...]
    names: tuple[str, ...]
    land: tuple[str, ...]
    population: F64
    year: int = 2022
    kreis: tuple[str, ...] = ()
    official_ages: NDArray[np.bool_] | None = None  # municipal age groups from a table
    estimates: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    error: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class DensityModel:
    """Slopes of the log age-group shares on log density, and their measured error."""

    slope: F64  # [2, 17]
    error: dict[str, float]  # misplaced shares and group errors in percent


def _groups(single: F64) -> F64:
    return group_sums(single, GROUP_STARTS)


def _district_areas(data: OfficialData) -> dict[str, float]:
    areas: dict[str, float] = {}
    for m in data.municipalities:
        areas[m["kreis"]] = areas.get(m["kreis"], 0.0) + float(m["area_km2"] or 0)
    return areas


def density_model(data: OfficialData, year: int = 2020) -> DensityModel:
    """Fit the density slopes on the districts of ``year`` and measure the method's error.

    For every sex and age group ``g``: ``log(share_d / share_Land) = a + b log(dens_d /
    dens_Land)``, weighted by population. Error: each district predicted from its Land
    with slopes fitted without it; reported are the mean share of persons in a wrong age
    group (``misplaced``, with and without the adjustment) and the mean absolute percentage
    error of the bands 0–5, 6–17, 65+, 75+.
    """
    hist = data.districts
    counts = hist.at(year)  # [D, 2, 17]
    areas = _district_areas(data)
    use = np.array([k in areas and k not in SUCCESSORS.values() for k in hist.ags5])
    land = np.array([int(k[:2]) - 1 for k in hist.ags5])
    area = np.array([areas.get(k, 1.0) for k in hist.ags5])
    pop = counts.sum(axis=(1, 2))
    land_counts = np.stack([counts[land == i].sum(axis=0) for i in range(16)])
    land_area = np.bincount(land[use], area[use], minlength=16)
    land_pop = np.bincount(land[use], pop[use], minlength=16)
    x = np.log(pop / area) - np.log(land_pop / land_area)[land]
    share = counts / counts.sum(axis=-1, keepdims=True)
    land_share = land_counts / land_counts.sum(axis=-1, keepdims=True)
    y = np.log(np.maximum(share, 1e-12) / land_share[land])  # [D, 2, 17]
    w = np.where(use, pop, 0.0)
    # weighted least squares with intercept, all districts and leave-one-out
    sw, swx, swxx = w.sum(), (w * x).sum(), (w * x * x).sum()
    swy = np.einsum("d,dsg->sg", w, y)
    swxy = np.einsum("d,dsg->sg", w * x, y)
    slope = (sw * swxy - swx * swy) / (sw * swxx - swx**2)
    lw = sw - w
    lwx = swx - w * x
    lwxx = swxx - w * x * x
    lwy = swy[None] - w[:, None, None] * y
    lwxy = swxy[None] - (w * x)[:, None, None] * y
    b = (lw[:, None, None] * lwxy - lwx[:, None, None] * lwy) / (lw * lwxx - lwx**2)[:, None, None]
    a = (lwy - b * lwx[:, None, None]) / lw[:, None, None]
    pred = land_share[land] * np.exp(a + b * x[:, None, None])
    pred /= pred.sum(axis=-1, keepdims=True)
    totals = counts.sum(axis=-1, keepdims=True)
    est, plain = pred * totals, land_share[land] * totals
    sel = use
    error = {
        "districts": float(sel.sum()),
        "misplaced": _misplaced(est[sel], counts[sel]),
        "misplaced_without_adjustment": _misplaced(plain[sel], counts[sel]),
    }
    for band, (lo, hi) in BANDS.items():
        gi = [i for i, s in enumerate(GROUP_STARTS) if s >= lo and (hi is None or s < hi)]
        e = est[sel][..., gi].sum(axis=(-1, -2))
        t = counts[sel][..., gi].sum(axis=(-1, -2))
        error[f"mape_{band}"] = float(np.mean(np.abs(e / t - 1)) * 100)
    return DensityModel(slope, error)


def _misplaced(est: F64, true: F64) -> float:
    """Mean over areas of the share of persons in a wrong cell, in percent."""
    return float(np.mean(np.abs(est - true).sum(axis=(-1, -2)) / 2 / true.sum(axis=(-1, -2))) * 100)


def _gv100_totals(data: OfficialData) -> tuple[list[dict[str, str]], F64]:
    munis = data.municipalities
    totals = np.array([[float(m["female"] or 0), float(m["male"] or 0)] for m in munis])
    return munis, totals


def districts_rolled_forward(data: OfficialData) -> tuple[tuple[str, ...], F64, list[Source]]:
    """Districts on the GV100AD territory at 31.12.2022 ``[kreis, 2, 101]`` (an estimate,
    see the module docstring), their AGS and the sources."""
    hist = data.districts
    y0, y1 = hist.years[-1], MUNICIPAL_YEAR
    gap = y1 - y0
    m = period_death_rates(data, y1).m
    std0 = land_standard(data, y0, m)
    std1 = land_standard(data, y1, m)
    d0 = district_single_years(data, y0, std0)
    munis, totals = _gv100_totals(data)
    kreise = sorted({mu["kreis"] for mu in munis})
    index = {k: i for i, k in enumerate(kreise)}
    old = np.zeros((len(kreise), 2, N_AGES))
    for i, k in enumerate(hist.ags5):
        target = k
        while target not in index and target in SUCCESSORS:
            target = SUCCESSORS[target]
        old[index[target]] += d0[i]
    land = np.array([int(k[:2]) - 1 for k in kreise])
    s0, s1 = std0.counts[land], std1.counts[land]
    seed = np.zeros_like(old)
    with np.errstate(divide="ignore", invalid="ignore"):
        ccr = np.where(s0[..., : -1 - gap] > 0, s1[..., gap:-1] / s0[..., : -1 - gap], 1.0)
        seed[..., gap:-1] = old[..., : -1 - gap] * ccr
        tail = s0[..., -1 - gap :].sum(axis=-1)
        seed[..., -1] = old[..., -1 - gap :].sum(axis=-1) * np.where(
            tail > 0, s1[..., -1] / tail, 1.0
        )
        young = np.where(s0[..., :3].sum(-1) > 0, old[..., :3].sum(-1) / s0[..., :3].sum(-1), 0)
    seed[..., :gap] = s1[..., :gap] * young[..., None]
    rows = np.zeros((len(kreise), 2))
    for mu, t in zip(munis, totals, strict=True):
        rows[index[mu["kreis"]]] += t
    cols = std1.counts.copy()
    land_rows = np.stack([rows[land == i].sum(axis=0) for i in range(16)])  # [16, 2]
    cols *= (land_rows / np.maximum(cols.sum(axis=-1), 1.0))[..., None]
    raked = rake_within_groups(seed, rows, cols, land)
    sources = [
        data.source("districts", f"31.12.{y0}"),
        *std0.sources,
        *std1.sources,
        data.source("gv100ad"),
    ]
    return tuple(kreise), raked, sources


def estimate_base_population(
    directory: str | Path | None = None, *, data: OfficialData | None = None
) -> BasePopulation:
    """All 10,981 municipalities by sex and single year at 31.12.2022 (see module docs).

    Computed once per :class:`OfficialData` and kept on disk in its ``cache_dir`` (see
    :mod:`.stored`), so that a new process reads it instead of estimating it again."""
    if data is None:
        if directory is None:
            raise TypeError("estimate_base_population needs the data directory or its OfficialData")
        data = official_data(directory)
    use = data

    def build() -> BasePopulation:
        arrays = stored(
            use.cache_dir,
            "municipal_base",
            root=use.root,
            build=lambda: _to_arrays(_estimate(use)),
        )
        return _from_arrays(arrays)

    result: BasePopulation = data.cached("municipal_base", build)
    return result


def _to_arrays(b: BasePopulation) -> dict[str, np.ndarray]:
    return {
        "ags": np.array(b.ags),
        "names": np.array(b.names),
        "land": np.array(b.land),
        "kreis": np.array(b.kreis),
        "population": b.population,
        "year": np.array(b.year),
        "official_ages": (
            b.official_ages if b.official_ages is not None else np.zeros(len(b.ags), dtype=bool)
        ),
        "estimates": np.array(b.estimates, dtype=str),
        "sources": np.array([list(s.as_dict().values()) for s in b.sources], dtype=str),
        "error_keys": np.array(list(b.error), dtype=str),
        "error_values": np.array(list(b.error.values()), dtype=np.float64),
    }


def _from_arrays(a: dict[str, np.ndarray]) -> BasePopulation:
    def strings(key: str) -> tuple[str, ...]:
        return tuple(str(v) for v in a[key].tolist())

    return BasePopulation(
        ags=strings("ags"),
        names=strings("names"),
        land=strings("land"),
        population=a["population"],
        year=int(a["year"]),
        kreis=strings("kreis"),
        official_ages=a["official_ages"],
        estimates=strings("estimates"),
        sources=tuple(Source(*(str(v) for v in row)) for row in a["sources"].tolist()),
        error={
            str(k): float(v)
            for k, v in zip(a["error_keys"].tolist(), a["error_values"].tolist(), strict=True)
        },
    )


def _estimate(data: OfficialData) -> BasePopulation:
    kreise, dist, sources = districts_rolled_forward(data)
    model = density_model(data)
    munis, totals = _gv100_totals(data)
    index = {k: i for i, k in enumerate(kreise)}
    di = np.array([index[mu["kreis"]] for mu in munis])
    areas = _district_areas(data)
    pop = totals.sum(axis=1)
    area = np.array([float(mu["area_km2"] or 0) for mu in munis])
    d_pop = dist.sum(axis=(1, 2))
    d_area = np.array([areas[k] for k in kreise])
    with np.errstate(divide="ignore", invalid="ignore"):
        dx = np.where((pop > 0) & (area > 0), np.log(pop / area) - np.log(d_pop / d_area)[di], 0.0)
    d_groups = _groups(dist)  # [K, 2, 17]
    d_share = d_groups / np.maximum(d_groups.sum(axis=-1, keepdims=True), 1e-300)
    share = d_share[di] * np.exp(model.slope[None] * dx[:, None, None])
    share /= np.maximum(share.sum(axis=-1, keepdims=True), 1e-300)
    groups = share * totals[..., None]
    official = np.zeros(len(munis), dtype=bool)
    path = data.root / MUNICIPAL_AGE_CSV
    own_bounds: tuple[int, ...] = GROUP_STARTS
    if path.exists():
        table = read_municipal_age_groups(path, 2022)
        pos = {a: i for i, a in enumerate(mu["ags"] for mu in munis)}
        sel = [(pos[a], i) for i, a in enumerate(table.ags) if a in pos]
        official[[j for j, _ in sel]] = True
        own_bounds = table.group_starts
        sources.append(
            Source(
                "municipal_ages",
                "12411-02-03-5",
                "Gemeinden, Altersgruppen",
                MUNICIPAL_AGE_CSV,
                data.source("districts").attribution,
            )
        )
    seed = split_groups_like(groups, GROUP_STARTS, dist[di], tilt=True)
    if official.any():
        t = read_municipal_age_groups(path, 2022)
        pos_t = {a: i for i, a in enumerate(t.ags)}
        rows_t = [pos_t[mu["ags"]] for mu, o in zip(munis, official, strict=True) if o]
        seed[official] = split_groups_like(t.counts[rows_t], own_bounds, dist[di[official]])
    # municipalities with their own age groups keep them; the others share the rest of
    # their district
    rest = dist.copy()
    np.subtract.at(rest, di[official], seed[official])
    others = ~official
    population = seed.copy()
    population[others] = rake_within_groups(
        seed[others], totals[others], np.maximum(rest, 0.0), di[others]
    )
    e = model.error
    misplaced = de_number(e["misplaced"], 1)
    plain = de_number(e["misplaced_without_adjustment"], 1)
    bands = ", ".join(f"{b.replace('-', '–')} J. {de_number(e['mape_' + b], 1)} %" for b in BANDS)
    estimates = (
        f"Kreise 31.12.2022 geschätzt: Altersstruktur 31.12.{data.districts.years[-1]} mit "
        "den Kohortenveränderungen des Landes fortgeschrieben und auf Kreissummen (GV100AD) "
        "und Landesaltersjahre abgestimmt",
        "Altersstruktur der Gemeinden geschätzt: Kreisstruktur, an die Einwohnerdichte "
        "angepasst, auf Einwohner nach Geschlecht (GV100AD) und Kreis-Altersjahre abgestimmt. "
        f"Gemessener Fehler derselben Methode für die {int(e['districts'])} Kreise aus ihrem "
        f"Land: {misplaced} % der Personen in falscher Altersgruppe (ohne Dichteanpassung "
        f"{plain} %), mittlere Abweichung {bands}; für Gemeinden eher größer",
    )
    return BasePopulation(
        ags=tuple(mu["ags"] for mu in munis),
        names=tuple(mu["name"] for mu in munis),
        land=tuple(mu["land"] for mu in munis),
        population=population,
        kreis=tuple(mu["kreis"] for mu in munis),
        official_ages=official,
        estimates=estimates,
        sources=(*sources, data.source("gv100ad")),
        error=dict(e),
    )
