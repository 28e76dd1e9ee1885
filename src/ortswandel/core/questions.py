"""Typed, configurable questions: one foundation for registration questions (events), the
application form of a call (calls) and survey questions (participation).

A question is described by a :class:`QuestionSpec` (kind, label, help, required, choices,
limits, order), wherever it is stored (a model row, a JSON list). Its *kind* is looked up in a
mapping of :class:`AnswerKind` handlers; each handler turns a raw answer into a clean value
(or a German message), builds the Django form field and renders a value for display and export.
The built-in kinds are in :data:`BASE_KINDS`; an app adds its own kinds (a survey ranking) or
names the built-ins after its stored values by passing its own mapping — the extension point.

Messages follow Django's ``error_messages``: :data:`MESSAGES` holds the defaults; an app may
override single codes (``messages={"required": …}``) to keep its own wording.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

#: Control characters (NUL, escape, …) have no place in answers; PostgreSQL rejects NUL in text
#: outright. Line breaks and tabs are allowed.
_CONTROL_IN_TEXT = {chr(c) for c in range(32)} - {"\n", "\r", "\t"} | {chr(127)}

MESSAGES: Mapping[str, Any] = {
    "required": _("Bitte beantworten Sie die Frage „%(label)s“."),
    "required_consent": _("Bitte bestätigen Sie: %(label)s"),
    "not_text": _("Bitte beantworten Sie die Frage mit einem Text."),
    "not_boolean": _("Bitte true oder false angeben."),
    "control": _("Die Antwort enthält unzulässige Steuerzeichen."),
    "max_length": _("Die Antwort darf höchstens %(n)s Zeichen lang sein."),
    "min_length": _("Mindestens %(n)s Zeichen."),
    "number": _("Bitte geben Sie eine Zahl ein."),
    "min_value": _("Mindestens %(n)s."),
    "max_value": _("Höchstens %(n)s."),
    "invalid_choice": _("Bitte wählen Sie eine der angebotenen Möglichkeiten."),
    "too_many": _("Bitte nur eine Antwort wählen."),
}


class AnswerError(ValueError):
    """An answer that does not fit its question; ``message`` is German, ``code`` a key of
    :data:`MESSAGES`."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class QuestionSpec:
    """One question, independent of where it is stored.

    ``choices`` are the stored values, ``choice_labels`` what people read (same order; empty:
    the values are the labels). Lengths count characters; ``min_value``/``max_value`` bound a
    number. ``key`` names the answer in a submitted mapping and in field errors.
    """

    key: str
    label: str
    kind: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()
    min_length: int = 0
    max_length: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    position: int = 0

    def options(self) -> list[tuple[str, str]]:
        """``(value, label)`` pairs of the choices."""
        return list(zip(self.choices, self.choice_labels or self.choices, strict=True))

    def choice_label(self, value: str) -> str:
        return dict(self.options()).get(value, value)


def parse_decimal(value: Any) -> Decimal | None:
    """A finite number from German (``1.234,56``) or plain (``1234.56``) notation, else None."""
    text = str(value if value is not None else "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text:  # German notation: 1.234,56
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class _Messages:
    def __init__(self, overrides: Mapping[str, Any] | None) -> None:
        self._all = {**MESSAGES, **(overrides or {})}

    def error(self, code: str, spec: QuestionSpec, **params: Any) -> AnswerError:
        text = str(self._all[code]) % {"label": spec.label, **params}
        return AnswerError(text, code=code)


# --- kinds ------------------------------------------------------------------------------------


class AnswerKind:
    """How one kind of question is answered. ``parse`` checks the raw value's type and
    normalises it (None: no answer); ``check`` applies the question's limits and choices."""

    required_code: ClassVar[str] = "required"

    def parse(self, spec: QuestionSpec, raw: Any, messages: _Messages) -> Any:
        raise NotImplementedError

    def is_missing(self, value: Any) -> bool:
        return value is None

    def check(self, spec: QuestionSpec, value: Any, messages: _Messages, *, complete: bool) -> Any:
        return value

    def form_field(self, spec: QuestionSpec, label: str) -> forms.Field:
        raise NotImplementedError

    def display(self, spec: QuestionSpec | None, value: Any) -> str:
        return display_value(value)


class TextKind(AnswerKind):
    """Free text (stripped). ``reject_control``: refuse control characters other than line
    breaks and tabs."""

    def __init__(self, *, reject_control: bool = True) -> None:
        self.reject_control = reject_control

    def parse(self, spec: QuestionSpec, raw: Any, messages: _Messages) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise messages.error("not_text", spec)
        text = raw.strip()
        if self.reject_control and any(ch in _CONTROL_IN_TEXT for ch in text):
            raise messages.error("control", spec)
        return text or None

    def check(self, spec: QuestionSpec, value: str, messages: _Messages, *, complete: bool) -> str:
        if spec.max_length is not None and len(value) > spec.max_length:
            raise messages.error("max_length", spec, n=spec.max_length, m=len(value))
        if complete and len(value) < spec.min_length:
            raise messages.error("min_length", spec, n=spec.min_length, m=len(value))
        return value

    def form_field(self, spec: QuestionSpec, label: str) -> forms.Field:
        return forms.CharField(
            label=label,
            max_length=spec.max_length,
            required=False,
            help_text=spec.help,
            widget=forms.Textarea(attrs={"rows": 3}),
        )


class NumberKind(AnswerKind):
    """A number in German or plain notation, within ``min_value``…``max_value``; the clean
    value is a :class:`~decimal.Decimal`."""

    def parse(self, spec: QuestionSpec, raw: Any, messages: _Messages) -> Decimal | None:
        if raw is None or str(raw).strip() == "":
            return None
        number = parse_decimal(raw)
        if number is None:
            raise messages.error("number", spec)
        return number

    def check(
        self, spec: QuestionSpec, value: Decimal, messages: _Messages, *, complete: bool
    ) -> Decimal:
        if spec.min_value is not None and value < spec.min_value:
            raise messages.error("min_value", spec, n=number_format(spec.min_value))
        if spec.max_value is not None and value > spec.max_value:
            raise messages.error("max_value", spec, n=number_format(spec.max_value))
        return value

    def form_field(self, spec: QuestionSpec, label: str) -> forms.Field:
        return forms.CharField(
            label=label,
            required=False,
            help_text=spec.help,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )


class ChoiceKind(TextKind):
    """One of the choices. ``accept_list``: a list of submitted values is accepted too (as a
    form with several inputs of one name sends it); more than one is refused."""

    def __init__(self, *, reject_control: bool = True, accept_list: bool = False) -> None:
        super().__init__(reject_control=reject_control)
        self.accept_list = accept_list

    def parse(self, spec: QuestionSpec, raw: Any, messages: _Messages) -> Any:
        if self.accept_list and isinstance(raw, list | tuple):
            values = [str(v).strip() for v in raw if str(v).strip()]
            return values or None
        return super().parse(spec, raw, messages)

    def check(self, spec: QuestionSpec, value: Any, messages: _Messages, *, complete: bool) -> str:
        if isinstance(value, list):
            if len(set(value)) != len(value) or any(v not in spec.choices for v in value):
                raise messages.error("invalid_choice", spec)
            if len(value) > 1:
                raise messages.error("too_many", spec)
            value = value[0]
        if spec.max_length is not None and len(value) > spec.max_length:
            raise messages.error("max_length", spec, n=spec.max_length, m=len(value))
        if value not in spec.choices:
            raise messages.error("invalid_choice", spec)
        return value

    def form_field(self, spec: QuestionSpec, label: str) -> forms.Field:
        return forms.ChoiceField(
            label=label,
            choices=[("", _("– bitte wählen –")), *spec.options()],
            required=False,
            help_text=spec.help,
        )

    def display(self, spec: QuestionSpec | None, value: Any) -> str:
        return spec.choice_label(value) if spec and isinstance(value, str) else display_value(value)


class MultipleChoiceKind(AnswerKind):
    """Any number of distinct choices, kept in the order given (a list of values)."""

    def parse(self, spec: QuestionSpec, raw: Any, messages: _Messages) -> list[str] | None:
        values = raw if isinstance(raw, list | tuple) else [raw]
        if any(v is not None and not isinstance(v, str | int) for v in values):
            raise messages.error("invalid_choice", spec)
        clean = [str(v).strip() for v in values if v is not None and str(v).strip()]
        return clean or None

    def check(
        self, spec: QuestionSpec, value: list[str], messages: _Messages, *, complete: bool
    ) -> list[str]:
        if len(set(value)) != len(value) or any(v not in spec.choices for v in value):
            raise messages.error("invalid_choice", spec)
        return value

    def form_field(self, spec: QuestionSpec, label: str) -> forms.Field:
        return forms.MultipleChoiceField(
            label=label,
            choices=spec.options(),
            required=False,
            help_text=spec.help,
            widget=forms.CheckboxSelectMultiple,
        )

    def display(self, spec: QuestionSpec | None, value: Any) -> str:
        if spec is None or not isinstance(value, list):
            return display_value(value)
        return "; ".join(spec.choice_label(v) for v in value)


class ConsentKind(AnswerKind):
    """A tick box: the answer is ``True`` or ``False`` (both are answers). Required means the
    box must be ticked (``required_consent``)."""

    required_code = "required_consent"
    YES = frozenset({"true", "on", "1", "yes"})

    def parse(self, spec: QuestionSpec, raw: Any, messages: _Messages) -> bool:
        if raw is not None and not isinstance(raw, bool | str):
            raise messages.error("not_boolean", spec)
        return raw is True or raw in self.YES

    def is_missing(self, value: Any) -> bool:
        return value is not True

    def form_field(self, spec: QuestionSpec, label: str) -> forms.Field:
        return forms.BooleanField(label=label, required=False, help_text=spec.help)


TEXT = TextKind()
NUMBER = NumberKind()
CHOICE = ChoiceKind()
MULTIPLE = MultipleChoiceKind()
CONSENT = ConsentKind()

#: The built-in kinds under their usual names; apps pass their own mapping to add or rename.
BASE_KINDS: Mapping[str, AnswerKind] = {
    "text": TEXT,
    "number": NUMBER,
    "choice": CHOICE,
    "multiple": MULTIPLE,
    "consent": CONSENT,
}


def _kind(spec: QuestionSpec, kinds: Mapping[str, AnswerKind]) -> AnswerKind:
    try:
        return kinds[spec.kind]
    except KeyError:
        raise ValueError(
            f"question {spec.key!r}: unknown kind {spec.kind!r}; known: {sorted(kinds)}"
        ) from None


# --- answers ----------------------------------------------------------------------------------


def clean_answer(
    spec: QuestionSpec,
    raw: Any,
    *,
    kinds: Mapping[str, AnswerKind] = BASE_KINDS,
    messages: Mapping[str, Any] | None = None,
    complete: bool = True,
) -> Any:
    """The clean value of one answer (None: not answered); raises :class:`AnswerError`.

    ``complete=False`` checks a draft: it may leave out required answers and fall short of
    ``min_length``, but nothing it holds may be invalid.
    """
    kind = _kind(spec, kinds)
    texts = _Messages(messages)
    value = kind.parse(spec, raw, texts)
    if kind.is_missing(value):
        if complete and spec.required:
            raise texts.error(kind.required_code, spec)
        return value
    return kind.check(spec, value, texts, complete=complete)


def clean_answers(
    specs: Sequence[QuestionSpec],
    data: Mapping[str, Any],
    *,
    kinds: Mapping[str, AnswerKind] = BASE_KINDS,
    messages: Mapping[str, Any] | None = None,
    complete: bool = True,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean every answer of ``data`` (keyed by ``spec.key``): ``(answers, errors)``, both keyed
    by ``spec.key``; unanswered questions are left out of ``answers``."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        try:
            value = clean_answer(
                spec, data.get(spec.key), kinds=kinds, messages=messages, complete=complete
            )
        except AnswerError as exc:
            errors[spec.key] = exc.message
            continue
        if value is not None:
            answers[spec.key] = value
    return answers, errors


def form_field(spec: QuestionSpec, *, kinds: Mapping[str, AnswerKind] = BASE_KINDS) -> forms.Field:
    """The Django form field of a question. It only parses: ``required=False`` (the services
    check), but a required question is marked before the first submit — in the label (text, not
    only a symbol) and for assistive technology."""
    label = (
        _("%(label)s (Pflichtangabe)") % {"label": spec.label}
        if spec.required
        else _("%(label)s (optional)") % {"label": spec.label}
    )
    field = _kind(spec, kinds).form_field(spec, label)
    if spec.required:
        field.widget.attrs.update({"required": True, "aria-required": "true"})
    return field


def display_value(value: Any) -> str:
    """An answer as text for tables and exports (German, as the exports are): ``ja``/``nein``
    for a tick, items joined by ``; ``, nothing for no answer."""
    if value is None:
        return ""
    if value is True:
        return "ja"
    if value is False:
        return "nein"
    if isinstance(value, list | tuple):
        return "; ".join(display_value(v) for v in value)
    return str(value)


def display_answer(
    spec: QuestionSpec, value: Any, *, kinds: Mapping[str, AnswerKind] = BASE_KINDS
) -> str:
    """An answer as text, with choice values replaced by their labels."""
    return _kind(spec, kinds).display(spec, value)


# --- stored questions -------------------------------------------------------------------------


class QuestionModel(models.Model):
    """Abstract base of a question stored as a row: its kind and its place in the form.

    Subclasses narrow ``kind`` to their choices and implement :meth:`spec`.
    """

    kind = models.CharField(_("Art"), max_length=20)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    @property
    def key(self) -> str:
        """The name of the answer in a submitted form (``q<id>``)."""
        return f"q{self.pk}"

    def spec(self) -> QuestionSpec:
        raise NotImplementedError
