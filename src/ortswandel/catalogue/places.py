"""The catalogue's part of the municipality page: projects there, their results, and projects
from similar municipalities ("Projekte aus ähnlichen Kommunen").

Registered with the municipality page by :class:`~ortswandel.catalogue.apps.CatalogueConfig`
(see :mod:`ortswandel.municipalities.contributions`): the catalogue depends on the municipality
register, never the other way round. A fixed number of queries whatever the size of the
catalogue (no N+1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet

from ortswandel.core import versions
from ortswandel.core.cache import versioned
from ortswandel.core.models import PublicationStatus
from ortswandel.municipalities import similarity
from ortswandel.municipalities.models import Municipality
from ortswandel.municipalities.selectors import MunicipalityPage, explain_similarity

from .models import Project, ProjectPartner, Result

SIMILAR_PROJECT_MUNICIPALITIES = 6
SIMILAR_PROJECTS_LIMIT = 8
RESULTS_LIMIT = 20

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass
class ProjectLink:
    project: Project
    is_model_municipality: bool = False
    partners: list[ProjectPartner] = field(default_factory=list)


@dataclass
class SimilarProject:
    project: Project
    municipality: Municipality
    score: float
    reasons: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _published_projects() -> QuerySet[Project]:
    return Project.objects.filter(status=PUBLISHED, programme__status=PUBLISHED)


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
        Result.objects.filter(
            status=PUBLISHED, programme__status=PUBLISHED, projects__in=project_ids
        )
        .distinct()
        .order_by("title", "pk")[:limit]
    )


def _municipalities_with_projects() -> set[int]:
    """Ids of municipalities with a published project (model municipality or partner seat)."""
    through = Project.municipalities.through
    model = through.objects.filter(
        project__status=PUBLISHED, project__programme__status=PUBLISHED
    ).values_list("municipality_id")
    partner = ProjectPartner.objects.filter(
        project__status=PUBLISHED,
        project__programme__status=PUBLISHED,
        organisation__municipality__isnull=False,
    ).values_list("organisation__municipality_id")
    return {mid for (mid,) in model.union(partner)}


#: At the latest, the set of municipalities with projects is read again after this long.
CANDIDATES_TTL_SECONDS = 60


def _candidate_mask(arrays: similarity.RegisterArrays) -> np.ndarray:
    """Boolean mask over ``arrays``: municipalities with a published project.

    Cached under the catalogue's content version and the arrays' build (positions). Staleness
    can only hide or add a candidate municipality: the projects shown are always re-read with
    the published filter.
    """

    def build() -> np.ndarray:
        ids = np.fromiter(_municipalities_with_projects(), dtype=np.int64)
        mask = np.zeros(arrays.ids.shape, dtype=bool)
        if ids.size and arrays.ids.size:
            pos = np.searchsorted(arrays.ids, ids)
            pos = np.clip(pos, 0, arrays.ids.size - 1)
            mask[pos[arrays.ids[pos] == ids]] = True
        return mask

    return versioned(
        "municipalities:candidates",
        build,
        versions=[versions.CATALOGUE],
        parts=[arrays.token],
        timeout=CANDIDATES_TTL_SECONDS,
        local=True,
    )


def clear_cache() -> None:
    """Rebuild the candidate mask on next use."""
    versions.bump_content_version(versions.CATALOGUE)


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


def projects_from_similar(
    *,
    municipality: Municipality,
    exclude_project_ids: set[int] | frozenset[int] = frozenset(),
    limit: int = SIMILAR_PROJECTS_LIMIT,
    municipalities_limit: int = SIMILAR_PROJECT_MUNICIPALITIES,
    known: dict[int, Municipality] | None = None,
    arrays: similarity.RegisterArrays | None = None,
) -> list[SimilarProject]:
    """Published projects from the most similar municipalities that have any ("Projekte aus
    ähnlichen Kommunen"), best match first; ``exclude_project_ids`` are left out.

    Queries: the cache key (plus one to rebuild the arrays after a change), municipalities with
    projects, the municipality rows not in ``known``, the (municipality, project) pairs, the
    projects. ``known`` rows and ``arrays`` already loaded for the page are reused.
    """
    if limit <= 0 or municipalities_limit <= 0:
        return []
    arrays = arrays or similarity.register_arrays()
    position = arrays.position.get(municipality.pk)
    if position is None:
        return []
    mask = _candidate_mask(arrays)
    if not mask.any():
        return []
    ranked = similarity.rank(arrays, position, limit=municipalities_limit, among=mask)
    if not ranked:
        return []
    rows = dict(known or {})
    missing = [pk for pk, _score in ranked if pk not in rows]
    if missing:
        rows.update(Municipality.objects.in_bulk(missing))
    pairs = _municipality_project_pairs([pk for pk, _score in ranked])
    project_ids = {pid for _mid, pid in pairs if pid not in exclude_project_ids}
    projects = _published_projects().select_related("programme").in_bulk(list(project_ids))
    by_municipality: dict[int, list[Project]] = {}
    for mid, pid in pairs:
        if pid in projects:
            by_municipality.setdefault(mid, []).append(projects[pid])
    found: list[SimilarProject] = []
    seen: set[int] = set()
    for mid, score in ranked:
        if mid not in rows:
            continue
        reasons = explain_similarity(municipality, rows[mid])
        for project in sorted(by_municipality.get(mid, []), key=lambda p: (p.acronym, p.pk)):
            if project.pk in seen:
                continue
            seen.add(project.pk)
            found.append(
                SimilarProject(
                    project=project, municipality=rows[mid], score=score, reasons=reasons
                )
            )
    return found[:limit]


def contribute(page: MunicipalityPage) -> None:
    """Fill the catalogue's fields of the municipality page (registered in ``apps.py``)."""
    page.projects = municipality_projects(municipality=page.municipality)
    own_ids = [link.project.pk for link in page.projects]
    page.results = municipality_results(project_ids=own_ids)
    page.similar_projects = projects_from_similar(
        municipality=page.municipality,
        exclude_project_ids=set(own_ids),
        known={item.municipality.pk: item.municipality for item in page.similar},
        arrays=page.arrays,
    )
