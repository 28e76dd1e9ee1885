"""Model fields shared by the apps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from .text import fold_fields


class FoldedTextField(models.TextField):
    """A derived column: the folded text (:func:`ortswandel.core.text.fold`) of other fields of
    the row, set on every ``save()`` and ``bulk_create()`` (``pre_save``).

    Substring filters compare a folded needle with this column in SQL (``__contains``) and with
    the same value in Python, so both give the same answer on SQLite and PostgreSQL. Writes
    that bypass ``pre_save`` (``QuerySet.update()``, ``bulk_update()``, ``save(update_fields=…)``
    without this field) must not change the source fields.
    """

    #: Derived data: not part of audit snapshots (:func:`ortswandel.core.audit.snapshot`).
    audited = False

    def __init__(self, *args: Any, source_fields: Sequence[str] = (), **kwargs: Any) -> None:
        self.source_fields = tuple(source_fields)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source_fields"] = list(self.source_fields)
        for key, value in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, object()) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = fold_fields(getattr(model_instance, name) for name in self.source_fields)
        setattr(model_instance, self.attname, value)
        return value
