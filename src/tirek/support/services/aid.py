"""Material aid: food packages, hygiene kits, clothing, school kits, cash — one recipient at a time, or a
batch to a chosen list of families written all at once or not at all."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.services import audit_created
from tirek.audit.writes import create_audited
from tirek.core.scoping import require
from tirek.people.models import Family
from tirek.support.models import AidDistribution
from tirek.support.services.checks import (
    acting_user,
    check_family,
    check_person,
    families_seen_by,
    org_id,
)

AID_FIELDS = (
    "kind",
    "quantity",
    "value",
    "distributed_on",
    "funding_partner",
    "funding_partner_name",
    "note",
)
# How far back a distribution may be recorded (last year's journal, not older).
OLDEST_DAYS = 366


def _check_day(distributed_on: dt.date) -> None:
    today = timezone.localdate()
    if distributed_on > today:
        raise ValidationError({"distributed_on": _("Aid cannot be recorded as handed over in the future.")})
    if distributed_on < today - dt.timedelta(days=OLDEST_DAYS):
        raise ValidationError({"distributed_on": _("Aid older than a year cannot be recorded.")})


def _distribution(actor, organisation, *, family=None, person=None, batch=None, **fields) -> AidDistribution:
    fields["distributed_on"] = fields.get("distributed_on") or timezone.localdate()
    fields["funding_partner_name"] = (fields.get("funding_partner_name") or "").strip()
    fields["note"] = fields.get("note") or ""
    if fields.get("funding_partner") is not None:
        fields["funding_partner_name"] = ""
    return AidDistribution(
        organisation_id=org_id(organisation),
        family=family,
        person=person,
        batch=batch,
        created_by=acting_user(actor),
        **fields,
    )


def aid_distribute(
    *,
    actor,
    organisation,
    kind: str,
    family: Family | None = None,
    person=None,
    quantity: int = 1,
    value: Decimal | None = None,
    distributed_on: dt.date | None = None,
    funding_partner=None,
    funding_partner_name: str = "",
    note: str = "",
) -> AidDistribution:
    """Record aid handed to one family or one person the organisation serves."""
    require(actor, "aid.distribute", organisation)
    if (family is None) == (person is None):
        raise ValidationError(_("Choose either a family or a person as the recipient."))
    check_family(organisation, family)
    check_person(organisation, person)
    distribution = _distribution(
        actor,
        organisation,
        family=family,
        person=person,
        kind=kind,
        quantity=quantity,
        value=value,
        distributed_on=distributed_on,
        funding_partner=funding_partner,
        funding_partner_name=funding_partner_name,
        note=note,
    )
    _check_day(distribution.distributed_on)
    return create_audited(
        actor=actor,
        instance=distribution,
        organisation=organisation,
        subject_person_id=distribution.person_id,
    )


def aid_distribute_batch(
    *,
    actor,
    organisation,
    families: Iterable[Family],
    kind: str,
    quantity: int = 1,
    value: Decimal | None = None,
    distributed_on: dt.date | None = None,
    funding_partner=None,
    funding_partner_name: str = "",
    note: str = "",
) -> list[AidDistribution]:
    """The same aid to each of `families` (one row per family, sharing a batch id): every row is written, or
    none, with one message per family that could not receive it."""
    require(actor, "aid.distribute", organisation)
    families = list(families)
    if not families:
        raise ValidationError({"families": _("Choose at least one family.")})
    batch = uuid.uuid4()
    rows = [
        _distribution(
            actor,
            organisation,
            family=family,
            batch=batch,
            kind=kind,
            quantity=quantity,
            value=value,
            distributed_on=distributed_on,
            funding_partner=funding_partner,
            funding_partner_name=funding_partner_name,
            note=note,
        )
        for family in families
    ]
    # The shared fields first: their messages belong to the fields, not to each family.
    rows[0].full_clean(exclude=["family", "person"], validate_constraints=False)
    _check_day(rows[0].distributed_on)
    already = set(
        AidDistribution.objects.filter(
            organisation_id=org_id(organisation),
            family__in=families,
            kind=kind,
            distributed_on=rows[0].distributed_on,
        ).values_list("family_id", flat=True)
    )
    served = families_seen_by(organisation, [f.pk for f in families])
    problems, seen = [], set()
    for family in families:
        if family.pk in seen:
            problems.append(_("%(family)s: chosen twice.") % {"family": family})
        elif family.pk not in served:
            problems.append(_("%(family)s: not a family your organisation serves.") % {"family": family})
        elif family.pk in already:
            problems.append(_("%(family)s: already received this aid on this date.") % {"family": family})
        seen.add(family.pk)
    if problems:
        raise ValidationError({"families": problems})
    # Validated once above (the shared fields, and each family): the rows differ only in their family.
    with transaction.atomic():
        for row in rows:
            row.save()
            audit_created(actor=actor, obj=row, organisation=organisation)
    return rows
