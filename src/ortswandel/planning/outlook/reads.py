"""Reads of the all-Germany outlook (selectors): one municipality, the map values, the table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core.cache import versioned
from ortswandel.core.charts import number
from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.core.paging import paginate
from ortswandel.municipalities.models import LAND_NAMES, Municipality
from ortswandel.municipalities.selectors import municipality_get
from ortswandel.planning.models import MunicipalityOutlook, OutlookRun
from ortswandel.scenario.errorband import error_band

from .compute import OUTLOOK_VERSION

TABLE_PER_PAGE = 50


@dataclass(frozen=True)
class Indicator:
    """An indicator the map can show: key (a column), label, unit and kind of colour scale."""

    key: str
    label: Any
    unit: str
    diverging: bool


#: Indicators of the map, the first is the default.
MAP_INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("change_pct", gettext_lazy("Veränderung der Einwohnerzahl"), "%", True),
        Indicator("share_65_horizon", gettext_lazy("Anteil 65 Jahre und älter"), "%", False),
        Indicator("share_80_horizon", gettext_lazy("Anteil 80 Jahre und älter"), "%", False),
        Indicator(
            "change_6_9_pct", gettext_lazy("Veränderung der Kinder im Grundschulalter"), "%", True
        ),
        Indicator("change_80_pct", gettext_lazy("Veränderung der Menschen ab 80"), "%", True),
    )
}
#: Sort keys of the table (``-`` prefix: descending).
TABLE_SORTS = {
    "name": "name",
    "population": "population_now",
    **{key: key for key in MAP_INDICATORS},
}


def current_run() -> OutlookRun | None:
    """The run shown (``None`` before the first computation)."""
    return OutlookRun.objects.filter(is_current=True).first()


def _require_run() -> OutlookRun:
    run = current_run()
    if run is None:
        raise NotFound(
            _(
                "Die Vorausberechnung für alle Gemeinden ist noch nicht berechnet. Sie wird im "
                "Hintergrund erstellt; bitte versuchen Sie es später noch einmal."
            ),
            code="outlook_not_computed",
        )
    return run


@dataclass(frozen=True)
class OutlookDetail:
    municipality: Municipality
    run: OutlookRun
    row: MunicipalityOutlook

    def values(self) -> dict[str, float | None]:
        """The indicator values as a plain dict (what :mod:`..challenges` reads)."""
        from .compute import FIELDS

        return {name: getattr(self.row, name) for name in FIELDS}


def outlook_for(*, ags: str) -> OutlookDetail:
    """The outlook of one municipality; ``InvalidInput`` (malformed AGS) or ``NotFound``."""
    municipality = municipality_get(ags=ags)
    run = _require_run()
    row = MunicipalityOutlook.objects.filter(run=run, ags=ags).first()
    if row is None:
        raise NotFound(
            _(
                "Für %(name)s gibt es keine Vorausberechnung: das Gebiet hat keine Einwohner "
                "oder fehlt im Gemeindeverzeichnis der Berechnung."
            )
            % {"name": municipality.name},
            code="not_found",
        )
    return OutlookDetail(municipality, run, row)


def parse_land(value: str | None) -> str | None:
    """A Land code ``01``–``16`` or ``None``; ``NotFound`` for anything else."""
    if value is None:
        return None
    if value not in LAND_NAMES:
        raise NotFound(
            _("„%(code)s“ ist kein Länderschlüssel (01 bis 16).") % {"code": value[:20]},
            code="not_found",
        )
    return value


def parse_indicator(value: str | None) -> Indicator:
    if not value:
        return next(iter(MAP_INDICATORS.values()))
    if value not in MAP_INDICATORS:
        raise InvalidInput(
            _("Unbekannte Kennzahl „%(value)s“.") % {"value": value[:40]},
            code="invalid_input",
            fields={"indicator": _("Bitte wählen Sie eine Kennzahl aus der Liste.")},
        )
    return MAP_INDICATORS[value]


def parse_sort(value: str | None) -> str:
    if not value:
        return "name"
    if value.removeprefix("-") not in TABLE_SORTS:
        raise InvalidInput(
            _("Unbekannte Sortierung „%(value)s“.") % {"value": value[:40]},
            code="invalid_input",
            fields={"sort": _("Bitte wählen Sie eine Sortierung aus der Liste.")},
        )
    return value


def _rows(run: OutlookRun, land: str | None) -> QuerySet[MunicipalityOutlook]:
    qs = MunicipalityOutlook.objects.filter(run=run)
    if land:
        qs = qs.filter(ags__startswith=land)
    names = Municipality.objects.filter(ags=OuterRef("ags"))
    return qs.annotate(name=Subquery(names.values("name")[:1]))


def map_values(*, land: str | None, indicator: Indicator) -> dict[str, float | None]:
    """``{ags: value}`` of the current run (cached per run, Land and indicator)."""
    run = _require_run()

    def build() -> dict[str, float | None]:
        qs = MunicipalityOutlook.objects.filter(run=run)
        if land:
            qs = qs.filter(ags__startswith=land)
        return dict(qs.values_list("ags", indicator.key))

    return versioned(
        "planning:outlook-map",
        build,
        versions=[OUTLOOK_VERSION],
        parts=[run.pk, land, indicator.key],
        timeout=3600,
        local=True,
    )


def outlook_table(*, land: str | None, sort: str, page: int) -> Page:
    """One page of the municipalities with their outlook, sorted by ``sort``."""
    run = _require_run()
    key = TABLE_SORTS[sort.removeprefix("-")]
    expr = F(key)
    order = expr.desc(nulls_last=True) if sort.startswith("-") else expr.asc(nulls_last=True)
    return paginate(_rows(run, land).order_by(order, "ags"), page=page, per_page=TABLE_PER_PAGE)


def error_band_note(horizon: int) -> str:
    """The measured error of the method, in German words, for the longest measured horizon."""
    band = error_band()["by_horizon"]
    measured = sorted(int(h) for h in band)
    longest = max(h for h in measured if h <= horizon) if measured else None
    if longest is None:
        return ""
    mape = float(band[str(longest)]["total"]["mape"])
    worst = band[str(longest)]["total"].get("max_ape")
    text = _(
        "Gemessener Fehler dieser Methode: Sie verfehlte die Einwohnerzahl der Kreise nach "
        "%(years)s Jahren im Mittel um %(mape)s %%."
    ) % {"years": longest, "mape": number(mape, 1)}
    if worst is not None:
        text += " " + _("Die größte Abweichung betrug %(worst)s %%.") % {
            "worst": number(abs(float(worst)), 1)
        }
    if longest < horizon:
        text += " " + _(
            "Für %(horizon)s Jahre ist der Fehler nicht gemessen; er ist größer, bei kleinen "
            "Gemeinden deutlich größer."
        ) % {"horizon": horizon}
    return text


def municipality_names(*, land: str | None) -> dict[str, str]:
    """``{ags: name}`` of the register (cached per Land until the register changes)."""
    from ortswandel.core.versions import REGISTER

    def build() -> dict[str, str]:
        qs = Municipality.objects.all()
        if land:
            qs = qs.filter(land_code=land)
        return dict(qs.values_list("ags", "name"))

    return versioned(
        "planning:names", build, versions=[REGISTER], parts=[land], timeout=3600, local=True
    )
