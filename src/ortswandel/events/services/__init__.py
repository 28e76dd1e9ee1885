"""Every write of the events app (see the sub-modules); import from here."""

from .organiser import (
    event_message_participants,
    event_send_followup,
    followups_send_due,
    registration_set_attendance,
    reminders_send_due,
    require_organiser,
)
from .registration import (
    batch_of,
    event_fill_from_waitlist,
    registration_cancel,
    registration_confirm,
    registration_create,
    registration_create_many,
    registrations_release_unconfirmed,
)
from .retention import (
    event_purge_personal_data,
    personal_data_erase,
    personal_data_export,
    purge_due,
    registration_erase_person,
    registration_export,
)
from .scheduling import events_publish_due
from .seats import seats_taken, waitlist_position
from .tokens import absolute_link, make_token, resolve_token

__all__ = [
    "absolute_link",
    "batch_of",
    "event_fill_from_waitlist",
    "event_message_participants",
    "event_purge_personal_data",
    "event_send_followup",
    "events_publish_due",
    "followups_send_due",
    "make_token",
    "personal_data_erase",
    "personal_data_export",
    "purge_due",
    "registration_cancel",
    "registration_confirm",
    "registration_create",
    "registration_create_many",
    "registration_erase_person",
    "registration_export",
    "registration_set_attendance",
    "registrations_release_unconfirmed",
    "reminders_send_due",
    "require_organiser",
    "resolve_token",
    "seats_taken",
    "waitlist_position",
]
