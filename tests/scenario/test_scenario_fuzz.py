"""Random mutations of the docs examples: nothing but the house's problems, and whatever the
reader accepts, the published schema accepts too."""

import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_examples import EXAMPLES, doc

from ortswandel.scenario import ScenarioError, parse_scenario

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json").read_text(
        encoding="utf-8"
    )
)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DELETE = object()


def nested(depth: int) -> list[Any]:
    """``[[[...]]]`` ``depth`` levels deep (built without recursion)."""
    out: list[Any] = []
    for _ in range(depth):
        out = [out]
    return out


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.sampled_from([0, 1, 2, 5, -1, 1800, 2300, 2**63, 10**400, -(10**400)])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([1e308, -1e308, 5e-324, 0.5, 1e12, 1.0000001e12])
    | st.text(max_size=6)
    | st.sampled_from(["", " ", "BY", "09", "09162000", "Basis", "end", "kita_u3", "detached"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
) | st.integers(50, 5000).map(nested)


def locations(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location in ``node`` down to 8 levels (of long lists only the first, second and
    last items)."""
    out = [here]
    if len(here) >= 8:
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            out += locations(v, (*here, k))
    elif isinstance(node, list):
        idx = range(len(node)) if len(node) <= 3 else (0, 1, len(node) - 1)
        for i in idx:
            out += locations(node[i], (*here, i))
    return out


def mutate(d: Any, where: tuple[Any, ...], value: Any) -> Any:
    """``d`` with ``value`` at ``where`` (``DELETE``: removed; ``()``: replaced)."""
    if not where:
        return {} if value is DELETE else value
    parent = d
    for key in where[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    return d


def check_reading(d: Any) -> bool:
    """Read ``d``: either accepted (then the published schema accepts it too) or rejected with
    one line per problem, naming the field and the fix in both languages. True if rejected."""
    try:
        parse_scenario(d)
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.field and p.problem and p.fix, p
            for lang, fix in (("en", ". Fix: "), ("de", ". Korrektur: ")):
                line = p.text(lang)
                assert "\n" not in line and fix in line, line
                assert "Input should" not in line and "pydantic" not in line.lower(), line
        return True
    jsonschema.validate(d, SCHEMA)
    return False


@SETTINGS
@given(name=st.sampled_from(sorted(EXAMPLES)), data=st.data())
def test_random_mutations_give_only_house_problems(name: str, data: st.DataObject) -> None:
    d: Any = doc(name)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        if not isinstance(d, dict | list):
            break
        where = data.draw(st.sampled_from(locations(d)), label="where")
        how = data.draw(st.sampled_from(["set", "delete", "add"]), label="how")
        target = d
        for key in where:
            target = target[key]
        if how == "add" and isinstance(target, dict):
            target[data.draw(st.text(max_size=8), label="new key")] = data.draw(VALUES)
        elif how == "delete" and where:
            d = mutate(d, where, DELETE)
        else:
            d = mutate(d, where, data.draw(VALUES, label="value"))
    check_reading(d)


@pytest.mark.parametrize(
    "value",
    [nested(100_000), 10**5000, math.nan, -math.inf, 1e308, "\udcff", {"": None}],
    ids=["deep", "5001 digits", "nan", "-inf", "1e308", "surrogate", "odd key"],
)
def test_nasty_values_in_every_top_level_field(value: Any) -> None:
    free_text = {"$schema", "title", "description"}
    for key in [*doc("full"), "extra"]:
        d = doc("full")
        d[key] = value
        assert check_reading(d) or (key in free_text and isinstance(value, str)), key
