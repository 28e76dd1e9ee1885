"""The index follows the catalogue: publish, unpublish, edit, delete, relations, rebuild."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ortswandel.catalogue.models import Organisation, OrganisationKind, PartnerRole, ProjectPartner
from ortswandel.core.models import PublicationStatus
from ortswandel.search import selectors
from ortswandel.search.models import SearchDocument
from ortswandel.search.services import search_index_rebuild, search_indexing_paused

pytestmark = pytest.mark.django_db


def titles(query: str, **kwargs) -> list[str]:
    return [hit.title for hit in selectors.search(query=query, **kwargs).hits]


def test_draft_is_never_found_and_publishing_indexes_it(make_project):
    project = make_project("ENTWURF", "Wärmeplanung im Quartier", status=PublicationStatus.DRAFT)
    assert titles("Wärmeplanung") == []
    assert not SearchDocument.objects.exists()

    project.status = PublicationStatus.PUBLISHED
    project.save()
    assert titles("Wärmeplanung") == ["ENTWURF: Wärmeplanung im Quartier"]


def test_unpublishing_removes_from_index(make_project):
    project = make_project("WAERME", "Wärmeplanung im Quartier")
    assert titles("Wärmeplanung")
    project.status = PublicationStatus.DRAFT
    project.save()
    assert titles("Wärmeplanung") == []
    assert not SearchDocument.objects.exists()


def test_delete_removes_from_index(make_result):
    result = make_result("Leitfaden Leerstandsmanagement")
    assert titles("Leerstandsmanagement")
    result.delete()
    assert titles("Leerstandsmanagement") == []


def test_edit_updates_text(make_news):
    news = make_news("Auftakt in Görlitz")
    news.title = "Abschlusskonferenz in Zittau"
    news.save()
    assert titles("Görlitz") == []
    assert titles("Zittau") == ["Abschlusskonferenz in Zittau"]


def test_unpublished_programme_hides_its_content(programme, make_project):
    make_project("MOBIL", "Mobilitätsstationen")
    programme.status = PublicationStatus.DRAFT
    programme.save()
    assert titles("Mobilitätsstationen") == []
    programme.status = PublicationStatus.PUBLISHED
    programme.save()
    assert titles("Mobilitätsstationen") == ["MOBIL: Mobilitätsstationen"]


def test_theme_rename_reaches_tagged_content(theme, make_project):
    project = make_project("DAVO", "Gemeinsam planen")
    project.themes.add(theme)
    assert titles("Daseinsvorsorge") == ["DAVO: Gemeinsam planen"]
    theme.name = "Gesundheitsversorgung"
    theme.save()
    assert titles("Daseinsvorsorge") == []
    assert titles("Gesundheitsversorgung") == ["DAVO: Gemeinsam planen"]


def test_partner_names_are_searchable(make_project):
    project = make_project("PART", "Flächensparen")
    org = Organisation.objects.create(
        name="Hochschule Zittau/Görlitz", slug="hszg", kind=OrganisationKind.UNIVERSITY
    )
    ProjectPartner.objects.create(project=project, organisation=org, role=PartnerRole.COORDINATOR)
    assert titles("Hochschule Zittau") == ["PART: Flächensparen"]


def test_municipality_facets_follow_m2m_both_ways(
    make_project, make_result, cottbus, small_bavaria
):
    project = make_project("FACET", "Facetten")
    result = make_result("Ergebnis zu Facetten")
    result.projects.add(project)
    project.municipalities.add(cottbus)
    doc = SearchDocument.objects.get(kind="result", object_id=result.pk)
    assert doc.land_codes == "|12|"
    # reverse side: municipality.projects.add(...)
    small_bavaria.projects.add(project)
    doc.refresh_from_db()
    assert doc.land_codes == "|09|12|"
    small_bavaria.projects.clear()
    doc.refresh_from_db()
    assert doc.land_codes == "|12|"
    # deleting the project drops the facet from its result
    project.delete()
    doc.refresh_from_db()
    assert doc.land_codes == ""


def test_html_is_stripped_from_body(make_project):
    make_project(
        "HTML", "Titel", summary="<p>Erster Absatz</p><p>Zweiter&nbsp;Absatz &amp; mehr</p>"
    )
    doc = SearchDocument.objects.get()
    assert "<" not in doc.body
    assert "Erster Absatz Zweiter" in doc.body
    assert "& mehr" in doc.body


def test_rebuild_command_indexes_only_published(make_project, make_publication, make_news):
    with search_indexing_paused():
        make_project("EINS", "Sichtbares Projekt")
        make_project("ZWEI", "Geheimer Entwurf", status=PublicationStatus.DRAFT)
        make_publication("Sichtbarer Bericht")
        make_news("Sichtbare Meldung")
    assert not SearchDocument.objects.exists()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "3 Dokumente" in out.getvalue()
    assert titles("Sichtbar") == [
        "EINS: Sichtbares Projekt",
        "Sichtbarer Bericht",
        "Sichtbare Meldung",
    ] or sorted(titles("Sichtbar")) == sorted(
        ["EINS: Sichtbares Projekt", "Sichtbarer Bericht", "Sichtbare Meldung"]
    )
    assert titles("Entwurf") == []
    # A second rebuild gives the same index (idempotent).
    assert search_index_rebuild() == {"project": 1, "result": 0, "publication": 1, "news": 1}
    assert len(titles("Sichtbar")) == 3


def test_programme_save_without_relevant_change_does_not_reindex(
    programme, make_project, django_assert_max_num_queries
):
    make_project("RUHE", "Ruhiger Index")
    programme.website = "https://example.org/"
    with django_assert_max_num_queries(4):
        programme.save()  # pre_save look-up + UPDATE, no re-indexing
    programme.short_name = "TP"
    programme.save()
    from ortswandel.search.models import SearchDocument

    assert SearchDocument.objects.get().programme_name == "TP"


def test_organisation_rename_and_theme_delete_reach_projects(theme, make_project):
    project = make_project("ORG", "Gemeinsam")
    org = Organisation.objects.create(
        name="Institut Alpha", slug="alpha", kind=OrganisationKind.RESEARCH_INSTITUTE
    )
    ProjectPartner.objects.create(project=project, organisation=org, role=PartnerRole.COORDINATOR)
    project.themes.add(theme)
    org.name = "Institut Omega"
    org.save()
    assert titles("Omega") == ["ORG: Gemeinsam"]
    assert titles("Alpha") == []
    theme.delete()
    assert titles("Daseinsvorsorge") == []
    assert SearchDocument.objects.get().theme_ids == ""
