"""The background worker: syncs the schedules, runs what is due, then serves the job queue."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ortswandel.core import jobs


class Command(BaseCommand):
    help = (
        "Startet den Hintergrundprozess (django-q2-Cluster): gleicht die Zeitpläne mit dem Code "
        "ab, stößt fällige Aufgaben an und arbeitet die Warteschlange ab (E-Mail-Versand, "
        "Erinnerungen, Löschfristen …). Beenden mit SIGTERM oder Strg+C. Mehrere Worker auf "
        "mehreren Rechnern dürfen dieselbe Datenbank bzw. denselben Redis nutzen."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=None,
            help="stop after this many seconds (tests, smoke checks)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django_q.brokers import get_broker
        from django_q.cluster import Cluster
        from django_q.scheduler import scheduler

        if options["max_seconds"] is not None and options["max_seconds"] <= 0:
            raise CommandError("--max-seconds must be > 0")
        if jobs.run_inline():
            raise CommandError("ORTSWANDEL_JOBS_SYNC is on: jobs run inline, a worker has no work")
        # A stop requested while the worker is still starting (syncing schedules, first
        # scheduler pass) is remembered and honoured once the cluster is up: the process ends
        # cleanly with 0 instead of dying of the signal. The cluster replaces these handlers.
        stop_requested = threading.Event()

        def request_stop(signum: int, frame: Any) -> None:
            stop_requested.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write("worker starting")
        self.stdout.flush()
        result = jobs.schedules_sync()
        self.stdout.write(
            f"schedules: created={result.created} updated={result.updated} "
            f"deleted={result.deleted} unchanged={result.unchanged}"
        )
        self.stdout.flush()
        broker = get_broker()
        # Whatever fell due while no worker ran starts now, not at the cluster's first
        # scheduler pass (30 s later). Parallel workers: the scheduler locks each schedule.
        scheduler(broker=broker)
        connections.close_all()  # the cluster forks; children must not share our connections
        cluster = Cluster(broker)  # installs handlers: SIGTERM/SIGINT stop the cluster cleanly
        cluster.start()
        queue = settings.Q_CLUSTER.get("name")
        self.stdout.write(f"worker running (queue {queue}, broker {broker.info()})")
        self.stdout.flush()
        if stop_requested.is_set():
            cluster.stop()
        if options["max_seconds"] is not None:
            timer = threading.Timer(options["max_seconds"], signal.raise_signal, [signal.SIGTERM])
            timer.daemon = True
            timer.start()
        while cluster.sentinel is not None and cluster.sentinel.is_alive():
            cluster.sentinel.join(timeout=0.5)
        self.stdout.write("worker stopped")
