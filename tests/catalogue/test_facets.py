"""The in-memory facet index counts exactly what the live SQL filters select."""

from __future__ import annotations

import itertools

import pytest
from django.db.models import Count

from ortswandel.catalogue.facets import FACETS, bump_content_version, project_facet_index
from ortswandel.catalogue.filters import ProjectFilters
from ortswandel.catalogue.models import Programme, Project
from ortswandel.catalogue.selectors import (
    MunicipalityThrough,
    ThemeThrough,
    _filter_projects,
)
from ortswandel.catalogue.services import content_publish
from ortswandel.core.models import PublicationStatus

pytestmark = pytest.mark.django_db
PUB = PublicationStatus.PUBLISHED


def sql_counts(f: ProjectFilters, programme_ids: list[int], published_ids: list[int]):
    """Disjunctive counts with one aggregate query per facet (the reference)."""
    base = Project.objects.published().filter(programme_id__in=published_ids)

    def ids_without(facet):
        return _filter_projects(base, f, programme_ids, facet).values("pk")

    def rows(qs, key, count):
        grouped = qs.order_by().values(key).annotate(n=Count(count, distinct=True))
        return {str(r[key]): r["n"] for r in grouped if r[key] not in (None, "")}

    return {
        "programme": rows(
            Project.objects.filter(pk__in=ids_without("programme")), "programme_id", "id"
        ),
        "status": rows(
            Project.objects.filter(pk__in=ids_without("status")), "project_status", "id"
        ),
        "theme": rows(
            ThemeThrough.objects.filter(project_id__in=ids_without("theme"), theme__status=PUB),
            "theme_id",
            "project_id",
        ),
        "land": rows(
            MunicipalityThrough.objects.filter(project_id__in=ids_without("land")),
            "municipality__land_code",
            "project_id",
        ),
        "size": rows(
            MunicipalityThrough.objects.filter(project_id__in=ids_without("size")),
            "municipality__size_class",
            "project_id",
        ),
    }


def test_index_matches_sql_for_every_filter_combination(catalogue):
    published_ids = list(
        Programme.objects.filter(status=PUB).order_by("pk").values_list("pk", flat=True)
    )
    index = project_facet_index(published_ids)
    theme_choices = [(), (catalogue.theme_a.pk,), (catalogue.theme_a.pk, catalogue.theme_other.pk)]
    land_choices = [(), ("12",), ("03", "09")]
    size_choices = [(), ("landgemeinde",), ("mittelstadt", "grossstadt")]
    status_choices = [(), ("running",), ("completed", "planned")]
    other_choices = [{}, {"year": 2019, "q": "titel"}, {"start_from": 2018, "end_to": 2021}]
    programme_choices = [[], [catalogue.programme.pk]]
    checked = 0
    for themes, lands, sizes, statuses, other, programmes in itertools.product(
        theme_choices, land_choices, size_choices, status_choices, other_choices, programme_choices
    ):
        f = ProjectFilters(themes=themes, lands=lands, sizes=sizes, statuses=statuses, **other)
        assert index.counts(f, programmes) == sql_counts(f, programmes, published_ids), f
        checked += 1
    assert checked == 3**5 * 2
    # the fixture is not trivial: without filters, every facet has several values
    unfiltered = index.counts(ProjectFilters(), [])
    assert all(len(unfiltered[name]) >= 2 for name in FACETS)


def test_index_is_rebuilt_after_a_content_change(
    catalogue, site_admin, django_capture_on_commit_callbacks
):
    published_ids = [catalogue.programme.pk, catalogue.other_programme.pk]
    before = project_facet_index(published_ids)
    assert project_facet_index(published_ids) is before  # kept while nothing changes
    with django_capture_on_commit_callbacks(execute=True):
        content_publish(objects=[catalogue.draft_project], actor=site_admin)
        # inside the transaction the old index is still current
        assert project_facet_index(published_ids) is before
    after = project_facet_index(published_ids)
    assert after is not before
    assert catalogue.draft_project.pk in after.all_ids
    bump_content_version()
    assert project_facet_index(published_ids) is not after
