"""The chair's meeting table (Jurysitzung): the ranking of :func:`selectors.ranking`, formatted
and its rows rendered (as HTML) once per call version, and cached with
:func:`ortswandel.core.cache.versioned` (also in this process: no unpickling per request).

What is cached is the same for every viewer: the aggregates (ranks, means, spreads, the
leave-one-out sensitivity), decisions, notes and the rendered ``<tr>`` of every application.
The view filters per viewer afterwards (:meth:`MeetingTable.visible_to`): a chair with a conflict
sees neither that application's row nor its title in the sensitivity list.

The key holds the call's version token (:mod:`ortswandel.calls.versions`), the phase, the
language and the time zone (decimal separator, labels, times of notes). Every service that
changes what the table shows bumps the version on commit: ``review_save`` (scores, submission),
``conflict_declare``, ``decision_take``, ``note_add``, ``assignment_auto``,
``application_submit``, ``application_withdraw``, ``reserve_promote``, ``call_set_phase`` (and
``decisions_announce`` through it), ``criteria_add_defaults`` and the call's admin (criteria,
weights, scale). Names of municipalities come from the register and are refreshed when the entry
expires (:data:`TIMEOUT`).

Why cache at all: the page for 200 applications × 10 jurors costs ~50 ms to build (queries, the
aggregation with sensitivity, 200 template rows), and the chair reloads it after every decision
and note of a meeting; the cached page costs a few milliseconds and allocates little, which also
keeps the garbage collector's full collections (the slow tail) rare.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ortswandel.core.cache import versioned

from . import selectors
from .aggregation import Row
from .models import Call, CallPhase, Outcome
from .selectors import RankedApplication
from .versions import call_version_key

#: Seconds an entry lives at most (bounds what another process, with its own per-process cache,
#: may serve after a change it did not see; with a shared cache the version token is seen at once).
TIMEOUT = 300


@dataclass(frozen=True, slots=True)
class MeetingRow:
    pk: int
    title: str
    municipality: str
    rank: str
    mean: str
    outcome: str  # the decision's outcome ("" when undecided)
    reason: str
    html: str  # the rendered <tr>


@dataclass(frozen=True, slots=True)
class MeetingTable:
    rows: tuple[MeetingRow, ...]
    #: (juror, ((application pk, title), …)) whose absence changes the first ``top`` places
    sensitivity: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]
    top: int

    def visible_to(
        self, hidden: Iterable[int]
    ) -> tuple[list[MeetingRow], list[tuple[str, list[str]]]]:
        """Rows and sensitivity without the applications in ``hidden`` (the viewer's conflicts)."""
        hide = frozenset(hidden)
        if not hide:
            rows = list(self.rows)
            return rows, [(j, [t for _pk, t in apps]) for j, apps in self.sensitivity]
        rows = [r for r in self.rows if r.pk not in hide]
        sensitivity = []
        for juror, apps in self.sensitivity:
            titles = [t for pk, t in apps if pk not in hide]
            if titles:
                sensitivity.append((juror, titles))
        return rows, sensitivity

    @staticmethod
    def tbody(rows: Iterable[MeetingRow]) -> SafeString:
        # Each row's HTML was rendered (and escaped) by the template.
        return mark_safe("".join(r.html for r in rows))  # noqa: S308


def _num(value: float | None, sep: str) -> str:
    return f"{value:.2f}".replace(".", sep) if value is not None else "–"


class _Labels:
    """The translated words of the rows, looked up once per build."""

    def __init__(self) -> None:
        self.without = _("ohne")
        self.dissent = escape(_("Dissens"))
        self.decide = escape(_("entscheiden"))
        self.outcomes = {value: escape(label) for value, label in Outcome.choices}
        self.sep = str(get_format("DECIMAL_SEPARATOR"))


def _row_html(
    row: Row,
    app: RankedApplication,
    *,
    url: str,
    rank: str,
    mean: str,
    moves: str,
    outstanding: int,
    decided: bool,
    labels: _Labels,
) -> str:
    """The ``<tr>`` of one application. Built here rather than by a template loop: 200 rows
    through the template engine cost ~25 ms, this ~1 ms; every text from the database or the
    jury is escaped."""
    sep = labels.sep
    title = escape(app.title)
    html = [
        f'<tr id="bewerbung-{app.pk}"><td>{escape(rank)}</td>'
        f'<th scope="row"><a href="{escape(url)}">{title}</a>'
        f'<br><span class="muted">{escape(app.municipality)}</span>'
    ]
    if moves:
        html.append(f'<br><span class="muted">{escape(moves)}</span>')
    html.append(f"</th><td>{mean}</td><td>{_num(row.median, sep)}</td><td>{_num(row.spread, sep)}")
    if row.disagreement:
        html.append(f' <strong class="flag">{labels.dissent}</strong>')
    html.append(f"</td><td>{' · '.join(_num(v, sep) for v in row.scores.values())}")
    if outstanding:
        text = ngettext(
            "%(n)s zugeteiltes Gutachten offen", "%(n)s zugeteilte Gutachten offen", outstanding
        ) % {"n": outstanding}
        html.append(f' <span class="muted">({escape(text)})</span>')
    html.append("</td><td>")
    if app.outcome:
        label = labels.outcomes.get(app.outcome, escape(app.outcome))
        html.append(f"<strong>{label}</strong>: {escape(app.reason)}")
    if not decided:
        html.append(
            f' <a href="?bewerbung={app.pk}#entscheiden">{labels.decide}'
            f'<span class="visually-hidden"> – {title}</span></a>'
        )
    for created_at, text in app.notes:
        html.append(
            f'<br><span class="muted">{timezone.localtime(created_at):%H:%M}: {escape(text)}</span>'
        )
    html.append("</td></tr>\n")
    return "".join(html)


def _build(call: Call) -> MeetingTable:
    result = selectors.ranking(call)
    detail = reverse("calls:application_detail", kwargs={"pk": 0})
    labels = _Labels()
    decided = call.phase == CallPhase.DECIDED
    jurors = {pk: str(j) for pk, j in result.jurors.items()}
    rows = []
    for row in result.rows:
        app = result.applications[row.application]
        rank = "–" if row.rank is None else f"{row.rank}{' =' if row.tied else ''}"
        mean = _num(row.mean, labels.sep)
        moves = "; ".join(
            f"{labels.without} {jurors[j]}: {r or '–'}" for j, r in sorted(row.rank_without.items())
        )
        html = _row_html(
            row,
            app,
            url=detail.replace("/0/", f"/{app.pk}/"),
            rank=rank,
            mean=mean,
            moves=moves,
            outstanding=result.outstanding.get(app.pk, 0),
            decided=decided,
            labels=labels,
        )
        rows.append(
            MeetingRow(
                pk=app.pk,
                title=app.title,
                municipality=app.municipality,
                rank=rank,
                mean=mean,
                outcome=app.outcome or "",
                reason=app.reason,
                html=html,
            )
        )
    sensitivity = tuple(
        (jurors[j], tuple((pk, result.applications[pk].title) for pk in apps))
        for j, apps in sorted(result.sensitivity.items())
    )
    return MeetingTable(rows=tuple(rows), sensitivity=sensitivity, top=result.top)


def meeting_table(call: Call) -> MeetingTable:
    """The cached table of ``call`` for the active language and time zone."""
    return versioned(
        "calls:meeting",
        lambda: _build(call),
        versions=[call_version_key(call.pk)],
        parts=[
            call.pk,
            call.phase,
            call.scale_max,
            translation.get_language(),
            timezone.get_current_timezone_name(),
        ],
        timeout=TIMEOUT,
        local=True,
    )
