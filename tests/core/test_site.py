"""Links that leave the request (mails, calendar files) use ORTSWANDEL_BASE_URL only."""

from __future__ import annotations

import pytest

from ortswandel.core import site


def test_absolute_url_uses_the_configured_base(settings):
    settings.ORTSWANDEL_BASE_URL = "https://ortswandel.example/"
    assert site.base_url() == "https://ortswandel.example"
    assert (
        site.absolute_url("/kommunen/12070424/") == "https://ortswandel.example/kommunen/12070424/"
    )


def test_development_default_when_unset(settings):
    settings.ORTSWANDEL_BASE_URL = ""
    assert site.absolute_url("/") == site.DEVELOPMENT_BASE_URL + "/"


def test_a_relative_path_is_refused(settings):
    with pytest.raises(ValueError, match="starting with '/'"):
        site.absolute_url("kommunen/")
