"""A municipality's own register data: upload (replaces the same kind and date), publish,
withdraw, delete — each audited; and the per-AGS staff grant.

Register values are stored in the pool (``origin=register``) with ``is_private=True`` until the
municipality publishes them; they are never aggregated (they cover one municipality only).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.core.audit import audit_log
from ortswandel.core.errors import InvalidInput, NotFound, PermissionDenied
from ortswandel.core.validators import validate_upload
from ortswandel.datapool.models import (
    Aggregation,
    Indicator,
    Level,
    Origin,
    RegisterKind,
    RegisterUpload,
    SpatialUnit,
    Value,
)
from ortswandel.datapool.register_files import (
    FACILITY_LABELS,
    RegisterData,
    RegisterFileError,
    parse_register_file,
)
from ortswandel.datapool.rules import can

from .bulk import insert_rows, lock_pool

POPULATION = "register-bevoelkerung"
PLACES = "register-einrichtungen-plaetze"
OCCUPIED = "register-einrichtungen-belegt"
REGISTER_ATTRIBUTION = (
    "Angaben der Gemeinde (Melderegister bzw. eigene Erhebung); Stichtag und Gemeinde am Wert"
)
_INDICATORS = {
    POPULATION: ("Einwohner laut Melderegister der Gemeinde", "Personen"),
    PLACES: ("Plätze in Kita, Schule und Pflege (Angabe der Gemeinde)", "Plätze"),
    OCCUPIED: ("Belegte Plätze in Kita, Schule und Pflege (Angabe der Gemeinde)", "Plätze"),
}
_FIELDS = (
    "indicator",
    "unit",
    "date",
    "breakdown",
    "value",
    "sign",
    "origin",
    "territorial_status",
    "period_label",
    "note",
    "is_private",
    "register_upload",
)


class RegisterUploadRejected(InvalidInput):
    code = "register_upload_rejected"

    def __init__(self, errors: list[tuple[int | None, str]]) -> None:
        self.errors = errors
        super().__init__(
            _("Die Datei wurde nicht übernommen; es wurde nichts gespeichert."),
            fields={"file": str(RegisterFileError(errors))},
        )


def municipality_unit(ags: str) -> SpatialUnit:
    unit = SpatialUnit.objects.filter(level=Level.MUNICIPALITY, code=ags, in_register=True).first()
    if unit is None:
        raise NotFound(_("Die Gemeinde %(ags)s ist nicht im Datenpool.") % {"ags": ags[:12]})
    return unit


def _indicator(code: str) -> Indicator:
    name, unit = _INDICATORS[code]
    indicator, _created = Indicator.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "unit": unit,
            "definition": "Von der Gemeinde hochgeladene Registerdaten; nicht öffentlich, bis "
            "die Gemeinde sie veröffentlicht.",
            "source": "Gemeinde",
            "licence": "",
            "licence_url": "",
            "attribution": REGISTER_ATTRIBUTION,
            "aggregation": Aggregation.NONE,
            "is_register": True,
        },
    )
    return indicator


def _rows(upload: RegisterUpload, data: RegisterData) -> list[tuple[Any, ...]]:
    note = f"{upload.unit.name}, Stichtag {data.reference_date:%d.%m.%Y}"
    common = (upload.reference_date, Origin.REGISTER, upload.reference_date, note, True, upload.pk)
    out: list[tuple[Any, ...]] = []

    def add(indicator: Indicator, breakdown: str, value: float) -> None:
        date, origin, status, text, private, upload_id = common
        out.append(
            (
                indicator.pk,
                upload.unit_id,
                date,
                breakdown,
                value,
                "",
                origin,
                status,
                "",
                text,
                private,
                upload_id,
            )
        )

    if upload.kind == RegisterKind.POPULATION:
        indicator = _indicator(POPULATION)
        for (age, sex), persons in sorted(data.population.items()):
            add(indicator, f"age={age}{'+' if age == 100 else ''};sex={sex}", persons)
        for sex in ("m", "w"):
            add(
                indicator,
                f"sex={sex}",
                sum(v for (_a, s), v in data.population.items() if s == sex),
            )
        add(indicator, "", sum(data.population.values()))
        return out
    places, occupied = _indicator(PLACES), _indicator(OCCUPIED)
    for kind in FACILITY_LABELS:
        items = {name: v for (k, name), v in data.facilities.items() if k == kind}
        if not items:
            continue
        add(places, f"art={kind}", sum(v[0] for v in items.values()))
        add(occupied, f"art={kind}", sum(v[1] for v in items.values()))
        for name, (total, used) in sorted(items.items()):
            add(places, f"art={kind};einrichtung={name}", total)
            add(occupied, f"art={kind};einrichtung={name}", used)
    return out


def register_upload_create(
    *, user: Any, ags: str, kind: str, file_name: str, data: bytes
) -> RegisterUpload:
    """Check and store an upload; the same kind and Stichtag of this municipality is replaced.

    Raises :class:`PermissionDenied`, :class:`NotFound` or :class:`RegisterUploadRejected`
    (line-level German messages; nothing stored).
    """
    if not can("upload_register_data", user, ags):
        raise PermissionDenied()
    unit = municipality_unit(ags)
    if kind not in RegisterKind.values:
        raise InvalidInput(_("Unbekannte Art der Registerdaten."), fields={"kind": kind[:30]})
    try:
        validate_upload(SimpleUploadedFile(file_name, data))
        if not file_name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Bitte eine CSV- oder XLSX-Datei hochladen."))
    except ValidationError as exc:
        raise RegisterUploadRejected([(None, " ".join(exc.messages))]) from None
    sha = hashlib.sha256(data).hexdigest()
    try:
        parsed = parse_register_file(kind, file_name, data, ags=ags)
    except RegisterFileError as exc:
        audit_log(
            action="datapool.register.rejected",
            actor=user,
            obj=unit,
            payload={
                "ags": ags,
                "kind": kind,
                "file": file_name,
                "sha256": sha,
                "errors": len(exc.errors),
            },
        )
        raise RegisterUploadRejected(exc.errors) from None
    with transaction.atomic():
        lock_pool()
        previous = RegisterUpload.objects.filter(
            unit=unit, kind=kind, reference_date=parsed.reference_date
        ).first()
        replaced = previous.pk if previous else None
        if previous is not None:
            previous.delete()
        upload = RegisterUpload.objects.create(
            unit=unit,
            kind=kind,
            reference_date=parsed.reference_date,
            file_name=file_name[:255],
            sha256=sha,
            rows=parsed.rows,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        insert_rows(Value, _FIELDS, _rows(upload, parsed))
        audit_log(
            action="datapool.register.uploaded",
            actor=user,
            obj=upload,
            payload={
                "ags": ags,
                "kind": kind,
                "reference_date": parsed.reference_date,
                "rows": parsed.rows,
                "sha256": sha,
                "replaced_upload": replaced,
            },
        )
    return upload


def register_upload_publish(*, user: Any, upload: RegisterUpload, publish: bool) -> RegisterUpload:
    """Publish (``publish=True``) or withdraw the values of ``upload``."""
    if not can("publish_register_data", user, upload.unit.code):
        raise PermissionDenied()
    with transaction.atomic():
        upload = RegisterUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.is_published == publish:
            return upload
        upload.is_published = publish
        upload.published_at = timezone.now() if publish else None
        upload.save(update_fields=["is_published", "published_at"])
        upload.values.update(is_private=not publish)
        audit_log(
            action="datapool.register.published" if publish else "datapool.register.withdrawn",
            actor=user,
            obj=upload,
            payload={
                "ags": upload.unit.code,
                "kind": upload.kind,
                "reference_date": upload.reference_date,
            },
        )
    return upload


def register_upload_delete(*, user: Any, upload: RegisterUpload) -> None:
    if not can("upload_register_data", user, upload.unit.code):
        raise PermissionDenied()
    with transaction.atomic():
        audit_log(
            action="datapool.register.deleted",
            actor=user,
            obj=upload,
            payload={
                "ags": upload.unit.code,
                "kind": upload.kind,
                "reference_date": upload.reference_date,
                "rows": upload.rows,
            },
        )
        upload.delete()
