"""The published JSON Schema is generated from the models and current."""

import json
import string
from pathlib import Path

import jsonschema
import pytest
from scenario_examples import DOCS, EXAMPLES, VARIANTS, doc

from ortswandel.scenario import ScenarioError, parse_scenario
from ortswandel.scenario.problems import MESSAGES, Problem
from ortswandel.scenario.schema import main, render, scenario_schema

SCHEMA_FILE = DOCS / "scenario.schema.json"


def test_published_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), (
        "docs/scenario.schema.json is out of date: run "
        "python -m ortswandel.scenario.schema docs/scenario.schema.json"
    )
    assert main(["--check", str(SCHEMA_FILE)]) == 0


def test_check_reports_a_stale_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "scenario.schema.json"
    stale.write_text(render().replace('"maximum": 200', '"maximum": 300'), encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert main([str(stale)]) == 0
    assert main(["--check", str(stale)]) == 0


def test_schema_is_valid_and_accepts_the_examples() -> None:
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for name in EXAMPLES:
        jsonschema.validate(doc(name), schema)
    for make in VARIANTS.values():
        jsonschema.validate(make(), schema)


def test_schema_carries_bounds_defaults_and_descriptions() -> None:
    schema = scenario_schema()
    props = schema["properties"]
    assert props["steps"] | {"description": ""} == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "description": "",
    }
    assert props["step_width"]["enum"] == [1, 5] and props["step_width"]["default"] == 1
    assert schema["oneOf"] == [{"required": ["population"]}, {"required": ["areas"]}]
    assert schema["additionalProperties"] is False
    population = schema["$defs"]["Population"]["properties"]["female"]["items"]
    assert population == {"type": "number", "minimum": 0, "maximum": 1e12}
    band = schema["$defs"]["AgeBand"]["properties"]["to_age"]
    assert {"type": "null"} in band["anyOf"]  # the one field that may be null
    assert "null" not in json.dumps(props["paths"])  # the others may only be left out


def test_schema_rejects_what_the_models_reject() -> None:
    for change in ({"unknown": 1}, {"steps": 201}, {"open_age": "85"}, {"paths": None}):
        d = doc("preston") | change
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(d, scenario_schema())
        with pytest.raises(ScenarioError):
            parse_scenario(d)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_has_the_same_placeholders_in_both_languages(code: str) -> None:
    (en_p, en_f), (de_p, de_f) = MESSAGES[code]
    assert _fields(en_p) | _fields(en_f) == _fields(de_p) | _fields(de_f)
    assert all(text and not text.endswith(".") for text in (en_p, en_f, de_p, de_f))


def test_problems_read_in_german() -> None:
    d = doc("preston")
    d["population"]["male"][3] = -5
    d["steps"] = "8"
    d["fertilty"] = {}
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(d)
    assert exc.value.lines("de") == [
        "fertilty: unbekanntes Feld. Korrektur: entfernen oder die Schreibweise prüfen; "
        "hier erlaubt: $schema, areas, budget, description, fertility, gross_migration, "
        "housing, infrastructure, migration_timing, net_migration, open_age, paths, "
        "population, scenarios, sex_ratio_at_birth, start_year, step_width, steps, survival, "
        "title, uncertainty",
        "steps: muss eine Zahl sein, ist ein Text. Korrektur: eine einfache Zahl angeben",
        "population.male[3]: muss >= 0 sein, ist -5. Korrektur: nicht negative Zahlen verwenden",
    ]
    assert [str(p) for p in exc.value.problems] == exc.value.lines("en")
    assert (
        exc.value.lines("en")[1]
        == "steps: must be a number, got a string. Fix: give a plain number"
    )


def test_a_problem_is_one_line_whatever_the_key() -> None:
    p = Problem("housing.dwellings.a\nb", "unknown field", "remove it\u2028now")
    assert p.text() == "housing.dwellings.a\\nb: unknown field. Fix: remove it\\u2028now"
    assert "\n" not in p.text("de")
