"""Writes to the reference lists. Only administrators change them; every change is audited."""

from __future__ import annotations

from typing import Any, TypeVar

from tirek.audit.writes import create_audited, update_audited
from tirek.catalog.models import ReferenceItem
from tirek.core.scoping import require

R = TypeVar("R", bound=ReferenceItem)


def _editable_fields(model: type[ReferenceItem]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name != "id"]


def reference_item_create(*, actor, model: type[R], **fields: Any) -> R:
    require(actor, "catalog.manage")
    return create_audited(actor=actor, instance=model(**fields))


def reference_item_update(*, actor, item: R, **fields: Any) -> R:
    require(actor, "catalog.manage")
    return update_audited(actor=actor, instance=item, data=fields, fields=_editable_fields(type(item)))
