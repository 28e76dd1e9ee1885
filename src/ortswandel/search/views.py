"""The search page: parse the GET parameters, call the selector, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ortswandel.core.errors import OrtswandelError

from . import selectors
from .models import DocumentKind

EXAMPLE_QUERIES = ["Daseinsvorsorge", "Kommunen", '"digitale Verwaltung"', "Mobilität ländlich"]


def search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    raw_query = params.get("q", "")
    context: dict[str, Any] = {
        "nav": "search",
        "query": raw_query.strip()[:500],
        "kind": params.get("kind", ""),
        "programme_slug": params.get("programme", ""),
        "ags": params.get("ags", ""),
        "fit_only": params.get("nur_passend") == "1",
        "kinds": DocumentKind.choices,
        "programmes": selectors.programme_choices(),
        "examples": EXAMPLE_QUERIES,
        "max_length": selectors.german.MAX_QUERY_LENGTH,
        "result": None,
        "error": None,
    }
    try:
        query = selectors.validate_query(raw_query)
        kind = selectors.validate_kind(context["kind"])
        page = selectors.validate_page(params.get("page"))
        programme = selectors.programme_by_slug(context["programme_slug"])
        fit = selectors.fit_context(context["ags"], only=context["fit_only"])
        context["fit"] = fit
        if query or fit is not None:
            result = selectors.search(
                query=query, kind=kind, programme=programme, fit=fit, page=page
            )
            context["result"] = result
            labels = dict(DocumentKind.choices)
            context["kind_facets"] = [
                (value, labels[value], result.kind_counts[value]) for value in labels
            ]
    except OrtswandelError as error:
        context["error"] = error
        return render(request, "search/search.html", context, status=error.status)
    return render(request, "search/search.html", context)
