"""The published JSON Schema of scenario files, generated from the models.

``python -m ortswandel.scenario.schema docs/scenario.schema.json`` writes it;
``--check`` exits with 1 if the file differs from what the models give (the tests check it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .model import ScenarioFile

__all__ = ["main", "render", "scenario_schema"]

SCHEMA_ID = "https://ortswandel.example/docs/scenario.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


class _Generator(GenerateJsonSchema):
    """Optional fields may be left out but are not ``null`` (unless marked ``NULLABLE``);
    no generated titles for single fields."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        out = super().default_schema(schema)
        if out.get("default", 0) is None:
            del out["default"]
        return out

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _plain(node: Any) -> Any:
    """Descriptions from docstrings as one line of plain text (no reST ``literals``)."""
    if isinstance(node, dict):
        return {
            k: " ".join(v.replace("``", "`").split())
            if k == "description" and isinstance(v, str)
            else _plain(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    body = ScenarioFile.model_json_schema(by_alias=True, schema_generator=_Generator)
    return {"$schema": DRAFT, "$id": SCHEMA_ID, **_plain(body)}


def render() -> str:
    """The schema as the text of ``docs/scenario.schema.json``."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the schema to PATH (or stdout); with ``--check`` compare instead."""
    ap = argparse.ArgumentParser(prog="python -m ortswandel.scenario.schema", description=__doc__)
    ap.add_argument("path", nargs="?", help="file to write or check (default: stdout)")
    ap.add_argument("--check", action="store_true", help="exit 1 if PATH is not current")
    args = ap.parse_args(argv)
    text = render()
    if args.path is None:
        sys.stdout.write(text)
        return 0
    path = Path(args.path)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is out of date: run python -m ortswandel.scenario.schema {path}")
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
