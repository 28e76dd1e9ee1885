"""Command-line interface ``ortswandel``.

``ortswandel project SCENARIO.json --out RESULT.csv [--format csv|json|xlsx]
[--trajectories N]`` projects a scenario file (see ``docs/scenario-format.md``).

``ortswandel scenario --ags AGS[,AGS...] --launch YEAR [--horizon YEARS] [--out FILE]
[--base-years Y[,Y...]] [--national-migration W1|N,N,...]`` builds a scenario file from the
official statistics in ``$ORTSWANDEL_DATA_DIR`` (``ortswandel.scenario.build``).

Exit codes: 0 success, 2 invalid input (one line per problem on stderr, never a
traceback), 1 unexpected internal error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

EXIT_INPUT = 2
EXIT_INTERNAL = 1

DESCRIPTION = """Ortswandel: population projections, infrastructure demand and budget scenarios
for municipalities."""

PROJECT_HELP = """Project the population of a scenario file (cohort-component method) and
write population by year, area, sex and age plus components of change,
scenario differences, infrastructure demand, budget cash flows and (with
--trajectories) quantiles of a probabilistic projection.

CSV output: the population table goes to --out, every other table to
<out-stem>_<table>.csv beside it. JSON: one object with a list per table.
XLSX: one sheet per table. The scenario format is documented in
docs/scenario-format.md (JSON Schema: docs/scenario.schema.json)."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ortswandel", description=DESCRIPTION)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    pr = sub.add_parser(
        "project",
        help="project a scenario file",
        description=PROJECT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pr.add_argument("scenario", metavar="SCENARIO.json", help="scenario file (JSON)")
    pr.add_argument("--out", required=True, metavar="RESULT", help="output file")
    pr.add_argument(
        "--format",
        choices=("csv", "json", "xlsx"),
        default=None,
        help="output format (default: from the --out suffix, else csv)",
    )
    pr.add_argument(
        "--trajectories",
        type=int,
        default=0,
        metavar="N",
        help="also run N random trajectories and write 10/50/90 %% quantiles",
    )
    sc = sub.add_parser(
        "scenario",
        help="build a scenario file from the official statistics",
        description=SCENARIO_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sc.add_argument("--ags", required=True, metavar="AGS[,AGS...]", help="8 or 5 digits")
    sc.add_argument("--launch", required=True, metavar="YEAR", help="base 31.12.YEAR")
    sc.add_argument("--horizon", default="10", metavar="YEARS", help="default 10")
    sc.add_argument("--out", metavar="FILE", help="scenario file to write (default: stdout)")
    sc.add_argument(
        "--base-years",
        metavar="Y[,Y...]",
        help="years whose migration is used (default: the last year with district ages)",
    )
    sc.add_argument(
        "--national-migration",
        metavar="PATH",
        help="W0, W1, W2 or W3 (15th coordinated projection) or one number per year",
    )
    return p


SCENARIO_HELP = """Build a complete scenario file for municipalities (8-digit AGS) and districts
(5-digit AGS) from the official statistics in $ORTSWANDEL_DATA_DIR: base population of
31.12. of the launch year, mortality (period life table, Land-adjusted), fertility (Land
TFR, local child-woman factor) and migration (residual method by district, sex and age
group). Sources and estimates are listed in the file's description and printed to stderr.
Districts: launch 2015-2020 (official ages) or 2022 (estimated); municipalities: 2022."""


def _fail(lines: Sequence[str]) -> int:
    for line in lines:
        print(f"ortswandel: error: {line}", file=sys.stderr)
    return EXIT_INPUT


def _project(args: argparse.Namespace) -> int:  # noqa: PLR0911 - one exit per failure kind
    from ortswandel.engine import EngineValueError
    from ortswandel.scenario import ScenarioError, load_scenario, run, write

    fmt = args.format or (Path(args.out).suffix.lstrip(".").lower() or "csv")
    if fmt not in ("csv", "json", "xlsx"):
        return _fail([f"--format: unknown format {fmt!r}. Fix: use csv, json or xlsx"])
    if args.trajectories < 0:
        return _fail(["--trajectories: must be >= 0. Fix: give the number of trajectories"])
    out_dir = Path(args.out).resolve().parent
    if not out_dir.is_dir():
        return _fail([f"--out: directory {out_dir} does not exist. Fix: create it first"])
    try:
        spec = load_scenario(args.scenario)
        result = run(spec, trajectories=args.trajectories)
        files = write(result, args.out, fmt)
    except ScenarioError as exc:
        return _fail([str(p) for p in exc.problems])
    except EngineValueError as exc:
        return _fail([str(exc)])
    except OSError as exc:
        return _fail(
            [
                f"--out: cannot write {args.out} ({exc.strerror}). Fix: check the path "
                "and the free disk space"
            ]
        )
    except MemoryError:
        return _fail(
            [
                "SCENARIO.json: the run needs more memory than this machine has. Fix: "
                "fewer areas, steps, scenarios or --trajectories per file"
            ]
        )
    for name, res in result.projections.items():
        if len(res.clip_events):
            print(
                f"ortswandel: warning: scenario {name!r}: population would have become "
                f"negative in {len(res.clip_events)} cells (set to 0; see the 'clipped' "
                "table and the 'clipped' component)",
                file=sys.stderr,
            )
    for f in files:
        print(f)
    return 0


class _ArgError(ValueError):
    """A command-line value that is not of the right kind (one error line)."""


def _scenario_args(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of ``build_scenario`` from the parsed options."""
    numbers = {}
    for name, value in (("--launch", args.launch), ("--horizon", args.horizon)):
        if not (value.strip().isascii() and value.strip().isdigit()):
            raise _ArgError(f"{name}: {value!r} is not a whole number. Fix: give e.g. 2020")
        numbers[name] = int(value)
    try:
        base_years = (
            [int(y) for y in args.base_years.split(",") if y.strip()] if args.base_years else None
        )
    except ValueError as exc:
        raise _ArgError("--base-years: not a list of years. Fix: give e.g. 2019,2020") from exc
    path: str | list[float] | None = args.national_migration
    if isinstance(path, str) and not path.strip().upper().startswith("W"):
        try:
            path = [float(v) for v in path.split(",")]
        except ValueError as exc:
            raise _ArgError(
                "--national-migration: not W0..W3 or numbers. Fix: give e.g. W1 or 300000,..."
            ) from exc
    if args.out is not None and not Path(args.out).resolve().parent.is_dir():
        raise _ArgError(f"--out: directory of {args.out} does not exist. Fix: create it first")
    return {
        "ags": args.ags.split(","),
        "launch": numbers["--launch"],
        "horizon": numbers["--horizon"],
        "base_years": base_years,
        "national_migration": path,
    }


def _scenario(args: argparse.Namespace) -> int:
    import json

    from ortswandel.scenario.build import BuildError, build_scenario

    try:
        from ortswandel.core.env import data_dir
        from ortswandel.sources.official import official_data

        built = build_scenario(**_scenario_args(args), data=official_data(data_dir()))
    except (_ArgError, BuildError) as exc:
        return _fail([str(exc)])
    text = json.dumps(built.document, ensure_ascii=False, indent=1)
    if args.out is None:
        sys.stdout.write(text + "\n")
    else:
        try:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            return _fail([f"--out: cannot write {args.out} ({exc.strerror}). Fix: check the path"])
        print(args.out)
    for label in built.estimates:
        print(f"ortswandel: estimate: {label}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ortswandel`` console script; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and the problem
        return int(exc.code) if isinstance(exc.code, int) else EXIT_INPUT
    if args.command not in ("project", "scenario"):  # pragma: no cover - argparse rejects
        return EXIT_INPUT
    try:
        return _project(args) if args.command == "project" else _scenario(args)
    except KeyboardInterrupt:
        print("ortswandel: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: never a traceback
        print(
            f"ortswandel: internal error: {type(exc).__name__}: {exc}. Please report it "
            "with the scenario file",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
