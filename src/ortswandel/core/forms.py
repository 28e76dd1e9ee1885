"""The shared base of every HTML form (:class:`AccessibleForm`)."""

from __future__ import annotations

from typing import Any

from django import forms


class AccessibleForm(forms.Form):
    """Ties help texts and errors to their inputs (``aria-describedby``, ``aria-invalid``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe_all()

    def _describe_all(self) -> None:
        for name in self.fields:
            self._describe(name)

    def _describe(self, name: str) -> None:
        field = self.fields[name]
        auto_id = self[name].auto_id
        ids = []
        if field.help_text:
            ids.append(f"{auto_id}-help")
        if self.is_bound and name in self._errors_or_empty():
            ids.append(f"{auto_id}-error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)

    def _errors_or_empty(self) -> dict[str, Any]:
        return getattr(self, "_errors", None) or {}

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field and field in self.fields:
            self._describe(field)
