"""Who may see a person's health data: the case team and the organisation's managers, nobody else."""

from __future__ import annotations

from django.db.models import Q

from tirek.accounts.choices import Role


def can_see_health(user, person) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    organisation_id = user.active_organisation_id_checked()
    if organisation_id is None:
        return False
    from tirek.cases.models import Case

    cases = Case.objects.filter(person=person, organisation_id=organisation_id)
    if Role.MANAGER in user.roles(organisation_id):
        return cases.exists() or person.registered_by_id == organisation_id
    return cases.filter(Q(coordinator=user) | Q(team=user)).exists()
