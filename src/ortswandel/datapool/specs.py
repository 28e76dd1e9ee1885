"""How a table becomes indicators: :class:`TableSpec` (one file) and :class:`IndicatorSpec`.

A spec names the file's layout and options, the metadata the licence requires (source,
attribution, Stand) and which measure of the table feeds which indicator. Specs of the files in
the data directory are in :mod:`ortswandel.datapool.catalog`; the admin upload builds one from
its form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .genesis.table import Measure
from .genesis.vocab import slug

ALL_LEVELS = frozenset({"bund", "land", "kreis", "gemeindeverband", "gemeinde"})
DL_DE_BY = "dl-de/by-2-0"
DEFAULT_MEASURE = "*"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str = ""
    definition: str = ""
    aggregation: str = "sum"  # sum, weighted_mean, none
    weight: str = ""  # indicator code of the weights (weighted_mean)
    weight_breakdown: str = ""
    breakdown: str = ""  # added to every value of this measure, e.g. "fachabteilung=augen"


@dataclass(frozen=True)
class TableSpec:
    key: str
    path: str
    layout: str  # flat, classic, wide
    source_table: str
    source: str
    attribution: str
    measures: Mapping[str, IndicatorSpec]
    levels: frozenset[str] = ALL_LEVELS
    licence: str = DL_DE_BY
    default_region: str | None = None
    decimal: str = ","
    encoding: str = "auto"
    territorial_status: dt.date | None = None  # None: the Gebietsstand of each value's date
    historical_units: bool = False  # unknown municipality keys become former units
    complete: bool = True  # the table lists every unit of its levels: sums up are meaningful
    reference_date: dt.date | None = None  # "Stand"; None: from the footer
    ignore_unmapped: bool = False
    dimension_names: Mapping[str, str] = field(default_factory=dict)
    wide_key_column: str = ""
    wide_skip_columns: tuple[str, ...] = ()
    wide_year: int | None = None
    extra: str = ""  # "assumptions": the 15th coordinated projection's footnote

    def resolve(self, key: str, measure: Measure, n_measures: int) -> IndicatorSpec | None:
        """The indicator a measure of the table feeds (``None``: not wanted). ``n_measures``
        counts the measures left to the default (``*``): with more than one, each gets its own
        indicator ``<code>-<measure>``."""
        if key in self.measures:
            return self.measures[key]
        template = self.measures.get(DEFAULT_MEASURE)
        if template is None:
            return None
        if n_measures == 1:
            return replace(template, unit=template.unit or measure.unit)
        return replace(
            template,
            code=f"{template.code}-{slug(key, max_length=40)}"[:80],
            name=measure.label
            if template.name in ("", template.code)
            else (f"{template.name}: {measure.label}"),
            unit=template.unit or measure.unit,
        )


def upload_spec(
    *,
    file_name: str,
    code: str,
    name: str,
    attribution: str,
    unit: str = "",
    definition: str = "",
    layout: str = "auto",
    source_table: str = "",
    source: str = "",
    licence: str = DL_DE_BY,
    reference_date: dt.date | None = None,
    aggregation: str = "sum",
    weight: str = "",
    weight_breakdown: str = "",
    levels: frozenset[str] = ALL_LEVELS,
    default_region: str | None = None,
    decimal: str = ",",
    encoding: str = "auto",
    complete: bool = True,
    territorial_status: dt.date | None = None,
) -> TableSpec:
    """The spec of a table an operator loads (admin upload or ``import_genesis``): every measure
    of the table feeds ``code`` (several measures: ``code-<measure>``)."""
    return TableSpec(
        key=f"upload:{code}",
        path=file_name,
        layout=layout,
        source_table=source_table,
        source=source,
        attribution=attribution,
        licence=licence,
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                code, name, unit, definition, aggregation, weight, weight_breakdown
            )
        },
        levels=levels,
        default_region=default_region or None,
        decimal=decimal,
        encoding=encoding,
        complete=complete,
        reference_date=reference_date,
        territorial_status=territorial_status,
    )
