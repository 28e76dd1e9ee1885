"""Caches of catalogue content: a reader inside the commit window of an edit caches nothing
stale, and a failing cache backend slows pages down instead of breaking them."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

FAILING = {"default": {"BACKEND": "tests.core.failing_cache.FailingCache"}}


@pytest.fixture
def failing_cache():
    """The cache backend fails on every call; restored before the autouse fixtures tear down
    (they clear the cache), which the ``settings`` fixture would not guarantee."""
    with override_settings(CACHES=FAILING):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_reader_inside_the_commit_window_caches_nothing_stale(catalogue, site_admin, monkeypatch):
    """An admin edit is committed after the audit entry is written. A visitor whose request is
    served between the two (another connection: it still sees the old title) builds the facet
    index. Before, the version had already been replaced by a post_save signal, so the old data
    was cached under the *new* version and the directory's facets disagreed with its list for
    up to 60 s. Now the version moves on commit: the reader's entry is never used again."""
    from django.test import Client
    from django.urls import reverse

    from ortswandel.catalogue.filters import ProjectFilters
    from ortswandel.catalogue.selectors import project_directory
    from ortswandel.core import admin as core_admin
    from tests.admin_forms import admin_save

    def facet_count(q: str) -> int:
        directory = project_directory(ProjectFilters(q=q))
        options = {o.value: o.count for f in directory.facets for o in f.options}
        return options.get("testprogramm", 0)

    assert facet_count("Umbenannt") == 0  # the index is built and cached
    seen_by_reader: list[int] = []
    original = core_admin.audit_log

    def audit_then_read(**kwargs: Any) -> Any:
        entry = original(**kwargs)

        def read() -> None:
            try:
                seen_by_reader.append(facet_count("Umbenannt"))
            finally:
                connection.close()

        reader = threading.Thread(target=read)
        reader.start()
        reader.join()
        return entry

    monkeypatch.setattr(core_admin, "audit_log", audit_then_read)
    editor = Client()
    editor.force_login(site_admin)
    url = reverse("admin:catalogue_project_change", args=[catalogue.beta.pk])
    admin_save(editor, url, title="Umbenannt")
    assert seen_by_reader == [0]  # the reader was inside the window and saw the old title
    directory = project_directory(ProjectFilters(q="Umbenannt"))
    assert [p.acronym for p in directory.page.object_list] == ["BETA"]
    assert facet_count("Umbenannt") == 1  # the facets agree with the list


@pytest.mark.django_db
def test_pages_work_when_the_backend_fails(client, catalogue, failing_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="ortswandel.core"):
        assert client.get("/projekte/?q=titel").status_code == 200
        assert client.get("/api/projects?theme=" + str(catalogue.theme_a.pk)).status_code == 200
        assert client.get("/kommunen/12054000/").status_code == 200
    assert "cache backend failed" in caplog.text
