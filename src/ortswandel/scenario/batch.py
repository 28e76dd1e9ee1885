"""Default inputs for every municipality at once (the batch path of :func:`.build.build_scenario`).

:func:`build_scenario` checks and labels each AGS it is given in a Python loop, which suits a
handful of areas. The all-Germany outlook (``ortswandel.planning.outlook``) needs the same
assumptions for all 10,981 municipalities: :func:`municipal_default_inputs` builds them with
index arrays instead — each municipality's own base population (31.12.2022, estimated ages),
its district's survival, fertility and migration rates, and the first year's migration counts
(the ``"counts"`` mode of the scenario file, the default of ``ortswandel scenario``). For a
single AGS the result equals ``build_scenario([ags], 2022, horizon=…).inputs``
(``tests/scenario/test_batch.py``).

Uninhabited municipalities (no persons in GV100AD) are left out, as ``build_scenario`` refuses
them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ortswandel.engine import NetMigration, ProjectionInputs
from ortswandel.sources.base_population import MUNICIPAL_YEAR
from ortswandel.sources.official import DataMissingError, OfficialData

from .assumptions import GRID, MigrationOptions, migration_counts
from .build import (
    MAX_HORIZON,
    SEX_RATIO_AT_BIRTH,
    BuildError,
    _assumptions,
    _municipal_base,
    _unique_sources,
)

__all__ = ["MunicipalInputs", "municipal_default_inputs"]


@dataclass(frozen=True)
class MunicipalInputs:
    """Engine inputs for all inhabited municipalities, in GV100AD order."""

    ags: tuple[str, ...]
    names: tuple[str, ...]
    kreis: tuple[str, ...]
    inputs: ProjectionInputs
    sources: list[dict[str, str]]
    estimates: list[str]
    base_years: tuple[int, ...]


def municipal_default_inputs(*, horizon: int, data: OfficialData) -> MunicipalInputs:
    """Default projection inputs for every inhabited municipality (launch 31.12.2022).

    Parameters
    ----------
    horizon : int
        Years to project (1–100).
    data : OfficialData
        The data directory.

    Returns
    -------
    MunicipalInputs
        ``inputs.population`` has shape ``[A, 2, 101]`` (persons), survival and migration
        counts the same, fertility ``[A, 101]`` (births per woman and year); ``A`` ≈ 10,950.
    """
    if not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
        raise BuildError("--horizon", f"must be 1..{MAX_HORIZON}, got {horizon}", "give years")
    launch = MUNICIPAL_YEAR
    try:
        assume = _assumptions(data, launch, MigrationOptions())
        base = _municipal_base(data)
    except DataMissingError as exc:
        raise BuildError("ORTSWANDEL_DATA_DIR", str(exc), "point it to the data") from exc
    inhabited = np.flatnonzero(base.population.sum(axis=(1, 2)) > 0)
    index = {k: i for i, k in enumerate(assume.ags5)}
    district = np.array([index[base.kreis[j]] for j in inhabited], dtype=np.int64)
    pop = base.population[inhabited]
    surv = assume.survival[district]
    fert = assume.fertility[district]
    rates = assume.rates_single[district]
    counts = migration_counts(pop, surv, fert, rates, steps=1, year=launch)[0]
    ags = tuple(base.ags[j] for j in inhabited)
    inputs = ProjectionInputs(
        grid=GRID,
        population=pop,
        survival=surv,
        fertility=fert,
        steps=horizon,
        start_year=launch,
        sex_ratio_at_birth=SEX_RATIO_AT_BIRTH,
        net_migration=NetMigration(counts),
        migration_timing="end",
        area_ids=ags,
    )
    official = base.official_ages
    estimates = list(assume.estimates)
    if official is None or not official[inhabited].all():
        estimates.extend(base.estimates[1:])
    estimates.append(
        "Gemeinden: Wanderungsraten, Sterblichkeit und Kind-Frau-Faktor ihres Kreises "
        "(keine Wanderungsgeschichte der Gemeinden in den Daten)"
    )
    sources = [s.as_dict() for s in _unique_sources([*assume.sources, *base.sources])]
    return MunicipalInputs(
        ags=ags,
        names=tuple(base.names[j] for j in inhabited),
        kreis=tuple(base.kreis[j] for j in inhabited),
        inputs=inputs,
        sources=sources,
        estimates=estimates,
        base_years=tuple(assume.base_years),
    )
