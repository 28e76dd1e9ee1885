"""The typed settings reader: every getter parses, rejects bad values naming the variable, and
start-up stops on a bad value (no silent fallback)."""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ortswandel.core.env import Env, Rate, as_rate, data_dir, parse_duration, parse_rate

ROOT = Path(__file__).resolve().parents[2]


def env(**values: str) -> Env:
    return Env(values)


def test_unset_and_empty_values_give_the_default():
    e = env(EMPTY="  ")
    assert e.boolean("MISSING", True) is True
    assert e.boolean("EMPTY", False) is False
    assert e.integer("EMPTY", 7) == 7
    assert e.rate("EMPTY", "30/m") == Rate(30, 60)
    assert e.strings("EMPTY", ("a", "b")) == ["a", "b"]
    assert e.url("EMPTY") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", True), ("TRUE", True), ("yes", True), ("on", True), ("0", False), ("Off", False)],
)
def test_boolean(text, expected):
    assert env(FLAG=text).boolean("FLAG", not expected) is expected


@pytest.mark.parametrize(
    ("getter", "value", "expected"),
    [
        (lambda e: e.boolean("V", True), "vielleicht", "true/false"),
        (lambda e: e.integer("V", 1), "zehn", "whole number"),
        (lambda e: e.integer("V", 1, minimum=1), "0", "at least 1"),
        (lambda e: e.integer("V", 1, maximum=65535), "70000", "at most 65535"),
        (lambda e: e.rate("V", "30/m"), "30 pro Minute", "<count>/<unit>"),
        (lambda e: e.rate("V", "30/m"), "30/fortnight", "<count>/<unit>"),
        (lambda e: e.rate("V", "30/m"), "0/m", "at least 1"),
        (lambda e: e.duration("V", "2h"), "zwei Stunden", "whole number"),
        (lambda e: e.url("V"), "ortswandel.example.org", "absolute URL"),
        (lambda e: e.url("V", schemes=("redis",)), "memcached://127.0.0.1", "redis://"),
        (lambda e: e.email("V"), "kontakt(at)example.org", "e-mail address"),
        (lambda e: e.networks("V"), "127.0.0.1, proxy.local", "'proxy.local'"),
        (lambda e: e.choice("V", "a", ("development", "production")), "prod", "one of"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_is_expected(getter, value, expected):
    with pytest.raises(ImproperlyConfigured) as info:
        getter(env(V=value))
    message = str(info.value)
    assert message.startswith(f"Environment variable V={value!r} is not valid")
    assert expected in message


def test_rates_accept_unit_words_and_multipliers():
    assert parse_rate("30/m") == Rate(30, 60)
    # The value that made every registration a 500 before it was validated at start-up.
    assert parse_rate("30/min") == Rate(30, 60)
    assert parse_rate("100/5m") == Rate(100, 300)
    assert parse_rate("10/15min") == Rate(10, 900)
    assert parse_rate("3 / hour") == Rate(3, 3600)
    assert parse_rate("1000/d") == Rate(1000, 86400)
    assert as_rate("3/h", "X") == Rate(3, 3600)
    with pytest.raises(ImproperlyConfigured, match="ORTSWANDEL_X="):
        as_rate("3/week", "ORTSWANDEL_X")


def test_durations():
    assert parse_duration("90") == timedelta(seconds=90)
    assert parse_duration("2", unit="h") == timedelta(hours=2)
    assert parse_duration("500ms") == timedelta(milliseconds=500)
    assert parse_duration("15m") == timedelta(minutes=15)
    assert env(V="1d").duration("V", "2h") == timedelta(days=1)
    with pytest.raises(ImproperlyConfigured, match="at least 1s"):
        env(V="10ms").duration("V", "2s", minimum="1s")


def test_lists_urls_paths_and_networks(tmp_path):
    e = env(
        HOSTS=" a.example, ,b.example ",
        URL="https://ortswandel.example/",
        CACHE="redis://127.0.0.1:6379/1",
        DIR=str(tmp_path / "x" / ".." / "data"),
        PROXIES="10.0.0.0/8, ::1",
    )
    assert e.strings("HOSTS") == ["a.example", "b.example"]
    assert e.url("URL") == "https://ortswandel.example"
    assert e.url("CACHE", schemes=("redis", "rediss", "unix")) == "redis://127.0.0.1:6379/1"
    assert e.path("DIR", Path("/nope")) == (tmp_path / "data").resolve()
    assert e.networks("PROXIES") == [
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    ]
    assert e.string("MISSING", "x") == "x"
    assert env(PW=" geheim ").string("PW", keep_whitespace=True) == " geheim "


def test_the_data_directory_has_one_definition(tmp_path):
    assert data_dir(env(ORTSWANDEL_DATA_DIR=str(tmp_path))) == tmp_path.resolve()
    checkout = env(ORTSWANDEL_BASE_DIR=str(tmp_path / "checkout"))
    assert data_dir(checkout) == (tmp_path / "shared" / "data").resolve()


def test_no_app_reads_the_environment_itself():
    """Every variable goes through core/env.py; only WSGI names the settings module."""
    offenders = []
    for path in (ROOT / "src" / "ortswandel").rglob("*.py"):
        relative = path.relative_to(ROOT / "src" / "ortswandel").as_posix()
        if relative in {"core/env.py", "config/wsgi.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ(?!``)|os\.getenv|getenv\(", text):
            offenders.append(relative)
    assert offenders == []


def _start(**variables: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": "", **variables}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ORTSWANDEL_RATELIMIT_REGISTRATIONS", "30/fortnight"),
        ("ORTSWANDEL_RATELIMIT_ENABLED", "vielleicht"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = _start(**{variable: value})
    assert result.returncode != 0
    assert f"{variable}={value!r} is not valid" in result.stderr
