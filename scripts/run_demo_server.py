"""``make demo``: the development server and, in the background, the job worker.

The worker (``manage.py run_worker``) sends the queued mails (to ``var/mail/`` in the demo),
retries, reminders and the deletion deadlines; the server answers requests. Both stop together:
when the server stops (Ctrl+C, an error such as a busy port, SIGTERM to this script) the worker
is stopped too, and vice versa the server is stopped if the worker dies.

    python scripts/run_demo_server.py [runserver arguments, default 127.0.0.1:8000]
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 30


def _stop(process: subprocess.Popen[bytes], name: str, *, group: bool = False) -> None:
    """SIGTERM, then wait. ``group``: the whole process group (runserver's autoreloader runs
    the real server in a child process); the worker gets it alone and stops its own children."""
    if process.poll() is not None:
        return
    if group:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    else:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop within {STOP_SECONDS} s; killing it", file=sys.stderr)
        if group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        process.wait()


def main(argv: list[str]) -> int:
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Both get their own session: Ctrl+C in the terminal reaches only this script, which then
    # stops each of them once, cleanly, with SIGTERM.
    worker = subprocess.Popen([*manage, "run_worker"], cwd=ROOT, start_new_session=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603 (our own manage.py; arguments from the Makefile)
        [*manage, "runserver", *(argv or ["127.0.0.1:8000"])], cwd=ROOT, start_new_session=True
    )
    print(f"demo: server pid {server.pid}, worker pid {worker.pid}", flush=True)

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    code = 0
    try:
        while True:
            try:
                code = server.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                if worker.poll() is not None:
                    print("demo: the worker stopped; stopping the server", file=sys.stderr)
                    code = 1
                    break
    except KeyboardInterrupt:
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    finally:
        _stop(server, "server", group=True)
        _stop(worker, "worker")
    print("demo: server and worker stopped", flush=True)
    return 128 - code if code < 0 else code  # killed by a signal: the shell's 128 + signal


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
