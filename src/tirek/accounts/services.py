"""Writes to accounts: staff memberships, the active organisation, a user's own profile and API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from tirek.accounts import roles, tokens, two_factor
from tirek.accounts.choices import Role
from tirek.accounts.models import ApiToken, Membership, User
from tirek.accounts.tokens import IssuedToken
from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.audit.writes import create_audited, update_audited
from tirek.core.errors import NotAllowed
from tirek.core.scoping import require

PROFILE_FIELDS = ("first_name", "last_name", "patronymic", "email", "phone")
MEMBERSHIP_FIELDS = ("role", "profession", "is_active", "is_data_protection_officer")


def staff_add(
    *,
    actor: User,
    organisation,
    username: str,
    role: str,
    profession=None,
    first_name: str = "",
    last_name: str = "",
    patronymic: str = "",
    email: str = "",
    phone: str = "",
    send_invitation: bool = True,
) -> Membership:
    """Make `username` a member of `organisation`: an existing account (of another organisation: by an
    administrator only, see accounts.roles), else a new one, which needs a surname and a given name.

    To anyone who may not add an account of another organisation, a login taken elsewhere is answered as a
    new one would be, except that it cannot be created: no name, no membership, no hint of whose it is.
    A new user gets no password: an e-mail with a link to set one is sent once the transaction commits.
    """
    require(actor, "accounts.manage_staff", organisation)
    roles.check_grant(actor=actor, organisation=organisation, role=role)
    user = _account_to_add(actor=actor, organisation=organisation, username=username)
    created = user is None
    if created:
        _check_new_account(username=username, last_name=last_name, first_name=first_name)
    with transaction.atomic():
        if created:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                patronymic=patronymic,
                email=email,
                phone=phone,
                active_organisation_id=getattr(organisation, "pk", organisation),
            )
            user.set_unusable_password()
            user = create_audited(actor=actor, instance=user, organisation=organisation, exclude=["password"])
        membership = create_audited(
            actor=actor,
            instance=Membership(user=user, organisation=organisation, role=role, profession=profession),
            organisation=organisation,
        )
    if created and send_invitation and email:
        transaction.on_commit(lambda: _send_invitation(user))
    return membership


def _account_to_add(*, actor: User, organisation, username: str) -> User | None:
    """The existing account `username` names, when `actor` may add it to `organisation`; else None (a new
    account is asked for). Trying an account of another organisation without the right is audited."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"username": _("This user is already a member of the organisation.")})
    if roles.may_add_from_elsewhere(actor):
        return user
    roles.record_foreign_account_refusal(actor=actor, account=user)
    return None


def _check_new_account(*, username: str, last_name: str, first_name: str) -> None:
    """A new account needs a surname, a given name and a login nobody has (said last, and without whose)."""
    missing = {
        name: message
        for name, value, message in (
            ("last_name", last_name, _("A new account needs a surname.")),
            ("first_name", first_name, _("A new account needs a given name.")),
        )
        if not value.strip()
    }
    if missing:
        raise ValidationError(missing)
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {"username": _("This login is taken. Choose another login for the new account.")}
        )


def _send_invitation(user: User) -> None:
    """E-mail a new user a link to set their first password (the password-reset link, which expires)."""
    base = urlsplit(settings.TIREK_BASE_URL)
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": base.scheme,
        "domain": base.netloc,
    }
    subject = "".join(render_to_string("registration/invitation_subject.txt", context).splitlines())
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


def membership_update(*, actor: User, membership: Membership, **fields: Any) -> Membership:
    """Change a member's role, profession, activity or data protection officer's flag (see accounts.roles)."""
    require(actor, "accounts.manage_staff", membership.organisation_id)
    roles.check_membership_change(actor=actor, membership=membership, fields=fields)
    if (
        membership.user_id == actor.pk
        and not actor.is_administrator
        and (fields.get("role", membership.role) != Role.MANAGER or fields.get("is_active") is False)
    ):
        raise ValidationError({"role": _("You cannot remove your own manager role.")})
    updated = update_audited(
        actor=actor,
        instance=membership,
        data=fields,
        fields=MEMBERSHIP_FIELDS,
        organisation=membership.organisation_id,
    )
    updated.user.forget_roles()
    return updated


def user_switch_organisation(*, user: User, organisation_id) -> User:
    """Make one of the user's own organisations the one they act in."""
    if organisation_id not in user.organisation_ids():
        raise Http404
    if user.active_organisation_id != organisation_id:
        update_audited(
            actor=user,
            instance=user,
            data={"active_organisation_id": organisation_id},
            fields=["active_organisation_id"],
            organisation=organisation_id,
        )
    return user


def user_update_profile(*, actor: User, **fields: Any) -> User:
    return update_audited(
        actor=actor,
        instance=actor,
        data=fields,
        fields=PROFILE_FIELDS,
        organisation=actor.active_organisation_id_checked(),
    )


def user_token_issue(*, actor: User, name: str = "", second_step_passed: bool) -> IssuedToken:
    """A new API token for `actor`; the key is in the answer and nowhere else.

    `second_step_passed`: the sign-in asking for it passed the second step (the code with the password, or a
    session past the code). Without it no token is issued to a user who owes that step, and a token issued
    to one who does not yet owe it stops working once they do (accounts.tokens).
    """
    owed = two_factor.second_step_owed(actor)
    if owed and not second_step_passed:
        raise NotAllowed(_("Enter the code from your authenticator app before issuing an API token."))
    issued = tokens.api_token_build(user=actor, name=name, two_factor_passed=owed)
    organisation = actor.active_organisation_id_checked()
    with transaction.atomic():
        issued.token.full_clean()
        issued.token.save()
        audit_record(
            actor=actor, action=AuditAction.TOKEN_ISSUED, obj=issued.token, organisation=organisation
        )
        now = timezone.now()
        live = [
            token
            for token in ApiToken.objects.filter(user=actor).unrevoked().order_by("-created_at")
            if tokens.token_refusal(token, now=now, owed=owed) is None
        ]
        for token in live[tokens.MAX_LIVE_TOKENS :]:
            _token_revoke(actor=actor, token=token, now=now, note="too many tokens: the oldest retired")
    return issued


def _token_revoke(*, actor: User, token: ApiToken, now, note: str = "") -> None:
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_REVOKED,
        obj=token,
        organisation=actor.active_organisation_id_checked(),
        note=note,
    )


def user_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of `actor`'s own API tokens; anyone else's does not exist for them."""
    if token.user_id != actor.pk:
        raise Http404
    with transaction.atomic():
        _token_revoke(actor=actor, token=token, now=timezone.now())
    return token


def user_logout_everywhere(*, actor: User) -> None:
    """End every session `actor` has (on every browser) and revoke every API token of theirs."""
    with transaction.atomic():
        now = timezone.now()
        actor.sessions_ended_at = now
        actor.save(update_fields=["sessions_ended_at"])
        revoked = ApiToken.objects.filter(user=actor).unrevoked().update(revoked_at=now)
        audit_record(
            actor=actor, action=AuditAction.LOGOUT_EVERYWHERE, obj=actor, note=f"{revoked} API tokens revoked"
        )
