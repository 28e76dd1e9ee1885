"""What other apps add to a project's page (the catalogue sits below them and imports none).

An app registers a contributor in its ``AppConfig.ready()``::

    register_project_contributor(contribute)

``contribute(project)`` returns a :class:`ProjectSection` or ``None`` (nothing to show). The
project page renders the sections after its own parts, in registration order (that of
``INSTALLED_APPS``). Examples: the events of the project (events), the call it was selected in
with its grants (calls).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SectionItem:
    label: str
    url: str = ""
    note: str = ""


@dataclass
class ProjectSection:
    key: str  # html id
    title: str
    items: list[SectionItem] = field(default_factory=list)
    text: str = ""


ProjectContributor = Callable[[Any], ProjectSection | None]

_contributors: list[ProjectContributor] = []


def register_project_contributor(contribute: ProjectContributor) -> None:
    if contribute not in _contributors:
        _contributors.append(contribute)


def project_sections(project: Any) -> list[ProjectSection]:
    sections = []
    for contribute in _contributors:
        section = contribute(project)
        if section is not None:
            sections.append(section)
    return sections
