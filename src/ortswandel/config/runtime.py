"""Process settings applied once the server has started (by :mod:`ortswandel.config.wsgi`).

The garbage collector: after start-up the process holds a few hundred thousand long-lived
objects (Django, the URL configuration, our modules). CPython's full (generation 2) collection
traverses all of them, which showed as pauses of up to ~170 ms in the tail of the jury meeting
page (``bench/bench_calls.py``). :func:`tune_gc` moves them into the permanent generation
(:func:`gc.freeze`), so full collections only walk what requests created since; with a
pre-forking server (``gunicorn --preload``) it also keeps the frozen pages shared between workers.
Figures with and without: ``bench/bench_calls.py --gc wsgi|default``.
"""

from __future__ import annotations

import gc


def tune_gc() -> None:
    """Import every view module (the URL configuration), collect once, then freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views before the freeze
    gc.collect()
    gc.freeze()
