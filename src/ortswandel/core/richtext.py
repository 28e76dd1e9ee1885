"""Sanitised rich text for editor content (nh3, the Rust ammonia sanitiser)."""

from __future__ import annotations

from typing import Any

import nh3
from django import forms
from django.db import models

#: What the editor offers (django-prose-editor extensions): headings, lists, links, emphasis,
#: quotes, tables, sub/superscript, inline code. No raw HTML, no images, no styles or classes.
#: :data:`ALLOWED_TAGS` and :data:`ALLOWED_ATTRIBUTES` below are exactly what these extensions
#: produce (tests/core/test_richtext.py compares them with the editor's own allowlist), so what
#: an editor can make survives sanitising and nothing else does.
EDITOR_EXTENSIONS: dict[str, Any] = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "Code": True,
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "li",
    "ol",
    "p",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start", "type", "data-type"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def sanitize_html(value: str | None) -> str:
    """Return ``value`` with everything but a small safe subset of HTML removed.

    Scripts, event handlers, ``style`` and ``javascript:`` URLs are dropped; links get
    ``rel="noopener noreferrer"``.
    """
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


class RichTextField(models.TextField):
    """A TextField whose content is sanitised every time the model is saved."""

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


def _sanitize_form_value(value: str) -> str:
    clean = sanitize_html(value)
    # ProseMirror sends one empty paragraph for an empty editor: store "" instead.
    return "" if clean in {"<p></p>", "<p><br></p>"} else clean


def rich_text_form_field(db_field: models.Field, *, admin: bool = False) -> forms.Field:
    """The editor's form field for a :class:`RichTextField` (the admin uses it for every one):
    the django-prose-editor widget with :data:`EDITOR_EXTENSIONS`, its JavaScript and CSS served
    from the installed package's static files, the value sanitised by :func:`sanitize_html`
    (and once more by the model field when it is saved)."""
    from django.contrib.admin.widgets import AdminTextareaWidget
    from django_prose_editor.fields import ProseEditorFormField, ProseEditorWidget

    field = db_field.formfield(
        form_class=ProseEditorFormField,
        widget=AdminTextareaWidget if admin else ProseEditorWidget,
        config={"extensions": EDITOR_EXTENSIONS},
        sanitize=_sanitize_form_value,
    )
    if field is None:  # pragma: no cover - a TextField always has a form field
        raise TypeError(f"{db_field!r} has no form field")
    return field
