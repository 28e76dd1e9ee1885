"""Ausschreibungen API (mounted at ``/api/calls``)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Ausschreibungen"])
