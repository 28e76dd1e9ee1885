"""Reads of the planning workspace: the default scenario of an AGS (cached per AGS and data
version), the computed workspace, saved scenarios and shared links."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ortswandel.core import signed_links
from ortswandel.core.cache import versioned
from ortswandel.core.errors import NotFound, Unprocessable
from ortswandel.datapool.care import CareError, CareSplit, care_split
from ortswandel.scenario.build import BuildError, BuiltScenario, build_scenario
from ortswandel.scenario.errorband import ERROR_BAND_JSON
from ortswandel.sources.base_population import MUNICIPAL_YEAR
from ortswandel.sources.official import official_data

from .models import ProjectionRun, SavedScenario
from .workspace import Settings, compute, fan_chart

AGS_RE = re.compile(r"\A[0-9]{8}\Z")
SHARE_PURPOSE = "planning.scenario.share"
DAY = 86_400


def data_version() -> str:
    """A short token of the data directory and the measured error band: a new data delivery
    (its ``SOURCES.md`` rewritten) or a new backtest gives new cache keys."""
    root = Path(settings.ORTSWANDEL_DATA_DIR)
    parts = [str(root)]
    for f in (root / "SOURCES.md", ERROR_BAND_JSON):
        try:
            parts.append(str(f.stat().st_mtime_ns))
        except OSError:
            parts.append("-")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def check_ags(ags: str) -> str:
    if not isinstance(ags, str) or not AGS_RE.match(ags):
        raise NotFound(
            _("„%(ags)s“ ist kein Gemeindeschlüssel (AGS, 8 Ziffern).") % {"ags": str(ags)[:20]},
            code="invalid_ags",
        )
    return ags


def built_scenario(*, ags: str, horizon: int = 25) -> BuiltScenario:
    """The default scenario of municipality ``ags`` (launch 31.12. of the municipal base year).

    Raises :class:`NotFound` for an AGS that is not a municipality with inhabitants and
    :class:`Unprocessable` when the data directory lacks what is needed."""
    check_ags(ags)

    def build() -> BuiltScenario:
        try:
            return build_scenario(
                [ags],
                MUNICIPAL_YEAR,
                horizon=horizon,
                data=official_data(
                    settings.ORTSWANDEL_DATA_DIR, cache_dir=settings.ORTSWANDEL_DERIVED_DIR
                ),
            )
        except BuildError as exc:
            if exc.field == "--ags":
                raise NotFound(
                    _("Zum Gemeindeschlüssel %(ags)s gibt es keine Gemeinde mit Einwohnern.")
                    % {"ags": ags},
                    code="unknown_ags",
                ) from None
            raise Unprocessable(
                _("Die Vorausberechnung ist mit den vorhandenen Daten nicht möglich: %(problem)s")
                % {"problem": exc.problem},
                code="data_missing",
            ) from None

    return versioned(
        "planning:built",
        build,
        versions=(),
        parts=(ags, horizon, data_version()),
        timeout=DAY,
        local=True,
    )


def settings_key(s: Settings) -> str:
    return hashlib.sha256(json.dumps(s.as_dict(), sort_keys=True).encode()).hexdigest()[:20]


def care_for(built: BuiltScenario) -> CareSplit:
    """The care split of the municipality's district (or Land, or Germany)."""
    try:
        return care_split(
            kreis=built.areas[0]["kreis"],
            root=settings.ORTSWANDEL_DATA_DIR,
            cache_dir=settings.ORTSWANDEL_DERIVED_DIR,
        )
    except CareError:
        raise Unprocessable(
            _(
                "Die Pflegestatistik (Tabelle 22411-02-03-4) fehlt im Datenverzeichnis; ohne "
                "sie lässt sich der Pflegebedarf nicht nach Versorgungsart aufteilen."
            ),
            code="data_missing",
        ) from None


def workspace_result(*, ags: str, s: Settings) -> dict[str, Any]:
    """Everything the workspace shows for ``s`` (cached per AGS, data version and settings)."""
    built = built_scenario(ags=ags, horizon=s.horizon)
    return versioned(
        "planning:result",
        lambda: compute(built, s, care=care_for(built)),
        versions=(),
        parts=(ags, settings_key(s), data_version()),
        timeout=DAY,
    )


def workspace_fan(*, ags: str, s: Settings) -> dict[str, Any]:
    """The fan chart of the base (1,000 trajectories; about 0.1 s, cached)."""
    built = built_scenario(ags=ags, horizon=s.horizon)
    return versioned(
        "planning:fan",
        lambda: fan_chart(built, s),
        versions=(),
        parts=(ags, settings_key(s), data_version()),
        timeout=DAY,
    )


def saved_scenarios(*, owner: Any, ags: str | None = None) -> QuerySet[SavedScenario]:
    if not getattr(owner, "is_authenticated", False):
        return SavedScenario.objects.none()
    qs = SavedScenario.objects.filter(owner=owner)
    return qs.filter(ags=ags) if ags else qs


def saved_scenario_get(*, pk: int) -> SavedScenario:
    try:
        return SavedScenario.objects.select_related("owner").get(pk=pk)
    except SavedScenario.DoesNotExist:
        raise NotFound(_("Dieses Szenario gibt es nicht.")) from None


def share_token(scenario: SavedScenario) -> str:
    """A read-only link token; raising ``share_version`` revokes every earlier one."""
    return signed_links.make(
        {"id": scenario.pk, "v": scenario.share_version}, purpose=SHARE_PURPOSE
    )


def shared_scenario(token: str) -> SavedScenario:
    """The scenario a read-only share link points to (404 if forged, revoked or deleted)."""
    payload = signed_links.read(token, purpose=SHARE_PURPOSE)
    try:
        pk, version = int(payload["id"]), int(payload["v"])
    except (KeyError, TypeError, ValueError):
        raise signed_links.LinkInvalid() from None
    scenario = SavedScenario.objects.filter(pk=pk, share_version=version).first()
    if scenario is None:
        raise signed_links.LinkInvalid()
    return scenario


def run_get(*, pk: Any) -> ProjectionRun:
    try:
        return ProjectionRun.objects.get(pk=uuid.UUID(str(pk)))
    except (ProjectionRun.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Diese Berechnung gibt es nicht.")) from None


#: Register facility kinds (datapool uploads) → the workspace's capacity fields they cover.
REGISTER_KINDS = {
    "kita": ("Kita", ("kita_u3", "kita_3_6")),
    "schule": ("Schule", ("primary", "secondary")),
    "pflege": ("Pflege", ("care_residential",)),
}


def register_capacities(*, ags: str, user: Any) -> list[dict[str, Any]]:
    """Places from the municipality's own register upload (latest date per kind) that ``user``
    may see (published, or the municipality's staff): a hint beside the capacity fields, since
    the upload does not split Kita by age or school by type."""
    from ortswandel.datapool.selectors import visible_values
    from ortswandel.datapool.services.register import PLACES

    rows = (
        visible_values(user)
        .filter(indicator__code=PLACES, unit__code=ags, breakdown__startswith="art=")
        .order_by("breakdown", "-date")
        .values_list("breakdown", "date", "value", "is_private")
    )
    out: dict[str, dict[str, Any]] = {}
    for breakdown, date, value, private in rows:
        kind = breakdown.removeprefix("art=")
        if kind in REGISTER_KINDS and kind not in out and value is not None:
            label, fields = REGISTER_KINDS[kind]
            out[kind] = {
                "label": label,
                "places": value,
                "date": date,
                "private": private,
                "fields": fields,
            }
    return list(out.values())
