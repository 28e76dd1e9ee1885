"""Demo content for events: the real 2020 autumn conference series of „Kommunen innovativ“ (past,
with documentation) and clearly marked fictitious upcoming events with open registration.

``load(*, stdout=None)`` is idempotent (rows are matched by slug) and is called by the
``load_demo_content`` command after the catalogue demo. Facts about the 2020 series follow the
public announcements (FONA/BMBF, kommunen-innovativ.de, innovationsplattform-zukunftsstadt.de,
ILS); what is not documented there is marked as approximate or left empty.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ortswandel.catalogue.models import Programme, Theme, ThemeKind
from ortswandel.core.models import PublicationStatus

from .models import (
    AgendaItem,
    Event,
    EventFormat,
    EventKind,
    EventSeries,
    Material,
    MaterialKind,
    Question,
    QuestionKind,
)

BERLIN = ZoneInfo("Europe/Berlin")
PROGRAMME_SLUG = "kommunen-innovativ"
PROGRAMME_SITE = "https://kommunen-innovativ.de/"

SERIES_DESCRIPTION = (
    "<p>„Was macht Kommunen innovativ?“ war die Leitfrage der Abschlussveranstaltungen der "
    "BMBF-Fördermaßnahme „Kommunen innovativ“. Wegen der Corona-Pandemie fand die zunächst für "
    "Mai 2020 geplante Abschlusskonferenz als Online-Veranstaltungsreihe statt: vom 28.10. bis "
    "08.12.2020 im wöchentlichen Turnus – ein Auftakt und sechs thematische Veranstaltungen, "
    "orientiert an den sechs Kernbotschaften der Fördermaßnahme. Ausgewählte Verbundvorhaben "
    "stellten ihre Ergebnisse, Modelle und erprobten Instrumente vor.</p>"
    "<p>Die Teilnahme war kostenfrei; die Anmeldung war online bis jeweils eine Woche vor "
    "Veranstaltungsbeginn möglich. Die Zugangsdaten wurden vor jeder Veranstaltung per E-Mail "
    "verschickt. Laut Rückblick der Fördermaßnahme nahmen insgesamt über 800 Personen teil; die "
    "Veranstaltungen sind als Videodokumentation auf der Website der Fördermaßnahme abrufbar.</p>"
    "<p>Quellen: Ankündigungen auf fona.de und innovationsplattform-zukunftsstadt.de, Einladung "
    "auf kommunen-innovativ.de, Rückblick auf zukunftsstadt-stadtlandplus.de.</p>"
)

#: The six core messages in the order of the BMBF announcement (FONA).
CORE_MESSAGES = [
    ("daseinsvorsorge-sichern", "Daseinsvorsorge sichern!"),
    ("innen-entwickeln", "Innen entwickeln!"),
    ("allianzen-bilden", "Allianzen bilden!"),
    ("vielfalt-leben", "Vielfalt leben!"),
    ("interkommunal-agieren", "Interkommunal agieren!"),
    ("experimente-wagen", "Experimente wagen!"),
]
#: Approximate dates: weekly after the opening on 28.10.2020; the series ended on 08.12.2020.
APPROX_DATES = [
    date(2020, 11, 4),
    date(2020, 11, 11),
    date(2020, 11, 18),
    date(2020, 11, 25),
    date(2020, 12, 2),
    date(2020, 12, 8),
]
APPROX_NOTE = (
    "Termin laut Reihenplan angenähert (wöchentlicher Turnus bis 08.12.2020); genaues Datum, "
    "Reihenfolge und Uhrzeit nicht überliefert"
)


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _norm(name: str) -> str:
    return name.lower().replace("!", "").replace("„", "").replace("“", "").strip()


def _core_message_themes(programme: Programme) -> dict[str, Theme]:
    themes = Theme.objects.filter(programme=programme, kind=ThemeKind.CORE_MESSAGE)
    return {_norm(theme.name): theme for theme in themes}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def _event(slug: str, **fields: Any) -> Event:
    event, _created = Event.objects.update_or_create(slug=slug, defaults=fields)
    return event


def _questions(event: Event, specs: list[dict[str, Any]]) -> None:
    for position, spec in enumerate(specs):
        Question.objects.update_or_create(
            event=event, label=spec["label"], defaults={**spec, "position": position}
        )


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if programme is None:
        programme = Programme.objects.filter(status=PublicationStatus.PUBLISHED).first()
        if programme is None:
            _say(stdout, "events demo: no programme found – skipped")
            return
        _say(stdout, f"events demo: programme {PROGRAMME_SLUG!r} missing, using {programme.slug!r}")
    else:
        _load_autumn_conference(programme, stdout)
    _load_upcoming_demo(programme, stdout)


def _load_autumn_conference(programme: Programme, stdout: TextIO | None) -> None:
    themes = _core_message_themes(programme)
    series, _ = EventSeries.objects.update_or_create(
        slug="herbst-konferenz-2020",
        defaults={
            "programme": programme,
            "title": "Herbst-Konferenz 2020 — Was macht Kommunen innovativ?",
            "summary": (
                "Online-Veranstaltungsreihe der BMBF-Fördermaßnahme „Kommunen innovativ“ vom "
                "28.10. bis 08.12.2020 im wöchentlichen Turnus: Auftakt und sechs thematische "
                "Veranstaltungen entlang der Kernbotschaften. Kostenfrei, mit Online-Anmeldung "
                "bis eine Woche vor der jeweiligen Veranstaltung."
            ),
            "description": SERIES_DESCRIPTION,
            "status": PublicationStatus.PUBLISHED,
            "is_demo": False,
        },
    )
    series.themes.set(themes.values())
    common = {
        "programme": programme,
        "series": series,
        "format": EventFormat.ONLINE,
        "status": PublicationStatus.PUBLISHED,
        "registration_enabled": True,
        "organiser": "BMBF-Fördermaßnahme „Kommunen innovativ“",
        "is_demo": False,
        "online_url": "",
    }
    opening = _event(
        "herbst-konferenz-2020-auftakt",
        title="Was macht Kommunen innovativ? – Auftakt der Herbst-Konferenz 2020",
        kind=EventKind.CONFERENCE,
        summary=(
            "Eröffnungsveranstaltung mit einer Keynote von Prof. Dr. Harald Welzer, Reflexionen "
            "der Keynote-Sprecherinnen und -Sprecher der Jahre 2016–2019 und einer Vorstellung "
            "der Ergebnisse und Erkenntnisse aus „Kommunen innovativ“."
        ),
        starts_at=_at(date(2020, 10, 28), 9, 30),
        ends_at=_at(date(2020, 10, 28), 12, 30),
        time_unknown=False,
        schedule_note="",
        registration_closes_at=_at(date(2020, 10, 21), 23, 59),
        **common,
    )
    AgendaItem.objects.filter(event=opening).delete()
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                event=opening, position=1, title="Keynote", speakers="Prof. Dr. Harald Welzer"
            ),
            AgendaItem(
                event=opening,
                position=2,
                title="Reflexionen: Was macht Kommunen innovativ?",
                speakers=(
                    "Prof. Dr. Gesine Schwan, Prof. Dr. Dr. Ortwin Renn, "
                    "Prof. Dr. Stefan Siedentop, Prof. Dr. Uwe Schneidewind"
                ),
            ),
            AgendaItem(
                event=opening,
                position=3,
                title="Vorstellung der Ergebnisse und Erkenntnisse aus „Kommunen innovativ“",
            ),
        ]
    )
    events = [opening]
    for (slug, name), day in zip(CORE_MESSAGES, APPROX_DATES, strict=True):
        event = _event(
            f"herbst-konferenz-2020-{slug}",
            title=f"{name} – Herbst-Konferenz 2020",
            kind=EventKind.SPECIALIST,
            summary=(
                f"Thematische Online-Veranstaltung zur Kernbotschaft „{name}“: Ausgewählte "
                "Verbundvorhaben geben Einblick in ihre Ergebnisse, Modelle und erprobten "
                "Instrumente."
            ),
            starts_at=_at(day, 0, 0),
            ends_at=_at(day, 23, 59),
            time_unknown=True,
            schedule_note=APPROX_NOTE,
            registration_closes_at=None,
            **common,
        )
        theme = themes.get(_norm(name))
        event.themes.set([theme] if theme else [])
        events.append(event)
    for event in events:
        Material.objects.update_or_create(
            event=event,
            kind=MaterialKind.RECORDING,
            defaults={
                "title": "Videodokumentation auf der Website der Fördermaßnahme",
                "url": PROGRAMME_SITE,
                "position": 0,
            },
        )
    if opening.themes.count() == 0 and themes:
        opening.themes.set(themes.values())
    _say(stdout, f"events demo: series {series.slug} with {len(events)} events")


def _load_upcoming_demo(programme: Programme, stdout: TextIO | None) -> None:
    today = timezone.localdate()
    series, _ = EventSeries.objects.update_or_create(
        slug="demo-werkstattreihe",
        defaults={
            "programme": programme,
            "title": "Werkstattreihe Zukunftsfähige Kommunen (Demo)",
            "summary": (
                "Fiktive Demo-Reihe zum Ausprobieren: Melden Sie sich in einem Schritt für "
                "mehrere Termine an. Keine echte Veranstaltung."
            ),
            "status": PublicationStatus.PUBLISHED,
            "is_demo": True,
        },
    )
    common = {
        "programme": programme,
        "status": PublicationStatus.PUBLISHED,
        "registration_enabled": True,
        "is_demo": True,
        "organiser": "Demo-Veranstalter (fiktiv)",
        "time_unknown": False,
        "schedule_note": "",
        "registration_closes_at": None,
    }
    network = _event(
        "demo-netzwerktreffen-daseinsvorsorge",
        title="Online-Netzwerktreffen Daseinsvorsorge (Demo)",
        kind=EventKind.NETWORK,
        format=EventFormat.ONLINE,
        series=series,
        summary=(
            "Fiktive Demo-Veranstaltung mit nur drei Plätzen – zum Ausprobieren von Anmeldung, "
            "Double-Opt-in, Warteliste und Nachrücken."
        ),
        starts_at=_at(today + timedelta(days=10), 14, 0),
        ends_at=_at(today + timedelta(days=10), 15, 30),
        capacity=3,
        online_url="https://meet.example.org/demo-netzwerktreffen",
        venue_name="",
        venue_address="",
        **common,
    )
    _questions(
        network,
        [
            {
                "kind": QuestionKind.TEXT,
                "label": "Welche Frage bringen Sie mit?",
                "required": False,
                "help_text": "",
                "choices": "",
            }
        ],
    )
    hybrid = _event(
        "demo-fachveranstaltung-interkommunal",
        title="Fachveranstaltung Interkommunale Kooperation (Demo)",
        kind=EventKind.SPECIALIST,
        format=EventFormat.HYBRID,
        series=series,
        summary="Fiktive hybride Demo-Veranstaltung ohne Platzbegrenzung.",
        starts_at=_at(today + timedelta(days=45), 10, 0),
        ends_at=_at(today + timedelta(days=45), 16, 0),
        capacity=None,
        online_url="https://meet.example.org/demo-fachveranstaltung",
        venue_name="Demo-Tagungsort (fiktiv)",
        venue_address="Musterstraße 1, 00000 Musterstadt (fiktiv)",
        **common,
    )
    workshop = _event(
        "demo-werkstatt-innenentwicklung",
        title="Werkstatt Innenentwicklung: Leerstand aktivieren (Demo)",
        kind=EventKind.WORKSHOP,
        format=EventFormat.ONSITE,
        series=None,
        summary="Fiktive Demo-Werkstatt vor Ort mit Anmeldefragen.",
        starts_at=_at(today + timedelta(days=21), 10, 0),
        ends_at=_at(today + timedelta(days=21), 16, 0),
        capacity=25,
        online_url="",
        venue_name="Demo-Rathaus (fiktiv)",
        venue_address="Marktplatz 1, 00000 Musterstadt (fiktiv)",
        **common,
    )
    _questions(
        workshop,
        [
            {
                "kind": QuestionKind.CHOICE,
                "label": "Verpflegung",
                "choices": "vegetarisch\nvegan\nmit Fleisch\nkeine",
                "required": True,
                "help_text": "",
            },
            {
                "kind": QuestionKind.CONSENT,
                "label": "Ich bin einverstanden, dass während der Werkstatt fotografiert wird.",
                "choices": "",
                "required": True,
                "help_text": "Die Fotos dienen der Dokumentation (Demo-Frage).",
            },
        ],
    )
    AgendaItem.objects.filter(event=workshop).delete()
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                event=workshop,
                position=1,
                starts_at=time(10),
                ends_at=time(10, 30),
                title="Ankommen und Begrüßung",
                speakers="Demo-Moderation",
            ),
            AgendaItem(
                event=workshop,
                position=2,
                starts_at=time(10, 30),
                ends_at=time(12, 30),
                title="Arbeitsgruppen: Leerstand erfassen und aktivieren",
            ),
            AgendaItem(
                event=workshop,
                position=3,
                starts_at=time(13, 30),
                ends_at=time(16),
                title="Ergebnisse und nächste Schritte",
            ),
        ]
    )
    core = _core_message_themes(programme)
    for event, key in (
        (network, "daseinsvorsorge sichern"),
        (hybrid, "interkommunal agieren"),
        (workshop, "innen entwickeln"),
    ):
        theme = core.get(key)
        event.themes.set([theme] if theme else [])
    _say(stdout, "events demo: 3 upcoming demo events with open registration")
