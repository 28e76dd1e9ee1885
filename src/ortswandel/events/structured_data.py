"""schema.org ``Event`` as JSON-LD for event pages (public data only, never the online link)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from .models import Event, EventFormat
from .selectors import seats_left

_ATTENDANCE = {
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.ONSITE: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_json_ld(request: HttpRequest, event: Event) -> dict[str, Any]:
    page = request.build_absolute_uri(event.get_absolute_url())
    if event.time_unknown:
        start: str = timezone.localtime(event.starts_at).date().isoformat()
        end: str = timezone.localtime(event.ends_at).date().isoformat()
    else:
        start = timezone.localtime(event.starts_at).isoformat()
        end = timezone.localtime(event.ends_at).isoformat()
    locations: list[dict[str, Any]] = []
    if event.format in (EventFormat.ONLINE, EventFormat.HYBRID):
        # schema.org wants a URL here; we give the public page, never the meeting link.
        locations.append({"@type": "VirtualLocation", "url": page})
    if event.format in (EventFormat.ONSITE, EventFormat.HYBRID) and event.venue_name:
        locations.append(
            {"@type": "Place", "name": event.venue_name, "address": event.venue_address}
        )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page,
        "startDate": start,
        "endDate": end,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": _ATTENDANCE[EventFormat(event.format)],
        "isAccessibleForFree": True,
        "inLanguage": "de",
    }
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.summary:
        data["description"] = event.summary
    if event.organiser or event.programme_id:
        data["organizer"] = {
            "@type": "Organization",
            "name": event.organiser or str(event.programme),
        }
    if event.registration_enabled:
        seats = seats_left(event)
        if event.registration_is_open():
            available = "InStock" if seats is None or seats > 0 else "SoldOut"
        elif event.registration_opens_at and event.registration_opens_at > timezone.now():
            available = "PreOrder"
        else:
            available = "SoldOut"  # registration closed
        data["offers"] = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": page + "#anmeldung",
            "availability": f"https://schema.org/{available}",
            "validThrough": timezone.localtime(event.effective_closes_at).isoformat(),
        }
        if event.registration_opens_at:
            data["offers"]["validFrom"] = timezone.localtime(
                event.registration_opens_at
            ).isoformat()
    return data
