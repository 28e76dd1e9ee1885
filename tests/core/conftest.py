"""Fixtures of the events tests that the mail and job tests use too (events as a real client)."""

from tests.events.conftest import event, make_event  # noqa: F401
