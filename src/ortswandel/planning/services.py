"""Writes of the planning workspace: saved scenarios (audited) and background runs."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.core import jobs
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, InvalidInput, PermissionDenied

from . import selectors
from .models import ProjectionRun, RunStatus, SavedScenario
from .workspace import BASE, Settings, fan_chart, scenario_document

MAX_SAVED_PER_USER = 200
MAX_NAME = 120


def _clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidInput(_("Bitte einen Namen angeben."), fields={"name": _("Pflichtfeld")})
    if len(name) > MAX_NAME:
        raise InvalidInput(
            _("Der Name ist zu lang (höchstens %(n)d Zeichen).") % {"n": MAX_NAME},
            fields={"name": _("höchstens %(n)d Zeichen") % {"n": MAX_NAME}},
        )
    return name


def saved_scenario_create(*, owner: Any, ags: str, name: str, settings: Settings) -> SavedScenario:
    """Save the workspace ``settings`` of ``ags`` under ``name`` for ``owner``."""
    if not owner.has_perm("planning.add_savedscenario"):
        raise PermissionDenied(_("Zum Speichern bitte anmelden."))
    name = _clean_name(name)
    built = selectors.built_scenario(ags=ags, horizon=settings.horizon)
    document = scenario_document(built, settings)
    with transaction.atomic():
        if SavedScenario.objects.filter(owner=owner).count() >= MAX_SAVED_PER_USER:
            raise Conflict(
                _("Sie haben schon %(n)d Szenarien gespeichert; bitte zuerst welche löschen.")
                % {"n": MAX_SAVED_PER_USER}
            )
        try:
            with transaction.atomic():
                scenario = SavedScenario.objects.create(
                    owner=owner,
                    ags=ags,
                    name=name,
                    settings=settings.as_dict(),
                    document=document,
                    data_version=selectors.data_version(),
                )
        except IntegrityError:
            raise Conflict(
                _("Ein Szenario mit diesem Namen gibt es für diese Gemeinde schon."),
                fields={"name": _("Name schon vergeben")},
            ) from None
        audit_log(
            action="planning.scenario.saved",
            actor=owner,
            obj=scenario,
            payload={"ags": ags, "name": name},
        )
    return scenario


def saved_scenario_delete(*, scenario: SavedScenario, acting_user: Any) -> None:
    if not acting_user.has_perm("planning.delete_savedscenario", scenario):
        raise PermissionDenied()
    with transaction.atomic():
        audit_log(
            action="planning.scenario.deleted",
            actor=acting_user,
            obj=scenario,
            payload={"ags": scenario.ags, "name": scenario.name},
        )
        scenario.delete()


def saved_scenario_revoke_links(*, scenario: SavedScenario, acting_user: Any) -> SavedScenario:
    """Invalidate every share link given out so far."""
    if not acting_user.has_perm("planning.share_savedscenario", scenario):
        raise PermissionDenied()
    with transaction.atomic():
        locked = SavedScenario.objects.select_for_update().get(pk=scenario.pk)
        locked.share_version += 1
        locked.save(update_fields=["share_version", "updated_at"])
        audit_log(action="planning.scenario.links_revoked", actor=acting_user, obj=locked)
    return locked


def projection_run_start(*, owner: Any, ags: str, settings: Settings) -> ProjectionRun:
    """Queue 1,000 trajectories for the base and every scenario (the worker fills ``result``)."""
    selectors.built_scenario(ags=ags, horizon=settings.horizon)  # 404 before queueing
    user = owner if getattr(owner, "is_authenticated", False) else None
    with transaction.atomic():
        run = ProjectionRun.objects.create(owner=user, ags=ags, settings=settings.as_dict())
        audit_log(action="planning.run.queued", actor=user, obj=run, payload={"ags": ags})
        jobs.enqueue_on_commit("ortswandel.planning.tasks.run_projection", str(run.pk))
    return run


def projection_run_execute(*, run_id: str) -> None:
    """The worker's part: one scenario after the other, progress written after each."""
    run = ProjectionRun.objects.filter(pk=run_id).first()
    if run is None or run.status == RunStatus.DONE:
        return
    ProjectionRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=1)
    try:
        s = Settings.from_dict(run.settings)
        built = selectors.built_scenario(ags=run.ags, horizon=s.horizon)
        names = (BASE, *(c.name for c in s.scenarios))
        result: dict[str, Any] = {}
        for i, name in enumerate(names, start=1):
            part = fan_chart(built, s, names=(name,), n=run.trajectories)
            result.setdefault("quantiles", part["quantiles"])
            result.setdefault("years", part["years"])
            result.setdefault("trajectories", part["trajectories"])
            result.setdefault("scenarios", {}).update(part["scenarios"])
            ProjectionRun.objects.filter(pk=run.pk).update(
                progress=max(1, round(100 * i / len(names)) - 1)
            )
    except Exception as exc:  # the worker must record, not lose, a failure
        ProjectionRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ProjectionRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, progress=100, result=result, finished_at=timezone.now()
    )
