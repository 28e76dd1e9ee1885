"""Views of the projection workspace (``/planen/<AGS>/``): parse, call a selector or service,
render. Bad input is a German message next to the field and a 400."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ortswandel.core.errors import NotFound, OrtswandelError, PermissionDenied

from . import challenges, exports, presenters, selectors, services, workspace_charts
from .assumptions import BUDGET_PARAMS, CAPACITY_FIELDS, UNCERTAINTY_SOURCE
from .conf import PROJECTION_LIMIT
from .forms import WorkspaceForm, initial_from
from .models import RunStatus, SavedScenario
from .workspace import Settings, base_defaults


def _form(request: HttpRequest, ags: str, data: Any = None) -> tuple[WorkspaceForm, dict[str, Any]]:
    built = selectors.built_scenario(ags=ags)
    defaults = base_defaults(built)
    form = WorkspaceForm(data, launch=defaults["launch"], defaults=defaults)
    return form, defaults


def _settings_from_get(
    request: HttpRequest, ags: str
) -> tuple[WorkspaceForm, dict[str, Any], Settings | None]:
    form, defaults = _form(request, ags, None)
    submitted = any(key in form.fields for key in request.GET)
    if submitted:
        form, defaults = _form(request, ags, request.GET)
    if not submitted:
        return form, defaults, Settings()
    if form.is_valid():
        return form, defaults, form.settings()
    return form, defaults, None


def _query(s: Settings) -> str:
    return urlencode({k: v for k, v in initial_from(s).items() if v is not None})


def _context(
    request: HttpRequest,
    ags: str,
    form: WorkspaceForm,
    defaults: dict[str, Any],
    s: Settings | None,
) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "nav": "municipalities",
        "ags": ags,
        "form": form,
        "defaults": defaults,
        "capacity_fields": [(form[f"cap_{k}"], _(label)) for k, label in CAPACITY_FIELDS],
        # the texts of assumptions.py are German msgids, translated here
        "budget_fields": [
            (form[f"b_{p.name}"], {"default": p.default, "unit": _(p.unit), "source": _(p.source)})
            for p in BUDGET_PARAMS
        ],
        "uncertainty_source": _(UNCERTAINTY_SOURCE),
        "register": selectors.register_capacities(ags=ags, user=request.user),
    }
    if s is not None:
        result = selectors.workspace_result(ags=ags, s=s)
        fan = selectors.workspace_fan(ags=ags, s=s)
        sections: dict[str, list[Any]] = {}
        for section, table in exports.sectioned_tables(result, fan):
            sections.setdefault(section, []).append(table)
        ctx.update(
            {
                "result": result,
                "fan": fan,
                "query": _query(s),
                "settings": s,
                "sections": sections,
                "thresholds": presenters.thresholds(result),
                "error_sentence": presenters.error_sentence(result),
                "texts": {
                    "totals": presenters.totals_text(result),
                    "ages": presenters.ages_text(result),
                    "pyramid": presenters.pyramid_text(result),
                    "fan": presenters.fan_text(fan),
                    "budget": presenters.budget_text(result),
                },
                "charts": workspace_charts.all_charts(result, fan),
                "challenge_items": challenges.challenges_for_values(
                    result.get("challenge_values") or {}, ags=ags
                ),
            }
        )
    return ctx


@require_GET
def workspace(request: HttpRequest, ags: str) -> HttpResponse:
    """The workspace: default projection on first load, the changed one after submitting."""
    try:
        form, defaults, s = _settings_from_get(request, ags)
    except NotFound as exc:  # an unknown AGS: 404 with a search box for the municipality
        missing = {"message": exc.message, "query": ags[:12], "nav": "municipalities"}
        return render(request, "planning/not_found.html", missing, status=404)
    ctx = _context(request, ags, form, defaults, s)
    if request.user.is_authenticated:
        ctx["saved"] = selectors.saved_scenarios(owner=request.user, ags=ags)[:20]
    return render(request, "planning/workspace.html", ctx, status=400 if s is None else 200)


@require_POST
def save(request: HttpRequest, ags: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('accounts:login')}?next={reverse('planning:workspace', args=[ags])}"
        )
    form, defaults = _form(request, ags, request.POST)
    if not form.is_valid():
        ctx = _context(request, ags, form, defaults, None)
        return render(request, "planning/workspace.html", ctx, status=400)
    name = " ".join(request.POST.get("name", "").split())
    existing = selectors.saved_scenarios(owner=request.user, ags=ags).filter(name=name).first()
    try:
        if existing is not None and request.POST.get("overwrite") == "1":
            scenario = services.saved_scenario_update(
                scenario=existing, settings=form.settings(), acting_user=request.user
            )
        else:
            scenario = services.saved_scenario_create(
                owner=request.user, ags=ags, name=name, settings=form.settings()
            )
    except OrtswandelError as exc:
        if exc.status == 403 or "name" not in exc.fields:
            raise
        s = form.settings()
        ctx = _context(request, ags, form, defaults, s)
        ctx["name_error"] = exc.fields["name"]
        ctx["save_error"] = exc.message
        ctx["name_value"] = request.POST.get("name", "")[:120]
        return render(request, "planning/workspace.html", ctx, status=exc.status)
    return redirect("planning:saved", pk=scenario.pk)


def _saved_for(request: HttpRequest, pk: int) -> SavedScenario:
    scenario = selectors.saved_scenario_get(pk=pk)
    if not request.user.has_perm("planning.view_savedscenario", scenario):
        raise NotFound(_("Dieses Szenario gibt es nicht."))
    return scenario


def _show_saved(request: HttpRequest, scenario: SavedScenario, *, shared: bool) -> HttpResponse:
    s = Settings.from_dict(scenario.settings)
    form, defaults = _form(request, scenario.ags, None)
    form.initial = initial_from(s)
    ctx = _context(request, scenario.ags, form, defaults, s)
    ctx.update(
        {
            "scenario": scenario,
            "shared": shared,
            "data_changed": scenario.data_version != selectors.data_version(),
        }
    )
    if not shared and request.user.has_perm("planning.share_savedscenario", scenario):
        ctx["share_url"] = request.build_absolute_uri(
            reverse("planning:shared", args=[selectors.share_token(scenario)])
        )
    response = render(request, "planning/saved.html", ctx)
    if shared:
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def saved(request: HttpRequest, pk: int) -> HttpResponse:
    return _show_saved(request, _saved_for(request, pk), shared=False)


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    return _show_saved(request, selectors.shared_scenario(token), shared=True)


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _saved_for(request, pk)
    ags = scenario.ags
    services.saved_scenario_delete(scenario=scenario, acting_user=request.user)
    return redirect("planning:workspace", ags=ags)


@login_required
@require_POST
def saved_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _saved_for(request, pk)
    if not request.user.has_perm("planning.share_savedscenario", scenario):
        raise PermissionDenied()
    services.saved_scenario_revoke_links(scenario=scenario, acting_user=request.user)
    return redirect("planning:saved", pk=pk)


@require_GET
def export(request: HttpRequest, ags: str, fmt: str) -> HttpResponse:
    """CSV, XLSX or PDF of the workspace as submitted (same query string as the page)."""
    if fmt not in exports.FORMATS:
        raise NotFound(_("Dieses Format gibt es nicht (csv, xlsx, pdf)."))
    if fmt == "pdf":
        PROJECTION_LIMIT.check_request(request)
    form, defaults, s = _settings_from_get(request, ags)
    if s is None:
        ctx = _context(request, ags, form, defaults, None)
        return render(request, "planning/workspace.html", ctx, status=400)
    result = selectors.workspace_result(ags=ags, s=s)
    fan = selectors.workspace_fan(ags=ags, s=s)
    charts = None
    if fmt == "pdf":
        c = workspace_charts.all_charts(result, fan)
        charts = [c["totals"], c["fan"], c["ages"], c["pyramid"], *c["infrastructure"][:4]]
        charts.append(c["budget"])
    return exports.response(fmt, result, fan=fan, defaults=defaults, settings=s, charts=charts)


@require_POST
def run_start(request: HttpRequest, ags: str) -> HttpResponse:
    PROJECTION_LIMIT.check_request(request)
    form, defaults = _form(request, ags, request.POST)
    if not form.is_valid():
        ctx = _context(request, ags, form, defaults, None)
        return render(request, "planning/workspace.html", ctx, status=400)
    run = services.projection_run_start(owner=request.user, ags=ags, settings=form.settings())
    return redirect("planning:run", pk=run.pk)


@require_GET
def run_status(request: HttpRequest, pk: str) -> HttpResponse:
    run = selectors.run_get(pk=pk)
    if run.owner_id is not None and not request.user.has_perm("planning.view_projectionrun", run):
        raise NotFound(_("Diese Berechnung gibt es nicht."))
    if request.GET.get("format") == "json":
        return JsonResponse({"status": run.status, "progress": run.progress})
    done = run.status in (RunStatus.DONE, RunStatus.FAILED)
    charts = []
    if run.status == RunStatus.DONE and run.result.get("scenarios"):
        charts = [workspace_charts.fan(run.result, name) for name in run.result["scenarios"]]
    return render(
        request,
        "planning/run.html",
        {"run": run, "done": done, "charts": charts, "nav": "municipalities"},
    )
