"""The harness itself: axe-core really reports violations, the external-host guard really
blocks — so that an empty list in the page tests means something."""

from __future__ import annotations

from .conftest import serious_violations

BAD_PAGE = """<!DOCTYPE html><html><head><title>x</title></head><body>
<main><h1>Formular</h1><input type="text" name="q">
<p class="faint">kaum lesbar</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main>
<style>.faint { color: #ddd; background: #fff; }</style></body></html>"""


def test_axe_reports_serious_violations(page, axe):
    page.set_content(BAD_PAGE)
    problems = serious_violations(axe, page)
    ids = {line.split(" ", 1)[0] for line in problems}
    assert {"label", "color-contrast", "image-alt", "html-has-lang"} <= ids, problems
    # A second run on the same document (axe already injected) gives the same answer.
    assert serious_violations(axe, page) == problems
