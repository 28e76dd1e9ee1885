"""The one typed reader of the environment: every setting Ortswandel takes from outside.

``config/settings.py`` reads every variable through :data:`env` (the defaults live there, in one
place); apps read the resulting Django settings, never ``os.environ``. A value that cannot be
parsed stops start-up with :class:`~django.core.exceptions.ImproperlyConfigured` naming the
variable, the value and what is expected – a bad value never falls back silently.

Empty values count as unset (``FOO=`` in an env file means "use the default").

This module must stay importable without configured Django settings (``settings.py`` imports it).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}

#: Unit words accepted in durations and rates, in seconds.
_UNITS: dict[str, float] = {
    "ms": 0.001,
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*([a-z]*)\s*$")
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class Rate:
    """``count`` events per ``seconds``; written ``30/m``, ``100/5m``, ``10/15min``, ``3/h``."""

    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


def parse_rate(value: str) -> Rate:
    """``"30/m"`` → 30 per 60 s; ``"100/5m"`` → 100 per 300 s. Raises ``ValueError``."""
    match = _RATE_RE.match((value or "").lower())
    if not match or match.group(3) not in _UNITS:
        raise ValueError(
            "expected <count>/<unit> with unit s, m (min), h or d and an optional multiplier, "
            "e.g. 30/m, 100/5m, 3/h"
        )
    count, multiplier, unit = match.groups()
    seconds = int(int(multiplier or 1) * _UNITS[unit])
    if int(count) < 1 or seconds < 1:
        raise ValueError("count and period must be at least 1")
    return Rate(int(count), seconds)


def as_rate(value: Rate | str, name: str = "rate") -> Rate:
    """A :class:`Rate` from a setting that may hold one or its text (``override_settings``)."""
    if isinstance(value, Rate):
        return value
    try:
        return parse_rate(str(value))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a valid rate: {exc}") from None


def parse_duration(value: str, *, unit: str = "s") -> timedelta:
    """``"90"`` (in ``unit``), ``"500ms"``, ``"90s"``, ``"15m"``, ``"2h"``, ``"3d"``.
    Raises ``ValueError``."""
    match = _DURATION_RE.match((value or "").lower())
    if not match or (match.group(2) or unit) not in _UNITS:
        raise ValueError("expected a whole number with an optional unit ms, s, m, h or d, e.g. 15m")
    number, suffix = match.groups()
    return timedelta(seconds=int(number) * _UNITS[suffix or unit])


class Env:
    """Typed getters over an environment mapping (``os.environ`` unless given, for tests)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        """The stripped value, or ``None`` when unset or empty."""
        value = self._environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def _parse(self, name: str, default: T, parse: Callable[[str], T]) -> T:
        value = self.raw(name)
        if value is None:
            return default
        try:
            return parse(value)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"Environment variable {name}={value!r} is not valid: {exc}."
            ) from None

    def string(self, name: str, default: str = "", *, keep_whitespace: bool = False) -> str:
        if keep_whitespace:
            value = self._environ.get(name)
            return default if value is None or value.strip() == "" else value
        value = self.raw(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        def parse(value: str) -> bool:
            lowered = value.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError("expected true/false (also 1/0, yes/no, on/off)")

        return self._parse(name, default, parse)

    def integer(
        self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        def parse(value: str) -> int:
            try:
                number = int(value)
            except ValueError:
                raise ValueError("expected a whole number") from None
            if minimum is not None and number < minimum:
                raise ValueError(f"must be at least {minimum}")
            if maximum is not None and number > maximum:
                raise ValueError(f"must be at most {maximum}")
            return number

        return self._parse(name, default, parse)

    def duration(
        self, name: str, default: str | timedelta, *, unit: str = "s", minimum: str | None = None
    ) -> timedelta:
        """A duration like ``15m`` or ``2h``; a bare number is in ``unit``."""
        least = parse_duration(minimum, unit=unit) if minimum is not None else None

        def parse(value: str) -> timedelta:
            result = parse_duration(value, unit=unit)
            if least is not None and result < least:
                raise ValueError(f"must be at least {minimum}")
            return result

        fallback = parse_duration(default, unit=unit) if isinstance(default, str) else default
        return self._parse(name, fallback, parse)

    def rate(self, name: str, default: str) -> Rate:
        return self._parse(name, parse_rate(default), parse_rate)

    def strings(self, name: str, default: Sequence[str] = (), *, separator: str = ",") -> list[str]:
        value = self.raw(name)
        items = default if value is None else value.split(separator)
        return [item.strip() for item in items if item.strip()]

    def choice(self, name: str, default: str, choices: Sequence[str]) -> str:
        def parse(value: str) -> str:
            if value.lower() not in choices:
                raise ValueError(f"expected one of {', '.join(choices)}")
            return value.lower()

        return self._parse(name, default, parse)

    def url(
        self, name: str, default: str = "", *, schemes: Sequence[str] = ("http", "https")
    ) -> str:
        """An absolute URL with one of ``schemes`` and a host; trailing ``/`` removed."""

        def parse(value: str) -> str:
            parts = urlsplit(value)
            if parts.scheme not in schemes or not (parts.netloc or parts.scheme == "unix"):
                raise ValueError(
                    f"expected an absolute URL starting with {' or '.join(schemes)}://"
                )
            return value.rstrip("/") if parts.scheme in ("http", "https") else value

        return self._parse(name, default, parse)

    def email(self, name: str, default: str = "") -> str:
        def parse(value: str) -> str:
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
                raise ValueError("expected an e-mail address such as kontakt@example.org")
            return value

        return self._parse(name, default, parse)

    def path(self, name: str, default: Path) -> Path:
        return self._parse(name, default, lambda value: Path(value).expanduser()).resolve()

    def networks(
        self, name: str, default: Sequence[str] = ()
    ) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        """IP addresses or networks (``10.0.0.0/8``, ``::1``), comma-separated."""

        def parse(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
            networks = []
            for item in (part.strip() for part in value.split(",")):
                if not item:
                    continue
                try:
                    networks.append(ipaddress.ip_network(item, strict=False))
                except ValueError:
                    raise ValueError(
                        f"{item!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8)"
                    ) from None
            return networks

        return self._parse(name, parse(",".join(default)), parse)


#: The process environment; ``settings.py`` reads every variable through it.
env = Env()


def base_dir(environ: Env = env) -> Path:
    """``ORTSWANDEL_BASE_DIR`` or the checkout (the folder that holds ``src/``)."""
    return environ.path("ORTSWANDEL_BASE_DIR", Path(__file__).resolve().parents[3])


def data_dir(environ: Env = env) -> Path:
    """``ORTSWANDEL_DATA_DIR`` or ``../shared/data`` beside the checkout: the one definition,
    used by the settings and by scripts that run without Django (benchmarks)."""
    return environ.path("ORTSWANDEL_DATA_DIR", base_dir(environ).parent / "shared" / "data")


def content_dir(environ: Env = env) -> Path:
    """``ORTSWANDEL_CONTENT_DIR`` or ``../shared/content`` beside the checkout: the collected
    public facts about the programmes (``facts.json``, never committed)."""
    return environ.path("ORTSWANDEL_CONTENT_DIR", base_dir(environ).parent / "shared" / "content")
