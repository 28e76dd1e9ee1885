"""Text folding for substring filters: one definition for the database column and for Python.

``fold`` is the case- and accent-insensitive form of a text, the same that the municipality
search (``fold_name``) and the full-text index (FTS5 ``remove_diacritics``) use: Unicode
compatibility decomposition, ``casefold`` (``ß`` → ``ss``, ``ẞ`` → ``ss``), combining marks
removed (``ü`` → ``u``). So ``über``, ``Über``, ``ÜBER`` and ``uber`` all find "Über die Straße",
and so do ``straße``, ``Strasse`` and ``STRASSE``; ``ueber`` does not (umlauts are not
transliterated to ``ue``: the same rule as the other searches of the site).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: Separates the folded source fields in a stored column, so a needle cannot match across them.
FIELD_SEPARATOR = "\n"


def fold(value: str) -> str:
    """``value`` case- and accent-folded (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", value).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_fields(values: Iterable[str | None]) -> str:
    """The folded values, joined by :data:`FIELD_SEPARATOR` (the stored search column)."""
    return FIELD_SEPARATOR.join(fold(value or "") for value in values)
