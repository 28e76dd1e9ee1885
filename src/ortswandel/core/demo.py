"""Demo content: YAML data files shipped by the apps and loaded by the apps' own small loaders.

``core`` imports no app. The ``load_demo_content`` command finds what to run through the app
registry: an app takes part by naming dotted paths on its ``AppConfig``.

``demo_loader``
    ``load(*, stdout=None)``: create or update the app's demo content from its data files
    (``<app>/demo/*.yaml``); idempotent (rows are matched by a natural key, usually the slug).
    The loaders run in ``INSTALLED_APPS`` order, so the catalogue comes before the events that
    refer to its programmes.
``demo_accounts``
    ``create(*, password) -> list[user]``: create or update the demo accounts. They are
    created before the content, so that the content can name its editors.
``demo_context``
    A context-manager factory entered around the whole run (the search app pauses indexing
    and rebuilds its index once at the end).

The helpers below are shared by the loaders: reading a data file, checking the keys of a record
(a typo in a data file is an error, not a silently missing fact), parsing a local date and time
and writing one row (:func:`upsert`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import Any, TextIO, TypeVar
from zoneinfo import ZoneInfo

import yaml
from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

HOOKS = ("demo_loader", "demo_accounts", "demo_context")
BERLIN = ZoneInfo("Europe/Berlin")

M = TypeVar("M", bound=models.Model)


class DemoDataError(ValueError):
    """A demo data file is malformed; the message names the file and the record."""


def demo_hooks(name: str) -> list[tuple[str, Callable[..., Any]]]:
    """``(app label, callable)`` for every installed app that declares the hook ``name``, in
    ``INSTALLED_APPS`` order."""
    if name not in HOOKS:
        raise ValueError(f"unknown demo hook {name!r}; expected one of {', '.join(HOOKS)}")
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, name, "")
        if path:
            found.append((config.label, import_string(path)))
    return found


def say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def demo_file_names(package: str, prefix: str = "") -> list[str]:
    """Names of the ``*.yaml`` files in ``package`` starting with ``prefix``, sorted."""
    return sorted(
        entry.name
        for entry in resources.files(package).iterdir()
        if entry.name.endswith(".yaml") and entry.name.startswith(prefix)
    )


def read_demo_data(package: str, name: str) -> dict[str, Any]:
    """The YAML file ``name`` in the directory of ``package`` (a mapping at the top)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise DemoDataError(f"{package}/{name}: expected a mapping at the top level")
    return data


def check_keys(record: Any, allowed: Iterable[str], *, where: str) -> dict[str, Any]:
    """``record`` as a dict, after checking that it is a mapping with only ``allowed`` keys."""
    if not isinstance(record, dict):
        raise DemoDataError(f"{where}: expected a mapping, got {type(record).__name__}")
    unknown = sorted(set(record) - set(allowed))
    if unknown:
        raise DemoDataError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    return record


def local_datetime(value: Any, *, where: str) -> dt.datetime | None:
    """An aware datetime from ``"YYYY-MM-DD HH:MM"`` (Europe/Berlin) or from
    ``{days_from_today: n, time: "HH:MM"}`` (relative to today's local date); ``None`` stays
    ``None``."""
    if value is None:
        return None
    if isinstance(value, dict):
        check_keys(value, ("days_from_today", "time"), where=where)
        days, clock = value.get("days_from_today"), value.get("time")
        if not isinstance(days, int) or not isinstance(clock, str):
            raise DemoDataError(f"{where}: days_from_today must be a number and time 'HH:MM'")
        day = timezone.localdate() + dt.timedelta(days=days)
        return dt.datetime.combine(day, local_time(clock, where=where), tzinfo=BERLIN)
    if isinstance(value, str):
        try:
            naive = dt.datetime.strptime(value, "%Y-%m-%d %H:%M")  # noqa: DTZ007 (made aware below)
        except ValueError:
            pass
        else:
            return naive.replace(tzinfo=BERLIN)
    raise DemoDataError(f"{where}: expected 'YYYY-MM-DD HH:MM' or days_from_today, got {value!r}")


def local_time(value: Any, *, where: str) -> dt.time:
    """``"HH:MM"`` as a time (quote it in YAML: an unquoted ``10:00`` is the number 600)."""
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise DemoDataError(f"{where}: expected a quoted time 'HH:MM', got {value!r}")


def upsert(
    model: type[M],
    *,
    key: Mapping[str, Any],
    record: Mapping[str, Any],
    fields: Iterable[str],
    **values: Any,
) -> M:
    """Create or update the row of ``model`` matched by ``key``.

    Every name in ``fields`` takes the record's value or, when the record leaves it out, the
    model field's default (empty): an edit made between two runs is put back, and a fact taken
    out of the data file is emptied. ``values`` (resolved relations, fixed values) win. A value
    outside a field's choices is a :class:`DemoDataError`.
    """
    concrete = {field.name: field for field in model._meta.concrete_fields}
    defaults = {
        name: record[name] if name in record else concrete[name].get_default() for name in fields
    }
    defaults.update(values)
    for name, value in defaults.items():
        choices = concrete[name].flatchoices if name in concrete else None
        if choices and value not in ("", None) and value not in {c[0] for c in choices}:
            raise DemoDataError(f"{model.__name__} {dict(key)}: {name} {value!r} is not a choice")
    obj, _created = model._default_manager.update_or_create(defaults=defaults, **key)
    return obj
