"""Municipality pages: search / "Meine Kommune" (``/kommunen/``) and one page per AGS."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ortswandel.core import versions
from ortswandel.core.cache import versioned
from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.core.paging import paginate, parse_page

from . import profile as profiles
from . import selectors
from .models import LAND_NAMES, Municipality, SizeClass

PAGE_SIZE = 25

#: Same escapes as Django's ``json_script``: the JSON can never close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    """Serialise schema.org data for ``<script type="application/ld+json">`` safely."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


def search(request: HttpRequest) -> HttpResponse:
    """Find a municipality by name, AGS or postal code; filter by Land and size class.

    "Meine Kommune": when the query clearly means one municipality (exact AGS or a unique
    exact name), the visitor is taken straight to its page.
    """
    context: dict[str, Any] = {
        "nav": "municipalities",
        "params": selectors.SearchParams(),
        "page_obj": None,
        "lands": sorted(LAND_NAMES.items()),
        "size_classes": SizeClass.choices,
        "breadcrumbs": [(_("Kommunen"), None)],
    }
    try:
        params = selectors.parse_search_params(request.GET)
        page_number = parse_page(request.GET.get("page"))
    except InvalidInput as exc:
        # Show the form again with the message next to the field (400).
        context["params"] = selectors.SearchParams(
            q=str(request.GET.get("q", ""))[: selectors.MAX_QUERY_LENGTH]
        )
        context["errors"] = exc.fields or {"q": exc.message}
        context["error_message"] = exc.message
        return render(request, "municipalities/search.html", context, status=400)
    context["params"] = params
    if not params.is_empty:
        page = paginate(selectors.municipality_search(params), page=page_number, per_page=PAGE_SIZE)
        if page_number == 1 and request.GET.get("go") == "1":
            match = selectors.municipality_exact_match(params, list(page.object_list))
            if match is not None:
                return redirect(match.get_absolute_url())
        context["page_obj"] = page
    return render(request, "municipalities/search.html", context)


#: The planning workspace of a municipality (built by the planning app; linked by path).
PLANNING_PATH = "/planen/{ags}/"


def not_found(request: HttpRequest, ags: str, message: str) -> HttpResponse:
    """404 for an unknown or malformed AGS: the reason and a search box to find the right one."""
    query = ags[:40] if not ags.isdigit() else ""
    return render(
        request,
        "municipalities/not_found.html",
        {
            "nav": "municipalities",
            "message": message,
            "ags": ags[:40],
            "query": query,
            "breadcrumbs": [
                (_("Kommunen"), reverse("municipalities:search")),
                (_("Nicht gefunden"), None),
            ],
        },
        status=404,
    )


#: How long a rendered profile may be served from the cache (the key also changes with every
#: data-pool import and register upload, and with the register's content version).
PROFILE_CACHE_SECONDS = 600


def profile_fragments(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    """The profile's rendered parts (key figures; maps, charts, comparison) and the data.

    Rendered once per AGS, language and data version for everyone who cannot see private
    register data (the anonymous public, most visitors); built per request for the
    municipality's staff and admins, whose page may include unpublished uploads."""

    def build() -> tuple[SafeString, SafeString, profiles.Profile]:
        profile = profiles.municipality_profile(municipality, user=request.user)
        context = {"profile": profile, "m": municipality}
        return (
            mark_safe(render_to_string("municipalities/_profile_figures.html", context)),  # noqa: S308
            mark_safe(render_to_string("municipalities/_profile_sections.html", context)),  # noqa: S308
            profile,
        )

    if profiles.sees_private_data(municipality.ags, request.user):
        figures, sections, profile = build()
    else:
        figures, sections, profile = versioned(
            "municipalities:profile",
            build,
            versions=[versions.REGISTER],
            parts=[municipality.ags, get_language(), profiles.data_version()],
            timeout=PROFILE_CACHE_SECONDS,
        )
    return {"profile": profile, "profile_figures": figures, "profile_sections": sections}


def detail(request: HttpRequest, ags: str) -> HttpResponse:
    """The municipality profile: facts and key figures with sources, development over time,
    age structure, maps, comparison with district/Land/Germany, similar municipalities, and
    the projects contributed by other apps."""
    if len(ags) == 12 and ags.isdigit():
        target = selectors.municipality_ags_for_ars(ars=ags)
        if target:
            return redirect("municipalities:detail", ags=target, permanent=True)
    try:
        page = selectors.municipality_page(ags=ags)
    except (InvalidInput, NotFound) as exc:
        # A malformed or unknown key names no page: 404, with the reason and a search box.
        return not_found(request, ags, exc.message)
    municipality = page.municipality
    return render(
        request,
        "municipalities/detail.html",
        {
            "nav": "municipalities",
            "m": municipality,
            "page": page,
            **profile_fragments(request, municipality),
            "planning_url": PLANNING_PATH.format(ags=municipality.ags),
            "size_class_short": selectors.SIZE_CLASS_SHORT.get(municipality.size_class, ""),
            "json_ld": json_ld(schema_org(request, municipality)),
            "breadcrumbs": [
                (_("Kommunen"), reverse("municipalities:search")),
                (
                    municipality.land_name,
                    reverse("municipalities:search") + f"?land={municipality.land_code}",
                ),
                (municipality.name, None),
            ],
        },
    )


def schema_org(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    """schema.org ``AdministrativeArea`` (a ``Place``) identified by AGS and ARS."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "AdministrativeArea",
        "name": municipality.name,
        "url": request.build_absolute_uri(municipality.get_absolute_url()),
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "AGS", "value": municipality.ags},
            {"@type": "PropertyValue", "propertyID": "ARS", "value": municipality.ars},
        ],
    }
    state = {"@type": "State", "name": municipality.land_name}
    if municipality.kreis_name and not municipality.is_district_free:
        data["containedInPlace"] = {
            "@type": "AdministrativeArea",
            "name": municipality.kreis_name,
            "containedInPlace": state,
        }
    else:
        data["containedInPlace"] = state
    if municipality.postal_code:
        data["address"] = {
            "@type": "PostalAddress",
            "postalCode": municipality.postal_code,
            "addressLocality": municipality.short_name,
            "addressCountry": "DE",
        }
    if municipality.latitude is not None and municipality.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": municipality.latitude,
            "longitude": municipality.longitude,
        }
    if municipality.population is not None:
        data["additionalProperty"] = [
            {
                "@type": "PropertyValue",
                "name": "Einwohner",
                "value": municipality.population,
                **(
                    {"validFrom": municipality.population_date.isoformat()}
                    if municipality.population_date
                    else {}
                ),
            }
        ]
    return data
