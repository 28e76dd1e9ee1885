"""The model-based reader hands the engine the same inputs as the hand-written one it replaced.

``spec_golden.json`` holds the digests (``spec_digest.digest``) of the parsed docs examples and
of documents with the other forms of each section, recorded with the hand-written reader of
commit 7a6b52e (bit-identical arrays). If the engine's arithmetic changes on purpose, record
them again (and say so in the commit)::

    PYTHONPATH=tests/scenario python -c "import test_scenario_equivalence as t; t._record()"
"""

import json
from pathlib import Path
from typing import Any

import pytest
from scenario_examples import DOCS, EXAMPLES, VARIANTS
from spec_digest import digest

from ortswandel.scenario import load_scenario, parse_scenario

GOLDEN = Path(__file__).with_name("spec_golden.json")


def _golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


def _canonical(spec: object) -> Any:
    return json.loads(json.dumps(digest(spec)))


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if type(a) is not type(b):
        return [path]
    if isinstance(a, dict):
        return [
            d
            for k in sorted(set(a) | set(b))
            for d in _differences(a.get(k), b.get(k), f"{path}.{k}")
        ]
    if isinstance(a, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [path]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docs_examples_parse_to_the_recorded_engine_inputs(name: str) -> None:
    spec = load_scenario(DOCS / EXAMPLES[name])
    assert _differences(_canonical(spec), _golden()[name]) == []


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_other_forms_parse_to_the_recorded_engine_inputs(name: str) -> None:
    spec = parse_scenario(VARIANTS[name]())
    assert _differences(_canonical(spec), _golden()[name]) == []


def _record() -> None:  # run by hand, see the module docstring
    out = {name: _canonical(load_scenario(DOCS / f)) for name, f in EXAMPLES.items()}
    out |= {name: _canonical(parse_scenario(make())) for name, make in VARIANTS.items()}
    GOLDEN.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
