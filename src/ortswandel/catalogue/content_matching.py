"""Matching the places and partners named in the collected facts to our records (used by
:mod:`ortswandel.catalogue.content_import`; reads only, never writes).

* Model municipalities are matched to the official register by name *and* Land, only when the
  match is unique. Districts, regions, offices (Amt, Verbandsgemeinde) and names the current
  register does not know (territorial changes) stay unresolved with the reason, never guessed.
* Partners are matched to organisations by name (case, accents, a trailing place in brackets or
  after a comma ignored), so one organisation serves all its projects.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from ortswandel.municipalities.models import Municipality, fold_name

from .models import Organisation

_NOT_A_GEMEINDE = re.compile(
    r"\b(landkreis|kreis|region|amt|verbandsgemeinde|samtgemeinde|leader)\b|kreis\b|-region\b",
    re.I,
)
_ORTSTEIL = re.compile(r"\s*(?:,\s*ortsteil\s+.*|\(ortsteil\s+[^)]*\))$", re.I)


def fold(text: str) -> str:
    """Lower case, ``ß`` → ``ss``, accents dropped, every run of other characters one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def organisation_key(name: str) -> str:
    """The name without a trailing place (``… (Güstrow)``, ``…, Berlin``), folded."""
    base = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    base = re.sub(r",\s*[^,]+$", "", base) if "," in base else base
    return fold(base)


@dataclass
class UnresolvedPlace:
    programme: str
    project: str
    name: str
    land: str
    reason: str


@dataclass
class PlaceMatch:
    """The municipalities a named place stands for; none, with the ``reason``, if unresolved."""

    municipalities: list[Municipality] = field(default_factory=list)
    reason: str = ""


class MunicipalityMatcher:
    """Names of places (with their Land) → municipalities of the register, read once."""

    def __init__(self) -> None:
        self._register: dict[str, dict[str, list[Municipality]]] | None = None

    def register(self) -> dict[str, dict[str, list[Municipality]]]:
        """Land name → folded name variant → municipalities of the register."""
        if self._register is None:
            index: dict[str, dict[str, list[Municipality]]] = defaultdict(lambda: defaultdict(list))
            for m in Municipality.objects.only("id", "ags", "name", "land_name"):
                if "gemfr." in m.name:  # a "gemeindefreies Gebiet" is no municipality
                    continue
                short = m.name.split(",", 1)[0].strip()
                variants = {
                    fold_name(short),
                    fold_name(short.split("/", 1)[0]),
                }
                for variant in variants:
                    index[m.land_name][variant].append(m)
            self._register = index
        return self._register

    def match(self, name: str, land: str) -> PlaceMatch:  # noqa: PLR0911 (one return per reason)
        if not name:
            return PlaceMatch(reason="kein Name")
        if _NOT_A_GEMEINDE.search(name):
            return PlaceMatch(reason="keine Gemeinde (Kreis, Region, Amt oder Gemeindeverband)")
        by_name = self.register().get(land)
        if by_name is None:
            return PlaceMatch(reason="Land nicht im Gemeindeverzeichnis")
        candidates = by_name.get(fold_name(_ORTSTEIL.sub("", name)), [])
        if not candidates and " und " in name:  # "Perleberg und Wittenberge": both, or none
            parts = [by_name.get(fold_name(p.strip()), []) for p in name.split(" und ")]
            if all(len(p) == 1 for p in parts):
                return PlaceMatch([p[0] for p in parts])
        unique = {m.pk: m for m in candidates}
        if len(unique) == 1:
            return PlaceMatch(list(unique.values()))
        if unique:
            return PlaceMatch(
                reason="mehrdeutig: "
                + ", ".join(sorted(f"{m.name} ({m.ags})" for m in unique.values()))
            )
        return PlaceMatch(reason="nicht im Gemeindeverzeichnis (Gebietsstand geändert?)")


class OrganisationIndex:
    """Organisations by folded name and by :func:`organisation_key`, read once; organisations
    created during the import are added with :meth:`remember`."""

    def __init__(self) -> None:
        self._by_key: dict[str, Organisation] = {}
        self._loaded = False

    def find(self, name: str) -> Organisation | None:
        if not self._loaded:
            for org in Organisation.objects.all():
                self._by_key.setdefault(fold(org.name), org)
                self._by_key.setdefault(organisation_key(org.name), org)
            self._loaded = True
        return self._by_key.get(fold(name)) or self._by_key.get(organisation_key(name))

    def remember(self, name: str, org: Organisation) -> None:
        self._by_key[fold(name)] = org
        self._by_key.setdefault(organisation_key(name), org)
