"""PDF documents of the calls app (layout: :mod:`ortswandel.core.pdf`).

* :func:`application_pdf` — the copy of what an applicant submitted: every answer of the call's
  form, the budget per year with the own share, co-applicants, partners, attachments (name and
  size) and the submission time (Europe/Berlin). With ``blind=True`` it hides exactly what the
  application page hides from jurors during blind review (municipality, applicant,
  co-applicants, partners, budget).
* :func:`grant_letter_pdf` — the programme's letter to the municipality of a selected application:
  grants per year, payments and reports due. :func:`grant_letters_zip` bundles the letters of a
  call, one PDF per municipality (each is sent to a different recipient).

Nothing here checks permissions: the views ask the rules first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ortswandel.core.pdf import Document, euro, local_datetime, plain, zip_bytes

from .formspec import _decimal, field_specs, requested_grant
from .models import Application, ApplicationStatus, Call, MilestoneKind

SOURCE = "Ortswandel"


def application_filename(application: Application) -> str:
    """Never the title or the municipality (the name must not reveal them in blind review)."""
    return f"bewerbung-{application.pk}.pdf"


def grant_letter_filename(application: Application) -> str:
    return f"foerderzusage-{application.municipality.ags}-{application.pk}.pdf"


def _answer(spec: Any, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if spec.kind == "number":
        number = _decimal(value)
        if number is not None:
            return number_format(number, force_grouping=True)
    return plain(value)


def budget_rows(application: Application) -> tuple[list[list[str]], list[str]]:
    """Rows ``(year, total, own, own share %, requested)`` and the sum row, as text."""
    rows: list[list[str]] = []
    sum_total, sum_own = Decimal(0), Decimal(0)
    budget = application.budget or {}
    years = [str(y) for y in application.call.grant_years] or sorted(budget)
    for year in years:
        row = budget.get(year) or {}
        total, own = _decimal(row.get("total")), _decimal(row.get("own"))
        share = (
            f"{(own / total * 100):.1f} %".replace(".", ",") if total and own is not None else ""
        )
        requested = euro(total - own) if total is not None and own is not None else "–"
        rows.append([year, euro(total), euro(own), share, requested])
        sum_total += total or 0
        sum_own += own or 0
    share = f"{(sum_own / sum_total * 100):.1f} %".replace(".", ",") if sum_total else ""
    total_row = [
        _("Summe"),
        euro(sum_total),
        euro(sum_own),
        share,
        euro(requested_grant(budget)),
    ]
    return rows, total_row


def application_pdf(application: Application, *, blind: bool, show_applicant: bool) -> bytes:
    """The submitted application as PDF. ``blind``: as jurors see it during blind review;
    ``show_applicant``: the applicant's e-mail address (the applicant's own copy)."""
    call = application.call
    if blind:
        title = _("Bewerbung %(n)s: %(title)s") % {"n": application.pk, "title": application.title}
    else:
        title = _("Bewerbung: %(title)s") % {"title": application.title}
    doc = Document(
        title=title,
        subject=_("Ausschreibung: %(call)s") % {"call": call.title},
        keywords=[_("Bewerbung"), call.title],
    )
    if application.submitted_at:
        submitted = _("eingereicht am %(time)s (Zeitzone Europe/Berlin)") % {
            "time": local_datetime(application.submitted_at)
        }
    else:
        submitted = _("Entwurf – noch nicht eingereicht")
    doc.title_block(
        title,
        [
            _("Ausschreibung: %(call)s (%(programme)s)")
            % {"call": call.title, "programme": call.programme.name},
            _("Status: %(status)s") % {"status": application.get_status_display()},
            submitted,
        ],
    )
    if blind:
        doc.paragraph(
            _("Verdeckte Begutachtung: Kommune und Antragstellende sind ausgeblendet."),
            muted=True,
        )
    else:
        facts = [
            (
                _("Kommune"),
                f"{application.municipality.name} (AGS {application.municipality.ags})",
            )
        ]
        if show_applicant:
            facts.append((_("Antragsteller/in"), application.applicant.email))
        co = [f"{m.name} (AGS {m.ags})" for m in application.co_municipalities.order_by("name")]
        facts.append((_("Mitantragstellende Kommunen"), ", ".join(co) or "–"))
        facts.append((_("Partner"), "\n".join(application.partner_list) or "–"))
        doc.facts(facts)
    doc.heading(_("Angaben"))
    specs = field_specs(call.form_fields)
    answers = application.answers or {}
    doc.facts([(spec.label, _answer(spec, answers.get(spec.key))) for spec in specs])
    if not blind:
        doc.heading(_("Finanzplan"))
        rows, total_row = budget_rows(application)
        doc.table(
            [
                _("Jahr"),
                _("Gesamtkosten"),
                _("Eigenanteil"),
                _("Eigenanteil (%)"),
                _("beantragte Förderung"),
            ],
            [*rows, total_row],
            widths=(16, 24, 24, 16, 26),
            numeric=(1, 2, 3, 4),
        )
        doc.paragraph(
            _("Eigenanteil mindestens %(min)s %%, Förderung höchstens %(max)s.")
            % {"min": f"{call.own_share_min:g}".replace(".", ","), "max": euro(call.max_grant)},
            muted=True,
            size=8,
        )
    attachments = list(application.attachments.all())
    doc.heading(_("Anlagen"))
    if attachments:
        doc.table(
            [_("Bezeichnung"), _("Datei"), _("Größe")],
            [
                [a.title, (a.file.name or "").rsplit("/", 1)[-1], filesizeformat(a.size)]
                for a in attachments
            ],
            widths=(45, 40, 15),
            numeric=(2,),
        )
    else:
        doc.paragraph(_("Keine Anlagen."))
    doc.source(
        _("%(site)s, Bewerbung Nr. %(n)s zur Ausschreibung „%(call)s“")
        % {"site": SOURCE, "n": application.pk, "call": call.title},
        as_of=timezone.now(),
    )
    return doc.output()


def _letter(doc: Document, application: Application) -> None:
    call = application.call
    programme = call.programme
    sender = programme.funder or programme.name
    municipality = application.municipality
    grants = sorted(application.grants.all(), key=lambda g: g.budget.year)
    milestones = list(application.milestones.all())
    title = _("Förderzusage: %(title)s") % {"title": application.title}
    doc.title_block(
        title,
        [
            _("Programm: %(programme)s") % {"programme": programme.name},
            _("Ausschreibung: %(call)s") % {"call": call.title},
            _("Förderkennzeichen: %(ref)s") % {"ref": f"{call.slug}/{application.pk}"},
            _("Datum: %(date)s") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
        ],
    )
    doc.facts(
        [
            (_("Von"), sender),
            (_("An"), f"{municipality.name} (AGS {municipality.ags})"),
        ]
    )
    doc.paragraph(_("Sehr geehrte Damen und Herren,"))
    doc.paragraph(
        _(
            "die Jury der Ausschreibung „%(call)s“ hat Ihre Bewerbung „%(title)s“ ausgewählt. "
            "Das Programm „%(programme)s“ fördert das Vorhaben mit den folgenden Zuwendungen."
        )
        % {"call": call.title, "title": application.title, "programme": programme.name}
    )
    doc.heading(_("Zuwendungen je Jahr"))
    total = sum((g.amount for g in grants), Decimal(0))
    if grants:
        doc.table(
            [_("Jahr"), _("Zuwendung")],
            [[str(g.budget.year), euro(g.amount)] for g in grants] + [[_("Summe"), euro(total)]],
            widths=(30, 40),
            numeric=(1,),
        )
    else:
        doc.paragraph(_("Die Zuwendungen sind noch nicht festgelegt."))
    doc.paragraph(
        _("Beantragt waren %(requested)s.")
        % {"requested": euro(requested_grant(application.budget))},
        muted=True,
        size=8,
    )
    doc.heading(_("Auszahlungen und Berichte"))
    if milestones:
        doc.table(
            [_("fällig am"), _("Art"), _("Bezeichnung"), _("Betrag")],
            [
                [
                    date_format(m.due_on, "SHORT_DATE_FORMAT"),
                    m.get_kind_display(),
                    m.label,
                    euro(m.amount) if m.amount is not None else "–",
                ]
                for m in milestones
            ],
            widths=(20, 22, 50, 22),
            numeric=(3,),
        )
        reports = [m for m in milestones if m.kind == MilestoneKind.REPORT]
        if reports:
            doc.paragraph(
                _("Bitte reichen Sie die Berichte bis zu den genannten Terminen ein."), size=9
            )
    else:
        doc.paragraph(_("Termine für Auszahlungen und Berichte folgen."))
    doc.paragraph(_("Mit freundlichen Grüßen"))
    doc.paragraph(sender)
    doc.source(
        _("%(site)s, Förderverwaltung der Ausschreibung „%(call)s“")
        % {"site": SOURCE, "call": call.title},
        as_of=timezone.now(),
    )


def _selected(call: Call) -> Any:
    return (
        Application.objects.filter(call=call, status=ApplicationStatus.SELECTED)
        .select_related("call__programme", "municipality")
        .prefetch_related("grants__budget", "milestones")
        .order_by("municipality__name", "pk")
    )


def grant_letter_pdf(application: Application) -> bytes:
    """The letter of one selected application."""
    doc = Document(
        title=_("Förderzusage: %(title)s") % {"title": application.title},
        subject=application.call.title,
        author=application.call.programme.funder or application.call.programme.name,
    )
    _letter(doc, application)
    return doc.output()


def selected_application(call: Call, pk: int) -> Application | None:
    return _selected(call).filter(pk=pk).first()


def grant_letters_zip(call: Call) -> bytes:
    """One PDF per selected application (sorted by municipality) in a ZIP archive."""
    return zip_bytes([(grant_letter_filename(a), grant_letter_pdf(a)) for a in _selected(call)])
