"""The municipality's register data page: templates, upload, publish/withdraw, delete.

Only the municipality's staff (per-AGS grant) and site admins; anonymous visitors are sent to
the login, everybody else gets 403. Rejected files show every problem with its line (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortswandel.core.errors import NotFound, PermissionDenied

from .forms import RegisterUploadForm
from .models import RegisterKind, RegisterUpload, SpatialUnit
from .register_templates import template_file
from .rules import can
from .services.register import (
    RegisterUploadRejected,
    municipality_unit,
    register_upload_create,
    register_upload_delete,
    register_upload_publish,
)

ACTIONS = ("veroeffentlichen", "zurueckziehen", "loeschen")


def _unit_for(request: HttpRequest, ags: str) -> SpatialUnit:
    unit = municipality_unit(ags)
    if not can("upload_register_data", request.user, ags):
        raise PermissionDenied()
    return unit


@login_required
def register_page(request: HttpRequest, ags: str) -> HttpResponse:
    unit = _unit_for(request, ags)
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int | None, str]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                saved = register_upload_create(
                    user=request.user,
                    ags=ags,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name or "",
                    data=upload.read(),
                )
            except RegisterUploadRejected as exc:
                errors, status = exc.errors, 400
            else:
                messages.success(
                    request,
                    _(
                        "%(kind)s zum Stichtag %(date)s übernommen (%(rows)d Zeilen). Die Daten "
                        "sind nicht öffentlich, bis Sie sie veröffentlichen."
                    )
                    % {
                        "kind": saved.get_kind_display(),
                        "date": f"{saved.reference_date:%d.%m.%Y}",
                        "rows": saved.rows,
                    },
                )
                return redirect(reverse("datapool:register", kwargs={"ags": ags}))
        else:
            status = 400
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "errors": errors,
        "uploads": RegisterUpload.objects.filter(unit=unit).select_related("uploaded_by"),
        "kinds": RegisterKind.choices,
    }
    return render(request, "datapool/register.html", context, status=status)


@login_required
def register_template(request: HttpRequest, ags: str, kind: str, fmt: str) -> HttpResponse:
    unit = _unit_for(request, ags)
    if kind not in RegisterKind.values or fmt not in ("csv", "xlsx"):
        raise NotFound()
    content, content_type, filename = template_file(kind, fmt, ags=unit.code, name=unit.name)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def register_action(request: HttpRequest, ags: str, pk: int, action: str) -> HttpResponse:
    unit = _unit_for(request, ags)
    if action not in ACTIONS:
        raise NotFound()
    upload = get_object_or_404(RegisterUpload, pk=pk, unit=unit)
    if action == "loeschen":
        register_upload_delete(user=request.user, upload=upload)
        messages.success(request, _("Die Daten wurden gelöscht."))
    else:
        publish = action == "veroeffentlichen"
        register_upload_publish(user=request.user, upload=upload, publish=publish)
        messages.success(
            request,
            _("Die Daten sind jetzt öffentlich.")
            if publish
            else _("Die Daten sind nicht mehr öffentlich."),
        )
    return redirect(reverse("datapool:register", kwargs={"ags": ags}))
