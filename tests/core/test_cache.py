"""The one cache helper: versioned keys through Django's cache, versions replaced on commit, and a
failing cache backend that slows pages down instead of breaking them."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from ortswandel.core import versions
from ortswandel.core.cache import clear_local, versioned

FAILING = {"default": {"BACKEND": "tests.core.failing_cache.FailingCache"}}


@pytest.fixture
def failing_cache():
    """The cache backend fails on every call; restored before the autouse fixtures tear down
    (they clear the cache), which the ``settings`` fixture would not guarantee."""
    with override_settings(CACHES=FAILING):
        yield


NAMESPACE = "tests:content-version"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    clear_local()
    yield
    cache.clear()
    clear_local()


class Builder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"build": self.calls}


@pytest.mark.parametrize("local", [False, True])
def test_cached_until_the_version_changes(local):
    build = Builder()
    first = versioned("t", build, versions=[NAMESPACE], local=local)
    assert versioned("t", build, versions=[NAMESPACE], local=local) == first
    assert build.calls == 1
    assert versioned("t", build, versions=[NAMESPACE], parts=["other"], local=local) != first
    versions.bump_content_version(NAMESPACE)
    assert versioned("t", build, versions=[NAMESPACE], local=local) == {"build": 3}


@pytest.mark.django_db
def test_the_version_moves_on_commit_only(django_capture_on_commit_callbacks):
    before = versions.content_version(NAMESPACE)
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump_on_commit(NAMESPACE)
        assert versions.content_version(NAMESPACE) == before  # not inside the transaction
    assert versions.content_version(NAMESPACE) != before
    after = versions.content_version(NAMESPACE)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        versions.bump_on_commit(NAMESPACE)
        transaction.set_rollback(True)
    assert versions.content_version(NAMESPACE) == after  # rolled back: no new version


# --------------------------------------------------------------------------- failing backend


def test_a_failing_backend_serves_uncached_and_logs(failing_cache, caplog):
    build = Builder()
    with caplog.at_level(logging.WARNING, logger="ortswandel.core.cache"):
        assert versioned("t", build, versions=[NAMESPACE]) == {"build": 1}
        assert versioned("t", build, versions=[NAMESPACE], local=True) == {"build": 2}
    assert build.calls == 2
    assert "cache backend failed" in caplog.text


def test_versions_do_not_raise_when_the_backend_fails(failing_cache, caplog):
    with caplog.at_level(logging.WARNING):
        first, second = versions.content_version(NAMESPACE), versions.content_version(NAMESPACE)
        versions.bump_content_version(NAMESPACE)
    assert first != second  # nothing cached is ever reused
    assert "failed replacing the versions" in caplog.text
