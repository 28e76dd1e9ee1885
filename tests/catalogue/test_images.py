"""Teaser images: validation by content (German messages), required alt text, renditions in WebP
and JPEG served with srcset to those who may see the object."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ortswandel.catalogue.models import Project
from ortswandel.core.images import (
    MAX_IMAGE_BYTES,
    renditions_update,
    validate_logo,
    validate_teaser_image,
)
from tests.admin_forms import admin_form_data


def _image(fmt: str = "PNG", size: tuple[int, int] = (800, 400), name: str = "bild.png"):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, (30, 120, 90, 255) if mode == "RGBA" else (30, 120, 90)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _code(upload, validator=validate_teaser_image) -> str:
    with pytest.raises(ValidationError) as error:
        validator(upload)
    return error.value.code or ""


def test_valid_images_pass():
    validate_teaser_image(_image())
    validate_teaser_image(_image("JPEG", name="foto.jpg"))
    validate_teaser_image(_image("WEBP", name="foto.webp"))
    validate_logo(_image(size=(200, 80)))


def test_type_is_decided_by_content():
    fake = SimpleUploadedFile("bild.png", b"<svg onload='x()'></svg>", content_type="image/png")
    assert _code(fake) == "image_type"
    with pytest.raises(ValidationError, match="kein lesbares Bild"):
        validate_teaser_image(fake)
    assert _code(_image("GIF", name="bild.gif")) == "image_type"
    # a PNG that calls itself .jpg would be served with the wrong type
    with pytest.raises(ValidationError, match=r"Endung „\.jpg“ passt nicht"):
        validate_teaser_image(_image("PNG", name="bild.jpg"))


def test_dimensions_and_size_limits():
    with pytest.raises(ValidationError, match="mindestens 640 × 320 Pixel"):
        validate_teaser_image(_image(size=(300, 200)))
    validate_logo(_image(size=(300, 200)))  # fine for a logo
    assert _code(_image(size=(9000, 10))) == "image_dimensions"
    big = _image()
    big.size = MAX_IMAGE_BYTES + 1
    with pytest.raises(ValidationError, match="höchstens 8 MB"):
        validate_teaser_image(big)


@pytest.mark.django_db
def test_alt_text_is_required_with_an_image(catalogue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = catalogue.alpha
    project.teaser_image.save("bild.png", _image(), save=False)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "teaser_image_alt" in error.value.message_dict
    project.teaser_image_alt = "Marktplatz mit Bäumen"
    project.full_clean()


@pytest.mark.django_db
def test_renditions_are_webp_and_jpeg_without_upscaling(
    catalogue, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    project = catalogue.alpha
    project.teaser_image.save("bild.png", _image(size=(1000, 500)), save=True)
    info = renditions_update(project, "teaser_image")
    assert [w for w, _n in info["files"]["webp"]] == [480, 960, 1000]
    assert [w for w, _n in info["files"]["jpg"]] == [480, 960, 1000]
    stored = project._meta.get_field("teaser_image").storage
    name = info["files"]["webp"][0][1]
    path = f"renditions/catalogue/project/{project.pk}/teaser_image/{name}"
    with stored.open(path, "rb") as handle, Image.open(handle) as img:
        assert img.format == "WEBP" and img.size == (480, 240)
    # deleting the row deletes its renditions (once committed)
    project.partnerships.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        project.delete()
    assert not stored.exists(path)


@pytest.mark.django_db
def test_upload_through_admin_and_serving(
    as_role, catalogue, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = as_role("programme_editor")
    for project in (catalogue.alpha, catalogue.draft_project):
        url = reverse("admin:catalogue_project_change", args=[project.pk])
        data = admin_form_data(client.get(url))
        data["teaser_image_alt"] = ""
        data["teaser_image"] = _image(size=(1200, 600))
        response = client.post(url, data)
        assert response.status_code == 200  # the alt text is missing
        assert "Alternativtext" in str(response.context["adminform"].form.errors)
        data["teaser_image"] = _image(size=(1200, 600))
        data["teaser_image_alt"] = "Rathaus im Abendlicht"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.teaser_image_renditions["files"]["webp"]

    client.logout()
    page = client.get(reverse("catalogue:project_detail", args=[catalogue.alpha.slug]))
    html = page.content.decode()
    assert '<source type="image/webp" srcset="' in html and 'alt="Rathaus im Abendlicht"' in html
    public_name = catalogue.alpha.teaser_image_renditions["files"]["webp"][0][1]
    public_url = reverse(
        "image_rendition",
        args=["catalogue", "project", catalogue.alpha.pk, "teaser_image", public_name],
    )
    assert public_url in html
    response = client.get(public_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    # the draft's renditions: only for its editors
    draft = catalogue.draft_project
    draft_name = draft.teaser_image_renditions["files"]["jpg"][0][1]
    draft_url = reverse(
        "image_rendition", args=["catalogue", "project", draft.pk, "teaser_image", draft_name]
    )
    assert client.get(draft_url).status_code == 404
    assert as_role("other_editor").get(draft_url).status_code == 404
    editor = as_role("programme_editor")
    response = editor.get(draft_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    # an unknown name is a 404, never a path into the storage
    bad = reverse(
        "image_rendition", args=["catalogue", "project", draft.pk, "teaser_image", "x.jpg"]
    )
    assert editor.get(bad).status_code == 404
    assert Project.objects.get(pk=draft.pk).teaser_image_alt == "Rathaus im Abendlicht"
