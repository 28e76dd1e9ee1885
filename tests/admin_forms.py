"""Driving Django admin change forms from tests, as a browser would (the admin is a writer of
content like any service: its side effects must follow its saves)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.widgets import ManyToManyRawIdWidget
from django.forms import MultiWidget


def admin_form_data(response: Any) -> dict[str, Any]:
    """The POST data a browser would send for an admin add/change form, as rendered
    (inlines with their management forms included)."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            widget = bound.field.widget
            if isinstance(widget, MultiWidget):  # e.g. date and time of a SplitDateTimeField
                parts = value if isinstance(value, list | tuple) else widget.decompress(value)
                for suffix, part in zip(widget.widgets_names, parts, strict=True):
                    if part is not None:
                        data[bound.html_name + suffix] = (
                            part.isoformat() if hasattr(part, "isoformat") else str(part)
                        )
            elif isinstance(widget, ManyToManyRawIdWidget):
                data[bound.html_name] = ",".join(str(v) for v in value)
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data["_save"] = "Sichern"
    return data


def admin_save(client: Any, url: str, **changes: Any) -> Any:
    """GET the admin form at ``url``, apply ``changes`` to its data, POST it; the response must
    be the redirect of a successful save."""
    data = admin_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    return response
