"""Process settings applied once the server has started (by :mod:`ortswandel.config.wsgi`).

The garbage collector: after start-up the process holds a few hundred thousand long-lived
objects (Django, the URL configuration, our modules). CPython's full (generation 2) collection
traverses all of them, which showed as pauses of up to ~170 ms in the tail of the jury meeting
page (``bench/bench_calls.py``). :func:`tune_gc` moves them into the permanent generation
(:func:`gc.freeze`), so full collections only walk what requests created since; with a
pre-forking server (``gunicorn --preload``) it also keeps the frozen pages shared between workers.
Figures with and without: ``bench/bench_calls.py --gc wsgi|default``. Measured on the shared
2-core machine (load average 8–9), jury meeting mix of score changes and page views: the longest
full collection 90–112 ms with the freeze against 372–405 ms without (wall time), the mix's p95
93–106 ms against 164–169 ms. Full collections become more frequent (6 against 2 in 420 views:
CPython starts one when the objects that survived since the last one reach a quarter of the
long-lived ones, and after the freeze there are fewer of those), each much shorter. Raising the
generation-0 threshold as well (50000) showed no clear gain in the same runs, so the thresholds
stay at CPython's defaults.
"""

from __future__ import annotations

import gc


def tune_gc() -> None:
    """Import every view module (the URL configuration), collect once, then freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views before the freeze
    gc.collect()
    gc.freeze()
