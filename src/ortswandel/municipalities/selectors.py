"""Reads for the municipality pages and API: lookup, search, similar municipalities.

Every function here runs a fixed, small number of queries whatever the size of the register
(no N+1). The projects on the municipality page come from the catalogue, which contributes
them through :mod:`.contributions` (this app sits below the catalogue and does not import it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core.errors import InvalidInput, NotFound

from . import similarity
from .contributions import clear_contributor_caches, page_contributors
from .models import AGS_RE, ARS_RE, LAND_NAMES, Municipality, SizeClass, fold_name

SIZE_CLASS_SHORT = {
    SizeClass.RURAL.value: gettext_lazy("Landgemeinde"),
    SizeClass.SMALL_TOWN.value: gettext_lazy("Kleinstadt"),
    SizeClass.MEDIUM_TOWN.value: gettext_lazy("Mittelstadt"),
    SizeClass.CITY.value: gettext_lazy("Großstadt"),
    SizeClass.UNINHABITED.value: gettext_lazy("unbewohnt"),
}
SIMILAR_LIMIT = 8
MAX_QUERY_LENGTH = 100
#: Population or density within this factor counts as "ähnlich" in the explanation.
ALIKE_FACTOR = 1.5


# --------------------------------------------------------------------------- lookup


def municipality_get(*, ags: str) -> Municipality:
    """The municipality with this AGS.

    Raises :class:`InvalidInput` (code ``invalid_ags``) for a malformed key and
    :class:`NotFound` when no municipality has it.
    """
    if not AGS_RE.match(ags or ""):
        raise InvalidInput(
            _("„%(ags)s“ ist kein gültiger Gemeindeschlüssel (AGS: 8 Ziffern, z. B. 12054000).")
            % {"ags": (ags or "")[:40]},
            code="invalid_ags",
        )
    municipality = Municipality.objects.filter(ags=ags).first()
    if municipality is None:
        raise NotFound(
            _("Es gibt keine Gemeinde mit dem Gemeindeschlüssel %(ags)s.") % {"ags": ags},
            code="not_found",
        )
    return municipality


def municipalities_by_ags(*, ags: Iterable[str]) -> dict[str, Municipality]:
    """``{ags: municipality}`` for those of ``ags`` that are in the register (one query)."""
    wanted = [key for key in ags if AGS_RE.match(key)]
    return {m.ags: m for m in Municipality.objects.filter(ags__in=wanted)} if wanted else {}


def municipality_ags_for_ars(*, ars: str) -> str | None:
    if not ARS_RE.match(ars):
        return None
    return Municipality.objects.filter(ars=ars).values_list("ags", flat=True).first()


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    land: str = ""
    size_class: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.q or self.land or self.size_class)


def parse_search_params(data: Any) -> SearchParams:
    """Validate ``q``, ``land`` and ``size_class`` from a query dict; German errors per field."""
    q = " ".join(str(data.get("q", "") or "").split())
    land = str(data.get("land", "") or "").strip()
    size_class = str(data.get("size_class", "") or "").strip()
    errors: dict[str, str] = {}
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = _("Der Suchbegriff darf höchstens %(n)d Zeichen lang sein.") % {
            "n": MAX_QUERY_LENGTH
        }
    if land and land not in LAND_NAMES:
        errors["land"] = _("„%(value)s“ ist kein Land (Schlüssel 01 bis 16).") % {
            "value": land[:20]
        }
    if size_class and size_class not in SizeClass.values:
        errors["size_class"] = _("„%(value)s“ ist keine Größenklasse.") % {"value": size_class[:30]}
    if errors:
        raise InvalidInput(_("Bitte prüfen Sie die Suchangaben."), fields=errors)
    return SearchParams(q=q, land=land, size_class=size_class)


def municipality_search(params: SearchParams) -> QuerySet[Municipality]:
    """Municipalities matching the query, best matches first.

    Digits: 8 → AGS, 12 → ARS, 5 → postal code (of the seat) or Kreis key, 2–7 → AGS prefix.
    Text: name contains the words (case and accents ignored); exact names first, then names
    that start with the query, then by population.
    """
    qs = Municipality.objects.all()
    if params.land:
        qs = qs.filter(land_code=params.land)
    if params.size_class:
        qs = qs.filter(size_class=params.size_class)
    q = params.q
    if not q:
        return qs.order_by("name", "ags")
    compact = q.replace(" ", "")
    if compact.isdigit():
        if len(compact) == 8:
            qs = qs.filter(ags=compact)
        elif len(compact) == 12:
            qs = qs.filter(ars=compact)
        elif len(compact) == 5:
            qs = qs.filter(Q(postal_code=compact) | Q(kreis_code=compact))
        else:
            qs = qs.filter(ags__startswith=compact)
        return qs.order_by("ags")
    folded = fold_name(q)
    for word in folded.split():
        qs = qs.filter(name_normalized__contains=word)
    rank = Case(
        When(name_normalized=folded, then=Value(0)),
        When(name_normalized__startswith=folded + ",", then=Value(0)),
        When(name_normalized__startswith=folded, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(match_rank=rank).order_by("match_rank", "-population", "ags")


def municipality_exact_match(params: SearchParams, page_objects: list[Municipality]) -> Any:
    """The one municipality a "Meine Kommune" query clearly means, or ``None``.

    Only when the first page holds exactly one exact hit (AGS/ARS, or one exact name).
    """
    if not params.q:
        return None
    if len(page_objects) == 1:
        return page_objects[0]
    exact = [m for m in page_objects if getattr(m, "match_rank", 2) == 0]
    return exact[0] if len(exact) == 1 else None


# --------------------------------------------------------------------------- detail page


@dataclass
class SimilarMunicipality:
    municipality: Municipality
    score: float
    reasons: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class MunicipalityPage:
    """What the municipality page and the API detail show.

    ``projects``, ``results`` and ``similar_projects`` are filled by the apps that own that
    content, through :mod:`.contributions` (the catalogue: :mod:`ortswandel.catalogue.places`);
    they stay empty when no app contributes them. ``arrays`` are the similarity arrays this page
    was ranked with, for contributors that rank their own candidates.
    """

    municipality: Municipality
    similar: list[SimilarMunicipality]
    projects: list[Any] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    similar_projects: list[Any] = field(default_factory=list)
    arrays: similarity.RegisterArrays | None = field(default=None, repr=False)


def _fmt_int(value: float | None) -> str:
    """Whole number with the active language's thousands separator (``12.300`` in German).

    Equivalent to ``number_format(…, force_grouping=True)`` for integers, but cheap enough to
    call a few dozen times per page (the separator lookup is cached per language).
    """
    return f"{round(value or 0):,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


def _alike(a: float | None, b: float | None) -> bool:
    return bool(a and b and a > 0 and b > 0 and abs(math.log(a / b)) <= math.log(ALIKE_FACTOR))


def _pct(value: float, *, signed: bool = False) -> str:
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return text.replace(".", str(get_format("DECIMAL_SEPARATOR"))).replace("-", "−") + " %"


#: How close a trend (percentage points per year) or an age share (points) must be to count
#: as "ähnlich" in the explanation.
ALIKE_TREND = 0.3
ALIKE_SHARES = {"under18": 1.5, "over65": 2.0, "over80": 1.0}


def _profile_reasons(
    arrays: similarity.RegisterArrays | None, base: Municipality, other: Municipality
) -> list[str]:
    """Reasons from the demographic trend and the age structure (when known)."""
    if arrays is None or arrays.trend is None:
        return []
    i, j = arrays.position.get(base.pk), arrays.position.get(other.pk)
    if i is None or j is None:
        return []
    reasons: list[str] = []
    a, b = float(arrays.trend[i]), float(arrays.trend[j])
    if not (math.isnan(a) or math.isnan(b)):
        values = {"this": _pct(a, signed=True), "other": _pct(b, signed=True)}
        if abs(a - b) > ALIKE_TREND:
            reasons.append(_("anderer Trend im Kreis (%(other)s statt %(this)s pro Jahr)") % values)
        elif a < -0.1 and b < -0.1:
            reasons.append(_("ähnlicher Rückgang (Kreis %(this)s vs. %(other)s pro Jahr)") % values)
        elif a > 0.1 and b > 0.1:
            reasons.append(_("ähnliches Wachstum (Kreis %(this)s vs. %(other)s pro Jahr)") % values)
        else:
            reasons.append(_("ähnlich stabile Einwohnerzahl im Kreis"))
    labels = {
        "under18": _("ähnlicher Anteil unter 18 (%(this)s vs. %(other)s)"),
        "over65": _("ähnlicher Anteil 65+ (%(this)s vs. %(other)s)"),
        "over80": _("ähnlicher Anteil 80+ (%(this)s vs. %(other)s)"),
    }
    for name in ("over65", "under18", "over80"):
        values_array = getattr(arrays, name)
        if values_array is None:
            continue
        x, y = float(values_array[i]), float(values_array[j])
        if not (math.isnan(x) or math.isnan(y)) and abs(x - y) <= ALIKE_SHARES[name]:
            reasons.append(labels[name] % {"this": _pct(x), "other": _pct(y)})
    return reasons


def explain_similarity(
    base: Municipality,
    other: Municipality,
    arrays: similarity.RegisterArrays | None = None,
) -> list[str]:
    """Why ``other`` resembles ``base``, in words (German msgids), most important first:
    size, demographic trend and age structure (with ``arrays``), then the register facts."""
    reasons: list[str] = []
    if _alike(base.population, other.population):
        reasons.append(
            _("ähnliche Einwohnerzahl (%(this)s vs. %(other)s)")
            % {"this": _fmt_int(base.population), "other": _fmt_int(other.population)}
        )
    else:
        reasons.append(
            _("Einwohnerzahl %(other)s (hier %(this)s)")
            % {"this": _fmt_int(base.population), "other": _fmt_int(other.population)}
        )
    reasons += _profile_reasons(arrays, base, other)
    if base.size_class and base.size_class == other.size_class:
        reasons.append(
            _("gleiche Größenklasse %(size)s")
            % {"size": SIZE_CLASS_SHORT.get(base.size_class, base.size_class)}
        )
    if base.land_code == other.land_code:
        reasons.append(_("ebenfalls %(land)s") % {"land": other.land_name})
    if _alike(base.density, other.density):
        reasons.append(
            _("ähnliche Dichte (%(this)s vs. %(other)s Einw./km²)")
            % {"this": _fmt_int(base.density), "other": _fmt_int(other.density)}
        )
    if base.type_code and base.type_code == other.type_code:
        reasons.append(_("gleicher Gemeindetyp (%(type)s)") % {"type": other.municipality_type})
    if base.is_district_free and other.is_district_free:
        reasons.append(_("ebenfalls kreisfrei"))
    if base.kreis_code == other.kreis_code and not base.is_district_free and base.kreis_name:
        reasons.append(_("im selben Kreis (%(kreis)s)") % {"kreis": other.kreis_name})
    return reasons


def clear_caches() -> None:
    """Forget the per-process caches (similarity arrays and the contributors' caches)."""
    similarity.clear_cache()
    clear_contributor_caches()


def similar_municipalities(
    *, municipality: Municipality, limit: int = SIMILAR_LIMIT
) -> list[SimilarMunicipality]:
    """The ``limit`` most similar municipalities (see :mod:`.similarity`), with reasons."""
    return _similar(municipality, similarity.register_arrays(), limit)


def _similar(
    municipality: Municipality, arrays: similarity.RegisterArrays, limit: int
) -> list[SimilarMunicipality]:
    position = arrays.position.get(municipality.pk)
    if position is None or limit <= 0:
        return []
    ranked = similarity.rank(arrays, position, limit=limit)
    rows = Municipality.objects.in_bulk([pk for pk, _score in ranked]) if ranked else {}
    return [
        SimilarMunicipality(
            municipality=rows[pk],
            score=score,
            reasons=explain_similarity(municipality, rows[pk], arrays),
        )
        for pk, score in ranked
        if pk in rows
    ]


def municipality_page(*, ags: str) -> MunicipalityPage:
    """Everything the municipality page and API detail show; a fixed number of queries."""
    municipality = municipality_get(ags=ags)
    arrays = similarity.register_arrays()
    page = MunicipalityPage(
        municipality=municipality,
        similar=_similar(municipality, arrays, SIMILAR_LIMIT),
        arrays=arrays,
    )
    for contribute in page_contributors():
        contribute(page)
    return page
