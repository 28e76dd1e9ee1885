"""Uploaded files (``core/files.py``): served only to those who may see their object, never
executed, not guessable, deleted with their row (defect 1 of issue 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ortswandel.catalogue.models import Programme, Publication, Result
from ortswandel.core import validators
from ortswandel.events.models import Event
from tests.permissions_matrix import NOT_FOUND, OK, PROGRAMME_ROLES, Matrix, answer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% Abschlussbericht\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


@pytest.fixture
def hidden_programme(db):
    return Programme.objects.create(name="Verborgen", slug="verborgen", kind="federal_funding")


def _result(programme, status, slug, content=PDF, name="bericht.pdf"):
    result = Result.objects.create(
        title=slug, slug=slug, kind="study", programme=programme, status=status
    )
    result.file.save(name, ContentFile(content), save=True)
    return result


@pytest.fixture
def make_event(programme):
    def make(status="published"):
        start = timezone.now() + dt.timedelta(days=7)
        n = Event.objects.count() + 1
        return Event.objects.create(
            programme=programme,
            title=f"Termin {n}",
            slug=f"termin-{n}",
            starts_at=start,
            ends_at=start,
            status=status,
        )

    return make


@pytest.fixture
def results(programme, hidden_programme):
    return {
        "draft": _result(programme, "draft", "entwurf"),
        "published": _result(programme, "published", "fertig"),
        "hidden": _result(hidden_programme, "published", "versteckt"),
    }


# --- who may download ----------

DOWNLOADS = Matrix(
    PROGRAMME_ROLES,
    {
        # result: anonymous, registered, editor A, editor B, site admin
        "draft": (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK),
        "hidden": (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
        "published": (OK, OK, OK, OK, OK),
    },
)


@DOWNLOADS.parametrize("which")
def test_file_only_for_those_who_may_see_the_result(as_role, results, which, role, expected):
    result = results[which]
    response = as_role(role).get(result.file.url)
    assert answer(response) == expected, (which, role)
    if expected == OK:
        assert b"".join(response.streaming_content) == PDF
    else:
        assert PDF not in response.content


def test_media_directory_is_not_served(client, results, _media):
    """The old catch-all served every upload under /media/ — drafts and deleted ones too."""
    draft = results["draft"]
    assert (_media / draft.file.name).exists()
    assert client.get(f"/media/{draft.file.name}").status_code == 404
    year = timezone.now().year
    assert client.get(f"/media/results/{year}/bericht.pdf").status_code == 404
    assert not draft.file.url.startswith("/media/")


@pytest.mark.parametrize(
    "path",
    [
        "/dateien/catalogue/result/999999/file/bericht.pdf",  # no such row
        "/dateien/catalogue/nichts/1/file/bericht.pdf",  # no such model
        "/dateien/catalogue/result/{pk}/title/bericht.pdf",  # not a file field
        "/dateien/accounts/profile/1/kind/x.pdf",  # not a protected file
        "/dateien/catalogue/result/{pk}/file/anderer-name.pdf",  # wrong (e.g. old) name
    ],
)
def test_nonsense_addresses_are_404(client, results, path):
    assert client.get(path.format(pk=results["published"].pk)).status_code == 404


def test_event_material_follows_its_event(client, make_event):
    draft = make_event(status="draft")
    public = make_event()
    urls = {}
    for event in (draft, public):
        material = event.materials.create(kind="slides", title="Folien")
        material.file.save("folien.pdf", ContentFile(PDF), save=True)
        urls[event.status] = material.href
    assert client.get(urls["draft"]).status_code == 404
    assert client.get(urls["published"]).status_code == 200


# --- never executed ----------


def test_pdf_is_a_download_with_safe_headers(client, results):
    response = client.get(results["published"].file.url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bericht.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_image_is_shown_inline_with_its_own_type(client, programme):
    result = _result(programme, "published", "bild", PNG, "karte.png")
    response = client.get(result.file.url)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_drafts_are_not_cached_by_shared_caches(as_role, results):
    response = as_role("programme_editor").get(results["draft"].file.url)
    assert response["Cache-Control"] == "private, no-store"


def test_declared_content_type_must_fit_the_extension():
    """A "PDF" sent as text/html (or an executable) is refused at upload."""
    for declared in ("text/html", "application/x-msdownload", "image/svg+xml"):
        upload = SimpleUploadedFile("bericht.pdf", PDF, content_type=declared)
        with pytest.raises(ValidationError) as caught:
            validators.validate_upload(upload)
        assert caught.value.code == "file_content_type"
    for declared in ("application/pdf", "application/octet-stream"):
        validators.validate_upload(SimpleUploadedFile("bericht.pdf", PDF, content_type=declared))


def test_admin_upload_with_a_lying_content_type_is_refused(as_role, programme, settings):
    from django.urls import reverse

    client = as_role("programme_editor")
    response = client.post(
        reverse("admin:catalogue_result_add"),
        {
            "title": "Schad",
            "slug": "schad",
            "kind": "tool",
            "programme": programme.pk,
            "status": "draft",
            "file": SimpleUploadedFile("schad.pdf", PDF + b"<script>", content_type="text/html"),
        },
    )
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Result.objects.filter(slug="schad").exists()


# --- not guessable ----------


def test_stored_names_have_a_random_part(programme):
    first = _result(programme, "draft", "eins")
    second = _result(programme, "draft", "zwei")
    year = timezone.now().year
    for result in (first, second):
        assert re.fullmatch(rf"results/{year}/[A-Za-z0-9_-]{{22}}/bericht\.pdf", result.file.name)
    assert first.file.name != second.file.name


def test_upload_path_keeps_a_safe_name():
    from ortswandel.core.files import RandomUploadPath

    path = RandomUploadPath("publications")(None, "../../Ärger & Co Bericht.PDF")
    assert path.startswith("publications/") and ".." not in path
    assert path.endswith("/arger-co-bericht.pdf")


# --- no orphans ----------


def test_deleting_the_result_deletes_its_file(
    client, results, _media, django_capture_on_commit_callbacks
):
    result = results["published"]
    url, stored = result.file.url, _media / result.file.name
    with django_capture_on_commit_callbacks(execute=True):
        result.delete()
    assert not stored.exists()
    assert client.get(url).status_code == 404


def test_replacing_a_file_deletes_the_old_one(
    client, results, _media, django_capture_on_commit_callbacks
):
    result = results["published"]
    old_url, old_file = result.file.url, _media / result.file.name
    with django_capture_on_commit_callbacks(execute=True):
        result.file.save("neu.pdf", ContentFile(PDF + b"v2"), save=True)
    assert not old_file.exists()
    assert (_media / result.file.name).exists()
    assert client.get(old_url).status_code == 404
    assert client.get(result.file.url).status_code == 200


def test_clearing_a_file_deletes_it(results, _media, django_capture_on_commit_callbacks):
    result = results["published"]
    stored = _media / result.file.name
    with django_capture_on_commit_callbacks(execute=True):
        result.file = None
        result.save()
    assert not stored.exists()


def test_a_rolled_back_delete_keeps_the_file(results, _media):
    result = results["published"]
    stored, pk = _media / result.file.name, result.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        result.delete()
        raise RuntimeError("abort")
    assert stored.exists()
    assert Result.objects.filter(pk=pk).exists()


def test_cascade_and_bulk_deletes_delete_files(
    make_event, programme, _media, django_capture_on_commit_callbacks
):  # the bulk delete of an event's materials is one SQL statement without signals otherwise
    event = make_event()
    material = event.materials.create(kind="slides", title="Folien")
    material.file.save("folien.pdf", ContentFile(PDF), save=True)
    publication = Publication.objects.create(
        title="P", slug="p", kind="report", programme=programme, year=2024
    )
    publication.file.save("p.pdf", ContentFile(PDF), save=True)
    stored = [_media / material.file.name, _media / publication.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.filter(pk=event.pk).delete()  # materials go by cascade
        Publication.objects.filter(pk=publication.pk).delete()
    assert not any(path.exists() for path in stored)


def test_saving_without_a_change_keeps_the_file(
    results, _media, django_capture_on_commit_callbacks
):
    result = results["published"]
    with django_capture_on_commit_callbacks(execute=True):
        result.title = "Neuer Titel"
        result.year = 2024
        result.save()
    assert (_media / result.file.name).exists()
