"""Who may grant which role: the one rule that the staff services, forms and pages ask.

A manager runs their own organisation's casework staff, so they grant and remove the casework roles
(specialist, coordinator, intake, manager) there. What reaches beyond the organisation's casework is for
administrators only: the analyst role (every organisation's figures), the administrator role (everything),
the data protection officer's flag (the organisation's audit trail), and a place in the organisation for an
account that belongs to another organisation. A manager cannot change or remove a membership that carries
any of these either, their own included.

A refusal is a GrantRefused (a NotAllowed: 403) naming what was refused; the trail records it where it is
answered, as every 403 (tirek.core.refusals), and a page that shows it on the form notes it there. Trying an
account of another organisation is answered as a new login would be, not with a 403, so it is recorded here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from tirek.accounts.choices import Role
from tirek.audit.services import refusal_record
from tirek.core.errors import NotAllowed
from tirek.core.scoping import can

if TYPE_CHECKING:
    from tirek.accounts.models import Membership, User

CASEWORK_ROLES = frozenset({Role.SPECIALIST, Role.COORDINATOR, Role.INTAKE, Role.MANAGER})


class GrantRefused(NotAllowed):
    """A grant or change of a membership that the actor's role does not allow (HTTP 403): `what` was refused
    (as the trail says it), `message` is what a page shows on the form (on `field`, or the whole form)."""

    def __init__(self, what: str, message, field: str | None = None):
        super().__init__(what)
        self.message = message
        self.field = field


def grantable_roles(actor: User, organisation: Any) -> frozenset[str]:
    """The roles `actor` may grant, and remove, in `organisation` (none when they do not manage its staff)."""
    if not can(actor, "accounts.manage_staff", organisation):
        return frozenset()
    if actor.is_administrator:
        return frozenset(Role.values)
    return CASEWORK_ROLES


def role_choices(actor: User, organisation: Any) -> list[tuple[str, str]]:
    """The grantable roles as form choices, in the order of `Role`."""
    allowed = grantable_roles(actor, organisation)
    return [(value, label) for value, label in Role.choices if value in allowed]


def may_name_data_protection_officer(actor: User) -> bool:
    return actor.is_administrator


def may_add_from_elsewhere(actor: User) -> bool:
    """Whether `actor` may give an existing account of another organisation a place in an organisation."""
    return actor.is_administrator


def may_change_membership(actor: User, membership: Membership) -> bool:
    """Whether `actor` may change or remove `membership` at all."""
    if membership.role not in grantable_roles(actor, membership.organisation_id):
        return False
    return not membership.is_data_protection_officer or may_name_data_protection_officer(actor)


def record_foreign_account_refusal(*, actor: User, account: User) -> None:
    """Record that `actor` tried to give `account`, an account of another organisation, a place in theirs
    (collapsed with their other such tries of the minute, as every refusal)."""
    refusal_record(
        actor=actor,
        kind="accounts.user",
        status=403,
        object_id=str(account.pk),
        capability="adding an account of another organisation refused",
    )


def refuse(*, what: str, message, field: str | None = None) -> GrantRefused:
    """The exception refusing `what`, for the caller to raise."""
    return GrantRefused(f"{what} refused", message, field)


def check_membership_change(*, actor: User, membership: Membership, fields: dict[str, Any]) -> None:
    """Raise GrantRefused unless `actor` may make the changes `fields` to `membership`."""
    organisation = membership.organisation_id
    if not may_change_membership(actor, membership):
        raise refuse(
            what=f"change of a {membership.role} membership",
            message=_(
                "Only an administrator can change the membership of an administrator, an analyst or the "
                "data protection officer."
            ),
        )
    role = fields.get("role", membership.role)
    if role != membership.role and role not in grantable_roles(actor, organisation):
        raise refuse(
            what=f"grant of the {role} role",
            message=_("Only an administrator can grant this role."),
            field="role",
        )
    officer = fields.get("is_data_protection_officer", membership.is_data_protection_officer)
    if officer != membership.is_data_protection_officer and not may_name_data_protection_officer(actor):
        raise refuse(
            what="naming or removing the data protection officer",
            message=_("Only an administrator can name or remove the data protection officer."),
            field="is_data_protection_officer",
        )


def check_grant(*, actor: User, organisation: Any, role: str) -> None:
    """Raise GrantRefused unless `actor` may grant `role` in `organisation` (a new membership)."""
    if role not in grantable_roles(actor, organisation):
        raise refuse(
            what=f"grant of the {role} role",
            message=_("Only an administrator can grant this role."),
            field="role",
        )
