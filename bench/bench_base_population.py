"""Base populations: the previous split of district age groups against the new one.

Before (the method used until issue 8): each district's 17 age groups split by a monotone
cubic curve (``split_groups``), the open group 75+ spread like the life table's ``Lx``.
After: the groups split with the Land's official single-year structure of the same date,
tilted by the district's own profile (``split_groups_like``), 90+ spread by deaths / death
rates (:mod:`ortswandel.sources.derived`).

Printed for every year of the district table (31.12.2015–2020), compared with the official
national single years (12411-0006, ages 0..84, 85+, by sex) and deaths (12613-0003):

* misplaced share: persons in a wrong single year of age, ``sum |est - official| / 2 /
  total`` (nationally the new split is exact by construction, so the same measure is also
  shown one level up: each Land split with Germany's structure against the Land's
  official single years, 12411-0013);
* age 72, the 85+ share of the 75+;
* deaths in the first year of a projection without migration, against the official deaths
  of the next year (life table 2016/18 for both, and the builder's own period table).

Also the municipal base of 31.12.2022 (all 10,981 municipalities) against the national
single years of 2022 (12411-0005) and the measured error of the density adjustment.

Run: ``.venv/bin/python bench/bench_base_population.py``
"""

from __future__ import annotations

import os
import time

import numpy as np

from ortswandel.core.env import data_dir
from ortswandel.engine import AgeGrid, ProjectionInputs, project, split_groups
from ortswandel.engine.grouping import split_groups_like
from ortswandel.engine.inputs import survival_from_tables
from ortswandel.engine.mortality import life_table_from_rates
from ortswandel.engine.residual import group_sums
from ortswandel.scenario.assumptions import fertility_by_land
from ortswandel.sources.base_population import density_model, estimate_base_population
from ortswandel.sources.derived import district_single_years, land_standard, period_death_rates
from ortswandel.sources.official import official_data

GRID = AgeGrid(1, 100)


def old_split(counts: np.ndarray, starts: tuple[int, ...], tables: dict) -> np.ndarray:
    """The previous method: PCHIP split, 75+ like the life table's Lx."""
    return np.stack(
        [
            split_groups(counts[:, s], starts, open_weights=tables[k].Lx[starts[-1] :])
            for s, k in ((0, "female"), (1, "male"))
        ],
        axis=1,
    )


def to_85(single: np.ndarray) -> np.ndarray:
    """``[..., 101]`` -> ``[..., 86]`` (0..84, 85+)."""
    return np.concatenate([single[..., :85], single[..., 85:].sum(-1, keepdims=True)], -1)


def misplaced(est: np.ndarray, true: np.ndarray) -> float:
    return float(np.abs(est - true).sum() / 2 / true.sum() * 100)


def first_year_deaths(pop: np.ndarray, tables: dict, fert: np.ndarray, year: int) -> float:
    inp = ProjectionInputs(
        grid=GRID,
        population=pop,
        survival=survival_from_tables(tables["female"], tables["male"]),
        fertility=fert,
        steps=1,
        start_year=year,
    )
    return float(project(inp).deaths.sum())


def land_cross_validation(data, year: int) -> dict[str, float]:
    """Länder split from Germany's single years vs their official single years (mean %)."""
    lands = data.laender_by_sex.at(year)  # [16, 2, 91]
    starts = data.districts.group_starts
    grouped = group_sums(lands, starts)
    nat = lands.sum(axis=0)
    out = {}
    old = split_groups(grouped, starts, open_to=90)
    plain = split_groups_like(grouped, starts, nat)
    tilt = split_groups_like(grouped, starts, nat, tilt=True)
    for name, est in (("before", old), ("standard", plain), ("after", tilt)):
        out[name] = float(
            np.mean(np.abs(est - lands).sum(axis=(1, 2)) / 2 / lands.sum(axis=(1, 2))) * 100
        )
    return out


def main() -> None:
    """Print the figures."""
    t0 = time.perf_counter()
    data = official_data(data_dir())
    hist = data.districts
    published = data.published_life_table(2016, 2018)
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(
        "year | misplaced % before/after (Länder CV before/after) | age 72 before/after/"
        "official | 85+ in 75+ % before/after/official | deaths next year (table 2016/18) "
        "before/after, (own table) after / official"
    )
    for year in hist.years:
        official = data.germany_by_sex.at(year)
        before = old_split(hist.at(year), hist.group_starts, published)
        rates = period_death_rates(data, year)
        after = district_single_years(data, year, land_standard(data, year, rates.m))
        own = {
            "female": life_table_from_rates(rates.m[0], sex="female"),
            "male": life_table_from_rates(rates.m[1], sex="male"),
        }
        land = np.array([int(k[:2]) - 1 for k in hist.ags5])
        fert = fertility_by_land(data, year)[0][land]
        b85, a85 = to_85(before.sum(0)), to_85(after.sum(0))
        cv = land_cross_validation(data, year)
        deaths = data.deaths.counts.get(year + 1)
        d_txt = "n/a"
        if deaths is not None:
            d_b = first_year_deaths(before, published, fert, year)
            d_a = first_year_deaths(after, published, fert, year)
            d_o = first_year_deaths(after, own, fert, year)
            d_txt = (
                f"{d_b / 1e6:.3f}/{d_a / 1e6:.3f} M, {d_o / 1e6:.3f} M / "
                f"{deaths.sum() / 1e6:.3f} M ({(d_b / deaths.sum() - 1) * 100:+.1f} % -> "
                f"{(d_o / deaths.sum() - 1) * 100:+.1f} %)"
            )
        share = [x[:, 85].sum() / x[:, 75:].sum() * 100 for x in (b85, a85, official)]
        print(
            f"{year} | {misplaced(b85, official):.2f}/{misplaced(a85, official):.2f} "
            f"({cv['before']:.2f}/{cv['after']:.2f}; standard without tilt "
            f"{cv['standard']:.2f}) | {b85[:, 72].sum():,.0f}/{a85[:, 72].sum():,.0f}/"
            f"{official[:, 72].sum():,.0f} | {share[0]:.1f}/{share[1]:.1f}/{share[2]:.1f} | "
            f"{d_txt}"
        )
    base = estimate_base_population(data=data)
    off = data.germany_total.at(2022)
    nat = to_85(base.population.sum(axis=(0, 1)))
    print(
        f"\nmunicipalities 31.12.2022: {len(base.ags):,} areas, {base.population.sum():,.0f} "
        f"persons; misplaced vs official single years {misplaced(nat, off):.3f} %, age 72 "
        f"{nat[72]:,.0f} (official {off[72]:,.0f}), 85+ in 75+ "
        f"{nat[85] / nat[75:].sum() * 100:.2f} % (official {off[85] / off[75:].sum() * 100:.2f} %)"
    )
    err = density_model(data).error
    print(
        "density adjustment, measured one level up (districts from their Land, leave one "
        f"out, {err['districts']:.0f} districts): misplaced {err['misplaced']:.2f} % "
        f"(without {err['misplaced_without_adjustment']:.2f} %); MAPE 0-5 "
        f"{err['mape_0-5']:.2f} %, 6-17 {err['mape_6-17']:.2f} %, 65+ {err['mape_65+']:.2f} %, "
        f"75+ {err['mape_75+']:.2f} %"
    )
    print(f"time {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
