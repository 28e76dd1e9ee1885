"""Send due mails from the queue: once (cron, every minute) or as a worker (``--loop``)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from ortswandel.events import mail


class Command(BaseCommand):
    help = (
        "Versendet fällige E-Mails aus der Warteschlange (mit Wiederholung bei Fehlern); mit "
        "--loop als dauerhafter Versandprozess."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=500, help="mails per run (one connection)")
        parser.add_argument(
            "--loop",
            action="store_true",
            help="keep running and look for due mails every --interval seconds (stop: SIGTERM)",
        )
        parser.add_argument("--interval", type=float, default=5.0)
        parser.add_argument(
            "--max-seconds", type=float, default=None, help="with --loop: stop after this long"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit, interval = options["limit"], options["interval"]
        if limit < 1 or interval <= 0:
            raise CommandError("--limit must be ≥ 1 and --interval > 0")
        if not options["loop"]:
            run = mail.send_due(limit=limit)
            self.stdout.write(f"sent={run.sent} failed={run.failed}")
            return
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        if options["max_seconds"] is not None:
            timer = threading.Timer(options["max_seconds"], stop.set)
            timer.daemon = True
            timer.start()
        while not stop.is_set():
            close_old_connections()
            run = mail.send_due(limit=limit)
            if run.sent or run.failed:
                self.stdout.write(f"sent={run.sent} failed={run.failed}")
            if run.sent + run.failed < limit:  # the queue is drained: wait for new mail
                stop.wait(interval)
