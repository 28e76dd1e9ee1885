"""Page numbers from query strings, with German 400/404 errors (pages and API alike)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from ortswandel.core.errors import InvalidInput, NotFound

PAGE_SIZE = 25
MAX_PAGE_PARAM_LENGTH = 6


def parse_page(value: str | None) -> int:
    """Page number from the query string; German 400 for anything but a positive integer."""
    if value in (None, ""):
        return 1
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > MAX_PAGE_PARAM_LENGTH:
        raise InvalidInput(
            _("„%(value)s“ ist keine gültige Seitenzahl.") % {"value": text[:20]},
            code="invalid_page",
            fields={"page": _("Bitte eine ganze Zahl ab 1 angeben.")},
        )
    number = int(text)
    if number < 1:
        raise InvalidInput(
            _("Seitenzahlen beginnen bei 1."),
            code="invalid_page",
            fields={"page": _("Bitte eine ganze Zahl ab 1 angeben.")},
        )
    return number


def paginate(queryset: Any, number: int, per_page: int = PAGE_SIZE) -> Page:
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise NotFound(
            _("Seite %(page)d gibt es nicht; die Trefferliste hat %(pages)d Seite(n).")
            % {"page": number, "pages": paginator.num_pages},
            code="page_not_found",
        )
    return paginator.page(number)
