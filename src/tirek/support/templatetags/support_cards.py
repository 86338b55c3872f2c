"""The support cards of the person and case pages: their outcomes and appeals in the user's organisation."""

from __future__ import annotations

from django import template

from tirek.core.scoping import can
from tirek.support import selectors

register = template.Library()
SHOWN = 5


def _card(user, **subject) -> dict:
    organisation_id = user.active_organisation_id_checked()
    if organisation_id is None or not selectors.can_read_support(user, organisation_id):
        return {"visible": False}
    return {
        "visible": True,
        "outcomes": list(selectors.outcome_list(user=user, **subject)[:SHOWN]),
        "appeals": list(selectors.appeal_list(user=user, **subject)[:SHOWN]),
        "can_record": can(user, "outcomes.record", organisation_id),
        "can_register": can(user, "appeals.register", organisation_id),
        "can_distribute": can(user, "aid.distribute", organisation_id),
    }


@register.inclusion_tag("support/_support_card.html", takes_context=True)
def person_support_card(context, person):
    """Outcomes and appeals of `person` in the user's organisation, with links to record more."""
    card = _card(context["request"].user, person=person)
    return {**card, "person": person, "query": f"person={person.pk}"}


@register.inclusion_tag("support/_support_card.html", takes_context=True)
def case_support_card(context, case):
    """Outcomes and appeals of `case`, with links to record more."""
    card = _card(context["request"].user, case=case)
    card["can_register"] = card.get("can_register") and case.is_open
    return {**card, "case": case, "person": case.person, "query": f"person={case.person_id}&case={case.pk}"}
