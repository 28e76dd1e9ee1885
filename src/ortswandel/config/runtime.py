"""Process settings applied once the server has started (by :mod:`ortswandel.config.wsgi`).

The garbage collector: after start-up the process holds a few hundred thousand long-lived
objects (Django, the URL configuration, our modules). CPython's full (generation 2) collection
traverses all of them, which showed as pauses of up to ~170 ms in the tail of the jury meeting
page (``bench/bench_calls.py``). :func:`tune_gc` moves them into the permanent generation
(:func:`gc.freeze`), so full collections only walk what requests created since; with a
pre-forking server (``gunicorn --preload``) it also keeps the frozen pages shared between workers.
Figures with and without: ``bench/bench_calls.py --gc wsgi|default`` (same run, load average
~3.5 on the shared 2 cores; 100 cold views after score changes, 300 views of a meeting mix): the
longest full collection took 23 ms with the freeze against 117 ms without, the slowest view 52 ms
against 146 ms; the p95 stays the same (44/31 ms against 41/32 ms). Full collections become more
frequent (10 against 2: CPython starts one when the objects that survived since the last one
reach a quarter of the long-lived ones, and after the freeze there are fewer of those), each
walks far fewer objects. Raising the thresholds as well showed no clear gain in the runs on the
loaded machine, so they stay at CPython's defaults.
"""

from __future__ import annotations

import gc


def tune_gc() -> None:
    """Import every view module (the URL configuration), collect once, then freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views before the freeze
    gc.collect()
    gc.freeze()
