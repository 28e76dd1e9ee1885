"""Pagination: one behaviour for every list, HTML and API alike.

* ``page`` (and the API's ``page_size``) must be an ASCII whole number within bounds, else
  **400** with code ``invalid_page`` and the parameter named in ``fields``;
* a page beyond the last is **404** with code ``page_not_found`` (an empty list has one, empty,
  page 1);
* nothing is clamped silently: a link to page 7 of a list that shrank to 3 pages says so
  instead of showing page 3 under the address of page 7.

The full-text search is the one deliberate exception for pages *beyond the last*: it shows an
empty page with a hint (the number of hits of a query changes with every re-index), but it
parses ``page`` with :func:`parse_page` like everything else.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _
from pydantic import ValidationInfo, ValidatorFunctionWrapHandler, WithJsonSchema, WrapValidator

from .errors import NotFound
from .params import parse_int, shown_value

#: The highest page number anyone may ask for (beyond it: 400, not a count query).
MAX_PAGE = 100_000
#: The most entries an API list returns per page.
MAX_PAGE_SIZE = 100
PAGE_CODE = "invalid_page"
PAGE_NOT_FOUND_CODE = "page_not_found"


def parse_page(value: object, *, name: str = "page", maximum: int = MAX_PAGE) -> int:
    """The page number from a query parameter (1 when empty); 400 ``invalid_page`` otherwise."""
    number = parse_int(
        value,
        name=name,
        minimum=1,
        maximum=maximum,
        default=1,
        code=PAGE_CODE,
        message=_("„%(value)s“ ist keine gültige Seitenzahl (1 bis %(max)d).")
        % {"value": shown_value(value)[:20], "max": maximum},
    )
    assert number is not None  # noqa: S101 - the default is an int
    return number


def parse_page_size(value: object, *, default: int, maximum: int, name: str = "page_size") -> int:
    """Entries per page (``default`` when empty); 400 ``invalid_page`` outside 1 … ``maximum``."""
    number = parse_int(
        value,
        name=name,
        minimum=1,
        maximum=maximum,
        default=default,
        code=PAGE_CODE,
        message=_("Die Seitengröße muss eine ganze Zahl von 1 bis %(max)d sein.")
        % {"max": maximum},
    )
    assert number is not None  # noqa: S101 - the default is an int
    return number


def paginate(queryset: Any, *, page: int, per_page: int) -> Page:
    """One page of ``queryset``; a page beyond the last is 404 ``page_not_found``."""
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    if page > paginator.num_pages:
        raise NotFound(
            _("Seite %(page)d gibt es nicht; die Liste hat %(pages)d Seite(n).")
            % {"page": page, "pages": paginator.num_pages},
            code=PAGE_NOT_FOUND_CODE,
        )
    return paginator.page(page)


def page_meta(page: Page) -> dict[str, int]:
    """``{"total", "page", "page_size", "pages"}`` of a page, as the API lists return it."""
    return {
        "total": page.paginator.count,
        "page": page.number,
        "page_size": page.paginator.per_page,
        "pages": page.paginator.num_pages,
    }


def page_validator(*, maximum: int = MAX_PAGE) -> WrapValidator:
    """Validator of the API's ``page``: the same parser as the HTML pages (it raises
    ``InvalidInput``, which pydantic lets through to the API's error handler: 400
    ``invalid_page``); absent or empty is ``None``."""

    def validate(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if value is None or value == "":
            return None
        return handler(parse_page(value, name=info.field_name or "page", maximum=maximum))

    return WrapValidator(validate)


def page_size_validator(*, maximum: int = MAX_PAGE_SIZE) -> WrapValidator:
    """Validator of the API's ``page_size`` (400 ``invalid_page`` outside 1 … ``maximum``)."""

    def validate(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if value is None or value == "":
            return None
        name = info.field_name or "page_size"
        return handler(parse_page_size(value, default=1, maximum=maximum, name=name))

    return WrapValidator(validate)


def bounded_integer(maximum: int) -> WithJsonSchema:
    """The OpenAPI schema of a page parameter: an integer from 1 to ``maximum``."""
    return WithJsonSchema({"type": "integer", "minimum": 1, "maximum": maximum})


#: API query parameter types with the same rules, documented as bounded integers.
PageNumber = Annotated[int | None, page_validator(), bounded_integer(MAX_PAGE)]
PageSize = Annotated[int | None, page_size_validator(), bounded_integer(MAX_PAGE_SIZE)]
