"""Validation errors -> the house's problems: the JSON path of the field, what is wrong, the fix.

pydantic reports each error with a type, a location in the models and the input; its English
text is never shown. :func:`locate` follows the location through the models to the field's
type and annotations (bounds, :class:`~.fields.Unit`, :class:`~.fields.Example`), which the
messages use. Errors of single values of a list of numbers are reported once per list and
kind, at the first value (``population.male[3]: must be >= 0, got -5 (4 such values)``).
"""

from __future__ import annotations

import math
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Tag
from pydantic.fields import FieldInfo

from .fields import NON_BLANK, Example, Unit
from .problems import MESSAGES, Localized, Problem, digits, fmt_number, json_type, problem

__all__ = ["locate", "translate"]

_ITEM_NOT_NUMBER = {"float_type", "int_type", "finite_number"}
_RELATIONS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}  # annotated_types.Ge ...
_BELOW = {"greater_than_equal": ">=", "greater_than": ">"}
_ABOVE = {"less_than_equal": "<=", "less_than": "<"}


@dataclass
class Node:
    """The type at a location and the annotations that came with it."""

    tp: Any
    meta: list[Any] = field(default_factory=list)
    in_list: bool = False  # the location is an item of a list

    def find(self, kind: type) -> Any:
        return next((m for m in self.meta if isinstance(m, kind)), None)

    def constraints(self) -> list[Any]:
        """The constraints among the annotations (``Ge(0)``, a pattern, ...)."""
        return [c for m in self.meta for c in (m.metadata if isinstance(m, FieldInfo) else [m])]

    def bounds(self) -> tuple[tuple[str, float] | None, tuple[str, float] | None]:
        """Lower and upper bound as ``(relation, limit)``."""
        lo = hi = None
        for c in self.constraints():
            for attr, rel in _RELATIONS.items():
                limit = getattr(c, attr, None)
                if isinstance(limit, int | float):
                    if attr in ("ge", "gt"):
                        lo = (rel, float(limit))
                    else:
                        hi = (rel, float(limit))
        return lo, hi

    def non_blank(self) -> bool:
        """A text that must not be blank."""
        return any(getattr(c, "pattern", None) == NON_BLANK for c in self.constraints())


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    meta: list[Any] = []
    while True:
        if get_origin(tp) is Annotated:
            tp, *more = get_args(tp)
            meta += more
        elif (
            _is_union(tp) and len(members := [a for a in get_args(tp) if a is not type(None)]) == 1
        ):
            tp = members[0]
        else:
            return tp, meta


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _member(union: Any, tag: Any) -> Any:
    """The member of a tagged union that ``tag`` selects."""
    for m in get_args(union):
        if any(isinstance(x, Tag) and x.tag == tag for x in _unwrap(m)[1]):
            return m
    return None


def _field(model: type[BaseModel], key: Any) -> FieldInfo | None:
    for name, f in model.model_fields.items():
        if (f.alias or name) == key:
            return f
    return None


def locate(root: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str, Node]:
    """The JSON path of ``loc`` (union tags left out) and the :class:`Node` found there."""
    tp: Any = root
    meta: list[Any] = []
    path = ""
    in_list = False
    for seg in loc:
        tp, more = _unwrap(tp)
        meta += more
        if _is_union(tp):
            tp = _member(tp, seg)
            continue
        in_list = False
        if _is_model(tp) and (f := _field(tp, seg)) is not None:
            tp, meta = f.annotation, [*f.metadata, f]
        elif get_origin(tp) is list and isinstance(seg, int):
            tp, meta, in_list = get_args(tp)[0], [], True
        elif get_origin(tp) is dict:
            tp, meta = get_args(tp)[1], []
        else:
            tp, meta = None, []
        path += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if path else str(seg))
    tp, more = _unwrap(tp)
    return path, Node(tp, meta + more, in_list)


def _params(ctx: dict[str, Any] | None) -> dict[str, Any]:
    """Error context -> message parameters (``x_en``/``x_de`` pairs become one Localized)."""
    out: dict[str, Any] = {}
    for k, v in (ctx or {}).items():
        if k.endswith("_en"):
            out[k[:-3]] = Localized(v, ctx.get(k[:-3] + "_de", v) if ctx else v)
        elif not k.endswith("_de"):
            out[k] = fmt_number(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
    return out


def _short(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value)
    if isinstance(value, list | dict):
        return json_type(value).en
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _allowed(lo: tuple[str, float] | None, hi: tuple[str, float] | None) -> Localized:
    parts = [f"{b[0]} {fmt_number(b[1])}" for b in (lo, hi) if b]
    return Localized(" and ".join(parts), " und ".join(parts))


def _options(values: Sequence[Any]) -> Localized:
    """``"a" or "b"`` / ``one of "a", "b", "c"`` (numbers without quotes)."""
    shown = [f'"{v}"' if isinstance(v, str) else fmt_number(v) for v in values]
    if len(shown) <= 2:
        return Localized(" or ".join(shown), " oder ".join(shown))
    return Localized(f"one of {', '.join(shown)}", f"eins von {', '.join(shown)}")


def _number(where: str, kind: str, value: Any, ctx: dict[str, Any], node: Node) -> Problem:
    """A single number that is not one, not finite, not whole or out of bounds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return problem(where, "not_number", got=json_type(value))
    if isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            return problem(where, "too_large", digits=digits(value))
    if isinstance(value, float) and not math.isfinite(value):
        return problem(where, "not_finite")
    if kind == "int_type":
        return problem(where, "not_whole", value=fmt_number(value))
    lo, hi = node.bounds()
    rel = _BELOW.get(kind) or _ABOVE[kind]
    limit = float(ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt", 0)))))
    return problem(
        where,
        "out_of_range",
        rel=rel,
        limit=fmt_number(limit),
        value=fmt_number(value),
        allowed=_allowed(lo, hi),
    )


def _kind_of_null(where: str, node: Node) -> Problem:
    tp = node.tp
    if _is_union(tp):
        tp = _unwrap(get_args(tp)[0])[0]
    if _is_model(tp) or get_origin(tp) is dict:
        return problem(where, "not_object", got=json_type(None))
    if get_origin(tp) is list:
        # a list of numbers: its unit is kept by its check (fields.sized)
        units = [getattr(m.func, "unit", None) for m in node.meta if hasattr(m, "func")]
        unit = next((u for u in units if isinstance(u, Unit)), None)
        if unit is not None:
            return problem(
                where,
                "not_number_list",
                got=json_type(None),
                count=Localized("the ", ""),
                unit=Localized(unit.en, unit.de),
            )
        return problem(where, "not_list", got=json_type(None), example=_example(node))
    if tp is str:
        return problem(where, "not_text", got=json_type(None))
    if tp is bool:
        return problem(where, "not_bool", got=json_type(None))
    return problem(where, "not_number", got=json_type(None))


def _example(node: Node) -> str:
    ex = node.find(Example)
    return ex.json if ex else "[...]"


def _one(err: dict[str, Any], where: str, node: Node, parent: Node | None) -> Problem:  # noqa: PLR0911, PLR0912
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind in ("float_type", "int_type", "finite_number", *_BELOW, *_ABOVE):
        return _number(where, kind, value, ctx, node)
    if kind == "missing":
        return problem(where, "missing")
    if kind == "extra_forbidden":
        keys = (
            [f.alias or n for n, f in parent.tp.model_fields.items()]
            if parent and _is_model(parent.tp)
            else []
        )
        return problem(where, "unknown_field", allowed=", ".join(sorted(keys)))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return problem(where, "not_object", got=json_type(value))
    if kind == "list_type":
        return problem(where, "not_list", got=json_type(value), example=_example(node))
    if kind == "too_short":
        return problem(where, "empty_entries", example=_example(node))
    if kind in ("string_type", "string_pattern_mismatch"):
        if kind == "string_type" and not node.non_blank():
            return problem(where, "not_text", got=json_type(value))
        ex = node.find(Example) or Example('"text"')
        return problem(where, ex.code or "empty_text", got=_short(value), example=ex.json)
    if kind == "string_unicode":
        return problem(where, "not_unicode", value=_short(value))
    if kind == "bool_type":
        return problem(where, "not_bool", got=json_type(value))
    if kind == "literal_error":
        options = get_args(node.tp)
        if all(isinstance(o, str) for o in options):
            unit = node.find(Unit) or Unit("value", "Wert")
            return problem(
                where,
                "unknown_choice",
                noun=Localized(unit.en, unit.de),
                value=_short(value),
                options=_options(options),
            )
        return problem(where, "choice", options=_options(options), value=_short(value))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = sorted(x.tag for m in get_args(node.tp) for x in _unwrap(m)[1] if isinstance(x, Tag))
        at_tag = f"{where}.type"
        if kind == "union_tag_not_found":
            return problem(at_tag, "missing_choice", options=_options(tags))
        unit = node.find(Unit) or Unit("type", "Typ")
        got = value.get("type") if isinstance(value, dict) else value
        return problem(
            at_tag,
            "unknown_choice",
            noun=Localized(unit.en, unit.de),
            value=_short(got),
            options=_options(tags),
        )
    if kind == "null":
        return _kind_of_null(where, node)
    if kind in MESSAGES:  # raised by the rules with the parameters of its text
        return problem(where, kind, **_params(ctx))
    return problem(where, "invalid")


def _item_group(kind: str) -> str | None:
    if kind in _ITEM_NOT_NUMBER:
        return "item_not_number"
    if kind in _BELOW:
        return "below"
    if kind in _ABOVE:
        return "above"
    return None


def _item(where: str, group: str, errs: list[dict[str, Any]]) -> Problem:
    first = errs[0]
    value, ctx = first.get("input"), first.get("ctx") or {}
    more = Localized("", "")
    if len(errs) > 1:
        more = Localized(f" ({len(errs)} such values)", f" ({len(errs)} solche Werte)")
    if group == "item_not_number":
        return problem(where, "item_not_number", value=_short(value), more=more)
    rel = _BELOW.get(first["type"]) or _ABOVE[first["type"]]
    limit = float(ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt", 0)))))
    code = "item_negative" if limit == 0 and rel == ">=" else "item_out_of_range"
    return problem(where, code, rel=rel, limit=fmt_number(limit), value=_short(value), more=more)


def translate(root: type[BaseModel], errors: list[Any]) -> list[Problem]:
    """One :class:`Problem` per error (per list and kind for the values of number lists)."""
    out: list[Problem | tuple[str, str]] = []
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    where_of: dict[tuple[str, str], str] = {}
    for err in errors:
        loc = tuple(err["loc"])
        where, node = locate(root, loc)
        group = _item_group(err["type"]) if node.in_list and node.tp in (float, int) else None
        if group is not None:
            key = (locate(root, loc[:-1])[0], group)
            if key not in groups:
                groups[key] = []
                where_of[key] = where
                out.append(key)
            groups[key].append(err)
            continue
        parent = locate(root, loc[:-1])[1] if loc else None
        out.append(_one(err, where, node, parent))
    return [_item(where_of[p], p[1], groups[p]) if isinstance(p, tuple) else p for p in out]
