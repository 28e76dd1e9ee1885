from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ortswandel.core import validators
from ortswandel.core.audit import audit_log, model_diff, snapshot
from ortswandel.core.models import AuditEntry


def test_pdf_with_pdf_signature_is_accepted():
    validators.validate_upload(SimpleUploadedFile("bericht.pdf", b"%PDF-1.7\n..."))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("schadcode.exe", b"MZ\x90\x00", "file_type"),
        ("ohne-endung", b"%PDF-1.7", "file_type"),
        ("getarnt.pdf", b"<html><script>alert(1)</script>", "file_signature"),
        ("bild.png", b"\xff\xd8\xff\xe0 jpeg", "file_signature"),
        ("tabelle.csv", b"a;b\x00\x01", "file_signature"),
    ],
)
def test_bad_uploads_are_rejected_with_a_code(name, content, code):
    with pytest.raises(ValidationError) as info:
        validators.validate_upload(SimpleUploadedFile(name, content))
    assert info.value.code == code
    assert info.value.messages[0]  # a German message for the form


def test_oversized_upload_is_rejected(monkeypatch):
    monkeypatch.setattr(validators, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValidationError) as info:
        validators.validate_upload(SimpleUploadedFile("gross.pdf", b"%PDF-" + b"x" * 100))
    assert info.value.code == "file_size"


def test_model_diff_lists_only_changed_fields():
    assert model_diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


@pytest.mark.django_db
def test_audit_log_records_actor_object_and_payload(site_admin, programme):
    before = snapshot(programme)
    programme.name = "Umbenannt"
    programme.save()
    entry = audit_log(
        action="catalogue.programme.changed",
        actor=site_admin,
        obj=programme,
        payload={"changes": model_diff(before, snapshot(programme))},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == site_admin
    assert stored.object_type == "catalogue.programme"
    assert stored.object_id == str(programme.pk)
    assert stored.payload["changes"]["name"] == ["Testprogramm", "Umbenannt"]


@pytest.mark.django_db
def test_audit_log_ignores_anonymous_actor(programme):
    from django.contrib.auth.models import AnonymousUser

    entry = audit_log(action="x.y.z", actor=AnonymousUser(), obj=programme)
    assert entry.actor is None
