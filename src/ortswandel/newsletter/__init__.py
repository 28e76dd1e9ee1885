"""Newsletter: subscriptions with double opt-in, issues, digests, one-click unsubscribe.

The two hooks below are picked up by :mod:`ortswandel.accounts.services` for the data export
(DSGVO Art. 15/20) and account deletion (Art. 17): they cover the subscriptions of the account's
e-mail address.
"""

from __future__ import annotations

from typing import Any


def personal_data_export(*, user: Any) -> list[dict[str, Any]]:
    from .services import personal_data_export as export

    return export(user=user)


def personal_data_erase(*, user: Any) -> None:
    from .services import personal_data_erase as erase

    erase(user=user)
