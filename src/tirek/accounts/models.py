from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tirek.accounts.choices import Role
from tirek.core.scoping import ScopedQuerySet


class User(AbstractUser):
    """A person who signs in to Tirek: a member of one or more organisations, acting in one at a time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("active organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Sessions begun before this moment have ended ("sign out everywhere").
    sessions_ended_at = models.DateTimeField(_("signed out everywhere at"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    # Roles are read once per request (the user object lives as long as the request).
    def _role_map(self) -> dict:
        cache = getattr(self, "_tirek_roles", None)
        if cache is None:
            rows = list(
                self.memberships.filter(is_active=True, organisation__is_active=True).values_list(
                    "organisation_id", "role", "is_data_protection_officer"
                )
            )
            cache = {organisation_id: role for organisation_id, role, _dpo in rows}
            self._tirek_dpo = frozenset(organisation_id for organisation_id, _role, dpo in rows if dpo)
            self._tirek_roles = cache
        return cache

    def forget_roles(self) -> None:
        self.__dict__.pop("_tirek_roles", None)

    def roles(self, organisation_id=None) -> frozenset[str]:
        """The user's roles: in one organisation when given, else in any organisation."""
        if not self.is_authenticated:
            return frozenset()
        role_map = self._role_map()
        if organisation_id is None:
            return frozenset(role_map.values())
        role = role_map.get(organisation_id)
        return frozenset({role}) if role else frozenset()

    def organisation_ids(self) -> list:
        return list(self._role_map())

    def active_organisation_id_checked(self):
        """The active organisation if the user is still an active member of it, else their first one."""
        role_map = self._role_map()
        if self.active_organisation_id in role_map:
            return self.active_organisation_id
        return next(iter(role_map), None)

    def is_data_protection_officer(self, organisation_id=None) -> bool:
        """Whether the user is the data protection officer of the organisation (else of the active one)."""
        if not self.is_authenticated:
            return False
        self._role_map()
        if organisation_id is None:
            organisation_id = self.active_organisation_id_checked()
        return organisation_id in self._tirek_dpo

    @property
    def is_administrator(self) -> bool:
        return Role.ADMINISTRATOR in self.roles()


class MembershipQuerySet(ScopedQuerySet):
    pass


class Membership(models.Model):
    """One user's place in one organisation: their role there and their profession."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    profession = models.ForeignKey(
        "catalog.Profession",
        verbose_name=_("profession"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The person the organisation names as responsible for processing personal data (Law 94-V): reads the
    # organisation's audit trail and is told of emergency access to its records.
    is_data_protection_officer = models.BooleanField(_("data protection officer"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class ApiTokenQuerySet(models.QuerySet):
    def unrevoked(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """One API key a user was given: who holds it, when it stops working, and whether it was issued after a
    completed second step of signing in. Only a hash of the key is kept; the key is shown once, at issue."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # SHA-256 of the key: the key is 256 random bits, so a fast hash is as safe as a slow one and keeps the
    # look-up of every API request a single indexed read.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, for telling one's tokens apart; too few to help anyone guess the rest.
    key_start = models.CharField(_("key starts with"), max_length=12, editable=False)
    two_factor_passed = models.BooleanField(_("issued after the second step"), default=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # When a refusal of this token was last audited: a client retrying a dead token writes one event per
    # few minutes, not one per request.
    refused_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or f"{self.key_start}…"

    @property
    def last_active_at(self):
        """Where the idle lifetime counts from: the last use, else the issue."""
        return self.last_used_at or self.created_at
