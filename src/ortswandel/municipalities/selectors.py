"""Reads for the municipality pages and API: lookup, search, projects, similar municipalities.

Every function here runs a fixed, small number of queries whatever the size of the register
or the catalogue (no N+1): the detail page needs nine.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.catalogue.models import Project, ProjectPartner, Result
from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.core.models import PublicationStatus

from . import similarity
from .models import AGS_RE, ARS_RE, LAND_NAMES, Municipality, SizeClass, fold_name

SIZE_CLASS_SHORT = {
    SizeClass.RURAL.value: gettext_lazy("Landgemeinde"),
    SizeClass.SMALL_TOWN.value: gettext_lazy("Kleinstadt"),
    SizeClass.MEDIUM_TOWN.value: gettext_lazy("Mittelstadt"),
    SizeClass.CITY.value: gettext_lazy("Großstadt"),
    SizeClass.UNINHABITED.value: gettext_lazy("unbewohnt"),
}
SIMILAR_LIMIT = 8
SIMILAR_PROJECT_MUNICIPALITIES = 6
SIMILAR_PROJECTS_LIMIT = 8
RESULTS_LIMIT = 20
MAX_QUERY_LENGTH = 100
#: Population or density within this factor counts as "ähnlich" in the explanation.
ALIKE_FACTOR = 1.5

PUBLISHED = PublicationStatus.PUBLISHED


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
class ProjectLink:
    project: Project
    is_model_municipality: bool = False
    partners: list[ProjectPartner] = field(default_factory=list)


@dataclass
class SimilarMunicipality:
    municipality: Municipality
    score: float
    reasons: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class SimilarProject:
    project: Project
    municipality: Municipality
    score: float
    reasons: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class MunicipalityPage:
    municipality: Municipality
    projects: list[ProjectLink]
    results: list[Result]
    similar: list[SimilarMunicipality]
    similar_projects: list[SimilarProject]


def _published_projects() -> QuerySet[Project]:
    return Project.objects.public()


def municipality_projects(*, municipality: Municipality) -> list[ProjectLink]:
    """Published projects with this municipality as model municipality or a partner's seat.

    Three indexed queries (model links, partnerships here, the projects); no OR over joins.
    """
    through = Project.municipalities.through
    model_ids = set(
        through.objects.filter(municipality_id=municipality.pk).values_list("project_id", flat=True)
    )
    partnerships = list(
        ProjectPartner.objects.filter(organisation__municipality=municipality)
        .select_related("organisation")
        .order_by("organisation__name", "role", "pk")
    )
    wanted = model_ids | {p.project_id for p in partnerships}
    if not wanted:
        return []
    projects = (
        _published_projects()
        .filter(pk__in=wanted)
        .select_related("programme")
        .order_by("acronym", "pk")
    )
    links = {
        p.pk: ProjectLink(project=p, is_model_municipality=p.pk in model_ids) for p in projects
    }
    for partnership in partnerships:
        if partnership.project_id in links:
            links[partnership.project_id].partners.append(partnership)
    return list(links.values())


def municipality_results(*, project_ids: list[int], limit: int = RESULTS_LIMIT) -> list[Result]:
    if not project_ids:
        return []
    return list(
        Result.objects.public()
        .filter(projects__in=project_ids)
        .distinct()
        .order_by("title", "pk")[:limit]
    )


def _fmt_int(value: float | None) -> str:
    """Whole number with the active language's thousands separator (``12.300`` in German).

    Equivalent to ``number_format(…, force_grouping=True)`` for integers, but cheap enough to
    call a few dozen times per page (the separator lookup is cached per language).
    """
    return f"{round(value or 0):,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


def _alike(a: float | None, b: float | None) -> bool:
    return bool(a and b and a > 0 and b > 0 and abs(math.log(a / b)) <= math.log(ALIKE_FACTOR))


def explain_similarity(base: Municipality, other: Municipality) -> list[str]:
    """Why ``other`` resembles ``base``, in words (German msgids), most important first."""
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


def _municipalities_with_projects() -> set[int]:
    """Ids of municipalities with a published project (model municipality or partner seat)."""
    through = Project.municipalities.through
    model = through.objects.filter(Project.public_q("project__")).values_list("municipality_id")
    partner = (
        ProjectPartner.objects.public()
        .filter(organisation__municipality__isnull=False)
        .values_list("organisation__municipality_id")
    )
    return {mid for (mid,) in model.union(partner)}


#: How long the set of municipalities with projects may be reused when the catalogue token
#: (published count, last project change) is unchanged; catches pure link edits.
CANDIDATES_TTL_SECONDS = 60.0
_candidates_lock = threading.Lock()
_candidates: tuple[tuple[Any, ...], float, np.ndarray] | None = None


def _catalogue_token() -> tuple[Any, ...]:
    agg = Project.objects.aggregate(
        n=Count("id", filter=Q(status=PUBLISHED)), changed=Max("updated_at")
    )
    return (agg["n"], agg["changed"])


def _candidate_mask(arrays: similarity.RegisterArrays) -> np.ndarray:
    """Boolean mask over ``arrays``: municipalities with a published project.

    Cached per process; rebuilt when the register or the catalogue token changes, or after
    :data:`CANDIDATES_TTL_SECONDS`. Staleness can only hide or add a candidate municipality:
    the projects shown are always re-read with the published filter.
    """
    global _candidates  # noqa: PLW0603 - a per-process cache is the point
    key = (arrays.token, _catalogue_token())
    now = time.monotonic()
    cached = _candidates
    if cached is not None and cached[0] == key and cached[1] > now:
        return cached[2]
    ids = np.fromiter(_municipalities_with_projects(), dtype=np.int64)
    mask = np.zeros(arrays.ids.shape, dtype=bool)
    if ids.size and arrays.ids.size:
        pos = np.searchsorted(arrays.ids, ids)
        pos = np.clip(pos, 0, arrays.ids.size - 1)
        mask[pos[arrays.ids[pos] == ids]] = True
    with _candidates_lock:
        _candidates = (key, now + CANDIDATES_TTL_SECONDS, mask)
    return mask


def clear_caches() -> None:
    """Forget the per-process caches (similarity arrays and candidate mask)."""
    global _candidates  # noqa: PLW0603
    similarity.clear_cache()
    with _candidates_lock:
        _candidates = None


def _municipality_project_pairs(municipality_ids: list[int]) -> list[tuple[int, int]]:
    """``(municipality_id, project_id)`` for these municipalities, via model municipality or a
    partner's seat; one query driven by the municipality indexes. Publication is checked when
    the projects are loaded."""
    through = Project.municipalities.through
    model = through.objects.filter(municipality_id__in=municipality_ids).values_list(
        "municipality_id", "project_id"
    )
    partner = ProjectPartner.objects.filter(
        organisation__municipality_id__in=municipality_ids
    ).values_list("organisation__municipality_id", "project_id")
    return list(model.union(partner))


@dataclass
class _Neighbourhood:
    similar: list[SimilarMunicipality]
    similar_projects: list[SimilarProject]


def _neighbourhood(
    municipality: Municipality,
    *,
    exclude_project_ids: set[int] | frozenset[int] = frozenset(),
    similar_limit: int = SIMILAR_LIMIT,
    municipalities_limit: int = SIMILAR_PROJECT_MUNICIPALITIES,
    projects_limit: int = SIMILAR_PROJECTS_LIMIT,
) -> _Neighbourhood:
    """Similar municipalities and the projects of the most similar ones that have projects.

    Queries: the cache key (plus one to rebuild the arrays after a change), municipalities
    with projects, the municipality rows, the (municipality, project) pairs, the projects.
    """
    arrays = similarity.register_arrays()
    position = arrays.position.get(municipality.pk)
    if position is None:
        return _Neighbourhood([], [])
    ranked = similarity.rank(arrays, position, limit=similar_limit)
    ranked_with_projects: list[tuple[int, float]] = []
    if municipalities_limit > 0 and projects_limit > 0:
        mask = _candidate_mask(arrays)
        if mask.any():
            ranked_with_projects = similarity.rank(
                arrays, position, limit=municipalities_limit, among=mask
            )
    wanted = {pk for pk, _score in ranked} | {pk for pk, _score in ranked_with_projects}
    rows = Municipality.objects.in_bulk(list(wanted)) if wanted else {}
    reasons = {pk: explain_similarity(municipality, row) for pk, row in rows.items()}
    similar = [
        SimilarMunicipality(municipality=rows[pk], score=score, reasons=reasons[pk])
        for pk, score in ranked
        if pk in rows
    ]
    similar_projects: list[SimilarProject] = []
    if ranked_with_projects:
        pairs = _municipality_project_pairs([pk for pk, _score in ranked_with_projects])
        project_ids = {pid for _mid, pid in pairs if pid not in exclude_project_ids}
        projects = _published_projects().select_related("programme").in_bulk(list(project_ids))
        by_municipality: dict[int, list[Project]] = {}
        for mid, pid in pairs:
            if pid in projects:
                by_municipality.setdefault(mid, []).append(projects[pid])
        seen: set[int] = set()
        for mid, score in ranked_with_projects:
            items = sorted(by_municipality.get(mid, []), key=lambda p: (p.acronym, p.pk))
            for project in items:
                if project.pk in seen or mid not in rows:
                    continue
                seen.add(project.pk)
                similar_projects.append(
                    SimilarProject(
                        project=project, municipality=rows[mid], score=score, reasons=reasons[mid]
                    )
                )
    return _Neighbourhood(similar, similar_projects[:projects_limit])


def similar_municipalities(
    *, municipality: Municipality, limit: int = SIMILAR_LIMIT
) -> list[SimilarMunicipality]:
    """The ``limit`` most similar municipalities (see :mod:`.similarity`), with reasons."""
    return _neighbourhood(municipality, similar_limit=limit, municipalities_limit=0).similar


def projects_from_similar(
    *,
    municipality: Municipality,
    exclude_project_ids: set[int] | frozenset[int] = frozenset(),
    limit: int = SIMILAR_PROJECTS_LIMIT,
) -> list[SimilarProject]:
    """Published projects from the most similar municipalities that have any ("Projekte aus
    ähnlichen Kommunen"), best match first; ``exclude_project_ids`` are left out."""
    return _neighbourhood(
        municipality,
        exclude_project_ids=exclude_project_ids,
        similar_limit=0,
        projects_limit=limit,
    ).similar_projects


def municipality_page(*, ags: str) -> MunicipalityPage:
    """Everything the municipality page and API detail show; a fixed number of queries."""
    municipality = municipality_get(ags=ags)
    projects = municipality_projects(municipality=municipality)
    own_ids = [link.project.pk for link in projects]
    neighbourhood = _neighbourhood(municipality, exclude_project_ids=set(own_ids))
    return MunicipalityPage(
        municipality=municipality,
        projects=projects,
        results=municipality_results(project_ids=own_ids),
        similar=neighbourhood.similar,
        similar_projects=neighbourhood.similar_projects,
    )
