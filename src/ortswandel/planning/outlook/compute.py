"""The all-Germany outlook: the default projection of every municipality, computed at once.

:func:`compute_outlook` builds the default inputs of all inhabited municipalities with the
scenario layer's batch path (:func:`ortswandel.scenario.batch.municipal_default_inputs`:
launch 31.12.2022, each municipality's own base population, its district's rates), projects
them with the vectorised engine (:func:`ortswandel.engine.project`, blocks of areas, never a
loop over areas) to :data:`HORIZON` years and summarises each area with :func:`summarise`
(pure NumPy over ``[area, sex, age]``).

:func:`outlook_refresh` (the service behind the job ``planning.refresh_outlook``, the command
``compute_outlook`` and the data pool import hook) writes the summaries in one transaction with
bulk inserts, makes the new run current, deletes older runs, writes an audit entry and bumps the
outlook version on commit. It skips the work when the current run was computed from the same
data (:func:`data_version`: a fingerprint of the files in ``ORTSWANDEL_DATA_DIR``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from numpy.typing import NDArray

from ortswandel.core.audit import audit_log
from ortswandel.core.typing import ActingUser
from ortswandel.core.versions import bump_on_commit
from ortswandel.engine import project, take_areas
from ortswandel.planning.models import MunicipalityOutlook, OutlookRun
from ortswandel.scenario.batch import municipal_default_inputs
from ortswandel.sources.official import OfficialData

logger = logging.getLogger(__name__)

F64 = NDArray[np.float64]
#: Years projected (launch 31.12.2022 → 2042).
HORIZON = 20
#: Areas projected together (bounds the memory of one engine call to ~70 MB).
BLOCK = 2500
#: PostgreSQL advisory lock serialising writers of the outlook ("OWOUTL").
WRITE_LOCK_KEY = 0x4F574F55544C
#: Cache version of the outlook (replaced when a new run is committed).
OUTLOOK_VERSION = "planning:outlook-version"
#: Columns of :class:`MunicipalityOutlook` filled by :func:`summarise`, in order.
FIELDS = (
    "population_now",
    "population_horizon",
    "change_pct",
    "share_65_now",
    "share_65_horizon",
    "share_80_now",
    "share_80_horizon",
    "change_0_2_pct",
    "change_3_5_pct",
    "change_6_9_pct",
    "change_80_pct",
)


def data_version(root: str | Path) -> str:
    """A fingerprint of the official files under ``root`` (names, sizes, modification times)."""
    digest = hashlib.sha256()
    base = Path(root)
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(
            f"{path.relative_to(base)}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()[:16]


def _change(now: F64, later: F64) -> F64:
    """Change in percent; NaN where ``now`` is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(now > 0, (later / now - 1.0) * 100.0, np.nan)


def _share(part: F64, total: F64) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, part / total * 100.0, 0.0)


def summarise(now: F64, later: F64) -> dict[str, F64]:
    """The summary columns (:data:`FIELDS`) for populations ``now`` and ``later``.

    Parameters
    ----------
    now, later : ndarray, shape ``[A, 2, 101]``
        Persons by area, sex and single year of age (100 = 100+) at the launch and the horizon.

    Returns
    -------
    dict of str to ndarray ``[A]``
        Persons, shares in percent and changes in percent (NaN where a group is empty now).
    """
    a_now, a_later = now.sum(axis=1), later.sum(axis=1)  # [A, 101]
    t_now, t_later = a_now.sum(axis=1), a_later.sum(axis=1)

    def band(ages: F64, lo: int, hi: int | None = None) -> F64:
        return np.asarray(ages[:, lo:hi].sum(axis=1))

    return {
        "population_now": t_now,
        "population_horizon": t_later,
        "change_pct": _change(t_now, t_later),
        "share_65_now": _share(band(a_now, 65), t_now),
        "share_65_horizon": _share(band(a_later, 65), t_later),
        "share_80_now": _share(band(a_now, 80), t_now),
        "share_80_horizon": _share(band(a_later, 80), t_later),
        "change_0_2_pct": _change(band(a_now, 0, 3), band(a_later, 0, 3)),
        "change_3_5_pct": _change(band(a_now, 3, 6), band(a_later, 3, 6)),
        "change_6_9_pct": _change(band(a_now, 6, 10), band(a_later, 6, 10)),
        "change_80_pct": _change(band(a_now, 80), band(a_later, 80)),
    }


@dataclass(frozen=True)
class OutlookBatch:
    """The computed outlook of all municipalities (before it is written)."""

    ags: tuple[str, ...]
    columns: dict[str, F64]  # FIELDS -> [A]
    launch_year: int
    horizon_year: int
    sources: list[dict[str, str]]
    estimates: list[str]
    seconds_inputs: float
    seconds_projection: float


def compute_outlook(*, data: OfficialData, horizon: int = HORIZON) -> OutlookBatch:
    """Project every inhabited municipality ``horizon`` years with the default assumptions."""
    started = time.perf_counter()
    built = municipal_default_inputs(horizon=horizon, data=data)
    inputs_done = time.perf_counter()
    n = len(built.ags)
    now = built.inputs.population
    later = np.empty_like(now)
    for a0 in range(0, n, BLOCK):  # blocks of areas, each one vectorised engine call
        idx = np.arange(a0, min(n, a0 + BLOCK))
        result = project(take_areas(built.inputs, idx))
        later[idx] = result.population[-1]
    return OutlookBatch(
        ags=built.ags,
        columns=summarise(now, later),
        launch_year=built.inputs.start_year,
        horizon_year=built.inputs.start_year + horizon,
        sources=built.sources,
        estimates=built.estimates,
        seconds_inputs=inputs_done - started,
        seconds_projection=time.perf_counter() - inputs_done,
    )


def source_text(sources: list[dict[str, str]]) -> str:
    """The attribution lines of the sources, one per line."""
    return "\n".join(dict.fromkeys(s["attribution"] for s in sources))


def _insert_rows(run: OutlookRun, batch: OutlookBatch) -> None:
    """One prepared ``INSERT`` for all rows (``executemany``): several times faster than
    ``bulk_create``, which SQLite splits into ~150 statements of 70 rows for 13 columns."""
    cols = [np.round(batch.columns[name], 4).tolist() for name in FIELDS]
    rows = [
        (run.pk, ags, *(None if col[i] != col[i] else col[i] for col in cols))  # NaN -> NULL
        for i, ags in enumerate(batch.ags)
    ]
    meta = MunicipalityOutlook._meta
    quote = connection.ops.quote_name
    columns = ["run_id", "ags", *FIELDS]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - quoted names
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


def outlook_write(
    *, batch: OutlookBatch, version: str, acting_user: ActingUser | None = None
) -> OutlookRun:
    """Store ``batch`` as the current run (one transaction, bulk inserts, audit, version)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":  # two jobs at once: one after the other
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])
        run = OutlookRun.objects.create(
            data_version=version,
            launch_year=batch.launch_year,
            horizon_year=batch.horizon_year,
            source=source_text(batch.sources),
            estimates=batch.estimates,
            municipalities=len(batch.ags),
            seconds=round(batch.seconds_inputs + batch.seconds_projection, 3),
        )
        _insert_rows(run, batch)
        old = list(OutlookRun.objects.exclude(pk=run.pk).values_list("pk", flat=True))
        MunicipalityOutlook.objects.filter(run_id__in=old).delete()
        OutlookRun.objects.filter(pk__in=old).delete()
        run.is_current = True
        run.save(update_fields=["is_current"])
        audit_log(
            action="planning.outlook.computed",
            actor=acting_user,
            obj=run,
            payload={
                "data_version": version,
                "municipalities": len(batch.ags),
                "launch_year": batch.launch_year,
                "horizon_year": batch.horizon_year,
            },
        )
        bump_on_commit(OUTLOOK_VERSION)
    return run


_loaded: dict[Path, tuple[str, OfficialData]] = {}


def _data(directory: Path, version: str) -> OfficialData:
    """The parsed files of ``directory``, read again when they changed (a fresh reader)."""
    known = _loaded.get(directory)
    if known is None or known[0] != version:
        known = _loaded[directory] = (
            version,
            OfficialData(directory, cache_dir=settings.ORTSWANDEL_DERIVED_DIR),
        )
    return known[1]


def outlook_refresh(
    *,
    force: bool = False,
    horizon: int = HORIZON,
    root: str | Path | None = None,
    acting_user: ActingUser | None = None,
) -> OutlookRun | None:
    """Compute and store the outlook unless the current run has the same data and horizon.

    Returns the new run, or ``None`` when nothing had to be done.
    """
    directory = Path(root if root is not None else settings.ORTSWANDEL_DATA_DIR)
    version = data_version(directory)
    current = OutlookRun.objects.filter(is_current=True).first()
    if (
        not force
        and current is not None
        and current.data_version == version
        and current.horizon_year - current.launch_year == horizon
    ):
        return None
    batch = compute_outlook(data=_data(directory, version), horizon=horizon)
    run = outlook_write(batch=batch, version=version, acting_user=acting_user)
    logger.info("outlook computed for %s municipalities", run.municipalities)
    return run
