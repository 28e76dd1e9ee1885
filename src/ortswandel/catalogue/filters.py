"""Parsing and validation of the public filter parameters (project directory, results library).

The same parsers serve the HTML views and the JSON API, so both reject the same bad input with
the same German messages (:class:`~ortswandel.core.errors.InvalidInput`, HTTP 400).

Query parameters of the project directory (all optional, repeatable where marked *):

``programme``*  programme slug            ``theme``*   theme id or theme slug
``land``*       Land code ``01``–``16``   ``size``*    municipality size class (``SizeClass``)
``status``*     ``planned``/``running``/``completed``
``year``        running in that year      ``from``/``to``  starts in or after / ends in or before
``q``           text in acronym or title (≤ 200 characters; see :func:`text_needle`)
``sort``        ``acronym``, ``title``, ``start``, ``end`` (``-`` prefix: descending)
``page``        page number (≥ 1; :func:`ortswandel.core.paging.parse_page`)

Numbers are parsed by :mod:`ortswandel.core.params` (ASCII digits, bounded): ``theme=²`` or a
20-digit theme id is a 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ortswandel.core.errors import InvalidInput
from ortswandel.core.models import PublicationStatus
from ortswandel.core.paging import parse_page as parse_page_number
from ortswandel.core.params import MAX_DB_ID, has_control_chars, to_int
from ortswandel.core.text import fold
from ortswandel.municipalities.models import LAND_NAMES, SizeClass

from .models import ProjectStatus, PublicationKind, ResultKind, Theme

MAX_Q_LENGTH = 200
MAX_VALUES_PER_PARAM = 50
MIN_YEAR, MAX_YEAR = 1950, 2100

PROJECT_SORTS = {
    "acronym": ("acronym", "id"),
    "-acronym": ("-acronym", "-id"),
    "title": ("title", "acronym", "id"),
    "-title": ("-title", "-acronym", "-id"),
    "start": ("start_date", "acronym", "id"),
    "-start": ("-start_date", "acronym", "id"),
    "end": ("end_date", "acronym", "id"),
    "-end": ("-end_date", "acronym", "id"),
}
RESULT_SORTS = {
    "title": ("title", "id"),
    "-year": ("-year", "title", "id"),
    "year": ("year", "title", "id"),
}


def _getlist(params: Any, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        raw = params.get(name)
        values = [] if raw is None else (list(raw) if isinstance(raw, list | tuple) else [raw])
    values = [str(v).strip() for v in values if v is not None and str(v).strip() != ""]
    if any(has_control_chars(v) for v in values):
        raise InvalidInput(
            _("Der Filter „%(name)s“ enthält unzulässige Zeichen.") % {"name": name},
            fields={name: _("Unzulässige Steuerzeichen.")},
        )
    if len(values) > MAX_VALUES_PER_PARAM:
        raise InvalidInput(
            _("Zu viele Werte für den Filter „%(name)s“.") % {"name": name},
            fields={name: _("Höchstens %(n)d Werte.") % {"n": MAX_VALUES_PER_PARAM}},
        )
    # keep order, drop duplicates
    return list(dict.fromkeys(values))


def _getone(params: Any, name: str) -> str:
    values = _getlist(params, name)
    if len(values) > 1:
        raise InvalidInput(
            _("Der Filter „%(name)s“ darf nur einmal angegeben werden.") % {"name": name},
            fields={name: _("Nur ein Wert erlaubt.")},
        )
    return values[0] if values else ""


def _choice_list(params: Any, name: str, allowed: Sequence[str], label: str) -> list[str]:
    values = _getlist(params, name)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise InvalidInput(
            _("Unbekannter Wert „%(value)s“ für %(label)s.")
            % {"value": bad[0][:50], "label": label},
            fields={name: _("Erlaubt sind: %(allowed)s.") % {"allowed": ", ".join(allowed)}},
        )
    return values


def _int_list(params: Any, name: str, label: str) -> list[int]:
    result = []
    for value in _getlist(params, name):
        number = to_int(value, minimum=1, maximum=MAX_DB_ID)
        if number is None:
            raise InvalidInput(
                _("„%(value)s“ ist kein gültiger Wert für %(label)s.")
                % {"value": value[:50], "label": label},
                fields={name: _("Erwartet wird eine Nummer.")},
            )
        result.append(number)
    return result


def _theme_list(params: Any, name: str = "theme") -> list[int]:
    """Theme ids. A value that is not a number is a theme's short name (``?theme=mobilitaet``,
    as people write it by hand) and stands for the published themes of that name."""
    result: list[int] = []
    for value in _getlist(params, name):
        number = to_int(value, minimum=1, maximum=MAX_DB_ID)
        if number is not None:
            result.append(number)
            continue
        is_slug = (
            len(value) <= 120
            and value[:1].isalnum()
            and any(c.isalpha() for c in value)
            and all(c.isalnum() or c in "-_" for c in value)
        )
        found = (
            list(
                Theme.objects.published()
                .filter(programme__status=PublicationStatus.PUBLISHED, slug=value)
                .values_list("pk", flat=True)
            )
            if is_slug
            else []
        )
        if not found:
            raise InvalidInput(
                _("Das Thema „%(value)s“ gibt es nicht.") % {"value": value[:50]},
                fields={name: _("Unbekanntes Thema.")},
            )
        result.extend(found)
    return list(dict.fromkeys(result))


def _year(params: Any, name: str, label: str) -> int | None:
    value = _getone(params, name)
    if not value:
        return None
    year = to_int(value, minimum=MIN_YEAR, maximum=MAX_YEAR)
    if year is None:
        raise InvalidInput(
            _("„%(value)s“ ist kein gültiges Jahr für %(label)s.")
            % {"value": value[:50], "label": label},
            fields={
                name: _("Bitte ein Jahr zwischen %(min)d und %(max)d angeben.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            },
        )
    return year


def _slug_list(params: Any, name: str) -> list[str]:
    values = _getlist(params, name)
    for slug in values:
        if len(slug) > 120 or not all(c.isalnum() or c in "-_" for c in slug):
            raise InvalidInput(
                _("„%(value)s“ ist kein gültiges Programm.") % {"value": slug[:50]},
                fields={name: _("Unbekanntes Programm.")},
            )
    return values


def parse_q(params: Any) -> str:
    q = _getone(params, "q")
    if len(q) > MAX_Q_LENGTH:
        raise InvalidInput(
            _("Der Suchbegriff ist zu lang (höchstens %(n)d Zeichen).") % {"n": MAX_Q_LENGTH},
            fields={"q": _("Höchstens %(n)d Zeichen.") % {"n": MAX_Q_LENGTH}},
        )
    return q


def parse_page(params: Any) -> int:
    """``page`` (one value) by the common rule (:func:`ortswandel.core.paging.parse_page`)."""
    return parse_page_number(_getone(params, "page"))


def text_needle(q: str) -> str:
    """The folded form of the text filter ``q`` (:func:`ortswandel.core.text.fold`).

    The one definition of the project directory's text filter: SQL (:func:`text_condition`)
    and the facet index (:func:`text_matches`) both test whether this needle occurs in the
    stored ``Project.search_text`` (acronym and title folded the same way), so the listed
    projects and the facet counts always agree, on SQLite and PostgreSQL alike.
    """
    return fold(q)


def text_condition(needle: str) -> Q:
    """The text filter in SQL (``LIKE '%needle%'`` on the folded column)."""
    return Q(search_text__contains=needle)


def text_matches(needle: str, search_text: str) -> bool:
    """The text filter in Python, for the facet index."""
    return needle in search_text


def parse_sort(params: Any, allowed: Mapping[str, Any], default: str) -> str:
    value = _getone(params, "sort") or default
    if value not in allowed:
        raise InvalidInput(
            _("Unbekannte Sortierung „%(value)s“.") % {"value": value[:50]},
            fields={"sort": _("Erlaubt sind: %(allowed)s.") % {"allowed": ", ".join(allowed)}},
        )
    return value


@dataclass(frozen=True)
class ProjectFilters:
    programmes: tuple[str, ...] = ()
    themes: tuple[int, ...] = ()
    lands: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year: int | None = None
    start_from: int | None = None
    end_to: int | None = None
    q: str = ""
    sort: str = "acronym"
    page: int = 1

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.programmes
            or self.themes
            or self.lands
            or self.sizes
            or self.statuses
            or self.year
            or self.start_from
            or self.end_to
            or self.q
        )


def parse_project_filters(params: Any) -> ProjectFilters:
    """Validate the project-directory parameters; raise ``InvalidInput`` on anything malformed."""
    start_from = _year(params, "from", _("„Beginn ab“"))
    end_to = _year(params, "to", _("„Ende bis“"))
    if start_from and end_to and start_from > end_to:
        raise InvalidInput(
            _("„Beginn ab“ (%(a)d) liegt nach „Ende bis“ (%(b)d).")
            % {"a": start_from, "b": end_to},
            fields={"from": _("Muss vor oder gleich „Ende bis“ sein.")},
        )
    programmes = _slug_list(params, "programme")
    return ProjectFilters(
        programmes=tuple(programmes),
        themes=tuple(_theme_list(params)),
        lands=tuple(_choice_list(params, "land", sorted(LAND_NAMES), _("Land"))),
        sizes=tuple(_choice_list(params, "size", [c.value for c in SizeClass], _("Gemeindegröße"))),
        statuses=tuple(
            _choice_list(params, "status", [c.value for c in ProjectStatus], _("Projektstand"))
        ),
        year=_year(params, "year", _("„Laufend im Jahr“")),
        start_from=start_from,
        end_to=end_to,
        q=parse_q(params),
        sort=parse_sort(params, PROJECT_SORTS, "acronym"),
        page=parse_page(params),
    )


@dataclass(frozen=True)
class ResultFilters:
    kinds: tuple[str, ...] = ()
    themes: tuple[int, ...] = ()
    programmes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    sort: str = "title"
    page: int = 1


def parse_result_filters(params: Any) -> ResultFilters:
    target_groups = _getlist(params, "target_group")
    if any(len(t) > 300 for t in target_groups):
        raise InvalidInput(
            _("Die Zielgruppe ist zu lang."), fields={"target_group": _("Höchstens 300 Zeichen.")}
        )
    programmes = _slug_list(params, "programme")
    return ResultFilters(
        kinds=tuple(_choice_list(params, "kind", [c.value for c in ResultKind], _("Art"))),
        themes=tuple(_theme_list(params)),
        programmes=tuple(programmes),
        target_groups=tuple(target_groups),
        sort=parse_sort(params, RESULT_SORTS, "title"),
        page=parse_page(params),
    )


@dataclass(frozen=True)
class PublicationFilters:
    kinds: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    page: int = 1


def parse_publication_filters(params: Any) -> PublicationFilters:
    programmes = _slug_list(params, "programme")
    return PublicationFilters(
        kinds=tuple(_choice_list(params, "kind", [c.value for c in PublicationKind], _("Art"))),
        programmes=tuple(programmes),
        page=parse_page(params),
    )
