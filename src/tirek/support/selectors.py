"""Reads of appeals, material aid and outcomes, always starting from what the user may see.

They hold personal data: reading them needs a casework role in the organisation (one that may register or
handle appeals, distribute aid or record outcomes); another organisation's record is not found (404), a role
without casework (an analyst) is refused (403).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.models import User
from tirek.cases.models import Case
from tirek.core.errors import NotAllowed
from tirek.core.scoping import CAPABILITIES, can, get_visible_or_404
from tirek.directory.models import Organisation
from tirek.people.models import Family, Person
from tirek.support.choices import DEFAULT_DEADLINE_DAYS, AidKind, AppealCategory
from tirek.support.models import AidDistribution, Appeal, AppealDeadline, AppealEvent, Outcome

READ_CAPABILITIES = ("appeals.register", "appeals.handle", "aid.distribute", "outcomes.record")


def can_read_support(user, organisation_id=None) -> bool:
    return any(can(user, capability, organisation_id) for capability in READ_CAPABILITIES)


def require_support_reader(user, organisation_id=None) -> None:
    if not can_read_support(user, organisation_id):
        raise NotAllowed("support.view")


def active_organisation_id(user):
    """The organisation the user acts in; 403 when they act in none."""
    organisation_id = user.active_organisation_id_checked() if user.is_authenticated else None
    if organisation_id is None:
        raise NotAllowed("support.view")
    return organisation_id


def acting_organisation(*, user, capability: str) -> Organisation:
    """The organisation the user acts in, when their role there holds `capability` (else 403)."""
    organisation_id = active_organisation_id(user)
    if not can(user, capability, organisation_id):
        raise NotAllowed(capability)
    return Organisation.objects.get(pk=organisation_id)


def _reader(user):
    organisation_id = active_organisation_id(user)
    require_support_reader(user, organisation_id)
    return organisation_id


# --- appeals ----------------------------------------------------------------------------------------------


def appeal_list(
    *,
    user,
    status: str | None = None,
    category: str | None = None,
    channel: str | None = None,
    assignee=None,
    overdue: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    person=None,
    case=None,
) -> QuerySet[Appeal]:
    organisation_id = _reader(user)
    appeals = (
        Appeal.objects.visible_to(user)
        .filter(organisation_id=organisation_id)
        .select_related("person", "family", "assignee", "case", "forwarded_to")
    )
    if status:
        appeals = appeals.filter(status=status)
    if category:
        appeals = appeals.filter(category=category)
    if channel:
        appeals = appeals.filter(channel=channel)
    if assignee is not None:
        appeals = appeals.filter(assignee_id=getattr(assignee, "pk", assignee))
    if overdue:
        appeals = appeals.overdue()
    if date_from is not None:
        appeals = appeals.filter(received_at__date__gte=date_from)
    if date_to is not None:
        appeals = appeals.filter(received_at__date__lte=date_to)
    if person is not None:
        appeals = appeals.filter(person_id=getattr(person, "pk", person))
    if case is not None:
        appeals = appeals.filter(case_id=getattr(case, "pk", case))
    return appeals.order_by("-received_at", "-number")


def appeal_get(*, user, pk) -> Appeal:
    appeal = get_visible_or_404(
        Appeal.objects.select_related(
            "organisation", "person", "family", "assignee", "case", "forwarded_to", "created_by"
        ),
        user,
        pk=pk,
    )
    require_support_reader(user, appeal.organisation_id)
    return appeal


def appeal_history(*, appeal: Appeal) -> QuerySet[AppealEvent]:
    return appeal.events.select_related("actor")


def appeal_deadlines(*, user, organisation_id=None) -> list[dict]:
    """Every category with the days the organisation gives itself to answer (its own or the default)."""
    organisation_id = organisation_id or _reader(user)
    own = dict(AppealDeadline.objects.filter(organisation_id=organisation_id).values_list("category", "days"))
    return [
        {
            "category": category.value,
            "label": category.label,
            "days": own.get(category.value, DEFAULT_DEADLINE_DAYS[category]),
            "default_days": DEFAULT_DEADLINE_DAYS[category],
            "is_default": category.value not in own,
        }
        for category in AppealCategory
    ]


def organisation_members(*, user) -> QuerySet[User]:
    """The active members of the user's organisation (whom an appeal may be assigned to)."""
    organisation_id = active_organisation_id(user)
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=CAPABILITIES["appeals.handle"],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def appeal_counts(*, user) -> dict[str, int]:
    """Open, overdue and the user's own open appeals of the organisation (the list's badges)."""
    organisation_id = _reader(user)
    appeals = Appeal.objects.visible_to(user).filter(organisation_id=organisation_id).open()
    return appeals.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate())),
        mine=Count("pk", filter=Q(assignee=user)),
    )


# --- material aid -----------------------------------------------------------------------------------------


def aid_list(
    *,
    user,
    kind: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    family=None,
    person=None,
    batch=None,
) -> QuerySet[AidDistribution]:
    organisation_id = _reader(user)
    rows = (
        AidDistribution.objects.visible_to(user)
        .filter(organisation_id=organisation_id)
        .select_related("family", "person", "funding_partner")
    )
    if kind:
        rows = rows.filter(kind=kind)
    if date_from is not None:
        rows = rows.filter(distributed_on__gte=date_from)
    if date_to is not None:
        rows = rows.filter(distributed_on__lte=date_to)
    if family is not None:
        rows = rows.filter(family_id=getattr(family, "pk", family))
    if person is not None:
        rows = rows.filter(person_id=getattr(person, "pk", person))
    if batch is not None:
        rows = rows.filter(batch=batch)
    return rows.order_by("-distributed_on", "-created_at")


def aid_get(*, user, pk) -> AidDistribution:
    row = get_visible_or_404(
        AidDistribution.objects.select_related("family", "person", "funding_partner", "created_by"),
        user,
        pk=pk,
    )
    require_support_reader(user, row.organisation_id)
    return row


def aid_totals(rows: QuerySet[AidDistribution]) -> dict:
    """Per kind and overall: distributions, families and persons reached, quantity and value (KZT)."""
    measures = {
        "distributions": Count("pk"),
        "families": Count("family", distinct=True),
        "persons": Count("person", distinct=True),
        "quantity": Sum("quantity"),
        "value": Sum("value"),
    }
    by_kind = {
        row["kind"]: row for row in rows.order_by().values("kind").annotate(**measures).order_by("kind")
    }
    total = rows.order_by().aggregate(**measures)
    zero = {"distributions": 0, "families": 0, "persons": 0, "quantity": 0, "value": Decimal("0")}
    return {
        "by_kind": [
            {"kind": kind.value, "label": kind.label, **{k: by_kind[kind.value][k] or zero[k] for k in zero}}
            for kind in AidKind
            if kind.value in by_kind
        ],
        "total": {k: total[k] or zero[k] for k in zero},
    }


def served_families(*, user) -> QuerySet[Family]:
    """The families the user's organisation serves (the batch form's list)."""
    active_organisation_id(user)
    return Family.objects.visible_to(user).order_by("name", "pk")


# --- outcomes ---------------------------------------------------------------------------------------------


def outcome_list(
    *,
    user,
    kind: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    person=None,
    case=None,
    appeal=None,
) -> QuerySet[Outcome]:
    organisation_id = _reader(user)
    outcomes = (
        Outcome.objects.visible_to(user)
        .filter(organisation_id=organisation_id)
        .select_related("person", "case", "appeal", "created_by")
    )
    if kind:
        outcomes = outcomes.filter(kind=kind)
    if date_from is not None:
        outcomes = outcomes.filter(happened_on__gte=date_from)
    if date_to is not None:
        outcomes = outcomes.filter(happened_on__lte=date_to)
    if person is not None:
        outcomes = outcomes.filter(person_id=getattr(person, "pk", person))
    if case is not None:
        outcomes = outcomes.filter(case_id=getattr(case, "pk", case))
    if appeal is not None:
        outcomes = outcomes.filter(appeal_id=getattr(appeal, "pk", appeal))
    return outcomes.order_by("-happened_on", "-created_at")


def outcome_get(*, user, pk) -> Outcome:
    outcome = get_visible_or_404(
        Outcome.objects.select_related("person", "case", "appeal", "created_by"), user, pk=pk
    )
    require_support_reader(user, outcome.organisation_id)
    return outcome


def outcome_counts(outcomes: QuerySet[Outcome]) -> dict[str, int]:
    return dict(outcomes.order_by().values_list("kind").annotate(total=Count("pk")))


# --- records chosen in forms and API bodies: a field error when not visible -------------------------------


def _chosen(queryset, pk, field: str, message: str):
    if pk is None or pk == "":
        return None
    try:
        return queryset.get(pk=getattr(pk, "pk", pk))
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise ValidationError({field: message}) from None


def chosen_person(*, user, pk, field: str = "person") -> Person | None:
    return _chosen(Person.objects.visible_to(user), pk, field, _("Choose a person your organisation serves."))


def chosen_family(*, user, pk, field: str = "family") -> Family | None:
    return _chosen(Family.objects.visible_to(user), pk, field, _("Choose a family your organisation serves."))


def chosen_families(*, user, ids, field: str = "families") -> list[Family]:
    """The families with these ids, in order; a message for each id that is not a served family."""
    wanted = list(dict.fromkeys(ids))
    found = Family.objects.visible_to(user).in_bulk(wanted)
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {field: [_("%(id)s: not a family your organisation serves.") % {"id": pk} for pk in missing]}
        )
    return [found[pk] for pk in wanted]


def chosen_case(*, user, pk, field: str = "case") -> Case | None:
    return _chosen(
        Case.objects.visible_to(user).select_related("person"),
        pk,
        field,
        _("Choose a case of your organisation."),
    )


def chosen_appeal(*, user, pk, field: str = "appeal") -> Appeal | None:
    return _chosen(
        Appeal.objects.visible_to(user).select_related("person", "case", "organisation"),
        pk,
        field,
        _("Choose an appeal of your organisation."),
    )


def chosen_member(*, user, pk, field: str = "assignee") -> User | None:
    return _chosen(
        organisation_members(user=user), pk, field, _("Choose an active member of the organisation.")
    )


def chosen_organisation(*, pk, field: str) -> Organisation | None:
    return _chosen(
        Organisation.objects.filter(is_active=True), pk, field, _("Choose an organisation of the directory.")
    )


def outcome_subjects(*, user, person=None, case=None, appeal=None) -> dict:
    """The person, case and appeal of an outcome from their ids; the person defaults to the case's or the
    appeal's. A field error when one is not visible or no person follows."""
    case = chosen_case(user=user, pk=case)
    appeal = chosen_appeal(user=user, pk=appeal)
    person = chosen_person(user=user, pk=person)
    if person is None:
        person = (case and case.person) or (appeal and appeal.person)
    if person is None:
        raise ValidationError({"person": _("Choose the person, a case or an appeal of a person.")})
    return {"person": person, "case": case, "appeal": appeal}


def person_cases(*, user, person: Person) -> QuerySet[Case]:
    """The organisation's cases of `person` (an appeal may be linked to one of them)."""
    organisation_id = active_organisation_id(user)
    return (
        Case.objects.visible_to(user)
        .filter(organisation_id=organisation_id, person=person)
        .select_related("programme")
        .order_by("-opened_on")
    )
