"""Writes to the municipality register: the import of the official GV100AD file.

The register is official data; the only writer besides the site admins' admin is
:func:`municipalities_import`, which is idempotent (a second run with the same files changes
nothing) and all-or-nothing (one transaction; the caller parses and validates the files first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from ortswandel.core import versions
from ortswandel.core.audit import audit_log
from ortswandel.core.changes import notify_content_changed
from ortswandel.core.errors import Conflict
from ortswandel.core.typing import ActingUser
from ortswandel.sources.gv100ad import GV100Municipality, GV100Register
from ortswandel.sources.zensus import CensusPopulation

from .models import Municipality, SizeClass, fold_name, population_density

#: Fields always set from the register file.
REGISTER_FIELDS = (
    "ars",
    "name",
    "name_normalized",
    "municipality_type",
    "type_code",
    "land_code",
    "land_name",
    "kreis_code",
    "kreis_name",
    "kreis_type_code",
    "population",
    "population_male",
    "population_female",
    "population_date",
    "area_km2",
    "density",
    "size_class",
    "postal_code",
    "postal_code_is_unique",
    "reference_date",
)
CENSUS_FIELDS = ("population_census_2022",)
CENTROID_FIELDS = ("latitude", "longitude")
BATCH_SIZE = 500


@dataclass(frozen=True)
class ImportReport:
    """What one import run did (also the payload of its audit entry)."""

    total: int
    created: int
    updated: int
    unchanged: int
    not_in_file: int
    census_matched: int | None
    centroids_matched: int | None
    reference_date: dt.date
    population_date: dt.date
    source: str

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


def _register_values(
    item: GV100Municipality,
    *,
    population_date: dt.date,
    census: CensusPopulation | None,
    centroids: dict[str, tuple[float, float]] | None,
) -> dict[str, Any]:
    area_km2 = item.area_km2
    population: int | None = item.population
    values: dict[str, Any] = {
        "ars": item.ars,
        "name": item.name,
        "name_normalized": fold_name(item.name),
        "municipality_type": item.type_name,
        "type_code": item.type_code,
        "land_code": item.land_code,
        "land_name": item.land_name,
        "kreis_code": item.kreis_code,
        "kreis_name": item.kreis_name,
        "kreis_type_code": item.kreis_type_code,
        "population": population,
        "population_male": item.population_male,
        "population_female": item.population_female,
        "population_date": population_date,
        "area_km2": area_km2,
        "density": population_density(population, area_km2),
        "size_class": SizeClass.for_population(population).value,
        "postal_code": item.postal_code,
        "postal_code_is_unique": item.postal_code_is_unique,
        "reference_date": item.reference_date,
    }
    if census is not None:
        values["population_census_2022"] = census.by_ars.get(item.ars)
    if centroids is not None:
        lat_lon = centroids.get(item.ags)
        values["latitude"], values["longitude"] = lat_lon if lat_lon else (None, None)
    return values


def municipalities_import(
    *,
    register: GV100Register,
    census: CensusPopulation | None = None,
    centroids: dict[str, tuple[float, float]] | None = None,
    population_date: dt.date | None = None,
    actor: ActingUser | None = None,
    source: str = "",
) -> ImportReport:
    """Create or update every municipality of ``register`` (matched by AGS) in one transaction.

    ``census`` (Zensus 2022 population by ARS) and ``centroids`` (lat/lon by AGS) are optional;
    when ``None`` the corresponding fields are left as they are. Municipalities in the database
    that are missing from the file are kept (projects may refer to them) and counted as
    ``not_in_file``. Writes one audit entry ``municipalities.register.imported``.

    Raises :class:`~ortswandel.core.errors.Conflict` when an ARS of the file belongs to a
    municipality that is no longer in the file (nothing is written then).
    """
    population_date = population_date or register.population_date
    fields = list(REGISTER_FIELDS)
    if census is not None:
        fields += CENSUS_FIELDS
    if centroids is not None:
        fields += CENTROID_FIELDS
    incoming = {
        item.ags: _register_values(
            item, population_date=population_date, census=census, centroids=centroids
        )
        for item in register.municipalities
    }
    now = timezone.now()
    with transaction.atomic():
        _lock_register()
        existing = {row["ags"]: row for row in Municipality.objects.values("id", "ags", *fields)}
        _check_ars_conflicts(incoming, existing, register)
        to_create: list[Municipality] = []
        to_update: list[Municipality] = []
        unchanged = 0
        for ags, values in incoming.items():
            row = existing.get(ags)
            if row is None:
                to_create.append(Municipality(ags=ags, **values))
            elif any(row[name] != values[name] for name in fields):
                to_update.append(Municipality(id=row["id"], ags=ags, updated_at=now, **values))
            else:
                unchanged += 1
        _free_swapped_ars(to_update, existing)
        Municipality.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        _bulk_update(to_update, [*fields, "updated_at"])
        report = ImportReport(
            total=len(incoming),
            created=len(to_create),
            updated=len(to_update),
            unchanged=unchanged,
            not_in_file=len(set(existing) - set(incoming)),
            census_matched=(
                sum(1 for v in incoming.values() if v["population_census_2022"] is not None)
                if census is not None
                else None
            ),
            centroids_matched=(
                sum(1 for v in incoming.values() if v["latitude"] is not None)
                if centroids is not None
                else None
            ),
            reference_date=register.reference_date,
            population_date=population_date,
            source=source,
        )
        audit_log(action="municipalities.register.imported", actor=actor, payload=asdict(report))
        if report.changed_anything:
            # similarity arrays; the catalogue's facet index counts Länder and size classes
            versions.bump_on_commit(versions.REGISTER, versions.CATALOGUE)
            # the site search indexes municipalities (core.changes listener, on commit)
            changed = to_update + [m for m in to_create if m.pk is not None]
            if len(changed) < len(to_create) + len(to_update):  # backend returned no ids
                changed = list(Municipality.objects.filter(ags__in=[m.ags for m in to_create]))
                changed += to_update
            notify_content_changed(objects=changed)
    return report


#: Key of the PostgreSQL advisory lock that serialises imports ("OWMUNI" as a number).
REGISTER_LOCK_KEY = 0x4F574D554E49


def _lock_register() -> None:
    """Serialise concurrent imports: they read the register, then write.

    PostgreSQL: a transaction-level advisory lock (released at commit or rollback). SQLite: the
    project's ``IMMEDIATE`` transactions already take the write lock at ``BEGIN``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REGISTER_LOCK_KEY])


def _check_ars_conflicts(
    incoming: dict[str, dict[str, Any]],
    existing: dict[str, dict[str, Any]],
    register: GV100Register,
) -> None:
    holder = {row["ars"]: ags for ags, row in existing.items()}
    lines = {item.ags: item.line for item in register.municipalities}
    for ags, values in incoming.items():
        other = holder.get(values["ars"])
        if other is not None and other != ags and other not in incoming:
            raise Conflict(
                f"Zeile {lines[ags]}: ARS {values['ars']} von {values['name']} ({ags}) gehört "
                f"im Bestand zur Gemeinde {existing[other]['name']} ({other}), die nicht mehr "
                "im Verzeichnis steht. Bitte diese Gemeinde zuerst von Hand bereinigen.",
                code="ars_conflict",
            )


def _free_swapped_ars(to_update: list[Municipality], existing: dict[str, dict[str, Any]]) -> None:
    """Rows whose ARS changes get a unique placeholder first, so that ARS moving between
    municipalities of the file never violate the unique constraint during the bulk update."""
    for obj in to_update:
        if obj.ars != existing[obj.ags]["ars"]:
            Municipality.objects.filter(pk=obj.pk).update(ars=f"~{obj.pk:011d}"[-12:])


def _bulk_update(objs: list[Municipality], fields: list[str]) -> None:
    """``UPDATE … WHERE id = %s`` with ``executemany``: one prepared statement for all rows.

    Django's ``bulk_update`` builds a ``CASE WHEN`` expression per field and row, which takes
    about 40 s for the 10,981 rows of the register; this takes well under a second on SQLite
    and PostgreSQL. Values are converted by the model fields, as ``save()`` would do.
    """
    if not objs:
        return
    meta = Municipality._meta
    model_fields: list[Field[Any, Any]] = [meta.get_field(name) for name in fields]  # type: ignore[misc]
    quote = connection.ops.quote_name
    table, pk_column = quote(meta.db_table), quote(str(meta.pk.column))
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in model_fields)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608 - quoted names
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in model_fields] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE * 4):
            cursor.executemany(sql, params[start : start + BATCH_SIZE * 4])
