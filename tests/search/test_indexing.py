"""The index follows the catalogue through its writers — the services (publish, unpublish) and
the admin (edit, delete, relations) — on commit; model signals play no part any more."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from ortswandel.catalogue.models import (
    Organisation,
    OrganisationKind,
    PartnerRole,
    Project,
    ProjectPartner,
)
from ortswandel.catalogue.services import content_publish, content_unpublish
from ortswandel.core.models import PublicationStatus
from ortswandel.search import selectors
from ortswandel.search.models import SearchDocument
from ortswandel.search.services import affected_documents, search_index_rebuild
from tests.admin_forms import admin_save

pytestmark = pytest.mark.django_db


def titles(query: str, **kwargs) -> list[str]:
    return [hit.title for hit in selectors.search(query=query, **kwargs).hits]


def snippets(query: str) -> list[str]:
    return [str(hit.snippet_html) for hit in selectors.search(query=query).hits]


@pytest.fixture
def admin_client(site_admin) -> Client:
    client = Client()
    client.force_login(site_admin)
    return client


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks queued for the commit when the block ends (the test database never
    commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def change_url(obj) -> str:
    return reverse(f"admin:catalogue_{obj._meta.model_name}_change", args=[obj.pk])


# --------------------------------------------------------------------------- services


def test_publishing_through_the_service_makes_it_findable(make_project, site_admin, on_commit):
    project = make_project("ENTWURF", "Wärmeplanung im Quartier", status=PublicationStatus.DRAFT)
    assert titles("Wärmeplanung") == []
    with on_commit():
        content_publish(objects=[project], actor=site_admin)  # an UPDATE: no post_save
        assert titles("Wärmeplanung") == []  # not before the commit
    assert titles("Wärmeplanung") == ["ENTWURF: Wärmeplanung im Quartier"]


def test_unpublishing_through_the_service_removes_it_and_its_snippet(
    make_project, site_admin, on_commit
):
    project = make_project(
        "WAERME", "Wärmeplanung", summary="<p>Geheime Zwischenstände zur Fernwärme</p>"
    )
    assert any("Fernwärme" in s for s in snippets("Fernwärme"))
    with on_commit():
        content_unpublish(objects=[project], actor=site_admin)
    assert titles("Wärmeplanung") == []
    assert snippets("Fernwärme") == []
    assert not SearchDocument.objects.exists()


def test_a_rolled_back_change_never_reaches_the_index(make_project, site_admin, on_commit):
    project = make_project("ROLL", "Rückbau im Quartier", status=PublicationStatus.DRAFT)
    with on_commit(), pytest.raises(RuntimeError), transaction.atomic():
        content_publish(objects=[project], actor=site_admin)
        raise RuntimeError("abort")
    assert titles("Rückbau") == []


def test_a_plain_model_save_does_not_index(make_project):
    """No signal handlers any more: only the writers (services, admin) update the index."""
    project = make_project("STILL", "Stiller Entwurf", status=PublicationStatus.DRAFT)
    Project.objects.filter(pk=project.pk).update(status=PublicationStatus.PUBLISHED)
    project.refresh_from_db()
    project.save()
    assert titles("Stiller") == []


# --------------------------------------------------------------------------- admin


def test_admin_publish_and_unpublish_actions(make_news, admin_client, on_commit):
    news = make_news("Auftakt in Görlitz", status=PublicationStatus.DRAFT)
    url = reverse("admin:catalogue_newsitem_changelist")
    with on_commit():
        admin_client.post(url, {"action": "publish_selected", "_selected_action": [news.pk]})
    assert titles("Görlitz") == ["Auftakt in Görlitz"]
    with on_commit():
        admin_client.post(url, {"action": "unpublish_selected", "_selected_action": [news.pk]})
    assert titles("Görlitz") == []


def test_admin_edit_updates_text(make_news, admin_client, on_commit):
    news = make_news("Auftakt in Görlitz")
    with on_commit():
        admin_save(admin_client, change_url(news), title="Abschlusskonferenz in Zittau")
    assert titles("Görlitz") == []
    assert titles("Zittau") == ["Abschlusskonferenz in Zittau"]


def test_admin_status_change_in_the_form_updates_the_index(make_project, admin_client, on_commit):
    project = make_project("FORM", "Quartiersgarage", status=PublicationStatus.DRAFT)
    with on_commit():
        admin_save(admin_client, change_url(project), status=PublicationStatus.PUBLISHED)
    assert titles("Quartiersgarage") == ["FORM: Quartiersgarage"]


def test_admin_delete_removes_from_index(make_result, admin_client, on_commit):
    result = make_result("Leitfaden Leerstandsmanagement")
    assert titles("Leerstandsmanagement")
    url = reverse("admin:catalogue_result_delete", args=[result.pk])
    with on_commit():
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert titles("Leerstandsmanagement") == []
    assert not SearchDocument.objects.exists()


def test_project_relations_reach_its_results(  # noqa: PLR0917 - fixtures
    make_project, make_result, reindex, cottbus, small_bavaria, admin_client, on_commit
):
    project = make_project("FACET", "Facetten")
    result = make_result("Ergebnis zu Facetten")
    result.projects.add(project)
    reindex(result)
    with on_commit():  # model municipalities chosen in the project form
        admin_save(admin_client, change_url(project), municipalities=[str(cottbus.pk)])
    doc = SearchDocument.objects.get(kind="result", object_id=result.pk)
    assert doc.land_codes == "|12|"
    with on_commit():
        admin_save(
            admin_client,
            change_url(project),
            municipalities=[str(cottbus.pk), str(small_bavaria.pk)],
        )
    doc.refresh_from_db()
    assert doc.land_codes == "|09|12|"
    with on_commit():  # deleting the project drops its facets from the result
        admin_client.post(
            reverse("admin:catalogue_project_delete", args=[project.pk]), {"post": "yes"}
        )
    doc.refresh_from_db()
    assert doc.land_codes == ""


def test_unpublished_programme_hides_its_content(programme, make_project, admin_client, on_commit):
    make_project("MOBIL", "Mobilitätsstationen")
    with on_commit():
        admin_save(admin_client, change_url(programme), status=PublicationStatus.DRAFT)
    assert titles("Mobilitätsstationen") == []
    with on_commit():
        admin_save(admin_client, change_url(programme), status=PublicationStatus.PUBLISHED)
    assert titles("Mobilitätsstationen") == ["MOBIL: Mobilitätsstationen"]


def test_theme_rename_reaches_tagged_content(theme, make_project, reindex, admin_client, on_commit):
    project = make_project("DAVO", "Gemeinsam planen")
    project.themes.add(theme)
    reindex(project)
    assert titles("Daseinsvorsorge") == ["DAVO: Gemeinsam planen"]
    with on_commit():
        admin_save(admin_client, change_url(theme), name="Gesundheitsversorgung")
    assert titles("Daseinsvorsorge") == []
    assert titles("Gesundheitsversorgung") == ["DAVO: Gemeinsam planen"]


def test_partners_organisation_rename_and_theme_delete_reach_projects(
    theme, make_project, reindex, admin_client, on_commit
):
    project = make_project("ORG", "Gemeinsam")
    org = Organisation.objects.create(
        name="Institut Alpha", slug="alpha", kind=OrganisationKind.RESEARCH_INSTITUTE
    )
    ProjectPartner.objects.create(project=project, organisation=org, role=PartnerRole.COORDINATOR)
    project.themes.add(theme)
    reindex(project)
    assert titles("Institut Alpha") == ["ORG: Gemeinsam"]
    with on_commit():
        admin_save(admin_client, change_url(org), name="Institut Omega")
    assert titles("Omega") == ["ORG: Gemeinsam"]
    assert titles("Alpha") == []
    with on_commit():
        admin_client.post(reverse("admin:catalogue_theme_delete", args=[theme.pk]), {"post": "yes"})
    assert titles("Daseinsvorsorge") == []
    assert SearchDocument.objects.get().theme_ids == ""


def test_affected_documents_of_a_programme_are_all_its_content(
    programme, make_project, make_news, make_result
):
    project = make_project("P", "Eins")
    news = make_news("Zwei")
    result = make_result("Drei")
    assert affected_documents([programme]) == {
        "project": {project.pk},
        "news": {news.pk},
        "result": {result.pk},
    }


# --------------------------------------------------------------------------- documents, rebuild


def test_html_is_stripped_from_body(make_project):
    make_project(
        "HTML", "Titel", summary="<p>Erster Absatz</p><p>Zweiter&nbsp;Absatz &amp; mehr</p>"
    )
    doc = SearchDocument.objects.get()
    assert "<" not in doc.body
    assert "Erster Absatz Zweiter" in doc.body
    assert "& mehr" in doc.body


def test_rebuild_command_indexes_only_published(programme):
    from ortswandel.catalogue.models import NewsItem, Publication

    # rows written in bulk, as a loader does: nothing indexed until the rebuild
    Project.objects.create(
        programme=programme, acronym="EINS", slug="eins", title="Sichtbares Projekt",
        status=PublicationStatus.PUBLISHED,
    )  # fmt: skip
    Project.objects.create(
        programme=programme, acronym="ZWEI", slug="zwei", title="Geheimer Entwurf",
        status=PublicationStatus.DRAFT,
    )  # fmt: skip
    Publication.objects.create(
        programme=programme, title="Sichtbarer Bericht", slug="bericht", kind="report",
        status=PublicationStatus.PUBLISHED,
    )  # fmt: skip
    NewsItem.objects.create(
        programme=programme, title="Sichtbare Meldung", slug="meldung",
        status=PublicationStatus.PUBLISHED, published_on="2025-03-01",
    )  # fmt: skip
    assert not SearchDocument.objects.exists()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "3 Dokumente" in out.getvalue()
    assert sorted(titles("Sichtbar")) == sorted(
        ["EINS: Sichtbares Projekt", "Sichtbarer Bericht", "Sichtbare Meldung"]
    )
    assert titles("Entwurf") == []
    # A second rebuild gives the same index (idempotent).
    assert search_index_rebuild() == {
        "project": 1,
        "result": 0,
        "publication": 1,
        "news": 1,
        "municipality": 0,
        "event": 0,
    }
    assert len(titles("Sichtbar")) == 3
