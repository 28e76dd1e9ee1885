"""Command-line interface ``ortswandel``.

``ortswandel project SCENARIO.json --out RESULT.csv [--format csv|json|xlsx]
[--trajectories N]`` projects a scenario file (see ``docs/scenario-format.md``).

Exit codes: 0 success, 2 invalid input (one line per problem on stderr, never a
traceback), 1 unexpected internal error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

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
    return p


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ortswandel`` console script; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and the problem
        return int(exc.code) if isinstance(exc.code, int) else EXIT_INPUT
    if args.command != "project":  # pragma: no cover - argparse rejects unknown commands
        return EXIT_INPUT
    try:
        return _project(args)
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
