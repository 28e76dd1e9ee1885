"""From challenge to knowledge: what a projection shows, and who has met it already.

A :class:`~.models.Challenge` is a rule over one indicator (for example "children of primary
school age change by less than -15 %") and the catalogue themes that address it; editors keep
both in the admin. :func:`detect` applies the active rules to a plain dict of indicator values —
the outlook of a municipality (:func:`challenges_for_ags`) or a result of the projection
workspace (keys as in :class:`~.models.Challenge.Indicator`, e.g. ``change_6_9_pct``,
``kita_gap``). :func:`knowledge` then lists the published projects and results on those themes,
projects from municipalities with the same trend first, and the upcoming events on them.
Every list is read with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ortswandel.catalogue.models import Project, Result
from ortswandel.catalogue.selectors import published_projects, published_results
from ortswandel.core.charts import number, percent
from ortswandel.events.models import Event
from ortswandel.events.selectors import EventFilters, public_events

from .models import Challenge, MunicipalityOutlook

PROJECTS_PER_CHALLENGE = 6
RESULTS_PER_CHALLENGE = 4
EVENTS_PER_CHALLENGE = 3


@dataclass(frozen=True)
class DetectedChallenge:
    """A challenge whose rule holds, with the value that triggered it."""

    challenge: Challenge
    value: float

    @property
    def name(self) -> str:
        c = self.challenge
        return c.name_en if (get_language() or "de").startswith("en") and c.name_en else c.name

    @property
    def why(self) -> str:
        """The rule and the value, in words (German msgid)."""
        c = self.challenge
        if c.indicator in ("kita_gap", "care_gap"):  # places, not percent
            value, threshold = number(self.value), number(c.threshold)
        else:
            value, threshold = percent(self.value, 1, signed=True), percent(c.threshold, 0)
        return _("%(indicator)s: %(value)s (Schwelle: %(direction)s %(threshold)s)") % {
            "indicator": c.get_indicator_display(),
            "value": value,
            "direction": c.get_direction_display(),
            "threshold": threshold,
        }


@dataclass
class Knowledge:
    """Projects, results and events on the themes of one detected challenge."""

    detected: DetectedChallenge
    projects: list[tuple[Project, bool]] = field(default_factory=list)  # (project, same trend)
    results: list[Result] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def active_challenges() -> list[Challenge]:
    return list(Challenge.objects.filter(is_active=True).prefetch_related("themes"))


def detect(
    values: Mapping[str, float | None], *, challenges: Iterable[Challenge] | None = None
) -> list[DetectedChallenge]:
    """The challenges whose rule holds for ``values`` (indicator key → value; missing or
    ``None`` values never trigger a rule), in the challenges' order."""
    found = []
    for challenge in active_challenges() if challenges is None else challenges:
        value = values.get(challenge.indicator)
        if challenge.applies(value):
            assert value is not None  # noqa: S101 - applies() is False for None
            found.append(DetectedChallenge(challenge, float(value)))
    return found


def _same_trend(challenge: Challenge, ags: Iterable[str]) -> set[str]:
    """Those of ``ags`` whose current outlook meets the challenge's rule too."""
    wanted = list(set(ags))
    if not wanted or challenge.indicator not in {f.name for f in MunicipalityOutlook._meta.fields}:
        return set()
    lookup = "gt" if challenge.direction == Challenge.Direction.ABOVE else "lt"
    return set(
        MunicipalityOutlook.objects.filter(
            run__is_current=True,
            ags__in=wanted,
            **{f"{challenge.indicator}__{lookup}": challenge.threshold},
        ).values_list("ags", flat=True)
    )


def knowledge(
    detected: list[DetectedChallenge], *, exclude_ags: str | None = None
) -> list[Knowledge]:
    """For every detected challenge: published projects on its themes (from municipalities with
    the same trend first, then the most recent), results and upcoming events on its themes."""
    out = []
    for item in detected:
        theme_ids = [t.pk for t in item.challenge.themes.all()]
        entry = Knowledge(item)
        out.append(entry)
        if not theme_ids:
            continue
        projects = list(
            published_projects()
            .filter(themes__in=theme_ids)
            .distinct()
            .select_related("programme")
            .prefetch_related("municipalities")
            .order_by("-start_date", "acronym")[:50]
        )
        places = {
            p.pk: [m.ags for m in p.municipalities.all() if m.ags != exclude_ags] for p in projects
        }
        same = _same_trend(item.challenge, (a for ags in places.values() for a in ags))
        ranked = sorted(projects, key=lambda p: not any(a in same for a in places[p.pk]))
        entry.projects = [
            (p, any(a in same for a in places[p.pk])) for p in ranked[:PROJECTS_PER_CHALLENGE]
        ]
        entry.results = list(
            published_results()
            .filter(themes__in=theme_ids)
            .distinct()
            .order_by("-year", "title")[:RESULTS_PER_CHALLENGE]
        )
        entry.events = list(
            public_events(EventFilters(when="upcoming"))
            .filter(themes__in=theme_ids)
            .distinct()[:EVENTS_PER_CHALLENGE]
        )
    return out


@dataclass(frozen=True)
class ChallengeReport:
    ags: str
    values: dict[str, Any] | None
    items: list[Knowledge]


def challenges_for_values(
    values: Mapping[str, float | None], *, ags: str | None = None
) -> list[Knowledge]:
    """:func:`detect` and :func:`knowledge` in one call (for the workspace: pass the plain dict
    of a projection result's indicator values)."""
    return knowledge(detect(values), exclude_ags=ags)


def challenges_for_ags(*, ags: str) -> ChallengeReport:
    """The challenges of a municipality's outlook and the knowledge on them (``NotFound`` /
    ``InvalidInput`` as :func:`~.outlook.reads.outlook_for`)."""
    from .outlook.reads import outlook_for

    detail = outlook_for(ags=ags)
    values = detail.values()
    return ChallengeReport(ags, values, challenges_for_values(values, ags=ags))
