"""The referrals card of other apps' pages (the case page), drawn from this app's selectors."""

from __future__ import annotations

from django import template

from tirek.core.scoping import can
from tirek.referrals.selectors import can_read_referrals, case_referrals

register = template.Library()


@register.inclusion_tag("referrals/_case_card.html", takes_context=True)
def case_referrals_card(context, case) -> dict:
    """The referrals that left the case or opened it, and a button to refer its person."""
    user = context["request"].user
    readable = can_read_referrals(user, case.organisation_id)
    return {
        "case": case,
        "readable": readable,
        "referrals": list(case_referrals(user=user, case=case)) if readable else [],
        "can_refer": case.is_open and can(user, "referrals.send", case.organisation_id),
    }


@register.inclusion_tag("referrals/_person_buttons.html", takes_context=True)
def person_referral_buttons(context, person) -> dict:
    """The person page's buttons: refer the person, record a referral of them that came from outside."""
    user = context["request"].user
    return {
        "person": person,
        "can_refer": can(user, "referrals.send"),
        "can_record_external": can(user, "referrals.record_external"),
    }
