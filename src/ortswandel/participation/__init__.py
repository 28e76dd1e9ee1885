"""Participation: co-creation processes, ideas, comments, votes, accountability (issue 11).

The two hooks below are picked up by :mod:`ortswandel.accounts.services` for the data export
(DSGVO Art. 15/20) and account deletion (Art. 17) of a user.
"""

from __future__ import annotations

from typing import Any


def personal_data_export(*, user: Any) -> dict[str, Any]:
    from .retention import personal_data_export as export

    return export(user=user)


def personal_data_erase(*, user: Any) -> None:
    from .retention import personal_data_erase as erase

    erase(user=user)
