"""Demo content for events: the real 2020 autumn conference series of „Kommunen innovativ“ (past,
with agendas, speakers and the video documentation) and clearly marked fictitious upcoming events
with open registration.

``load(*, stdout=None)`` is idempotent (rows are matched by slug) and is called by the
``load_demo_content`` command after the catalogue demo. Facts about the 2020 series follow the
public announcements and programme pages (FONA/BMBF, kommunen-innovativ.de,
innovationsplattform-zukunftsstadt.de, ILS, zukunftsstadt-stadtlandplus.de); what is not
documented there (the exact day of „Innen entwickeln!“, times in the opening's agenda, the
capacity) is left empty or marked as not documented – nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ortswandel.catalogue.models import Programme, Project, Theme, ThemeKind
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
    "und Programmseiten der einzelnen Termine auf kommunen-innovativ.de, Rückblick auf "
    "zukunftsstadt-stadtlandplus.de.</p>"
)
DOCUMENTATION_URL = "https://kommunen-innovativ.de/was-macht-kommunen-innovativ-0"

#: Agenda rows: (start "HH:MM" or "", title, speakers, details). An item ends when the next one
#: starts; the last one ends with the event.
Agenda = list[tuple[str, str, str, str]]

TECH_INTRO = ("09:50", "Technische Einführung (optional)", "", "")


@dataclass(frozen=True)
class ThematicEvent:
    """One thematic event of the series, as announced on its programme page."""

    slug: str
    name: str  # the core message (Kernbotschaft), also the theme's name
    summary: str
    day: date | None  # None: the exact day is not documented
    agenda: Agenda = field(default_factory=list)
    moderation: str = ""
    projects: tuple[str, ...] = ()  # acronyms of catalogue projects that presented
    documentation_url: str = DOCUMENTATION_URL


#: The six thematic events in the order in which they took place (programme pages of
#: kommunen-innovativ.de: node/1309, node/1310, allianzen-bilden-0, vielfalt-leben-0,
#: interkommunal-agieren-0; the order of the retrospective on zukunftsstadt-stadtlandplus.de).
#: Each ran online from 10:00 to 12:30 with an optional technical introduction at 9:50.
THEMATIC_EVENTS: tuple[ThematicEvent, ...] = (
    ThematicEvent(
        slug="experimente-wagen",
        name="Experimente wagen!",
        summary=(
            "Neue Lösungen zu erproben ist ein Wagnis: Wie Partnerschaften zwischen Kommunen und "
            "Forschungseinrichtungen helfen, Lösungen gemeinsam zu entwickeln und umzusetzen – "
            "und welchen Mut, welche Freiräume und wie viel Zeit das vor Ort braucht."
        ),
        day=date(2020, 11, 4),
        agenda=[
            TECH_INTRO,
            (
                "10:00",
                "Begrüßung und inhaltliche Einführung",
                "Jan Abt und Julia Diringer, Deutsches Institut für Urbanistik (KomKomIn)",
                "",
            ),
            (
                "10:10",
                "Transformativ und transdisziplinär? Ein (nicht mehr) neuer Forschungsansatz für "
                "die Zukunft der Kommunen",
                "Dr. Jens Libbe, Deutsches Institut für Urbanistik (SynVer*Z)",
                "",
            ),
            (
                "10:35",
                "Kommune und Wissenschaft – neue Partnerschaften zwischen Stolpersteinen und "
                "Erfolgserlebnissen",
                "Jan Abt und Julia Diringer, Deutsches Institut für Urbanistik (KomKomIn)",
                "",
            ),
            (
                "11:00",
                "Der kommunale Blick zurück – Erfahrungsberichte aus der Zusammenarbeit von "
                "Kommune und Wissenschaft",
                "Annette Seitz, Landkreis Diepholz (TempALand); Angelika Sack, Landkreis "
                "Nienburg/Weser (KIF); Harriet Ellwein, Stadt Dortmund (KuDeQua)",
                "",
            ),
            (
                "11:20",
                "In der Reflexion: Kommentar",
                "Dr. Susanne Schön, inter 3 – Institut für Ressourcenmanagement",
                "",
            ),
            ("11:30", "Wie können wir mehr Experimente wagen? Vielfältige Perspektiven", "", ""),
        ],
        projects=("TempALand", "KIF", "KuDeQua"),
    ),
    ThematicEvent(
        slug="daseinsvorsorge-sichern",
        name="Daseinsvorsorge sichern!",
        summary=(
            "Neue Finanzierungs- und Organisationsformen, um Angebote und Einrichtungen der "
            "Daseinsvorsorge zu erhalten, wenn die Bevölkerung vor allem in ländlichen Kommunen "
            "deutlich zurückgeht."
        ),
        day=date(2020, 11, 11),
        agenda=[
            TECH_INTRO,
            (
                "10:00",
                "Begrüßung und inhaltliche Einführung",
                "Katrin Fahrenkrug, Institut Raum & Energie (KomKomIn)",
                "",
            ),
            (
                "10:15",
                "Daseinsvorsorge sichern! Schlaglichter auf Ergebnisse der Verbundvorhaben",
                "Prof. Dr. Frank Othengrafen, TU Dortmund (TempALand); Elke Dahlbeck und "
                "Dajana Schlieter, Institut Arbeit und Technik (KuDeQua); Thomas Eble, "
                "Regionalverband Ostwürttemberg (KOMOBIL2035)",
                "TempALand: Umgang mit multilokalen Lebensweisen · KuDeQua: Quartierslabore – "
                "bürgerschaftlich getragene Finanzierungs- und Organisationsmodelle · "
                "KOMOBIL2035: ehrenamtliche Mobilitätsangebote zur Sicherung der Erreichbarkeit "
                "von Daseinsvorsorgeangeboten",
            ),
            (
                "11:15",
                "Ein externer Blick: Erfolgsfaktoren zur Sicherung der Daseinsvorsorge",
                "Prof. Dr. Peter Dehne, Hochschule Neubrandenburg",
                "",
            ),
            (
                "11:30",
                "Daseinsvorsorge sichern und qualifizieren! Diskussionsrunde",
                "Thomas Eble, Prof. Dr. Peter Dehne",
                "",
            ),
        ],
        moderation="Katrin Fahrenkrug, Institut Raum & Energie (KomKomIn)",
        projects=("TempALand", "KuDeQua", "KOMOBIL2035"),
        documentation_url="https://kommunen-innovativ.de/dokumentation-daseinsvorsorge-sichern",
    ),
    ThematicEvent(
        slug="innen-entwickeln",
        name="Innen entwickeln!",
        summary=(
            "Stadtzentren und Ortskerne als lebendige Wohn- und Lebensorte stärken: Ergebnisse "
            "der Verbundvorhaben zur Innenentwicklung mit neuen Instrumenten."
        ),
        day=None,
    ),
    ThematicEvent(
        slug="allianzen-bilden",
        name="Allianzen bilden!",
        summary=(
            "Den Handlungsspielraum der Kommunen mit neuen Partnern erweitern: neue Bündnisse "
            "mit der lokalen Wirtschaft, der Zivilgesellschaft und den Menschen vor Ort."
        ),
        day=date(2020, 11, 24),
        agenda=[
            TECH_INTRO,
            (
                "10:00",
                "Begrüßung und inhaltliche Einführung",
                "Dr. Stephanie Bock und Jan Abt, Deutsches Institut für Urbanistik (KomKomIn)",
                "",
            ),
            (
                "10:20",
                "Allianzen mit unterschiedlichen Akteuren: Ergebnisse aus „Kommunen innovativ“",
                "Prof. Dr. Thomas Klie, Zentrum für zivilgesellschaftliche Entwicklung (KoDa_eG); "
                "Birgit Böhm, mensch und region (LAZIK N2030)",
                "KoDa_eG: Allianzen mit der engagierten Bürgerschaft – Genossenschaften als "
                "zukunftsweisendes Kooperationsformat · LAZIK N2030: Allianzen mit Jugendlichen – "
                "bewährte und neue Formate der Kooperation",
            ),
            (
                "11:30",
                "Blick von außen",
                "Dr. Lilian Schwalb, Bundesnetzwerk Bürgerschaftliches Engagement",
                "",
            ),
            (
                "11:40",
                "Wie können wir Allianzen bilden? Vielfältige Perspektiven (Diskussionsrunde)",
                "Birgit Böhm, mensch und region; Anita Burkhardt, Miteinander und Füreinander in "
                "der Gemeinde Neuweiler e.V.; Andi Grabner, Bürgermeister der Stadt "
                "Sandersdorf-Brehna; Prof. Dr. Thomas Klie, zze; Dr. Lilian Schwalb, BBE",
                "",
            ),
        ],
        moderation="Dr. Stephanie Bock, Deutsches Institut für Urbanistik",
        projects=("KoDa_eG", "LAZIKN2030"),
    ),
    ThematicEvent(
        slug="vielfalt-leben",
        name="Vielfalt leben!",
        summary=(
            "Die Chancen einer vielfältigen Gesellschaft vor Ort nutzen: Zugänge zu Arbeit und "
            "Ausbildung, gesellschaftliche und kulturelle Teilhabe und bedarfsgerechtes Wohnen "
            "für Zugewanderte."
        ),
        day=date(2020, 12, 1),
        agenda=[
            TECH_INTRO,
            (
                "10:00",
                "Begrüßung und inhaltliche Einführung",
                "Julia Diringer und Dr. Stephanie Bock, Deutsches Institut für Urbanistik "
                "(KomKomIn)",
                "",
            ),
            (
                "10:20",
                "Vielfalt leben! Ergebnisse aus „Kommunen innovativ“",
                "Prof. Dr. Susanne Frank und Dr. Thomas Terfrüchte, TU Dortmund (MOSAIK); "
                "Marina Jentsch, Institut für Technologie und Arbeit (IN²); Prof. Dr. Leonie "
                "Wagner und Julia Yildiz, HAWK Hildesheim/Holzminden/Göttingen (MIGOEK)",
                "MOSAIK: zukunftsfähige heterogene Stadtquartiere · IN²: dauerhafte Integration "
                "von Zuwanderern in ländlichen Regionen · MIGOEK: Wirtschaftskraft von "
                "Migrant*innen fördern und nutzen",
            ),
            ("12:00", "Der Blick von außen", "Dr. Klaus Ritgen, Deutscher Landkreistag", ""),
            ("12:10", "Abschließende Diskussion", "", ""),
            ("12:25", "Resümee und Ausblick", "", ""),
        ],
        moderation="Julia Diringer, Deutsches Institut für Urbanistik",
        projects=("MOSAIK", "IN²", "MIGOEK"),
    ),
    ThematicEvent(
        slug="interkommunal-agieren",
        name="Interkommunal agieren!",
        summary=(
            "Nicht jede Kommune muss alles selbst anbieten: Prinzipien und Modelle der "
            "interkommunalen Kooperation für regional angepasste Daseinsvorsorge und die "
            "gemeinsame Entwicklung von Ortszentren."
        ),
        day=date(2020, 12, 8),
        agenda=[
            TECH_INTRO,
            (
                "10:00",
                "Begrüßung und inhaltliche Einführung",
                "Katrin Fahrenkrug, Institut Raum & Energie (KomKomIn)",
                "",
            ),
            (
                "10:20",
                "Interkommunal agieren! Schlaglichter auf Ergebnisse der Verbundvorhaben",
                "Detlev Kohlmeier, Landrat des Landkreises Nienburg/Weser (KIF); Alexander Heppe, "
                "Bürgermeister der Stadt Eschwege (lebensWert); Benjamin Möller, "
                "Kommunalverbund Niedersachsen/Bremen e.V. (WebWiKo)",
                "KIF: Kommunaler Entwicklungsfonds aus regionaler Verantwortung · lebensWert: "
                "ganzheitliches Entwicklungsmanagement in hessischen Kommunen · WebWiKo: digitale "
                "Planungstools für interkommunale Zusammenarbeit",
            ),
            (
                "11:30",
                "Den regionalen Schulterschluss gestalten",
                "Dr. Stephanie Bock, Deutsches Institut für Urbanistik",
                "",
            ),
            (
                "12:00",
                "Ein externer Blick: Erfolgsfaktoren für interkommunale Kooperation",
                "Dr. Markus Brohm, Deutscher Landkreistag",
                "",
            ),
            ("12:15", "Resümee und Ausblick", "", ""),
        ],
        moderation="Katrin Fahrenkrug, Institut Raum & Energie (KomKomIn)",
        projects=("KIF", "lebenswert", "WEBWiKo"),
    ),
)
#: „Innen entwickeln!“ came third (after 11.11., before 24.11.2020) in the weekly series; its
#: exact day and time are not documented in the sources above, so only the week is given.
UNDATED_WEEK = (date(2020, 11, 16), date(2020, 11, 20))
UNDATED_NOTE = (
    "genauer Tag und Uhrzeit nicht überliefert; laut wöchentlichem Turnus in der Woche vom "
    "16. bis 20.11.2020"
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


def _agenda(event: Event, rows: Agenda, *, ends: time | None) -> None:
    AgendaItem.objects.filter(event=event).delete()
    items = []
    for position, (start, title, speakers, details) in enumerate(rows, start=1):
        following = rows[position][0] if position < len(rows) else ""
        items.append(
            AgendaItem(
                event=event,
                position=position,
                starts_at=time.fromisoformat(start) if start else None,
                ends_at=time.fromisoformat(following) if following else (ends if start else None),
                title=title,
                speakers=speakers,
                description=details,
            )
        )
    AgendaItem.objects.bulk_create(items)


def _projects(programme: Programme, acronyms: tuple[str, ...]) -> list[Project]:
    found = []
    for acronym in acronyms:
        project = Project.objects.filter(programme=programme, acronym__iexact=acronym).first()
        if project is not None:
            found.append(project)
    return found


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
        "capacity": None,
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
        description="",
        starts_at=_at(date(2020, 10, 28), 9, 30),
        ends_at=_at(date(2020, 10, 28), 12, 30),
        time_unknown=False,
        schedule_note="",
        # FONA: registration for the opening until 21 October
        registration_closes_at=_at(date(2020, 10, 21), 23, 59),
        **common,
    )
    _agenda(
        opening,
        [
            (
                "",
                "Keynote",
                "Prof. Dr. Harald Welzer, Futurzwei. Stiftung Zukunftsfähigkeit / "
                "Europa-Universität Flensburg",
                "",
            ),
            (
                "",
                "Reflexionen: Was macht Kommunen innovativ?",
                "Prof. Dr. Gesine Schwan (Humboldt-Viadrina Governance Platform), Prof. Dr. Dr. "
                "Ortwin Renn (IASS Potsdam), Prof. Dr. Stefan Siedentop (ILS Dortmund), Prof. Dr. "
                "Uwe Schneidewind (ehemals Wuppertal Institut)",
                "",
            ),
            ("", "Vorstellung der Ergebnisse und Erkenntnisse aus „Kommunen innovativ“", "", ""),
        ],
        ends=None,
    )
    opening.themes.set(themes.values())
    events = [opening]
    for spec in THEMATIC_EVENTS:
        if spec.day is None:
            timing = {
                "starts_at": _at(UNDATED_WEEK[0], 0, 0),
                "ends_at": _at(UNDATED_WEEK[1], 23, 59),
                "time_unknown": True,
                "schedule_note": UNDATED_NOTE,
            }
        else:
            timing = {
                "starts_at": _at(spec.day, 10, 0),
                "ends_at": _at(spec.day, 12, 30),
                "time_unknown": False,
                "schedule_note": "optionale technische Einführung ab 9:50 Uhr",
            }
        description = f"<p>Moderation: {spec.moderation}</p>" if spec.moderation else ""
        event = _event(
            f"herbst-konferenz-2020-{spec.slug}",
            title=f"{spec.name} – Herbst-Konferenz 2020",
            kind=EventKind.SPECIALIST,
            summary=spec.summary,
            description=description,
            registration_closes_at=None,  # the default: one week before the start
            **timing,
            **common,
        )
        _agenda(event, spec.agenda, ends=time(12, 30))
        theme = themes.get(_norm(spec.name))
        event.themes.set([theme] if theme else [])
        event.projects.set(_projects(programme, spec.projects))
        Material.objects.filter(event=event).exclude(url=spec.documentation_url).delete()
        Material.objects.update_or_create(
            event=event,
            url=spec.documentation_url,
            defaults={
                "kind": MaterialKind.RECORDING,
                "title": "Videodokumentation auf kommunen-innovativ.de",
                "position": 0,
            },
        )
        events.append(event)
    Material.objects.filter(event=opening).exclude(url=DOCUMENTATION_URL).delete()
    Material.objects.update_or_create(
        event=opening,
        url=DOCUMENTATION_URL,
        defaults={
            "kind": MaterialKind.RECORDING,
            "title": "Videodokumentation auf kommunen-innovativ.de",
            "position": 0,
        },
    )
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
            "Double-Opt-in, Warteliste und Nachrücken. Anmeldung bis einen Tag vorher."
        ),
        starts_at=_at(today + timedelta(days=10), 14, 0),
        ends_at=_at(today + timedelta(days=10), 15, 30),
        capacity=3,
        online_url="https://meet.example.org/demo-netzwerktreffen",
        venue_name="",
        venue_address="",
        **{
            **common,
            # per-event registration window (instead of the default: 7 days before the start)
            "registration_closes_at": _at(today + timedelta(days=9), 14, 0),
        },
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
