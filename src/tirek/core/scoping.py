"""Organisation scoping: the one pattern every app uses to decide what a user may see and do.

Tenant models get a queryset with `visible_to(user)`; views fetch through `get_visible_or_404`, so a record
of another organisation is indistinguishable from a missing one (404). A role that may see a record but not
act on it gets a 403 from `require`.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import models
from django.http import Http404

from tirek.core.errors import NotAllowed
from tirek.core.refusals import RecordNotVisible


class User(Protocol):
    """What scoping asks of a user (an accounts.User: core names the shape, as it imports no app)."""

    is_active: bool
    is_authenticated: bool
    is_data_protection_officer: bool

    def roles(self, organisation_id: Any = None) -> frozenset[str]: ...

    def active_organisation_id_checked(self) -> Any: ...


class ScopedQuerySet(models.QuerySet):
    """A queryset of records owned by an organisation (through `organisation_path`)."""

    organisation_path = "organisation"
    # Roles that see every organisation's rows of this model (read-only reach, not the right to change).
    national_roles: frozenset[str] = frozenset({"administrator"})
    # Roles that see none of them even in their own organisation (analysts work with aggregates only).
    hidden_from: frozenset[str] = frozenset()

    def visible_to(self, user: User) -> ScopedQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.roles() & self.national_roles:
            return self.all()
        organisation_id = user.active_organisation_id_checked()
        if organisation_id is None or user.roles(organisation_id) <= self.hidden_from:
            return self.none()
        return self.filter(**{f"{self.organisation_path}_id": organisation_id})


def get_visible_or_404(queryset: ScopedQuerySet, user: User, **lookup: Any) -> models.Model:
    """The one record matching `lookup` that `user` may see; 404 for missing and foreign alike. The 404 of a
    well-formed lookup carries it (RecordNotVisible), so that a foreign record is recorded as a refusal when
    the answer is given (tirek.core.refusals); the user sees no difference."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise RecordNotVisible(queryset.model, lookup) from None
    except (ValueError, TypeError):
        raise Http404 from None
    except Exception as exc:  # a malformed UUID raises ValidationError from the field
        from django.core.exceptions import ValidationError

        if isinstance(exc, ValidationError):
            raise Http404 from None
        raise


# Which roles may do what. A capability held in an organisation applies to that organisation's records;
# the administrator's capabilities apply everywhere.
CAPABILITIES: dict[str, frozenset[str]] = {
    "directory.add_organisation": frozenset({"administrator"}),
    "directory.change_organisation": frozenset({"manager", "administrator"}),
    "directory.manage_programmes": frozenset({"manager", "administrator"}),
    "accounts.manage_staff": frozenset({"manager", "administrator"}),
    "catalog.manage": frozenset({"administrator"}),
    "audit.view": frozenset({"administrator"}),
    "people.register": frozenset({"intake", "coordinator", "manager"}),
    "people.change": frozenset({"intake", "coordinator", "manager", "specialist"}),
    "people.consent": frozenset({"intake", "coordinator", "manager"}),
    "people.import": frozenset({"coordinator", "manager"}),
    "people.merge": frozenset({"manager"}),
    "people.emergency_access": frozenset({"manager"}),
    "people.retention": frozenset({"administrator"}),
    "cases.open": frozenset({"intake", "coordinator", "manager"}),
    "cases.change": frozenset({"coordinator", "manager"}),
    "cases.override_eligibility": frozenset({"manager"}),
    "cases.reopen": frozenset({"manager"}),
    "cases.documents": frozenset({"intake", "specialist", "coordinator", "manager"}),
    "assessments.record": frozenset({"specialist", "coordinator", "manager"}),
    "assessments.manage_instruments": frozenset({"administrator"}),
    "plans.write": frozenset({"coordinator", "manager"}),
    "plans.approve": frozenset({"coordinator", "manager"}),
    "visits.log": frozenset({"specialist", "coordinator", "manager"}),
    "visits.plan": frozenset({"specialist", "coordinator", "manager", "intake"}),
    "groups.manage": frozenset({"specialist", "coordinator", "manager"}),
    "referrals.send": frozenset({"coordinator", "manager"}),
    "referrals.override_consent": frozenset({"manager"}),
    "referrals.respond": frozenset({"intake", "coordinator", "manager"}),
    "referrals.record_external": frozenset({"intake", "coordinator", "manager"}),
    "partnerships.manage": frozenset({"manager", "administrator"}),
    "appeals.register": frozenset({"intake", "specialist", "coordinator", "manager"}),
    "appeals.handle": frozenset({"intake", "specialist", "coordinator", "manager"}),
    "appeals.manage_deadlines": frozenset({"manager", "administrator"}),
    "aid.distribute": frozenset({"intake", "specialist", "coordinator", "manager"}),
    "outcomes.record": frozenset({"specialist", "coordinator", "manager"}),
    "courses.manage": frozenset({"specialist", "coordinator", "manager"}),
    "residence.manage": frozenset({"coordinator", "manager"}),
    "reports.view": frozenset({"manager", "analyst", "administrator"}),
    "records.export": frozenset({"manager"}),
}
GLOBAL_ROLES = frozenset({"administrator"})
# Roles that read figures, never the records of a person (persons, families, cases, groups, residences).
AGGREGATE_ONLY_ROLES = frozenset({"analyst"})
# Capabilities an organisation's data protection officer holds there too, whatever their role: the DPO is a
# flag on the membership (Membership.is_data_protection_officer), not a role.
DATA_PROTECTION_CAPABILITIES = frozenset({"audit.view"})


def can(user: User, capability: str, organisation: Any = None) -> bool:
    """Whether `user` holds `capability`, in `organisation` when given (else in their active one)."""
    if not user.is_authenticated or not user.is_active:
        return False
    allowed = CAPABILITIES[capability]
    if user.roles() & allowed & GLOBAL_ROLES:
        return True
    if organisation is None:
        organisation_id = user.active_organisation_id_checked()
    else:
        organisation_id = getattr(organisation, "pk", organisation)
    if capability in DATA_PROTECTION_CAPABILITIES and user.is_data_protection_officer(organisation_id):
        return True
    return bool(user.roles(organisation_id) & allowed)


def require(user: User, capability: str, organisation: Any = None) -> None:
    """Raise a 403 unless `user` holds `capability` (see `can`)."""
    if not can(user, capability, organisation):
        raise NotAllowed(capability)
