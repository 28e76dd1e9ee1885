"""schema.org JSON-LD for project and organisation pages (search engines, data portals)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .models import Organisation, Project, ProjectPartner

SCHEMA_CONTEXT = "https://schema.org"


def _plain(html: str, words: int = 80) -> str:
    return Truncator(" ".join(strip_tags(html or "").split())).words(words)


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organisation_ref(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    return _drop_empty(
        {
            "@type": "Organization",
            "name": organisation.name,
            "url": request.build_absolute_uri(organisation.get_absolute_url()),
            "sameAs": organisation.website,
        }
    )


def project_jsonld(
    project: Project, partnerships: list[ProjectPartner], request: HttpRequest
) -> dict[str, Any]:
    """A ``ResearchProject`` with funder, member organisations and the served municipalities."""
    programme = project.programme
    funder = {"@type": "Organization", "name": programme.funder} if programme.funder else None
    grant = None
    if project.funding_reference or project.funding_amount is not None:
        grant = _drop_empty(
            {
                "@type": "MonetaryGrant",
                "identifier": project.funding_reference,
                "amount": (
                    {
                        "@type": "MonetaryAmount",
                        "currency": "EUR",
                        "value": float(project.funding_amount),
                    }
                    if project.funding_amount is not None
                    else None
                ),
                "funder": funder,
            }
        )
    members: list[dict[str, Any]] = []
    seen: set[int] = set()
    for partnership in partnerships:
        if partnership.organisation_id in seen:
            continue
        seen.add(partnership.organisation_id)
        members.append(organisation_ref(partnership.organisation, request))
    return _drop_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "ResearchProject",
            "name": project.title or project.acronym,
            "alternateName": project.acronym if project.title else "",
            "url": request.build_absolute_uri(project.get_absolute_url()),
            "description": _plain(project.summary),
            "startDate": project.start_date.isoformat() if project.start_date else None,
            "endDate": project.end_date.isoformat() if project.end_date else None,
            "funder": funder,
            "funding": grant,
            "member": members,
            "areaServed": [
                {
                    "@type": "AdministrativeArea",
                    "name": municipality.name,
                    "identifier": municipality.ags,
                }
                for municipality in project.municipalities.all()
            ],
            "keywords": ", ".join(theme.name for theme in project.themes.all()),
            "sameAs": project.website,
        }
    )


def organisation_jsonld(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    data = organisation_ref(organisation, request)
    municipality = organisation.municipality
    data.update(
        _drop_empty(
            {
                "@context": SCHEMA_CONTEXT,
                "description": _plain(organisation.description),
                "address": (
                    {
                        "@type": "PostalAddress",
                        "addressLocality": municipality.name,
                        "postalCode": municipality.postal_code,
                        "addressCountry": "DE",
                    }
                    if municipality is not None
                    else None
                ),
            }
        )
    )
    return {"@context": SCHEMA_CONTEXT, **{k: v for k, v in data.items() if k != "@context"}}
