"""Demo content for the knowledge portal: real programmes, themes and projects only.

The facts are data, in the YAML files beside this module: ``organisations.yaml`` and one
``programme-*.yaml`` per programme (its themes, projects, results, publications and news). Every
fact is taken from a public source named in the comment above it; whatever could not be verified
is left out and stays empty. ``load()`` is idempotent: every row is matched by its slug (or
natural key) and updated in place, so running it twice leaves the counts unchanged.

What the loader adds to the data:

* all content is published;
* a theme's slug is :func:`demo_slug` of its name, its position its place among the programme's
  themes of the same kind; a project's slug is its ``slug`` or :func:`demo_slug` of its acronym;
* ``project_defaults`` apply to every project of the file that does not set the field itself;
* municipalities (a project's model municipalities, an organisation's ``seat``) are given by AGS
  and linked when the official register has them (``manage.py import_municipalities`` runs
  first); a missing AGS is skipped and reported;
* ``programme.editors`` are usernames of demo accounts; they become editors of the programme.
* facts imported from the collected sources (``import_content``) win: a field of a project or
  result that carries a :class:`~ortswandel.catalogue.models.Citation` is not overwritten
  here, cited model municipalities are only added to, and cited partners are left alone —
  so running ``load_demo_content`` again after the import keeps the sourced facts.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from ortswandel.catalogue.models import (
    Citation,
    NewsItem,
    Organisation,
    PartnerRole,
    Programme,
    Project,
    ProjectPartner,
    Publication,
    Result,
    Theme,
)
from ortswandel.core.audit import audit_log
from ortswandel.core.demo import DemoDataError, check_keys, demo_file_names, read_demo_data, say
from ortswandel.core.demo import upsert as _upsert
from ortswandel.core.models import PublicationStatus
from ortswandel.municipalities.models import Municipality
from ortswandel.municipalities.selectors import municipalities_by_ags

PUBLISHED = PublicationStatus.PUBLISHED
ORGANISATION_FIELDS = ("name", "kind", "website")
PROGRAMME_FIELDS = (
    "name", "short_name", "kind", "funder", "start_year", "end_year", "summary", "description",
    "website",
)  # fmt: skip
THEME_FIELDS = ("kind", "name", "description")
PROJECT_FIELDS = (
    "acronym", "title", "summary", "start_date", "end_date", "project_status", "website",
)  # fmt: skip
RESULT_FIELDS = ("title", "kind", "summary", "target_group", "year", "url", "is_featured")
PUBLICATION_FIELDS = ("title", "kind", "authors", "publisher", "year", "summary", "url")
NEWS_FIELDS = ("title", "published_on", "teaser", "body")
#: Results, publications and news: (model, key in the file, fields, relations by slug).
CONTENT: tuple[tuple[type[Any], str, tuple[str, ...], tuple[str, ...]], ...] = (
    (Result, "results", RESULT_FIELDS, ("themes", "projects")),
    (Publication, "publications", PUBLICATION_FIELDS, ("themes", "projects")),
    (NewsItem, "news", NEWS_FIELDS, ("themes",)),
)
FILE_KEYS = (
    "programme", "themes", "project_defaults", "projects", "results", "publications", "news",
)  # fmt: skip

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "²": "2", "³": "3", "_": "-", " ": "-"}
)


#: Citation field → the model fields it covers (others are the field itself).
CITED_FIELDS = {
    "period": ("start_date", "end_date"),
    "funding": ("funding_amount", "funding_reference"),
}


def cited_fields(model: type[Any], slug: str, **key: Any) -> set[str]:
    """The fields of the row ``slug`` of ``model`` that imported facts cite (see above)."""
    obj = model.objects.filter(slug=slug, **key).first()
    if obj is None:
        return set()
    names: set[str] = set()
    for name in Citation.objects.of(obj).values_list("field", flat=True):
        names.update(CITED_FIELDS.get(name, (name,)))
    return names


def demo_slug(text: str) -> str:
    """URL slug with German transliteration: ``"IN²"`` → ``"in2"``, ``"Bürgerfonds"`` →
    ``"buergerfonds"``, ``"KoDa_eG"`` → ``"koda-eg"``."""
    return slugify(text.lower().translate(_TRANSLITERATION))


def programme_data(slug: str) -> dict[str, Any]:
    """The parsed data file of the programme ``slug`` (``programme-<slug>.yaml``)."""
    return read_demo_data(__name__, f"programme-{slug}.yaml")


class _Loader:
    def __init__(self, stdout: TextIO | None) -> None:
        self.stdout = stdout
        self.missing_ags: set[str] = set()
        self._municipalities: dict[str, Municipality] = {}

    def municipalities(self, ags_list: list[Any], *, where: str) -> list[Municipality]:
        for ags in ags_list:
            if not isinstance(ags, str):  # an unquoted AGS in YAML is a number: quote it
                raise DemoDataError(f"{where}: AGS {ags!r} must be a quoted string")
        wanted = [ags for ags in ags_list if ags not in self._municipalities]
        if wanted:
            self._municipalities.update(municipalities_by_ags(ags=wanted))
        found = []
        for ags in ags_list:
            if ags in self._municipalities:
                found.append(self._municipalities[ags])
            else:
                self.missing_ags.add(ags)
        return found

    def organisations(self) -> dict[str, Organisation]:
        result = {}
        for index, raw in enumerate(
            read_demo_data(__name__, "organisations.yaml")["organisations"]
        ):
            where = f"organisations.yaml, organisation {index + 1}"
            spec = check_keys(raw, ("slug", "seat", *ORGANISATION_FIELDS), where=where)
            seat = self.municipalities([spec["seat"]], where=where) if spec.get("seat") else []
            result[spec["slug"]] = _upsert(
                Organisation,
                key={"slug": spec["slug"]},
                record=spec,
                fields=ORGANISATION_FIELDS,
                municipality=seat[0] if seat else None,
            )
        return result

    def programme_file(self, name: str, orgs: dict[str, Organisation]) -> Programme:
        data = check_keys(read_demo_data(__name__, name), FILE_KEYS, where=name)
        spec = check_keys(data["programme"], ("slug", "editors", *PROGRAMME_FIELDS), where=name)
        cited = cited_fields(Programme, spec["slug"])
        programme = _upsert(
            Programme,
            key={"slug": spec["slug"]},
            record=spec,
            fields=[f for f in PROGRAMME_FIELDS if f not in cited],
            status=PUBLISHED,
        )
        if spec.get("editors"):
            programme.editors.add(
                *get_user_model().objects.filter(
                    username__in=spec["editors"], profile__is_demo=True
                )
            )
        themes = self.themes(programme, data.get("themes", []), where=name)
        projects = self.projects(programme, data, themes, orgs, where=name)
        for model, key, fields, relations in CONTENT:
            for index, raw in enumerate(data.get(key, [])):
                where = f"{name}, {key} {index + 1}"
                item = check_keys(raw, ("slug", *relations, *fields), where=where)
                cited = cited_fields(model, item["slug"])
                obj = _upsert(
                    model,
                    key={"slug": item["slug"]},
                    record=item,
                    fields=[f for f in fields if f not in cited],
                    programme=programme,
                    status=PUBLISHED,
                )
                obj.themes.set(_pick(themes, item.get("themes", []), where=where))
                if "projects" in relations:
                    obj.projects.set(_pick(projects, item.get("projects", []), where=where))
        return programme

    def themes(self, programme: Programme, rows: list[Any], *, where: str) -> dict[str, Theme]:
        themes: dict[str, Theme] = {}
        positions: dict[str, int] = {}
        for index, raw in enumerate(rows):
            spec = check_keys(raw, THEME_FIELDS, where=f"{where}, theme {index + 1}")
            positions[spec["kind"]] = position = positions.get(spec["kind"], 0) + 1
            cited = cited_fields(Theme, demo_slug(spec["name"]), programme=programme)
            theme = _upsert(
                Theme,
                key={"programme": programme, "slug": demo_slug(spec["name"])},
                record=spec,
                fields=[f for f in THEME_FIELDS if f not in cited],
                position=position,
                status=PUBLISHED,
            )
            themes[theme.slug] = theme
        return themes

    def projects(
        self,
        programme: Programme,
        data: dict[str, Any],
        themes: dict[str, Theme],
        orgs: dict[str, Organisation],
        *,
        where: str,
    ) -> dict[str, Project]:
        allowed = ("slug", "themes", "municipalities", "partners", *PROJECT_FIELDS)
        defaults = check_keys(data.get("project_defaults", {}), allowed, where=where)
        projects: dict[str, Project] = {}
        for index, raw in enumerate(data.get("projects", [])):
            here = f"{where}, project {index + 1}"
            spec = {**defaults, **check_keys(raw, allowed, where=here)}
            slug = spec.get("slug") or demo_slug(spec["acronym"])
            cited = cited_fields(Project, slug)
            project = _upsert(
                Project,
                key={"slug": slug},
                record=spec,
                fields=[f for f in PROJECT_FIELDS if f not in cited],
                programme=programme,
                status=PUBLISHED,
            )
            project.themes.set(_pick(themes, spec.get("themes", []), where=here))
            places = self.municipalities(spec.get("municipalities", []), where=here)
            if "municipalities" in cited:
                project.municipalities.add(*places)
            else:
                project.municipalities.set(places)
            if "partners" not in cited:
                self.partners(project, spec.get("partners", []), orgs, where=here)
            projects[project.slug] = project
        return projects

    def partners(
        self, project: Project, rows: list[Any], orgs: dict[str, Organisation], *, where: str
    ) -> None:
        wanted = set()
        for raw in rows:
            spec = check_keys(raw, ("organisation", "role"), where=where)
            if spec["role"] not in PartnerRole.values:
                raise DemoDataError(f"{where}: unknown partner role {spec['role']!r}")
            org = _pick(orgs, [spec["organisation"]], where=where)[0]
            wanted.add((org.pk, spec["role"]))
        existing = set(project.partnerships.values_list("organisation_id", "role"))
        for org_id, role in wanted - existing:
            ProjectPartner.objects.create(project=project, organisation_id=org_id, role=role)
        for org_id, role in existing - wanted:
            project.partnerships.filter(organisation_id=org_id, role=role).delete()


def _pick(objects: dict[str, Any], keys: list[Any], *, where: str) -> list[Any]:
    unknown = [key for key in keys if key not in objects]
    if unknown:
        raise DemoDataError(f"{where}: unknown {', '.join(map(str, unknown))}")
    return [objects[key] for key in keys]


def load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create or update the catalogue demo content; returns the row counts per model."""
    loader = _Loader(stdout)
    with transaction.atomic():
        orgs = loader.organisations()
        for name in demo_file_names(__name__, "programme-"):
            loader.programme_file(name, orgs)
        counts = {
            "programmes": Programme.objects.count(),
            "themes": Theme.objects.count(),
            "projects": Project.objects.count(),
            "organisations": Organisation.objects.count(),
            "project_partners": ProjectPartner.objects.count(),
            "results": Result.objects.count(),
            "publications": Publication.objects.count(),
            "news": NewsItem.objects.count(),
        }
        audit_log(
            action="catalogue.demo_content.loaded",
            payload={"counts": counts, "missing_ags": sorted(loader.missing_ags)},
        )
    if loader.missing_ags:
        say(
            stdout,
            "Hinweis: Diese Gemeindeschlüssel fehlen im Kommunenverzeichnis und wurden "
            f"übersprungen (zuerst import_municipalities ausführen): "
            f"{', '.join(sorted(loader.missing_ags))}",
        )
    say(stdout, "Katalog-Demoinhalte: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts
