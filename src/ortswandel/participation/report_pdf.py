"""The final report of a participation process as PDF (layout: :mod:`ortswandel.core.pdf`).

The same content as the printable HTML report (``final_report.html``) and more that a paper
copy needs: the process and its phases, the key figures, the results with the ideas they came
from and their implementation status over time, the ideas with the moderation's feedback, and
the survey and participatory-budget results as tables. Survey results follow the rule of the
CSV download: after the end of the phase for everybody, earlier for the process's managers
(``manager=True``). Free-text answers never go into the PDF (only their number): a PDF
travels further than a page.

Nothing here checks permissions: the views ask the rules first.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ortswandel.core.pdf import Document, euro

from .accountability import report_figures
from .models import PhaseKind, Process, QuestionKind

SOURCE = "Beteiligungsplattform Ortswandel"


def report_filename(process: Process) -> str:
    return f"abschlussbericht-{process.slug}.pdf"


def _date(value: Any) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else "–"


def _figures(doc: Document, figures: dict[str, Any]) -> None:
    doc.heading(_("Kennzahlen"))
    rows = [
        [_("Teilnehmende"), figures["participants"]],
        [_("Ideen"), figures["ideas"]],
        [_("Kommentare"), figures["comments"]],
        [_("Stimmen"), figures["votes"]],
        [_("aufgegriffen"), figures["taken_up"]],
        [_("nicht aufgegriffen"), figures["not_taken_up"]],
        [_("Ergebnisse"), figures["outcomes"]],
    ]
    if figures.get("budget_total") is not None:
        rows.append([_("geschätzte Kosten aller Ideen"), euro(figures["budget_total"])])
    doc.table([_("Kennzahl"), _("Wert")], rows, widths=(60, 30), numeric=(1,))


def _phases(doc: Document, process: Process) -> None:
    doc.heading(_("Ablauf"))
    phases = list(process.phases.all())
    if not phases:
        doc.paragraph(_("Keine Phasen angelegt."))
        return
    doc.table(
        [_("Phase"), _("Art"), _("Beginn"), _("Ende")],
        [[p.name, p.get_kind_display(), _date(p.starts_at), _date(p.ends_at)] for p in phases],
        widths=(55, 40, 22, 22),
    )


def _outcomes(doc: Document, process: Process) -> None:
    doc.heading(_("Ergebnisse"))
    outcomes = list(process.outcomes.prefetch_related("ideas", "updates"))
    if not outcomes:
        doc.paragraph(_("Noch keine Ergebnisse."))
        return
    for outcome in outcomes:
        doc.heading(outcome.title, level=2)
        doc.facts(
            [
                (_("Umsetzungsstand"), outcome.get_status_display()),
                (_("Fortschritt"), f"{outcome.progress} %"),
            ]
        )
        doc.rich_text(outcome.description)
        ideas = [
            f"„{i.title}“" for i in outcome.ideas.all() if not i.is_hidden and not i.awaiting_review
        ]
        if ideas:
            doc.paragraph(_("Aus den Ideen:"), size=9)
            doc.bullets(ideas, size=9)
        history = sorted(outcome.updates.all(), key=lambda u: (u.created_at, u.pk))
        if history:
            doc.table(
                [_("Datum"), _("Status"), _("Fortschritt"), _("Anmerkung")],
                [
                    [_date(u.created_at), u.get_status_display(), f"{u.progress} %", u.note]
                    for u in history
                ],
                widths=(20, 28, 18, 70),
                numeric=(2,),
                caption=_("Umsetzungsstand im Zeitverlauf"),
            )


def _ideas(doc: Document, process: Process) -> None:
    doc.heading(_("Ideen und Rückmeldungen"))
    ideas = list(process.ideas.visible().order_by("-support_count", "pk")[:100])
    if not ideas:
        doc.paragraph(_("Keine Ideen."))
        return
    doc.table(
        [_("Idee"), _("Unterstützungen"), _("Rückmeldung")],
        [
            [
                i.title,
                i.support_count,
                i.get_feedback_status_display()
                + (f": {i.feedback_text}" if i.feedback_text else ""),
            ]
            for i in ideas
        ],
        widths=(55, 22, 80),
        numeric=(1,),
        caption=_("Ideen nach Unterstützung (höchstens 100)"),
    )


def _surveys(doc: Document, process: Process, *, manager: bool) -> None:
    from . import surveys

    phases = [p for p in process.phases.all() if p.kind in (PhaseKind.SURVEY, PhaseKind.BUDGET)]
    if not phases:
        return
    doc.heading(_("Umfragen und Bürgerhaushalt"))
    for phase in phases:
        doc.heading(f"{phase.name} ({phase.get_kind_display()})", level=2)
        if not manager and phase.state() != "past":
            doc.paragraph(_("Die Ergebnisse erscheinen nach dem Ende der Phase."), muted=True)
            continue
        if phase.state() != "past":
            doc.paragraph(_("Zwischenstand: die Phase läuft noch."), muted=True)
        if phase.kind == PhaseKind.BUDGET:
            rows = surveys.budget_results(phase)
            doc.table(
                [_("Vorschlag"), _("Stimmen"), _("Kosten"), _("finanziert")],
                [
                    [
                        r["idea"].title,
                        r["votes"],
                        euro(r["cost"]),
                        _("ja") if r["funded"] else _("nein"),
                    ]
                    for r in rows
                ],
                widths=(70, 20, 30, 20),
                numeric=(1, 2),
                caption=_("Budget: %(budget)s") % {"budget": euro(phase.budget)},
            )
            continue
        for result in surveys.survey_results(phase):
            question = result["question"]
            caption = f"{question.text} ({question.get_kind_display()})"
            if question.kind == QuestionKind.TEXT:
                doc.paragraph(caption, size=9)
                doc.paragraph(
                    _("Freitextantworten: %(n)s (nicht im Bericht veröffentlicht).")
                    % {"n": len(result["texts"])},
                    muted=True,
                    size=9,
                )
                continue
            count = _("Punkte") if question.kind == QuestionKind.RANKING else _("Anzahl")
            doc.table(
                [_("Antwort"), count, _("Anteil")],
                [
                    [label, n, f"{share:.1f} %".replace(".", ",")]
                    for label, n, share in result["rows"]
                ],
                widths=(80, 25, 25),
                numeric=(1, 2),
                caption=caption,
            )
        responses = phase.responses.count()
        doc.paragraph(_("Antworten insgesamt: %(n)s.") % {"n": responses}, muted=True, size=8)


def final_report_pdf(process: Process, *, manager: bool = False) -> bytes:
    """The final report; ``manager``: survey results also before the end of their phase."""
    figures = report_figures(process)
    title = _("Abschlussbericht: %(title)s") % {"title": process.title}
    municipality = process.municipality
    doc = Document(
        title=title,
        subject=_("Beteiligungsprozess in %(place)s") % {"place": municipality.name},
        keywords=[_("Bürgerbeteiligung"), municipality.name],
    )
    lines = [
        f"{municipality.name} (AGS {municipality.ags})",
        _("Stand: %(date)s; Quelle: %(source)s")
        % {"date": _date(figures["as_of"]), "source": SOURCE},
    ]
    if process.is_demo:
        lines.append(_("Demo-Daten"))
    doc.title_block(title, lines)
    doc.rich_text(process.description)
    _figures(doc, figures)
    _phases(doc, process)
    _outcomes(doc, process)
    _ideas(doc, process)
    _surveys(doc, process, manager=manager)
    doc.source(process.source_note or SOURCE, as_of=figures["as_of"])
    return doc.output()
