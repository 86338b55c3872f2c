"""Refused accesses, noted where the refusal is answered.

Two refusals reach a signed-in user: "not found" for a record that exists but is beyond their reach (the 404
of `get_visible_or_404`, with the same body as a missing id), and 403 for an action their role does not
allow. `refusal_note` is called for both by the page middleware (`RefusalMiddleware`) and by the API's
exception handler, after the view has given up: whatever transaction the view opened has been rolled back by
then, and the record of the refusal must outlive it.

The ground floor knows nothing of the audit trail: it sends `access_refused`, and the audit app, connected to
it in its `ready()`, writes the event.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import Signal
from django.http import Http404
from rest_framework import exceptions as drf

logger = logging.getLogger(__name__)

# Sent with `refusal` (a Refusal) for every refused access of a signed-in user.
access_refused = Signal()

# The lookups that name the record asked for, as get_visible_or_404's callers write them.
_ID_LOOKUPS = ("pk", "id", "pk__exact", "id__exact")


@dataclass(frozen=True)
class Refusal:
    """One refused access: who, what kind of record or page, which one, and the request that asked."""

    actor: Any
    status: int  # 404: a record beyond the user's reach; 403: the role does not allow the action
    kind: str  # a model's label ("cases.case") for a 404, the URL pattern's name for a 403
    object_id: str
    method: str
    path: str
    capability: str = ""  # the capability a 403 lacked ("cases.change" from NotAllowed), when known


class RecordNotVisible(Http404):
    """No record matching `lookup` that the user may see: a 404, which the user cannot tell from a missing
    id. Whether it was another organisation's record is asked only when the refusal is noted, so that a
    successful fetch costs no extra query and a failing one exactly one."""

    def __init__(self, model, lookup: dict[str, Any]):
        super().__init__()
        self.model = model
        self.lookup = lookup

    def exists_beyond_reach(self) -> bool:
        try:
            return self.model._base_manager.filter(**self.lookup).exists()
        except (ValueError, TypeError, ValidationError):
            return False

    def object_id(self) -> str:
        for name in _ID_LOOKUPS:
            if name in self.lookup:
                value = self.lookup[name]
                return str(getattr(value, "pk", value))[:64]
        return ""


def _refusal(request, exc, user, view_kwargs) -> Refusal | None:
    method = request.method or ""
    path = request.path or ""
    if isinstance(exc, RecordNotVisible):
        # A missing id is no refusal (a stale link, a typing error); a record of another organisation is.
        if not exc.exists_beyond_reach():
            return None
        return Refusal(user, 404, exc.model._meta.label_lower, exc.object_id(), method, path)
    if isinstance(exc, Http404):
        return None
    match = getattr(request, "resolver_match", None)
    kind = (match.view_name if match else "") or path
    object_id = str((view_kwargs or (match.kwargs if match else {}) or {}).get("pk", ""))[:64]
    # NotAllowed carries the capability the role lacks; DRF's and Django's own refusals carry none.
    capability = str(exc.args[0]) if isinstance(exc, PermissionDenied) and exc.args else ""
    return Refusal(user, 403, kind[:100], object_id, method, path, capability)


def refusal_note(request, exc: BaseException, *, user=None, view_kwargs: dict | None = None) -> None:
    """Note a 404 or 403 answered to `request` (for `user`, else the request's user): a record of another
    organisation or a refused action of a signed-in user is sent as `access_refused`; anything else
    (a missing id, an anonymous visitor) is not a refusal to record."""
    user = user if user is not None else getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    if not isinstance(exc, Http404 | PermissionDenied | drf.PermissionDenied):
        return
    try:
        refusal = _refusal(request, exc, user, view_kwargs)
        if refusal is not None:
            access_refused.send(sender=Refusal, refusal=refusal)
    except Exception:
        # The refusal is answered whatever happens to its record: a failing write is logged, not turned
        # into an error page for the user.
        logger.exception("could not record a refused access to %s", request.path)
