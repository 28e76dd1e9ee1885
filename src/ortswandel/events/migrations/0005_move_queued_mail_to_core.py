"""The mail queue moved to core (one queue for every app): copy queued and sent rows to
``core.QueuedMail`` (the registration becomes ``object_type``/``object_id``), then drop the table."""

from django.db import migrations

FIELDS = [
    "to", "subject", "body", "html_body", "kind", "created_at", "attempts", "next_attempt_at",
    "locked_until", "sent_at", "failed_at", "last_error",
]


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("events", "QueuedMail")
    New = apps.get_model("core", "QueuedMail")
    alias = schema_editor.connection.alias
    rows = []
    for old in Old.objects.using(alias).select_related("registration").order_by("id").iterator():
        row = New(**{name: getattr(old, name) for name in FIELDS})
        if old.registration_id is not None:
            row.object_type, row.object_id = "events.registration", str(old.registration_id)
            row.language = old.registration.language
        rows.append(row)
        if len(rows) >= 500:
            New.objects.using(alias).bulk_create(rows)
            rows = []
    New.objects.using(alias).bulk_create(rows)


def copy_back(apps, schema_editor):
    Old = apps.get_model("events", "QueuedMail")
    New = apps.get_model("core", "QueuedMail")
    Registration = apps.get_model("events", "Registration")
    alias = schema_editor.connection.alias
    known = set(Registration.objects.using(alias).values_list("id", flat=True))
    for new in New.objects.using(alias).filter(object_type__in=["", "events.registration"]):
        registration_id = int(new.object_id) if new.object_id else None
        Old.objects.using(alias).create(
            registration_id=registration_id if registration_id in known else None,
            **{name: getattr(new, name) for name in FIELDS},
        )
        new.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_queued_mail"),
        ("events", "0004_registration_client_key"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="QueuedMail"),
    ]
