"""Query parameters: one parser for the HTML views and the JSON API.

Everything that comes from a query string goes through these functions (or through
:mod:`ortswandel.core.paging`, which builds on them), so that malformed input is a German 400
everywhere and never reaches the database:

* whole numbers are ASCII digits only (``str.isdigit()`` also accepts ``²`` or ``٣``, which
  ``int()`` then rejects or reads as a digit) and bounded (a 20-digit offset is "bigint out of
  range" on PostgreSQL, an overflow on SQLite);
* text never contains NUL or other control characters (PostgreSQL rejects NUL in text; the
  :class:`~ortswandel.core.middleware.QueryStringGuardMiddleware` turns any such character in a
  query string into a 400 before a view runs);
* dates are ISO dates within :data:`MIN_YEAR` … :data:`MAX_YEAR` (year 1 in Berlin is year 0 in
  UTC, which Python cannot represent).

For the JSON API, typed parameters carry the same bounds as pydantic types (:data:`DbId`,
:data:`QueryDate`; out of range: 422), and the page parameters of
:mod:`ortswandel.core.paging` fail exactly as on the HTML pages (400 ``invalid_page``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import Field

from .errors import InvalidInput

#: The largest primary key the database can hold (PostgreSQL ``bigint``, SQLite ``INTEGER``).
MAX_DB_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1900, 2200
#: C0 control characters and DEL, except tab, line feed and carriage return.
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII_DIGITS_RE = re.compile(r"[0-9]+")


def has_control_chars(value: str) -> bool:
    return CONTROL_CHARS_RE.search(value) is not None


def to_int(value: object, *, minimum: int, maximum: int) -> int | None:
    """``value`` as an int when it is ASCII digits (surrounding blanks allowed) within the
    bounds; otherwise ``None``. Never calls ``int()`` on more digits than ``maximum`` has."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if minimum <= value <= maximum else None
    text = str(value).strip() if value is not None else ""
    if not _ASCII_DIGITS_RE.fullmatch(text):
        return None
    text = text.lstrip("0") or "0"
    if len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_int(
    value: object,
    *,
    name: str,
    minimum: int,
    maximum: int,
    default: int | None = None,
    code: str = "invalid_input",
    message: str | None = None,
) -> int | None:
    """A bounded whole number from a query parameter; empty gives ``default``.

    Raises :class:`InvalidInput` (400) with ``code`` and a German message naming the bounds.
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return default
    number = to_int(value, minimum=minimum, maximum=maximum)
    if number is None:
        hint = _("Bitte eine ganze Zahl von %(min)d bis %(max)d angeben.") % {
            "min": minimum,
            "max": maximum,
        }
        raise InvalidInput(
            message
            or _("„%(value)s“ ist kein gültiger Wert für „%(name)s“.")
            % {"value": shown_value(value), "name": name},
            code=code,
            fields={name: hint},
        )
    return number


def check_text(value: str, *, name: str, max_length: int | None = None) -> str:
    """``value`` unchanged, or a German 400 for control characters or excess length."""
    if has_control_chars(value):
        raise InvalidInput(
            _("Die Angabe „%(name)s“ enthält unzulässige Steuerzeichen.") % {"name": name},
            code="invalid_characters",
            fields={name: _("Unzulässige Steuerzeichen.")},
        )
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(
            _("Die Angabe „%(name)s“ ist zu lang (höchstens %(n)d Zeichen).")
            % {"name": name, "n": max_length},
            fields={name: _("Höchstens %(n)d Zeichen.") % {"n": max_length}},
        )
    return value


def to_date(value: object) -> dt.date | None:
    """An ISO date (``JJJJ-MM-TT``, ASCII digits) within the supported years, else ``None``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value if MIN_YEAR <= value.year <= MAX_YEAR else None
    text = str(value or "").strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return date if MIN_YEAR <= date.year <= MAX_YEAR else None


def parse_date(value: object, *, name: str) -> dt.date | None:
    """An optional ISO date from a query parameter; German 400 when malformed."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    date = to_date(value)
    if date is None:
        raise InvalidInput(
            _("„%(value)s“ ist kein gültiges Datum für „%(name)s“.")
            % {"value": shown_value(value), "name": name},
            fields={
                name: _("Bitte ein Datum im Format JJJJ-MM-TT zwischen %(min)d und %(max)d.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            },
        )
    return date


def shown_value(value: object) -> str:
    """The offending value, shortened and without control characters, for a message."""
    return CONTROL_CHARS_RE.sub("", str(value))[:40]


# --------------------------------------------------------------------------- pydantic types

#: A primary key in an API path (``/api/events/{event_id}``): 1 … 2⁶³−1 (else 422).
DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]
#: A date in an API query: within :data:`MIN_YEAR` … :data:`MAX_YEAR` (else 422).
QueryDate = Annotated[dt.date, Field(ge=dt.date(MIN_YEAR, 1, 1), le=dt.date(MAX_YEAR, 12, 31))]
