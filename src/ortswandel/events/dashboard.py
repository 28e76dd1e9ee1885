"""Dashboard panel of the events app (:mod:`ortswandel.core.dashboard`): a programme's upcoming
events with their registrations."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ortswandel.catalogue.models import Programme
from ortswandel.core import dashboard
from ortswandel.core.dashboard import Panel, PanelRow, Scope

from . import selectors


@dashboard.register_panel("events.upcoming", order=40)
def upcoming_events_panel(request: HttpRequest, scope: Scope) -> Panel | None:
    if not isinstance(scope.obj, Programme):
        return None
    events = (
        selectors.organiser_events(request.user)
        .filter(programme=scope.obj, starts_at__gte=timezone.now())
        .order_by("starts_at", "id")
    )
    rows = []
    for event in events[:6]:
        taken = event.seats_taken_count  # type: ignore[attr-defined]
        seats = (
            _("%(taken)s von %(capacity)s Plätzen belegt")
            % {"taken": taken, "capacity": event.capacity}
            if event.capacity
            else _("%(taken)s Anmeldungen") % {"taken": taken}
        )
        if event.waitlisted_count:  # type: ignore[attr-defined]
            seats += ", " + _("%(n)s auf der Warteliste") % {"n": event.waitlisted_count}  # type: ignore[attr-defined]
        when = formats.date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT")
        rows.append(
            PanelRow(
                label=f"{when} {event.title}",
                url=reverse("events:organiser_event", args=[event.slug]),
                detail=seats,
            )
        )
    return Panel(
        title=_("Kommende Veranstaltungen"),
        count=events.count(),
        rows=rows,
        empty_text=_("Keine kommenden Veranstaltungen."),
        more=(_("Alle Veranstaltungen"), reverse("events:organiser_dashboard")),
    )
