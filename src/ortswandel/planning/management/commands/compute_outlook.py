"""Compute the default projection of every municipality (the all-Germany outlook)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ortswandel.planning.outlook.compute import HORIZON, outlook_refresh
from ortswandel.scenario.build import BuildError


class Command(BaseCommand):
    help = (
        "Berechnet die Standard-Vorausberechnung für alle Gemeinden (Karte unter /planen/karte/). "
        "Ohne --force nur, wenn sich die amtlichen Daten geändert haben."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="auch bei unveränderten Daten")
        parser.add_argument(
            "--horizon", type=int, default=HORIZON, help=f"Jahre (Standard {HORIZON})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            run = outlook_refresh(force=options["force"], horizon=options["horizon"])
        except BuildError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        if run is None:
            self.stdout.write("outlook unchanged (same data and horizon); use --force to recompute")
            return
        self.stdout.write(
            f"outlook: {run.municipalities} municipalities, {run.launch_year}–{run.horizon_year}, "
            f"data {run.data_version}, {seconds:.1f} s"
        )
