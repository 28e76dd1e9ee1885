"""Applicant side: create a draft, save (autosave), submit, withdraw, attachments.

The submission period is enforced here (server time, shown in Europe/Berlin): a draft can be
created, changed and submitted only while the call is open. Every status change is audited in
the same transaction; mails go out through the core mail queue after the commit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ortswandel.accounts.roles import staff_municipality_ids
from ortswandel.calls.formspec import clean_answers, clean_budget, eligibility_errors, field_specs
from ortswandel.calls.models import Application, ApplicationStatus, Attachment, Call
from ortswandel.calls.predicates import may
from ortswandel.calls.versions import bump_call
from ortswandel.core import notifications, site
from ortswandel.core.audit import audit_log, model_diff
from ortswandel.core.errors import Conflict, PermissionDenied, Unprocessable
from ortswandel.core.typing import ActingUser, account_of
from ortswandel.core.validators import extension_of, validate_upload
from ortswandel.municipalities.models import Municipality

#: Statuses an applicant may withdraw from.
WITHDRAWABLE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.RESERVE,
)


def _local(value: Any) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def check_open(call: Call) -> None:
    now = timezone.now()
    if now < call.opens_at:
        raise Conflict(
            _("Die Einreichung beginnt am %(t)s.") % {"t": _local(call.opens_at)},
            code="call_not_open",
        )
    if now >= call.closes_at or not call.is_open(now):
        raise Conflict(
            _("Die Einreichungsfrist ist am %(t)s abgelaufen.") % {"t": _local(call.closes_at)},
            code="call_closed",
        )


def _check_applicant(application: Application, user: ActingUser | None) -> None:
    if user is None or not may(user, "calls.change_application", application):
        raise PermissionDenied()


def _other_applications(application: Application) -> int:
    return (
        Application.objects.filter(
            call_id=application.call_id, municipality_id=application.municipality_id
        )
        .exclude(pk=application.pk)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .count()
    )


def application_create(
    *, call: Call, municipality: Municipality, title: str, acting_user: ActingUser
) -> Application:
    """A draft for ``municipality``; the acting user must be staff of it."""
    user = account_of(acting_user)
    allowed = staff_municipality_ids(acting_user)
    if user is None:
        raise PermissionDenied()
    if allowed is not None and municipality.pk not in allowed:
        raise PermissionDenied(
            _("Sie können nur für eine Kommune bewerben, für die Sie freigeschaltet sind.")
        )
    title = " ".join((title or "").split())
    if not title:
        raise Unprocessable(
            _("Bitte geben Sie einen Titel an."), fields={"title": _("Pflichtfeld.")}
        )
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        check_open(call)
        if call.one_per_municipality and (
            Application.objects.filter(call=call, municipality=municipality)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .exists()
        ):
            raise Conflict(
                _("Für %(m)s gibt es bereits eine Bewerbung zu dieser Ausschreibung.")
                % {"m": municipality.name},
                code="duplicate_application",
            )
        application = Application.objects.create(
            call=call,
            municipality=municipality,
            applicant=user,
            title=title[:300],
            language=notifications.ui_language(),
        )
        audit_log(action="calls.application.created", actor=acting_user, obj=application)
    return application


def application_save(
    *,
    application: Application,
    acting_user: ActingUser,
    title: str,
    answers: dict[str, Any],
    budget: dict[str, Any],
    partners: str = "",
    co_municipalities: list[Municipality] | None = None,
    complete: bool = False,
) -> Application:
    """Save the draft (also autosave): never invalid, may be incomplete."""
    _check_applicant(application, acting_user)
    call = application.call
    answers_clean, errors = clean_answers(field_specs(call.form_fields), answers, complete=complete)
    budget_clean, budget_errors = clean_budget(
        budget,
        years=[int(y) for y in call.grant_years],
        own_share_min=call.own_share_min,
        max_grant=call.max_grant,
        complete=complete,
    )
    errors.update(budget_errors)
    title = " ".join((title or "").split())[:300]
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    if len(partners) > 3000:
        errors["partners"] = _("Höchstens %(n)s Zeichen.") % {"n": 3000}
    co = [m for m in (co_municipalities or []) if m.pk != application.municipality_id]
    if errors:
        raise Unprocessable(
            _("Bitte prüfen Sie die markierten Angaben (%(n)s).") % {"n": len(errors)},
            fields=errors,
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise Conflict(
                _("Eine eingereichte Bewerbung kann nicht mehr geändert werden."), code="not_draft"
            )
        check_open(call)
        before = {
            "title": locked.title,
            "answers": locked.answers,
            "budget": locked.budget,
            "partners": locked.partners,
        }
        locked.title, locked.answers, locked.budget, locked.partners = (
            title,
            answers_clean,
            budget_clean,
            partners.strip(),
        )
        locked.save(update_fields=["title", "answers", "budget", "partners", "updated_at"])
        if co_municipalities is not None:
            locked.co_municipalities.set(co)
        after = {
            "title": title,
            "answers": answers_clean,
            "budget": budget_clean,
            "partners": locked.partners,
        }
        diff = model_diff(before, after)
        if diff:
            audit_log(
                action="calls.application.saved",
                actor=acting_user,
                obj=locked,
                payload={"fields": sorted(diff)},
            )
    return locked


def submission_problems(application: Application) -> dict[str, str]:
    """Every reason why ``application`` cannot be submitted now (field → German message)."""
    call = application.call
    _answers, errors = clean_answers(
        field_specs(call.form_fields), application.answers, complete=True
    )
    _budget, budget_errors = clean_budget(
        application.budget,
        years=[int(y) for y in call.grant_years],
        own_share_min=call.own_share_min,
        max_grant=call.max_grant,
        complete=True,
    )
    errors.update(budget_errors)
    for i, message in enumerate(
        eligibility_errors(
            call, application.municipality, other_applications=_other_applications(application)
        )
    ):
        errors[f"eligibility_{i}"] = message
    return errors


def render_copy(application: Application) -> str:
    """The HTML copy of what was submitted (mail and archive)."""
    return render_to_string(
        "calls/_application_copy.html",
        {"application": application, "specs": field_specs(application.call.form_fields)},
    )


def application_submit(*, application: Application, acting_user: ActingUser) -> Application:
    _check_applicant(application, acting_user)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("call", "municipality")
            .get(pk=application.pk)
        )
        if locked.status != ApplicationStatus.DRAFT:
            raise Conflict(_("Diese Bewerbung ist bereits eingereicht."), code="not_draft")
        check_open(locked.call)
        problems = submission_problems(locked)
        if problems:
            raise Unprocessable(
                _("Die Bewerbung kann noch nicht eingereicht werden: %(n)s Punkte sind offen.")
                % {"n": len(problems)},
                code="not_eligible",
                fields=problems,
            )
        locked.status = ApplicationStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_copy = render_copy(locked)
        locked.language = notifications.ui_language()
        locked.save(
            update_fields=["status", "submitted_at", "submitted_copy", "language", "updated_at"]
        )
        bump_call(locked.call_id)
        audit_log(
            action="calls.application.submitted",
            actor=acting_user,
            obj=locked,
            payload={"status": ["draft", "submitted"]},
        )
        with translation.override(locked.language):
            pdf_link = site.absolute_url(reverse("calls:application_pdf", kwargs={"pk": locked.pk}))
            notifications.mail_queue(
                to=locked.applicant.email,
                subject=_("Eingangsbestätigung: %(t)s") % {"t": locked.title},
                body=render_to_string(
                    "calls/mail/submitted.txt", {"application": locked, "pdf_link": pdf_link}
                ),
                html_body=locked.submitted_copy
                + format_html(
                    '<p><a href="{}">{}</a></p>',
                    pdf_link,
                    _("Die Kopie als PDF herunterladen (nach der Anmeldung)"),
                ),
                kind="calls.submitted",
                language=locked.language,
                regarding=locked,
            )
    return locked


def application_withdraw(*, application: Application, acting_user: ActingUser) -> Application:
    """Withdraw; a selected application's grants are released and the first on the reserve
    list moves up (see :func:`ortswandel.calls.services.funding.reserve_promote`)."""
    from .funding import reserve_promote

    _check_applicant(application, acting_user)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in WITHDRAWABLE:
            raise Conflict(
                _("Diese Bewerbung kann nicht mehr zurückgezogen werden."), code="not_withdrawable"
            )
        before = locked.status
        locked.status = ApplicationStatus.WITHDRAWN
        locked.reserve_rank = None
        locked.save(update_fields=["status", "reserve_rank", "updated_at"])
        bump_call(locked.call_id)
        released = [str(g.amount) for g in locked.grants.all()]
        locked.grants.all().delete()
        audit_log(
            action="calls.application.withdrawn",
            actor=acting_user,
            obj=locked,
            payload={"status": [before, "withdrawn"], "released_grants": released},
        )
        if before == ApplicationStatus.SELECTED:
            reserve_promote(call=locked.call, acting_user=acting_user)
    return locked


def attachment_add(
    *, application: Application, acting_user: ActingUser, title: str, upload: Any
) -> Attachment:
    """Attach a file: type from the call's list, size within its limit, declared content type
    matching the extension and the magic bytes (core validators)."""
    _check_applicant(application, acting_user)
    call = application.call
    name = getattr(upload, "name", "") or ""
    extension = extension_of(name)
    allowed = [t.lower() for t in call.attachment_types] or ["pdf"]
    if extension not in allowed:
        raise Unprocessable(
            _("Dateityp „.%(ext)s“ ist für diese Ausschreibung nicht erlaubt (erlaubt: %(ok)s).")
            % {"ext": extension or "?", "ok": ", ".join(allowed)},
            fields={"file": _("Dateityp nicht erlaubt.")},
        )
    if (upload.size or 0) > call.attachment_max_mb * 1024 * 1024:
        raise Unprocessable(
            _("Die Datei ist zu groß (höchstens %(n)s MB).") % {"n": call.attachment_max_mb},
            fields={"file": _("Datei zu groß.")},
        )
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise Unprocessable(
            " ".join(exc.messages), fields={"file": " ".join(exc.messages)}
        ) from exc
    title = " ".join((title or name).split())[:200] or name[:200]
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise Conflict(
                _("Eine eingereichte Bewerbung kann nicht mehr geändert werden."), code="not_draft"
            )
        check_open(call)
        attachment = Attachment(application=locked, title=title, size=upload.size or 0)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_log(
            action="calls.attachment.added",
            actor=acting_user,
            obj=attachment,
            payload={"application": locked.pk, "name": name, "size": attachment.size},
        )
    return attachment


def attachment_delete(*, attachment: Attachment, acting_user: ActingUser) -> None:
    application = attachment.application
    _check_applicant(application, acting_user)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            raise Conflict(
                _("Eine eingereichte Bewerbung kann nicht mehr geändert werden."), code="not_draft"
            )
        audit_log(
            action="calls.attachment.deleted",
            actor=acting_user,
            obj=attachment,
            payload={"application": locked.pk},
        )
        attachment.delete()
