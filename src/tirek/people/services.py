"""Writes to the register: persons, their health data, families and consents."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record, changes_between, snapshot
from tirek.audit.writes import check_version, create_audited, update_audited
from tirek.core.errors import NotAllowed
from tirek.core.iin import is_valid_number, read_layout
from tirek.core.names import folded, skeleton
from tirek.core.scoping import require
from tirek.emergency.selectors import refuse_emergency_change
from tirek.people.access import CONTACT_FIELDS, can_see_health, contacts_hidden_for
from tirek.people.choices import AccessReason, FamilyRole
from tirek.people.models import (
    Consent,
    Family,
    FamilyMember,
    Person,
    PersonAccess,
    PersonDiagnosis,
    PersonNameToken,
)

PERSON_FIELDS = (
    "iin",
    "iin_missing_reason",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "gestation_weeks",
    "sex",
    "citizenship",
    "region",
    "locality",
    "street",
    "phone",
    "phone_other",
    "home_languages",
    "notes",
)
HEALTH_FIELDS = ("disability_status", "ipar_number", "ipar_from", "ipar_to")
FAMILY_FIELDS = (
    "name",
    "region",
    "address",
    "low_income",
    "many_children",
    "single_parent",
    "difficult_situation",
    "difficult_situation_grounds",
)


class IinMismatch(ValidationError):
    """The birth date or sex entered disagrees with the IIN's layout: a warning the user may confirm."""


def check_iin(fields: dict[str, Any], *, confirm_mismatch: bool, exclude_pk=None) -> None:
    """Validate an IIN and fill or compare birth date and sex from it (mutates `fields`)."""
    iin = (fields.get("iin") or "").strip()
    fields["iin"] = iin or None
    if not iin:
        return
    if len(iin) != 12 or not iin.isdigit():
        raise ValidationError({"iin": ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")})
    if not is_valid_number(iin):
        raise ValidationError(
            {
                "iin": ValidationError(
                    _("This IIN's check digit is wrong: please check the number."), code="iin_checksum"
                )
            }
        )
    taken = Person.objects.filter(iin=iin).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"iin": ValidationError(_("A person with this IIN is already registered."), code="iin_exists")}
        )
    layout = read_layout(iin)
    if layout is None:
        return
    if not fields.get("birth_date"):
        fields["birth_date"] = layout.birth_date
    if not fields.get("sex"):
        fields["sex"] = layout.sex
    problems = {}
    if fields["birth_date"] != layout.birth_date:
        problems["birth_date"] = _("The IIN says the date of birth is %(date)s.") % {
            "date": layout.birth_date.strftime("%d.%m.%Y")
        }
    if fields["sex"] != layout.sex:
        problems["sex"] = _("The IIN says the sex is %(sex)s.") % {
            "sex": _("male") if layout.sex == "male" else _("female")
        }
    if problems and not confirm_mismatch:
        raise IinMismatch(problems, code="iin_mismatch")


def name_keys_refresh(person: Person) -> None:
    """Derive the person's match keys from their names (call before saving)."""
    full = " ".join(p for p in (person.surname, person.given_name, person.patronymic) if p)
    person.name_folded = folded(full)
    person.name_skeleton = skeleton(full)


def name_tokens_save(person: Person) -> None:
    """Store each word of the saved person's name key for indexed prefix search (call after saving)."""
    tokens = {token[:60] for token in person.name_skeleton.split()}
    PersonNameToken.objects.filter(person=person).exclude(token__in=tokens).delete()
    known = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
    PersonNameToken.objects.bulk_create([PersonNameToken(person=person, token=t) for t in tokens - known])


def person_register(*, actor, organisation, confirm_mismatch: bool = False, **fields: Any) -> Person:
    """Register a new person, found by nobody before (IIN unique across the country)."""
    require(actor, "people.register", organisation)
    health = {k: fields.pop(k) for k in HEALTH_FIELDS if k in fields}
    check_iin(fields, confirm_mismatch=confirm_mismatch)
    person = Person(registered_by=organisation, **fields, **health)
    name_keys_refresh(person)
    person.full_clean(exclude=["name_folded", "name_skeleton"])
    with transaction.atomic():
        create_audited(actor=actor, instance=person, organisation=organisation, subject_person_id=person.pk)
        name_tokens_save(person)
        grant_access(person=person, organisation=organisation, reason=AccessReason.REGISTERED)
    return person


def grant_access(*, person: Person, organisation, reason: str) -> None:
    """Let `organisation` see `person` from now on (idempotent). A ground of its own (registration, a case)
    replaces a referral as the reason, since it no longer depends on what the referral shares."""
    access, created = PersonAccess.objects.get_or_create(
        person=person, organisation_id=getattr(organisation, "pk", organisation), defaults={"reason": reason}
    )
    if not created and access.reason == AccessReason.REFERRAL and reason != AccessReason.REFERRAL:
        access.reason = reason
        access.save(update_fields=["reason"])


# --- referrals: taking back an access a referral gave (tirek.referrals) ---
def revoke_access(*, person: Person, organisation) -> bool:
    """Take back `organisation`'s sight of `person` when a referral was its only ground: no case there, not
    registered there, no other referral to it still sent or accepted. Returns whether it was taken back."""
    from django.apps import apps

    organisation_id = getattr(organisation, "pk", organisation)
    access = PersonAccess.objects.filter(
        person=person, organisation_id=organisation_id, reason=AccessReason.REFERRAL
    )
    cases = apps.get_model("cases", "Case").objects
    referrals = apps.get_model("referrals", "Referral").objects
    if (
        person.registered_by_id == organisation_id
        or cases.filter(person=person, organisation_id=organisation_id).exists()
        or referrals.filter(
            person=person, to_organisation_id=organisation_id, status__in=["sent", "accepted"]
        ).exists()
    ):
        return False
    return access.delete()[0] > 0


# --- end of referrals ---


def person_register_into_family(
    *, actor, organisation, family=None, role=None, is_legal_representative: bool = False, **fields: Any
) -> Person:
    """Register a person and, when a family is given, make them its member in one step."""
    with transaction.atomic():
        person = person_register(actor=actor, organisation=organisation, **fields)
        if family is not None:
            family_member_add(
                actor=actor,
                family=family,
                person=person,
                role=role,
                is_legal_representative=is_legal_representative,
            )
    return person


def _hidden_from(actor, person: Person) -> tuple[str, ...]:
    """The fields of `person` the actor may not see, left out of what a conflict shows."""
    hidden = () if can_see_health(actor, person) else HEALTH_FIELDS
    if person.pk in contacts_hidden_for(actor, [person]):
        hidden += CONTACT_FIELDS
    return hidden


def person_update(
    *,
    actor,
    person: Person,
    confirm_mismatch: bool = False,
    expected_version: int | None = None,
    **fields: Any,
) -> Person:
    """Correct a person's record; given `expected_version`, refused with Conflict when it was saved since."""
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.change", organisation_id)
    refuse_emergency_change(actor, person)
    if person.anonymised_at is not None:
        raise ValidationError(_("This person's record has been anonymised: it can no longer be changed."))
    health = [k for k in fields if k in HEALTH_FIELDS]
    if health and not can_see_health(actor, person):
        raise NotAllowed("health data")
    if "iin" in fields and (fields.get("iin") or None) != person.iin:
        merged = {"birth_date": person.birth_date, "sex": person.sex, **fields}
        check_iin(merged, confirm_mismatch=confirm_mismatch, exclude_pk=person.pk)
        fields.update({k: merged[k] for k in ("iin", "birth_date", "sex")})
    before = snapshot(person)
    for name, value in fields.items():
        if name not in PERSON_FIELDS + HEALTH_FIELDS:
            raise ValidationError({name: _("You cannot change this field.")})
        setattr(person, name, value)
    name_keys_refresh(person)
    person.full_clean(exclude=["name_folded", "name_skeleton"])
    changes = changes_between(before, snapshot(person))
    changes.pop("name_folded", None)
    changes.pop("name_skeleton", None)
    if changes:
        with transaction.atomic():
            changes.update(check_version(person, expected_version, hidden=_hidden_from(actor, person)))
            person.save()
            name_tokens_save(person)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=person,
                organisation=organisation_id,
                changes=changes,
                subject_person_id=person.pk,
            )
    return person


def person_diagnosis_add(
    *, actor, person: Person, diagnosis, diagnosed_on=None, source: str = ""
) -> PersonDiagnosis:
    if not can_see_health(actor, person):
        raise NotAllowed("health data")
    refuse_emergency_change(actor, person)
    organisation_id = actor.active_organisation_id_checked()
    record = PersonDiagnosis(
        person=person,
        diagnosis=diagnosis,
        diagnosed_on=diagnosed_on,
        source=source,
        recorded_by_id=organisation_id,
    )
    return create_audited(
        actor=actor, instance=record, organisation=organisation_id, subject_person_id=person.pk
    )


def family_create(*, actor, organisation, first_member: Person | None = None, **fields: Any) -> Family:
    """Create a family; `first_member`, when given, joins it as a child (the usual start at intake)."""
    require(actor, "people.register", organisation)
    with transaction.atomic():
        family = create_audited(
            actor=actor, instance=Family(registered_by=organisation, **fields), organisation=organisation
        )
        if first_member is not None:
            family_member_add(actor=actor, family=family, person=first_member, role=FamilyRole.CHILD)
    return family


def family_update(*, actor, family: Family, **fields: Any) -> Family:
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.change", organisation_id)
    return update_audited(
        actor=actor, instance=family, data=fields, fields=FAMILY_FIELDS, organisation=organisation_id
    )


def family_member_add(
    *, actor, family: Family, person: Person, role: str, is_legal_representative: bool = False
) -> FamilyMember:
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.change", organisation_id)
    if FamilyMember.objects.filter(family=family, person=person).exists():
        raise ValidationError({"person": _("This person is already a member of the family.")})
    if is_legal_representative and role in (FamilyRole.CHILD, FamilyRole.SIBLING):
        raise ValidationError(
            {"is_legal_representative": _("A child of the family cannot be its legal representative.")}
        )
    member = FamilyMember(
        family=family, person=person, role=role, is_legal_representative=is_legal_representative
    )
    return create_audited(
        actor=actor, instance=member, organisation=organisation_id, subject_person_id=person.pk
    )


def family_member_remove(*, actor, member: FamilyMember) -> None:
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.change", organisation_id)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=member,
            organisation=organisation_id,
            subject_person_id=member.person_id,
        )
        member.delete()


def legal_representatives(person: Person) -> list[Person]:
    """Persons recorded as legal representatives in a family where `person` is a child."""
    families = FamilyMember.objects.filter(person=person, role=FamilyRole.CHILD).values("family_id")
    return [
        m.person
        for m in FamilyMember.objects.filter(family_id__in=families, is_legal_representative=True)
        .exclude(person=person)
        .select_related("person")
    ]


ADULT_MONTHS = 18 * 12


def consent_record(
    *,
    actor,
    organisation,
    person: Person,
    given_by: Person,
    purposes: list[str],
    given_on,
    shared_with=(),
    share_with_referral_targets: bool = False,
    valid_until=None,
    document_reference: str = "",
) -> Consent:
    """Record a consent given by the person (an adult) or by one of their legal representatives."""
    require(actor, "people.consent", organisation)
    if person.birth_date and given_on and given_on < person.birth_date:
        raise ValidationError({"given_on": _("A consent cannot be given before the person was born.")})
    if given_by.pk == person.pk:
        age = person.age_in_months(given_on)
        if age is not None and age < ADULT_MONTHS:
            raise ValidationError(
                {"given_by": _("A child's consent is given by their legal representative.")}
            )
    elif given_by.pk not in {p.pk for p in legal_representatives(person)}:
        raise ValidationError(
            {
                "given_by": _(
                    "Only the person or their legal representative recorded in the family can consent."
                )
            }
        )
    consent = Consent(
        person=person,
        given_by=given_by,
        purposes=sorted(set(purposes)),
        given_on=given_on,
        valid_until=valid_until,
        document_reference=document_reference,
        share_with_referral_targets=share_with_referral_targets,
        recorded_by=organisation,
        recorded_by_user=actor,
    )
    consent.full_clean(exclude=["shared_with"])
    with transaction.atomic():
        consent.save()
        consent.shared_with.set(shared_with)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=consent,
            organisation=organisation,
            subject_person_id=person.pk,
            changes={
                "purposes": [None, consent.purposes],
                "given_on": [None, str(given_on)],
                "shared_with": [None, [str(o.pk) for o in shared_with]],
            },
        )
    return consent


def consent_withdraw(*, actor, consent: Consent, withdrawn_by: str, withdrawn_on=None) -> Consent:
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.consent", organisation_id)
    if consent.withdrawn_on:
        raise ValidationError({"withdrawn_on": _("This consent has already been withdrawn.")})
    return update_audited(
        actor=actor,
        instance=consent,
        data={"withdrawn_on": withdrawn_on or timezone.localdate(), "withdrawn_by": withdrawn_by},
        fields=["withdrawn_on", "withdrawn_by"],
        organisation=organisation_id,
        subject_person_id=consent.person_id,
    )


def has_consent(person: Person, purpose: str, on=None) -> bool:
    on = on or timezone.localdate()
    return any(purpose in c.purposes for c in person.consents.active_on(on))
