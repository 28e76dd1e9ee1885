"""Template helpers of the knowledge portal."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ortswandel.core.richtext import sanitize_html

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with ``<``, ``>``, ``&`` escaped (cannot break
    out of the element). A data block, not a script: the strict CSP does not apply to it."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag
def facet_fieldsets(facets: list[Any]) -> SafeString:
    """One ``<fieldset>`` of checkboxes per facet, options grouped under their group heading.

    Built in Python rather than a template loop: the project directory shows 60+ options, and
    the template engine's per-variable lookups made them a third of the page's server time.
    """
    hits = _("Treffer")
    parts: list[str] = []
    for facet in facets:
        parts.append(format_html('<fieldset class="facet">\n  <legend>{}</legend>\n', facet.label))
        group = None
        for option in facet.options:
            if option.group != group:
                group = option.group
                if group:
                    parts.append(format_html('  <p class="facet-group">{}</p>\n', group))
            parts.append(
                format_html(
                    '  <label class="facet-option"><input type="checkbox" name="{}" value="{}"{}>'
                    ' <span>{} <span class="count">({}<span class="visually-hidden"> {}</span>)'
                    "</span></span></label>\n",
                    facet.name,
                    option.value,
                    mark_safe(" checked") if option.selected else "",
                    option.label,
                    option.count,
                    hits,
                )
            )
        if not facet.options:
            parts.append(format_html('  <p class="muted">{}</p>\n', _("Keine Auswahl möglich.")))
        parts.append("</fieldset>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is format_html-escaped


@register.simple_tag
def query_without(request: HttpRequest, name: str, value: Any) -> str:
    """The current query string without one ``name=value`` pair (and without ``page``)."""
    params: QueryDict = request.GET.copy()
    params.setlist(name, [v for v in params.getlist(name) if v != str(value)])
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def period(obj: Any) -> str:
    """``06/2016 – 05/2019``, ``ab 06/2016`` or ``bis 05/2019`` from ``start_date``/``end_date``."""
    start = getattr(obj, "start_date", None)
    end = getattr(obj, "end_date", None)
    first = _month_or_year(start, getattr(obj, "start_precision", ""))
    last = _month_or_year(end, getattr(obj, "end_precision", ""))
    if start and end:
        return f"{first} – {last}"
    if start:
        return _("ab %(date)s") % {"date": first}
    if end:
        return _("bis %(date)s") % {"date": last}
    return ""


def _month_or_year(value: Any, precision: str) -> str:
    """``2016`` when the source names only the year, else ``06/2016``."""
    if value is None:
        return ""
    return f"{value:%Y}" if precision == "year" else f"{value:%m/%Y}"


@register.filter
def euro(value: Any) -> str:
    """German money format: ``1.234.567 €``."""
    if value in (None, ""):
        return ""
    amount = round(float(value))
    return f"{amount:,} €".replace(",", ".")


@register.simple_tag
def sources(citations: dict[str, list[Any]] | None, *fields: str) -> SafeString:
    """``Quelle: <a href="…">kommunen-innovativ.de</a>`` for the citations of ``fields`` (in
    ``citations``, as returned by ``selectors.citations_by_field``); empty without any."""
    if not citations:
        return mark_safe("")
    urls: list[str] = []
    for name in fields:
        for citation in citations.get(name, ()):
            if citation.url not in urls:
                urls.append(citation.url)
    if not urls:
        return mark_safe("")
    links = mark_safe(  # noqa: S308 - every part is format_html-escaped
        ", ".join(
            format_html('<a href="{}" rel="noopener">{}</a>', url, _host(url)) for url in urls
        )
    )
    label = _("Quelle") if len(urls) == 1 else _("Quellen")
    return format_html('<span class="source">{}: {}</span>', label, links)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


@register.simple_tag
def statements(citations: dict[str, list[Any]] | None, name: str) -> list[tuple[str, list[str]]]:
    """The facts stated in words for ``name`` (e.g. a programme's key facts), each with its
    source URLs, in order."""
    grouped: dict[str, list[str]] = {}
    for citation in (citations or {}).get(name, ()):
        if citation.statement:
            grouped.setdefault(citation.statement, []).append(citation.url)
    return list(grouped.items())


def _english(obj: Any, name: str) -> str:
    from django.utils.translation import get_language

    if (get_language() or "de").split("-")[0] != "en":
        return ""
    return str(getattr(obj, f"{name}_en", "") or "")


@register.simple_tag
def localized_text(obj: Any, name: str) -> str:
    """The English text of ``name`` on the English site when editors wrote one, else German
    (plain text, for ``<title>`` and meta tags)."""
    return _english(obj, name) or str(getattr(obj, name, "") or "")


@register.simple_tag
def localized(obj: Any, name: str, rich: bool = False) -> SafeString:
    """``obj.<name>`` in the page's language: on the English site the editors' English text
    (``<name>_en``) or, when there is none, the German text marked ``lang="de"`` and "(German
    only)". Rich text (``rich=True``) is sanitised HTML and rendered as such."""
    from django.utils.translation import get_language

    german = str(getattr(obj, name, "") or "")
    english = _english(obj, name)
    if rich:  # sanitised again on render, as the |richtext filter does
        german, english = sanitize_html(german), sanitize_html(english) if english else english
    if english:
        return mark_safe(english) if rich else format_html("{}", english)  # noqa: S308 - sanitised rich text
    on_english_site = (get_language() or "de").split("-")[0] == "en"
    if not german or not on_english_site:
        return mark_safe(german) if rich else format_html("{}", german)  # noqa: S308 - sanitised rich text
    marker = _("(nur auf Deutsch)")
    if rich:
        return format_html(
            '<div lang="de">{}</div><p class="muted">{}</p>',
            mark_safe(german),  # noqa: S308 - sanitised rich text
            marker,
        )
    return format_html('<span lang="de">{}</span> <span class="muted">{}</span>', german, marker)
