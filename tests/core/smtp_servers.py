"""Real SMTP peers on loopback for the mail tests: a server that accepts connections and never
answers (the hanging mail server of defect 4), and a port nobody listens on. The working server
is :class:`tests.events.smtp_sink.SMTPSink`."""

from __future__ import annotations

import socket
import threading


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HangingSMTP:
    """Accepts TCP connections on 127.0.0.1 and never sends the SMTP greeting.

    ``accepted`` counts connections, so a test can prove that nobody (or exactly one sender)
    talked to the server, independent of timing.
    """

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port: int = self._sock.getsockname()[1]
        self.accepted = 0
        self._open: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._open.append(conn)  # keep it open, say nothing

    def __enter__(self) -> HangingSMTP:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._open:
            conn.close()
        self._sock.close()
