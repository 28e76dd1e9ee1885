"""Demo content for events, from the YAML files beside this module: the real 2020 autumn
conference series of „Kommunen innovativ“ (``herbst-konferenz-2020.yaml``: past, with agendas,
speakers and the video documentation) and clearly marked fictitious upcoming events with open
registration (``demo-werkstattreihe.yaml``).

``load(*, stdout=None)`` is idempotent (rows are matched by slug) and is run by
``load_demo_content`` after the catalogue demo. A file names:

``programme``
    the slug of the catalogue programme the events belong to; ``if_programme_missing`` says
    what happens without it: ``skip`` the file, or ``use_any_published`` programme.
``series``
    event series (slug, title, summary, description, is_demo, core_messages).
``event_defaults``
    fields that every event of the file takes unless it sets them itself.
``events``
    event fields, plus ``series`` (a series slug of the file), ``core_messages`` (names of the
    programme's core messages, or ``all``), ``projects`` (acronyms of the programme's projects
    that presented), ``agenda`` (replaces the agenda; an item ends when the next one starts
    unless it names its own end), ``materials`` (replace the materials) and ``questions``
    (registration questions, matched by label).

Date and time: ``"YYYY-MM-DD HH:MM"`` in Europe/Berlin, or ``{days_from_today, time}`` for the
upcoming demo events. Core messages or projects that the programme lacks are left out. Every
series and event is published.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.db import transaction

from ortswandel.catalogue.models import Programme, Project, Theme, ThemeKind
from ortswandel.core.demo import (
    DemoDataError,
    check_keys,
    demo_file_names,
    local_datetime,
    local_time,
    read_demo_data,
    say,
    upsert,
)
from ortswandel.core.models import PublicationStatus
from ortswandel.events.models import AgendaItem, Event, EventSeries, Material, Question

PUBLISHED = PublicationStatus.PUBLISHED
FILE_KEYS = ("programme", "if_programme_missing", "series", "event_defaults", "events")
SERIES_FIELDS = ("title", "summary", "description", "is_demo")
EVENT_FIELDS = (
    "title", "kind", "format", "summary", "description", "time_unknown", "schedule_note",
    "venue_name", "venue_address", "online_url", "organiser", "registration_enabled", "capacity",
    "is_demo",
)  # fmt: skip
EVENT_TIMES = ("starts_at", "ends_at", "registration_closes_at")
EVENT_KEYS = (
    "slug", *EVENT_FIELDS, *EVENT_TIMES,
    "series", "core_messages", "projects", "agenda", "materials", "questions",
)  # fmt: skip
AGENDA_KEYS = ("starts", "ends", "title", "speakers", "description")
MATERIAL_FIELDS = ("kind", "title")
QUESTION_FIELDS = ("kind", "required", "help_text", "choices")


def _norm(name: str) -> str:
    return name.lower().replace("!", "").replace("„", "").replace("“", "").strip()


def _programme(data: dict[str, Any], name: str, stdout: TextIO | None) -> Programme | None:
    slug = data["programme"]
    programme = Programme.objects.filter(slug=slug).first()
    if programme is not None:
        return programme
    mode = data.get("if_programme_missing", "skip")
    if mode not in ("skip", "use_any_published"):
        raise DemoDataError(f"{name}: if_programme_missing must be skip or use_any_published")
    if mode == "use_any_published":
        programme = Programme.objects.filter(status=PUBLISHED).first()
        if programme is not None:
            say(stdout, f"events demo: programme {slug!r} missing, using {programme.slug!r}")
            return programme
        say(stdout, f"events demo: no programme found – {name} skipped")
    else:
        say(stdout, f"events demo: programme {slug!r} missing – {name} skipped")
    return None


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    for name in demo_file_names(__name__):
        data = check_keys(read_demo_data(__name__, name), FILE_KEYS, where=name)
        programme = _programme(data, name, stdout)
        if programme is not None:
            _load_file(data, name, programme, stdout)


def _load_file(
    data: dict[str, Any], name: str, programme: Programme, stdout: TextIO | None
) -> None:
    core = {
        _norm(theme.name): theme
        for theme in Theme.objects.filter(programme=programme, kind=ThemeKind.CORE_MESSAGE)
    }
    series: dict[str, EventSeries] = {}
    for index, raw in enumerate(data.get("series", [])):
        where = f"{name}, series {index + 1}"
        spec = check_keys(raw, ("slug", "core_messages", *SERIES_FIELDS), where=where)
        row = upsert(
            EventSeries,
            key={"slug": spec["slug"]},
            record=spec,
            fields=SERIES_FIELDS,
            programme=programme,
            status=PUBLISHED,
        )
        if "core_messages" in spec:
            row.themes.set(_core_messages(core, spec["core_messages"]))
        series[row.slug] = row
    defaults = check_keys(data.get("event_defaults", {}), EVENT_KEYS, where=f"{name}, defaults")
    events = []
    for index, raw in enumerate(data.get("events", [])):
        where = f"{name}, event {index + 1}"
        spec = {**defaults, **check_keys(raw, EVENT_KEYS, where=where)}
        times = {key: local_datetime(spec.get(key), where=f"{where}, {key}") for key in EVENT_TIMES}
        if times["starts_at"] is None or times["ends_at"] is None:
            raise DemoDataError(f"{where}: starts_at and ends_at are required")
        if spec.get("series") and spec["series"] not in series:
            raise DemoDataError(f"{where}: unknown series {spec['series']!r}")
        event = upsert(
            Event,
            key={"slug": spec["slug"]},
            record=spec,
            fields=EVENT_FIELDS,
            programme=programme,
            series=series[spec["series"]] if spec.get("series") else None,
            status=PUBLISHED,
            **times,
        )
        if "core_messages" in spec:
            event.themes.set(_core_messages(core, spec["core_messages"]))
        if "projects" in spec:
            event.projects.set(_projects(programme, spec["projects"]))
        if "agenda" in spec:
            _agenda(event, spec["agenda"], where=where)
        if "materials" in spec:
            _materials(event, spec["materials"], where=where)
        if "questions" in spec:
            _questions(event, spec["questions"], where=where)
        events.append(event)
    say(stdout, f"events demo: {name}: {len(series)} series, {len(events)} events")


def _core_messages(core: dict[str, Theme], names: Any) -> list[Theme]:
    if names == "all":
        return list(core.values())
    return [core[_norm(n)] for n in names if _norm(n) in core]


def _projects(programme: Programme, acronyms: list[str]) -> list[Project]:
    found = []
    for acronym in acronyms:
        project = Project.objects.filter(programme=programme, acronym__iexact=acronym).first()
        if project is not None:
            found.append(project)
    return found


def _agenda(event: Event, rows: list[Any], *, where: str) -> None:
    AgendaItem.objects.filter(event=event).delete()
    specs = [check_keys(row, AGENDA_KEYS, where=f"{where}, agenda") for row in rows]
    items = []
    for position, spec in enumerate(specs, start=1):
        following = specs[position].get("starts") if position < len(specs) else None
        ends = spec.get("ends") or following
        items.append(
            AgendaItem(
                event=event,
                position=position,
                starts_at=local_time(spec["starts"], where=where) if spec.get("starts") else None,
                ends_at=local_time(ends, where=where) if ends else None,
                title=spec["title"],
                speakers=spec.get("speakers", ""),
                description=spec.get("description", ""),
            )
        )
    AgendaItem.objects.bulk_create(items)


def _materials(event: Event, rows: list[Any], *, where: str) -> None:
    specs = [
        check_keys(row, ("url", *MATERIAL_FIELDS), where=f"{where}, materials") for row in rows
    ]
    Material.objects.filter(event=event).exclude(url__in=[s["url"] for s in specs]).delete()
    for position, spec in enumerate(specs):
        upsert(
            Material,
            key={"event": event, "url": spec["url"]},
            record=spec,
            fields=MATERIAL_FIELDS,
            position=position,
        )


def _questions(event: Event, rows: list[Any], *, where: str) -> None:
    for position, raw in enumerate(rows):
        spec = check_keys(raw, ("label", *QUESTION_FIELDS), where=f"{where}, questions")
        upsert(
            Question,
            key={"event": event, "label": spec["label"]},
            record=spec,
            fields=QUESTION_FIELDS,
            position=position,
        )
