"""Quantities derived from several official tables: period death rates, the Länder's
single-year structure by sex at a date, and districts by single year of age.

* :func:`period_death_rates` — central death rates by sex and single year 0..100+ for the
  three calendar years ending in ``year`` (deaths 12613-0003, exposure = mean of the
  populations 12411-0006 at the start and end of each year; ages from 85 on a Gompertz
  curve levelled by the deaths, see :mod:`ortswandel.engine.mortality`). Only years up
  to ``year`` are used.
* :func:`land_standard` — the 16 Länder by sex and single year 0..99, 100+ at 31.12.
  (12411-0013 to 90+; the open group 90+ spread like the population implied by the
  deaths of the year, ``D_x / m_x``). For other years (12411-0013 covers 2015–2021) the
  both-sex counts of 12411-0012 are split by the sex ratio of the same birth cohorts in the
  nearest year by sex (an estimate).
* :func:`district_single_years` — the 17 district age groups (12411-0018) split into
  single years in proportion to the Land's structure at the same date, tilted within each
  group by the district's own smooth age profile
  (:func:`ortswandel.engine.grouping.split_groups_like` with ``tilt=True``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine.grouping import split_groups_like
from ortswandel.engine.mortality import death_rates

from .official import OfficialData, Source

__all__ = [
    "OPEN_AGE",
    "LandStandard",
    "PeriodRates",
    "district_single_years",
    "land_standard",
    "period_death_rates",
]

F64 = NDArray[np.float64]
OPEN_AGE = 100
N_AGES = OPEN_AGE + 1


@dataclass(frozen=True)
class PeriodRates:
    """Death rates ``m [2, 101]`` (female, male) of the calendar years ``first..last``."""

    m: F64
    first: int
    last: int
    sources: tuple[Source, ...]


def period_death_rates(data: OfficialData, year: int, years: int = 3) -> PeriodRates:
    """Death rates of the ``years`` calendar years ending in ``year`` (or, if the tables end
    earlier, the latest such period before it)."""
    deaths, pop = data.deaths, data.germany_by_sex
    last = min(year, max(deaths.years), max(pop.years))
    first = last - years + 1
    if first - 1 < min(pop.years) or first < min(deaths.years):
        raise KeyError(f"no deaths and population for {first}-{last}")
    d = np.sum([deaths.counts[y] for y in range(first, last + 1)], axis=0)
    e = np.sum([(pop.at(y - 1) + pop.at(y)) / 2 for y in range(first, last + 1)], axis=0)
    m = np.stack([death_rates(d[s], e[s], open_to=OPEN_AGE) for s in (0, 1)])
    src = (
        data.source("deaths", f"{first}–{last}"),
        data.source("germany_by_sex", f"31.12.{first - 1}–31.12.{last}"),
    )
    return PeriodRates(m, first, last, src)


def tail_weights(data: OfficialData, year: int, m: F64, start: int) -> F64:
    """Relative population at ages ``start..100+`` by sex ``[2, 101-start]``: ``D_x / m_x``
    with the deaths of ``year`` (or the latest year with deaths)."""
    y = min(year, max(data.deaths.years))
    d = data.deaths.counts[y][:, start:]
    w = d / m[:, start:]
    return np.asarray(w / w.sum(axis=-1, keepdims=True))


@dataclass(frozen=True)
class LandStandard:
    """The Länder (AGS order 01..16) by sex and single year ``[16, 2, 101]`` at 31.12."""

    year: int
    counts: F64
    estimated: bool
    sources: tuple[Source, ...] = field(default=())


def _female_share(ref: F64, shift: int) -> F64:
    """Female share by age ``[16, A]`` ``shift`` years after (or before) ``ref [16, 2, A]``,
    following the birth cohorts; ages without a cohort in ``ref`` take the nearest age."""
    n = ref.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ref.sum(axis=1) > 0, ref[:, 0] / ref.sum(axis=1), 0.5)
    src = np.clip(np.arange(n) - shift, 0, n - 1)
    out = share[:, src]
    tail = ref[..., max(n - 1 - shift, 0) :] if shift > 0 else ref[..., n - 1 :]
    out[:, -1] = tail[:, 0].sum(axis=-1) / tail.sum(axis=(1, 2))  # the open group
    return np.asarray(out)


def land_standard(data: OfficialData, year: int, m: F64) -> LandStandard:
    """See the module docstring; ``m`` are death rates ``[2, 101]`` (for the 90+ tail)."""
    by_sex = data.laender_by_sex
    if year in by_sex.counts:
        base = by_sex.at(year)  # [16, 2, 91]
        src: tuple[Source, ...] = (data.source("laender_by_sex", f"31.12.{year}"),)
        estimated = False
    else:
        total = data.laender_total.at(year)  # [16, 91]; raises KeyError with the years
        ref_year = min(by_sex.years, key=lambda y: abs(y - year))
        base = np.stack([total * _female_share(by_sex.at(ref_year), year - ref_year), total], 1)
        base[:, 1] -= base[:, 0]
        src = (
            data.source("laender_total", f"31.12.{year}"),
            data.source("laender_by_sex", f"31.12.{ref_year}"),
        )
        estimated = True
    top = base.shape[-1] - 1
    out = np.zeros((16, 2, N_AGES))
    out[..., :top] = base[..., :top]
    out[..., top:] = base[..., top:] * tail_weights(data, year, m, top)[None]
    return LandStandard(year, out, estimated, src)


def district_single_years(data: OfficialData, year: int, standard: LandStandard) -> F64:
    """Districts by sex and single year ``[kreis, 2, 101]`` at 31.12. of ``year``."""
    hist = data.districts
    land = np.array([int(k[:2]) - 1 for k in hist.ags5])
    return split_groups_like(hist.at(year), hist.group_starts, standard.counts[land], tilt=True)
