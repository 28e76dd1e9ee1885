"""Predicates of the knowledge portal (combined into permissions in ``rules.py``)."""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import (
    has_model_perm,
    is_editor_of_programme,
    is_site_admin,
)

#: The programme's editorial team ("Redaktion") or a site admin: may see drafts of the programme.
is_editor_or_admin = is_site_admin | is_editor_of_programme


def may_edit(perm: str) -> rules.Predicate:
    """Site admin, or editor of the object's programme who holds Django's model permission
    ``perm`` (least privilege: the programme role scopes, the model permission says what)."""
    return is_site_admin | (has_model_perm(perm) & is_editor_of_programme)
