"""Build a complete scenario for municipalities and districts from the official files.

:func:`build_scenario` is the one service behind ``ortswandel scenario`` and the web
workspace (plain Python, no Django): for AGS (8 digits: municipality, 5: district) and a
launch year ``L`` it returns the scenario document in the documented format
(``docs/scenario-format.md``; base population of 31.12.``L``), the engine inputs with
every area's own assumptions, the list of sources and the list of estimates ("estimate"
labels, each with what it rests on and, where measured, its error).

Assumptions: :mod:`ortswandel.scenario.assumptions` (districts) and
:mod:`ortswandel.sources.base_population` (municipal base populations). A municipality has
no migration history of its own in the data directory, so it takes its district's rates
(the pull towards the district is complete), applied to its own population.

The scenario file holds one life table and one fertility schedule for all its areas: with
several areas they are the population-weighted means of the areas' own (births and deaths
of the first year are kept), and an estimate label says so. ``inputs`` keeps each area's
own assumptions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine import NetMigration, ProjectionInputs
from ortswandel.engine.lifetable import lx_from_survival
from ortswandel.sources.base_population import (
    MUNICIPAL_YEAR,
    BasePopulation,
    estimate_base_population,
)
from ortswandel.sources.official import (
    DataMissingError,
    OfficialData,
    Source,
    de_number,
)
from ortswandel.sources.stored import stored

from .assumptions import (
    GRID,
    DistrictAssumptions,
    MigrationOptions,
    assumptions_from_arrays,
    assumptions_to_arrays,
    district_assumptions,
    migration_counts,
)

__all__ = ["MAX_HORIZON", "BuildError", "BuiltScenario", "build_scenario", "prepare"]

F64 = NDArray[np.float64]
MAX_HORIZON = 100
SEX_RATIO_AT_BIRTH = 1.05
FIRST_FERTILE, LAST_FERTILE = 15, 49


class BuildError(ValueError):
    """Bad input for :func:`build_scenario`: ``field`` (the CLI option), problem and fix."""

    def __init__(self, field: str, problem: str, fix: str) -> None:
        self.field, self.problem, self.fix = field, problem, fix
        super().__init__(f"{field}: {problem}. Fix: {fix}")


@dataclass
class BuiltScenario:
    """What :func:`build_scenario` returns."""

    document: dict[str, Any]
    inputs: ProjectionInputs
    areas: list[dict[str, Any]]
    sources: list[dict[str, str]]
    estimates: list[str]
    migration_rates: F64  # [A, 2, 101] net migrants per expected resident and year
    migration_counts: F64  # [A, 2, 101] net migrants per year (first year; in the file)
    migration_level: list[float] | None = None
    notes: dict[str, Any] = field(default_factory=dict)


def _parse_ags(ags: Sequence[str]) -> list[str]:
    out = [a.strip() for a in ags if a.strip()]
    if not out:
        raise BuildError("--ags", "no AGS given", "give e.g. --ags 09162000 or --ags 09162")
    for a in out:
        if not a.isdigit() or len(a) not in (5, 8):
            raise BuildError(
                "--ags",
                f"{a!r} is not an AGS",
                "give 8 digits for a municipality (09162000) or 5 for a district (09162)",
            )
    dup = sorted({a for a in out if out.count(a) > 1})
    if dup:
        raise BuildError("--ags", f"{', '.join(dup)} given twice", "give every AGS once")
    return out


def _assumptions(data: OfficialData, launch: int, opts: MigrationOptions) -> DistrictAssumptions:
    key = f"assumptions_{launch}_{opts.base_years}_{opts.shrink}"
    name = "assumptions_" + hashlib.sha256(key.encode()).hexdigest()[:16]

    def build() -> DistrictAssumptions:
        arrays = stored(
            data.cache_dir,
            name,
            root=data.root,
            build=lambda: assumptions_to_arrays(district_assumptions(data, launch, opts)),
        )
        return assumptions_from_arrays(arrays)

    try:
        return data.cached(key, build)
    except KeyError as exc:
        field = "--base-years" if opts.base_years and "migration of" in str(exc) else "--launch"
        raise BuildError(field, str(exc).strip("'\""), "choose a year the data cover") from exc


def prepare(data: OfficialData, launch: int) -> None:
    """Derive the default district assumptions of ``launch`` now (kept in ``data.cache_dir``
    for later processes; the import commands call this so that no request waits for it)."""
    _assumptions(data, launch, MigrationOptions())


def _level_path(
    data: OfficialData, spec: str | Sequence[float], launch: int, steps: int, national: float
) -> tuple[list[float], str]:
    """Multipliers on all migration per step from a national net-migration path."""
    if isinstance(spec, str):
        variants = data.migration_variants
        key = spec.strip().upper()
        if key not in variants:
            raise BuildError(
                "--national-migration",
                f"unknown path {spec!r}",
                f"use {', '.join(sorted(variants))} or one number per year",
            )
        y0, v0, y1, v1 = variants[key]
        years = np.arange(launch + 1, launch + steps + 1)
        if years[0] < y0:
            raise BuildError(
                "--national-migration",
                f"{key} starts in {y0}, the projection in {years[0]}",
                "give one number per year instead, or launch later",
            )
        values = np.interp(years, [y0, y1], [v0, v1])
        what = (
            f"{key} der 15. koordinierten Bevölkerungsvorausberechnung ({de_number(v0)} in "
            f"{y0} linear auf {de_number(v1)} in {y1}, danach konstant)"
        )
    else:
        values = np.asarray(list(spec), dtype=np.float64)
        if values.shape != (steps,) or not np.isfinite(values).all():
            raise BuildError(
                "--national-migration",
                f"needs {steps} numbers (one per year), got {values.size}",
                "give the national net migration per year, comma-separated",
            )
        if (values < 0).any():
            raise BuildError(
                "--national-migration",
                "negative values cannot scale the areas' migration",
                "give national net migration >= 0 per year",
            )
        what = "vorgegebener Pfad"
    if national <= 0:
        raise BuildError(
            "--national-migration",
            f"the base period's national net migration is {national:.0f}, not > 0",
            "choose other base years or leave the path out",
        )
    level = np.maximum(values / national, 0.0)
    label = (
        f"Wanderungsniveau: {what}; Faktor = Pfad / Wanderungssaldo Deutschlands im "
        f"Basiszeitraum ({de_number(national)} Personen/Jahr). Er skaliert alle Wanderungen, "
        "auch die Binnenwanderung (Vereinfachung)"
    )
    return [float(v) for v in level], label


def _municipal_base(data: OfficialData) -> BasePopulation:
    return data.cached("municipal_base", lambda: estimate_base_population(data=data))


def _rows(
    data: OfficialData, ags: list[str], launch: int, assume: DistrictAssumptions
) -> tuple[list[dict[str, Any]], F64, F64, F64, F64, list[str], list[Source]]:
    """Per area: info, population, survival, fertility, migration rates; labels; sources."""
    index = {k: i for i, k in enumerate(assume.ags5)}
    infos: list[dict[str, Any]] = []
    pops, survs, ferts, rates = [], [], [], []
    labels: list[str] = []
    sources: list[Source] = []
    muni_base = None
    for a in ags:
        if len(a) == 5:
            if a not in index:
                raise BuildError(
                    "--ags",
                    f"{a} is not a district on 31.12.{launch}",
                    "check the AGS (district codes have 5 digits, e.g. 09162)",
                )
            i = index[a]
            infos.append({"id": a, "name": assume.names[i], "level": "Kreis", "kreis": a})
            pops.append(assume.base[i])
        else:
            if launch != MUNICIPAL_YEAR:
                raise BuildError(
                    "--launch",
                    f"municipal populations exist for 31.12.{MUNICIPAL_YEAR} only (GV100AD), "
                    f"not {launch}",
                    f"use --launch {MUNICIPAL_YEAR}, or the district AGS {a[:5]}",
                )
            muni_base = muni_base or _municipal_base(data)
            if a not in muni_base.ags:
                raise BuildError(
                    "--ags", f"{a} is not a municipality in GV100AD", "check the 8-digit AGS"
                )
            j = muni_base.ags.index(a)
            if muni_base.population[j].sum() <= 0:
                raise BuildError(
                    "--ags", f"{a} ({muni_base.names[j]}) has no inhabitants", "choose another"
                )
            k = muni_base.kreis[j]
            i = index[k]
            infos.append({"id": a, "name": muni_base.names[j], "level": "Gemeinde", "kreis": k})
            pops.append(muni_base.population[j])
            if muni_base.official_ages is None or not muni_base.official_ages[j]:
                labels.extend(muni_base.estimates[1:])
            labels.append(
                f"{a}: Wanderungsraten, Sterblichkeit und Kind-Frau-Faktor des Kreises {k} "
                "(keine Wanderungsgeschichte der Gemeinde in den Daten)"
            )
            sources.extend(muni_base.sources)
        survs.append(assume.survival[i])
        ferts.append(assume.fertility[i])
        rates.append(assume.rates_single[i])
        info = infos[-1]
        info["land"] = a[:2]
        info["population"] = float(pops[-1].sum())
        info["tfr"] = float(assume.tfr[i])
        info["cwr_factor"] = float(assume.cwr_factor[i])
        if not assume.cwr_stable[i]:
            labels.append(
                f"{a}: Kind-Frau-Verhältnis des Kreises nicht stabil oder nur ein Jahr bekannt, "
                "Fertilität des Landes ohne örtliche Anpassung"
            )
    return infos, np.stack(pops), np.stack(survs), np.stack(ferts), np.stack(rates), labels, sources


def _shared(pop: F64, surv: F64, fert: F64) -> tuple[F64, F64, bool]:
    """One survival ``[2, 101]`` and fertility ``[101]`` for the file (weighted means)."""
    same = bool(np.allclose(surv, surv[:1]) and np.allclose(fert, fert[:1]))
    w = pop + 1e-9
    s = (surv * w).sum(axis=0) / w.sum(axis=0)
    women = pop[:, 0] + 1e-9
    f = (fert * women).sum(axis=0) / women.sum(axis=0)
    return s, f, same


def _by_sex(arr: F64, digits: int) -> dict[str, list[float]]:
    return {
        "female": [round(float(v), digits) for v in arr[0]],
        "male": [round(float(v), digits) for v in arr[1]],
    }


def build_scenario(
    ags: Sequence[str],
    launch: int,
    *,
    horizon: int = 10,
    base_years: Sequence[int] | None = None,
    national_migration: str | Sequence[float] | None = None,
    migration: str = "counts",
    data: OfficialData,
) -> BuiltScenario:
    """Build the scenario (see the module docstring); raises :class:`BuildError`.

    Parameters
    ----------
    ags : sequence of str
        8-digit municipality or 5-digit district AGS.
    launch : int
        Year of the base population (31.12.): 2015–2020 for districts (official ages),
        2022 for municipalities and districts (estimated ages), as the data directory holds.
    horizon : int
        Years to project (1–100).
    base_years : sequence of int, optional
        Calendar years whose migration is pooled (default: the last year with district
        ages up to ``launch``).
    national_migration : "W0".."W3" or one number per year, optional
        National net migration path; every area's migration is scaled by path / national
        net migration of the base years (``paths.migration_level`` in the file).
    migration : {"counts", "rates"}
        ``inputs`` with the first year's counts in every year (as in the file) or with the
        rates applied to each year's survivors.
    """
    if not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
        raise BuildError("--horizon", f"must be 1..{MAX_HORIZON}, got {horizon}", "give years")
    if migration not in ("counts", "rates"):
        raise BuildError("migration", f"unknown mode {migration!r}", 'use "counts" or "rates"')
    codes = _parse_ags(ags)
    try:
        years = tuple(sorted({int(y) for y in base_years})) if base_years else None
        if years and max(years) > launch:
            raise BuildError(
                "--base-years",
                f"{max(years)} is after the launch year {launch}",
                "use only years up to the launch year",
            )
        assume = _assumptions(data, launch, MigrationOptions(base_years=years))
        infos, pop, surv, fert, rates, labels, sources = _rows(data, codes, launch, assume)
    except DataMissingError as exc:
        raise BuildError("ORTSWANDEL_DATA_DIR", str(exc), "point it to the data") from exc
    counts_t = migration_counts(
        pop, surv, fert, rates, steps=horizon if migration == "rates" else 1, year=launch
    )
    counts = counts_t[0]
    estimates = list(assume.estimates)
    level = None
    if national_migration is not None:
        level, label = _level_path(data, national_migration, launch, horizon, assume.national_net)
        estimates.append(label)
    s_file, f_file, same = _shared(pop, surv, fert)
    if len(codes) > 1 and not same:
        estimates.append(
            "Datei: eine Sterbetafel und eine Fertilität für alle Gebiete (Format), "
            "bevölkerungsgewichtete Mittel der gebietseigenen Werte; gebietseigene Werte im "
            "Dienst (inputs)"
        )
    estimates += list(dict.fromkeys(labels))
    all_sources = [s.as_dict() for s in _unique_sources([*assume.sources, *sources])]
    lx = lx_from_survival(s_file, 1)
    doc: dict[str, Any] = {
        "title": f"Ortswandel: Annahmen aus der amtlichen Statistik, Basis 31.12.{launch}",
        "description": _description(assume, all_sources, estimates),
        "start_year": launch,
        "steps": horizon,
        "step_width": 1,
        "open_age": GRID.open_age,
        "sex_ratio_at_birth": SEX_RATIO_AT_BIRTH,
        "migration_timing": "end",
        "areas": [
            {
                "id": info["id"],
                "name": info["name"],
                "population": _by_sex(pop[i], 3),
                "net_migration": _by_sex(counts[i], 4),
            }
            for i, info in enumerate(infos)
        ],
        "survival": {"female": {"Lx": lx[0].tolist()}, "male": {"Lx": lx[1].tolist()}},
        "fertility": {
            "first_age": FIRST_FERTILE,
            "rates": [float(v) for v in f_file[FIRST_FERTILE : LAST_FERTILE + 1]],
        },
    }
    if level is not None:
        doc["paths"] = {"migration_level": level}
    inputs = ProjectionInputs(
        grid=GRID,
        population=pop,
        survival=surv,
        fertility=fert,
        steps=horizon,
        start_year=launch,
        sex_ratio_at_birth=SEX_RATIO_AT_BIRTH,
        net_migration=NetMigration(counts_t if migration == "rates" else counts),
        migration_timing="end",
        migration_scale=None if level is None else np.asarray(level)[:, None],
        area_ids=tuple(codes),
    )
    return BuiltScenario(
        document=doc,
        inputs=inputs,
        areas=infos,
        sources=all_sources,
        estimates=estimates,
        migration_rates=rates,
        migration_counts=counts,
        migration_level=level,
        notes={
            "base_years": list(assume.base_years),
            "national_net_migration": assume.national_net,
            "e0": {s: t.e0 for s, t in assume.life_tables.items()},
        },
    )


def _unique_sources(sources: list[Source]) -> list[Source]:
    seen: dict[tuple[str, str], Source] = {}
    for s in sources:
        seen.setdefault((s.key, s.title), s)
    return list(seen.values())


def _description(assume: DistrictAssumptions, sources: list[dict[str, str]], est: list[str]) -> str:
    years = ", ".join(map(str, assume.base_years))
    parts = [
        "Sterblichkeit: Periodensterbetafel (Länderanpassung); Fertilität: TFR des Landes mit "
        "Altersprofil Deutschlands und örtlichem Kind-Frau-Faktor; Wanderung: Residuen "
        f"(Bevölkerungsveränderung minus Geburten und Sterbefälle) der Jahre {years} nach "
        "Kreis, Geschlecht und Altersgruppe, zum Land hin gewichtet.",
        "Quellen: " + "; ".join(f"{s['title']} ({s['attribution']})" for s in sources) + ".",
    ]
    if est:
        parts.append("Schätzungen: " + " | ".join(est) + ".")
    return " ".join(parts)
