"""Editorial experience (issue 9): rich text sanitising, preview, scheduled publishing, revision
history with restore (permission matrix), German admin JavaScript, labelled choices, dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ortswandel.catalogue import services
from ortswandel.catalogue.models import NewsItem, Project
from ortswandel.core import dashboard, jobs
from ortswandel.core.models import AuditEntry, PublicationStatus
from ortswandel.core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, EDITOR_EXTENSIONS
from tests.admin_forms import admin_form_data
from tests.permissions_matrix import ADMIN_LOGIN, NOT_FOUND, OK, PROGRAMME_ROLES, Matrix, answer

pytestmark = pytest.mark.django_db

ROLES = PROGRAMME_ROLES


def _change_url(obj) -> str:
    return reverse(f"admin:catalogue_{obj._meta.model_name}_change", args=[obj.pk])


# --------------------------------------------------------------------------- rich text


def test_sanitiser_allows_exactly_what_the_editor_makes():
    from django_prose_editor.config import allowlist_from_extensions

    editor = allowlist_from_extensions(EDITOR_EXTENSIONS)
    assert editor["tags"] == ALLOWED_TAGS
    for tag, attributes in editor["attributes"].items():
        # ``rel`` is set by the sanitiser itself (link_rel); everything else must match.
        assert set(attributes) - {"rel"} == ALLOWED_ATTRIBUTES.get(tag, set()), tag
    assert "img" not in ALLOWED_TAGS and "style" not in ALLOWED_TAGS


def test_admin_uses_the_editor_and_sanitises_on_save(as_role, catalogue):
    client = as_role("programme_editor")
    url = _change_url(catalogue.alpha)
    page = client.get(url)
    assert b"data-django-prose-editor-configurable" in page.content
    assert b"django_prose_editor/editor.js" in page.content  # served from the package
    # the page's import map is allowed by its hash; no other inline script is
    csp = page["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp
    data = admin_form_data(page)
    data["summary"] = (
        '<h2>Ziele</h2><p onclick="x()">Mit <strong>Kommunen</strong> '
        '<a href="javascript:alert(1)">Link</a></p><script>alert(1)</script><img src="x">'
        '<table><tbody><tr><th><p>A</p></th></tr></tbody></table><p style="color:red">Stil</p>'
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    catalogue.alpha.refresh_from_db()
    summary = catalogue.alpha.summary
    assert "<h2>Ziele</h2>" in summary and "<strong>Kommunen</strong>" in summary
    assert "<table>" in summary and "<th>" in summary
    for forbidden in ("script", "onclick", "javascript:", "<img", "style="):
        assert forbidden not in summary, forbidden


def test_render_sanitises_again(client, catalogue):
    """Content that reached the database another way is cleaned when rendered."""
    Project.objects.filter(pk=catalogue.alpha.pk).update(
        summary='<p>Gut</p><script>alert("x")</script><p onmouseover="y()">Auch</p>'
    )
    page = client.get(reverse("catalogue:project_detail", args=[catalogue.alpha.slug]))
    assert page.status_code == 200
    assert b"<p>Gut</p>" in page.content
    assert b'alert("x")' not in page.content and b"onmouseover" not in page.content


# --------------------------------------------------------------------------- scheduling


def test_public_respects_publish_at(catalogue):
    alpha = catalogue.alpha
    assert Project.objects.public().filter(pk=alpha.pk).exists()
    Project.objects.filter(pk=alpha.pk).update(publish_at=timezone.now() + dt.timedelta(days=1))
    alpha.refresh_from_db()
    assert not Project.objects.public().filter(pk=alpha.pk).exists()
    assert alpha.is_scheduled and not alpha.is_public
    Project.objects.filter(pk=alpha.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    assert Project.objects.public().filter(pk=alpha.pk).exists()


def test_publish_due_publishes_drafts_whose_date_has_come(catalogue):
    now = timezone.now()
    due, later = catalogue.draft_project, catalogue.draft_news
    Project.objects.filter(pk=due.pk).update(publish_at=now - dt.timedelta(minutes=3))
    NewsItem.objects.filter(pk=later.pk).update(publish_at=now + dt.timedelta(hours=2))

    changed = services.content_publish_due(now=now)

    assert [o.pk for o in changed] == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == PublicationStatus.PUBLISHED and due.publish_at is None
    assert later.status == PublicationStatus.DRAFT and later.publish_at is not None
    entry = AuditEntry.objects.get(action="catalogue.project.published", object_id=str(due.pk))
    assert entry.actor is None and entry.payload["scheduled"] is True
    # idempotent: a second run finds nothing
    assert services.content_publish_due(now=now) == []


def test_the_job_is_registered_and_runs(catalogue):
    from ortswandel.catalogue import tasks

    assert "catalogue.publish_scheduled" in {job.name for job in jobs.periodic_jobs()}
    Project.objects.filter(pk=catalogue.draft_project.pk).update(
        publish_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert tasks.publish_scheduled() == "published=1"


def test_admin_schedules_a_draft(as_role, catalogue):
    client = as_role("programme_editor")
    url = _change_url(catalogue.draft_project)
    data = admin_form_data(client.get(url))
    when = timezone.localtime() + dt.timedelta(days=2)
    data["publish_at_0"] = when.strftime("%d.%m.%Y")
    data["publish_at_1"] = when.strftime("%H:%M:%S")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    catalogue.draft_project.refresh_from_db()
    assert catalogue.draft_project.is_scheduled
    listing = client.get(reverse("admin:catalogue_project_changelist"))
    assert "geplant:" in listing.content.decode()


# --------------------------------------------------------------------------- preview + restore

#: rows: what is asked; cells: anonymous, registered, editor A, editor B, site admin.
EDITORIAL_MATRIX = Matrix(
    ROLES,
    {
        "preview draft of A": (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK),
        "history of A": (ADMIN_LOGIN, ADMIN_LOGIN, OK, NOT_FOUND, OK),
        "version of A": (ADMIN_LOGIN, ADMIN_LOGIN, OK, NOT_FOUND, OK),
        "restore A": (ADMIN_LOGIN, ADMIN_LOGIN, "restored", NOT_FOUND, "restored"),
        "recover list": (ADMIN_LOGIN, ADMIN_LOGIN, 403, 403, OK),
        "dashboard": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
    },
)


def _two_versions(request, catalogue):
    """Editor A saves ALPHA twice through the admin: version 1 "Erste Fassung", version 2
    "Zweite Fassung"."""
    from django.test import Client

    editor = Client()
    editor.force_login(request.getfixturevalue("programme_editor"))
    url = _change_url(catalogue.alpha)
    for title in ("Erste Fassung", "Zweite Fassung"):
        data = admin_form_data(editor.get(url))
        data["title"] = title
        assert editor.post(url, data).status_code == 302
    from reversion.models import Version

    versions = Version.objects.get_for_object(catalogue.alpha)  # newest first
    assert versions.count() == 2
    return versions[1]  # "Erste Fassung"


def _preview(client, catalogue, first, expected):
    url = reverse("catalogue:preview", args=["project", catalogue.draft_project.pk])
    response = client.get(url)
    assert answer(response) == expected
    if expected == OK:
        assert b"Vorschau" in response.content and b"ENTWURF" in response.content
        assert response["X-Robots-Tag"].startswith("noindex")
        assert "no-store" in response["Cache-Control"]
    else:
        assert b"ENTWURF" not in response.content


def _revision_url(catalogue, version) -> str:
    return reverse("admin:catalogue_project_revision", args=[catalogue.alpha.pk, version.pk])


def _history(client, catalogue, first, expected):
    response = client.get(reverse("admin:catalogue_project_history", args=[catalogue.alpha.pk]))
    assert answer(response) == expected
    if expected == OK:
        body = response.content.decode()
        assert _revision_url(catalogue, first) in body
        assert "redaktion@example.org" in body  # who changed it


def _version(client, catalogue, first, expected):
    response = client.get(_revision_url(catalogue, first))
    assert answer(response) == expected
    if expected == OK:
        assert "Erste Fassung" in response.content.decode()
    # looking at a version changes nothing
    assert Project.objects.get(pk=catalogue.alpha.pk).title == "Zweite Fassung"


def _restore(client, catalogue, first, expected):
    url = _revision_url(catalogue, first)
    if expected != "restored":
        response = client.post(url, {"title": "gekapert", "_save": "Sichern"})
        assert answer(response) == expected
        assert Project.objects.get(pk=catalogue.alpha.pk).title == "Zweite Fassung"
        return
    data = admin_form_data(client.get(url))
    assert data["title"] == "Erste Fassung"
    assert client.post(url, data).status_code == 302
    assert Project.objects.get(pk=catalogue.alpha.pk).title == "Erste Fassung"
    assert AuditEntry.objects.filter(
        action="catalogue.project.changed", object_id=str(catalogue.alpha.pk)
    ).exists()


def _recover_list(client, catalogue, first, expected):
    assert answer(client.get(reverse("admin:catalogue_project_recoverlist"))) == expected


def _dashboard(client, catalogue, first, expected):
    response = client.get(reverse("admin:dashboard"))
    assert answer(response) == expected
    if expected == OK:
        body = response.content.decode()
        if catalogue.programme.name in body:
            assert "ENTWURF" in body  # editor A / site admin: A's drafts
        else:  # editor B: only programme B
            assert catalogue.other_programme.name in body and "ENTWURF" not in body


MATRIX_CHECKS = {
    "preview draft of A": _preview,
    "history of A": _history,
    "version of A": _version,
    "restore A": _restore,
    "recover list": _recover_list,
    "dashboard": _dashboard,
}


@EDITORIAL_MATRIX.parametrize("row")
def test_editorial_matrix(request, row, role, expected):
    catalogue = request.getfixturevalue("catalogue")
    first = _two_versions(request, catalogue)
    client = request.getfixturevalue("as_role")(role)
    MATRIX_CHECKS[row](client, catalogue, first, expected)


def test_foreign_editor_cannot_apply_a_version_by_post_with_full_data(request, catalogue):
    """Django's change form answers a foreign object with a redirect; django-reversion would
    then keep the reverted revision. Our check comes first: nothing changes."""
    from django.test import Client

    first = _two_versions(request, catalogue)
    editor_a = Client()
    editor_a.force_login(request.getfixturevalue("programme_editor"))
    url = reverse("admin:catalogue_project_revision", args=[catalogue.alpha.pk, first.pk])
    data = admin_form_data(editor_a.get(url))
    editor_b = Client()
    editor_b.force_login(request.getfixturevalue("other_editor"))
    assert editor_b.post(url, data).status_code == 404
    assert Project.objects.get(pk=catalogue.alpha.pk).title == "Zweite Fassung"


# --------------------------------------------------------------------------- German admin


def test_admin_javascript_catalogue_is_german(as_role):
    client = as_role("programme_editor")
    raw = client.get(reverse("admin:jsi18n")).content.decode()
    body = raw.replace("\\u00e4", "ä").replace('\\"', '"')  # JSON escapes
    # The selector widget's strings of Django 5.2 (missing from Django's own German catalogue)
    assert "%s auswählen: markieren" in body
    assert "Alle %s auswählen" in body
    assert "Markierte %s entfernen" in body
    assert 'arrow button.": "%s auswählen: markieren' in body  # the new msgid → German


def test_choices_name_their_programme_and_district(as_role, catalogue):
    from ortswandel.catalogue.selectors import municipality_choice_label

    form = as_role("programme_editor").get(reverse("admin:catalogue_result_add"))
    field = form.context["adminform"].form.fields["projects"]
    labels = [label for _value, label in field.choices]
    assert any(str(catalogue.programme) in label and "ALPHA" in label for label in labels)
    assert not any("GAMMA" in label for label in labels)  # other programme's project
    assert len(labels) == len(set(labels))
    theme_labels = [label for _v, label in form.context["adminform"].form.fields["themes"].choices]
    assert all(label.startswith(str(catalogue.programme)) for label in theme_labels)
    assert municipality_choice_label(catalogue.small).endswith(
        f"({catalogue.small.kreis_name}, {catalogue.small.land_name})"
    )


def test_municipality_autocomplete_names_district_and_land(as_role, catalogue):
    client = as_role("programme_editor")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": catalogue.small.name[:4],
            "app_label": "catalogue",
            "model_name": "project",
            "field_name": "municipalities",
        },
    )
    assert response.status_code == 200
    texts = [r["text"] for r in response.json()["results"]]
    assert (
        f"{catalogue.small.name} ({catalogue.small.kreis_name}, {catalogue.small.land_name})"
        in (texts)
    )


def test_event_form_is_grouped_and_scoped(as_role, catalogue):
    response = as_role("programme_editor").get(reverse("admin:events_event_add"))
    body = response.content.decode()
    assert body.count("<details") >= 3  # collapsible sections
    form = response.context["adminform"].form
    assert catalogue.theme_other not in form.fields["themes"].queryset
    assert catalogue.gamma not in form.fields["projects"].queryset
    from ortswandel.events.models import EventSeries

    EventSeries.objects.create(
        programme=catalogue.programme, title="Werkstattreihe", slug="werkstattreihe"
    )
    form = as_role("programme_editor").get(reverse("admin:events_event_add")).context["adminform"]
    labels = [label for _v, label in form.form.fields["series"].choices]
    assert f"Werkstattreihe ({catalogue.programme})" in labels


def test_dashboard_panels_are_pluggable(as_role, catalogue):
    @dashboard.register_panel("tests.newsletter", order=90)
    def newsletter(request, scope):
        return dashboard.Panel(title="Newsletter-Status", rows=[dashboard.PanelRow("3 Entwürfe")])

    try:
        body = as_role("programme_editor").get(reverse("admin:dashboard")).content.decode()
        assert "Newsletter-Status" in body and "3 Entwürfe" in body
        assert "Entwürfe" in body and "Geplante Veröffentlichungen" in body
        assert "Fehlende Angaben" in body and "Kommende Veranstaltungen" in body
    finally:
        dashboard._PANELS.pop("tests.newsletter")
