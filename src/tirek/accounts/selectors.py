from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from tirek.accounts import roles, tokens, two_factor
from tirek.accounts.models import ApiToken, Membership, User
from tirek.core.scoping import get_visible_or_404, require


def membership_list(*, user: User, organisation=None, include_inactive: bool = True) -> QuerySet[Membership]:
    memberships = Membership.objects.visible_to(user).select_related("user", "organisation", "profession")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    if not include_inactive:
        memberships = memberships.filter(is_active=True)
    return memberships


def membership_get(*, user: User, pk) -> Membership:
    return get_visible_or_404(
        Membership.objects.select_related("user", "organisation", "profession"), user, pk=pk
    )


def membership_get_for_change(*, user: User, pk) -> Membership:
    """A membership `user` may change: 404 when they cannot see it, 403 when they do not manage the
    organisation's staff or the membership carries what only an administrator grants (accounts.roles)."""
    membership = membership_get(user=user, pk=pk)
    require(user, "accounts.manage_staff", membership.organisation_id)
    if not roles.may_change_membership(user, membership):
        raise roles.refuse(what=f"opening a {membership.role} membership for change", message="")
    return membership


def own_memberships(*, user: User) -> QuerySet[Membership]:
    """The user's own memberships, whatever their active organisation."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__region", "profession")
        .order_by("organisation__name_kk")
    )


def organisation_members(*, organisation) -> QuerySet[User]:
    """The active members of an organisation, for choosing a case's coordinator and team."""
    return User.objects.filter(
        is_active=True, memberships__organisation=organisation, memberships__is_active=True
    ).order_by("last_name", "first_name")


def user_token_list(*, user: User) -> list[ApiToken]:
    """The user's API tokens that still open the API (accounts.tokens decides), newest first."""
    now = timezone.now()
    owed = two_factor.second_step_owed(user)
    live = []
    for token in ApiToken.objects.filter(user=user).unrevoked().order_by("-created_at"):
        token.user = user
        if tokens.token_refusal(token, now=now, owed=owed) is None:
            live.append(token)
    return live


def user_token_get(*, user: User, pk) -> ApiToken:
    """One of the user's own unrevoked API tokens; anyone else's is not found."""
    try:
        return ApiToken.objects.unrevoked().get(user=user, pk=pk)
    except (ApiToken.DoesNotExist, ValueError, ValidationError):  # a malformed id names nothing either
        raise Http404 from None
