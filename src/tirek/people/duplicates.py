"""Duplicate persons: candidate pairs for a manager to look at, and the manager's two answers — merge them,
or record that they are two different people.

Nothing here merges on its own (domain-kz.md §8: merging two persons is always a person's decision). The
finder groups persons in the database by what duplicates share (a birth date, a phone, a name key) and
compares only within each group, so its cost grows with the group sizes, never with the square of the
register.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record, changes_between, snapshot
from tirek.core.iin import read_layout
from tirek.core.names import edit_distance, skeleton
from tirek.core.scoping import require
from tirek.people.models import DuplicateDismissal, FamilyMember, Person, PersonAccess, PersonNameToken
from tirek.people.services import name_keys_refresh, name_tokens_save


class DuplicateReason(models.TextChoices):
    SAME_BIRTH_DATE_SIMILAR_NAME = (
        "same_birth_date_similar_name",
        gettext_lazy("Same date of birth and a similar name"),
    )
    SAME_PHONE = "same_phone", gettext_lazy("Same phone number")
    SAME_NAME_CLOSE_BIRTH_DATE = (
        "same_name_close_birth_date",
        gettext_lazy("Same name; dates of birth a day apart or with day and month swapped"),
    )


# Name keys up to this edit distance apart count as "similar".
NAME_DISTANCE = 2
# A phone shared by more persons than this is an institution's number (a centre, a children's home), not a
# sign that they are one human.
PHONE_GROUP_MAX = 10
# Score of each reason, added up and capped at 100: the closer the names, the likelier the pair.
_SIMILAR_NAME_SCORE = (70, 60, 50)  # by edit distance 0, 1, 2
_PHONE_SCORE = 30
_CLOSE_BIRTH_DATE_SCORE = 50

_ROW_FIELDS = (
    "pk",
    "surname",
    "given_name",
    "patronymic",
    "name_skeleton",
    "birth_date",
    "sex",
    "iin",
    "phone",
    "phone_other",
    "created_at",
)


@dataclass(frozen=True)
class Candidate:
    """Two persons that may be one human: `first` is the older record, the one usually kept."""

    first: Person
    second: Person
    reasons: tuple[DuplicateReason, ...]
    score: int


def _pair(a, b) -> tuple:
    """A pair of person ids in the order DuplicateDismissal stores them (by the id's text)."""
    return (a, b) if str(a) < str(b) else (b, a)


def _shared(persons: QuerySet[Person], field: str) -> QuerySet:
    """The values of `field` that more than one of `persons` has (a subquery); empty values left out."""
    empty = Q(**{f"{field}__isnull": True})
    if isinstance(Person._meta.get_field(field), models.CharField):
        empty |= Q(**{field: ""})
    return (
        persons.exclude(empty).order_by().values(field).annotate(n=Count("pk")).filter(n__gt=1).values(field)
    )


_NameKey = tuple[str, frozenset]


def _name_key(text: str) -> _NameKey:
    """A name key with its bigrams, each numbered by occurrence so that a set counts repeats."""
    seen: Counter[str] = Counter()
    grams = []
    for start in range(len(text) - 1):
        gram = text[start : start + 2]
        grams.append((gram, seen[gram]))
        seen[gram] += 1
    return text, frozenset(grams)


def _name_variants(row: dict[str, Any]) -> tuple[_NameKey, _NameKey, _NameKey]:
    """The full name key, surname + given name, and the two swapped (a name typed in the wrong field)."""
    full = row["name_skeleton"] or skeleton(f"{row['surname']} {row['given_name']} {row['patronymic']}")
    return (
        _name_key(full),
        _name_key(skeleton(f"{row['surname']} {row['given_name']}")),
        _name_key(skeleton(f"{row['given_name']} {row['surname']}")),
    )


def _key_distance(a: _NameKey, b: _NameKey) -> int:
    # Each edit changes at most two bigrams, so keys within the distance share all but a few of them; the
    # set intersection is far cheaper than the edit distance and rules out most pairs of a large group.
    if len(a[1] & b[1]) < max(len(a[0]), len(b[0])) - 1 - 2 * NAME_DISTANCE:
        return NAME_DISTANCE + 1
    return edit_distance(a[0], b[0], NAME_DISTANCE)


def _name_distance(a: tuple[_NameKey, ...], b: tuple[_NameKey, ...]) -> int:
    return min(_key_distance(a[0], b[0]), _key_distance(a[1], b[1]), _key_distance(a[1], b[2]))


def _near_dates(day: dt.date) -> Iterator[dt.date]:
    """A day before and after, and the date with day and month swapped (03.04 typed for 04.03)."""
    yield day - dt.timedelta(days=1)
    yield day + dt.timedelta(days=1)
    if day.day <= 12 and day.day != day.month:
        yield day.replace(month=day.day, day=day.month)


def _dates_agree(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or a == b or b in set(_near_dates(a))


class _Pairs:
    """Reasons found so far for each pair, with the score of each reason."""

    def __init__(self) -> None:
        self.reasons: dict[tuple, dict[DuplicateReason, int]] = defaultdict(dict)

    def add(self, a, b, reason: DuplicateReason, score: int) -> None:
        if a == b:
            return
        found = self.reasons[_pair(a, b)]
        found[reason] = max(score, found.get(reason, 0))


def _by_birth_date(rows: Iterable[dict[str, Any]], pairs: _Pairs) -> None:
    groups: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["birth_date"]].append(row)
    for group in groups.values():
        names = {row["pk"]: _name_variants(row) for row in group}
        for a, b in combinations(group, 2):
            distance = _name_distance(names[a["pk"]], names[b["pk"]])
            # Kazakh and Russian surnames carry the sex (Қасымов, Қасымова): a near name of the other sex
            # is a brother and sister, often twins, while an identical name with another sex is a typo.
            if distance > NAME_DISTANCE or (distance and a["sex"] != b["sex"]):
                continue
            pairs.add(
                a["pk"], b["pk"], DuplicateReason.SAME_BIRTH_DATE_SIMILAR_NAME, _SIMILAR_NAME_SCORE[distance]
            )


def _by_phone(rows: Iterable[dict[str, Any]], pairs: _Pairs) -> None:
    rows = list(rows)
    by_pk = {row["pk"]: row for row in rows}
    groups: dict[str, set] = defaultdict(set)
    for row in rows:
        for phone in {row["phone"], row["phone_other"]} - {""}:
            groups[phone].add(row["pk"])
    for members in groups.values():
        if not 2 <= len(members) <= PHONE_GROUP_MAX:
            continue
        for a, b in combinations(sorted(members, key=str), 2):
            # A family shares one phone: a mother and her child are told apart by sex or birth date.
            x, y = by_pk[a], by_pk[b]
            if x["sex"] == y["sex"] and _dates_agree(x["birth_date"], y["birth_date"]):
                pairs.add(a, b, DuplicateReason.SAME_PHONE, _PHONE_SCORE)


def _by_name(rows: Iterable[dict[str, Any]], pairs: _Pairs) -> None:
    groups: dict[str, dict[dt.date, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        groups[row["name_skeleton"]][row["birth_date"]].append(row["pk"])
    for by_date in groups.values():
        for day, members in by_date.items():
            for near in _near_dates(day):
                for a in members:
                    for b in by_date.get(near, ()):
                        pairs.add(a, b, DuplicateReason.SAME_NAME_CLOSE_BIRTH_DATE, _CLOSE_BIRTH_DATE_SCORE)


def duplicate_candidates(*, user, limit: int = 200) -> list[Candidate]:
    """Pairs of persons `user`'s organisation sees that may be one human, likeliest first (managers only).

    Two persons with different IINs are never proposed: two IINs are two people. Pairs the organisation has
    dismissed are not proposed again.
    """
    organisation_id = user.active_organisation_id_checked()
    require(user, "people.merge", organisation_id)
    # Anonymised records share first-of-month birth dates and neutral names: never a candidate.
    persons = Person.objects.visible_to(user).filter(anonymised_at__isnull=True)
    rows: dict[Any, dict[str, Any]] = {}

    def fetch(queryset: QuerySet[Person]) -> list[dict[str, Any]]:
        found = list(queryset.order_by().values(*_ROW_FIELDS))
        rows.update((row["pk"], row) for row in found)
        return found

    pairs = _Pairs()
    _by_birth_date(fetch(persons.filter(birth_date__in=_shared(persons, "birth_date"))), pairs)
    others = persons.exclude(phone_other="").values("phone_other")
    mains = persons.exclude(phone="").values("phone")
    _by_phone(
        fetch(
            persons.filter(
                Q(phone__in=_shared(persons, "phone"))
                | Q(phone_other__in=_shared(persons, "phone_other"))
                | Q(phone__in=others)
                | Q(phone_other__in=mains)
            )
        ),
        pairs,
    )
    _by_name(
        fetch(
            persons.filter(
                birth_date__isnull=False,
                name_skeleton__in=_shared(persons.filter(birth_date__isnull=False), "name_skeleton"),
            )
        ),
        pairs,
    )

    dismissed = set(
        DuplicateDismissal.objects.filter(organisation_id=organisation_id).values_list(
            "person_a_id", "person_b_id"
        )
    )
    scored = []
    for (a, b), reasons in pairs.reasons.items():
        first, second = sorted((rows[a], rows[b]), key=lambda row: (row["created_at"], str(row["pk"])))
        if (a, b) in dismissed or (first["iin"] and second["iin"] and first["iin"] != second["iin"]):
            continue
        order = sorted(reasons, key=lambda reason: -reasons[reason])
        score = min(100, sum(reasons.values()))
        scored.append((-score, first["surname"], first["given_name"], str(first["pk"]), first, second, order))
    scored.sort(key=lambda item: item[:4])
    scored = scored[:limit]

    ids = {item[4]["pk"] for item in scored} | {item[5]["pk"] for item in scored}
    loaded = persons.filter(pk__in=ids).select_related("region").in_bulk() if ids else {}
    return [
        Candidate(first=loaded[first["pk"]], second=loaded[second["pk"]], reasons=tuple(order), score=-score)
        for score, _surname, _given, _pk, first, second, order in scored
    ]


# Fields the kept record takes from the merged one when its own is empty. IIN, phones and the ИПАР
# document are handled on their own below.
_FILLED_FIELDS = (
    "patronymic",
    "birth_date",
    "citizenship",
    "region_id",
    "locality",
    "street",
    "home_languages",
    "disability_status",
    "registered_by_id",
)
_IPAR_FIELDS = ("ipar_number", "ipar_from", "ipar_to")
_NAME_KEYS = ("name_folded", "name_skeleton")


def _fill_from(survivor: Person, duplicate: Person) -> None:
    """Give `survivor` what it lacks and `duplicate` knows; never overwrite what `survivor` has."""
    for name in _FILLED_FIELDS:
        if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(survivor, name, getattr(duplicate, name))
    if not any(getattr(survivor, name) for name in _IPAR_FIELDS):
        for name in _IPAR_FIELDS:
            setattr(survivor, name, getattr(duplicate, name))
    # A phone the kept record does not have takes a free slot, so no number is lost when one is free.
    extra = [
        p
        for p in (duplicate.phone, duplicate.phone_other)
        if p and p not in (survivor.phone, survivor.phone_other)
    ]
    for slot in ("phone", "phone_other"):
        if not getattr(survivor, slot) and extra:
            setattr(survivor, slot, extra.pop(0))
    if not survivor.iin and duplicate.iin:
        survivor.iin, survivor.iin_missing_reason = duplicate.iin, ""
        duplicate.iin = None


def _check_iin_layout(survivor: Person) -> None:
    """An IIN taken from the merged record must agree with the kept record's date of birth and sex."""
    layout = read_layout(survivor.iin or "")
    if layout is None:
        return
    if (survivor.birth_date and survivor.birth_date != layout.birth_date) or survivor.sex != layout.sex:
        raise ValidationError(
            {
                "survivor": ValidationError(
                    _(
                        "The IIN of the other record does not match this record's date of birth or sex: "
                        "keep the record with the IIN, or correct this record first."
                    ),
                    code="iin_mismatch",
                )
            }
        )


def _person_links() -> Iterator[tuple[type[models.Model], str]]:
    """Every (model, foreign key) that points at a person, those of apps added later included.

    Merging follows all of them, so that no record of any app is left behind on a hidden person. Family
    links and dismissals are handled on their own; the audit trail holds a plain id and keeps pointing at
    the person it was written about.
    """
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        if relation.related_model in (FamilyMember, DuplicateDismissal, PersonAccess, PersonNameToken):
            continue
        yield relation.related_model, relation.field.name


def _move_family_links(survivor: Person, duplicate: Person, changes: dict[str, list]) -> None:
    """Move the duplicate's family links; where both are in one family, keep the survivor's one link."""
    moved, joined = [], []
    own = {m.family_id: m for m in FamilyMember.objects.filter(person=survivor)}
    for link in FamilyMember.objects.filter(person=duplicate):
        kept = own.get(link.family_id)
        if kept is None:
            moved.append(link.pk)
            continue
        if link.is_legal_representative and not kept.is_legal_representative:
            kept.is_legal_representative = True
            kept.save(update_fields=["is_legal_representative"])
            changes[f"people.familymember {kept.pk}.is_legal_representative"] = [False, True]
        joined.append(link.pk)
    FamilyMember.objects.filter(pk__in=moved).update(person=survivor)
    FamilyMember.objects.filter(pk__in=joined).delete()
    if moved:
        changes["people.familymember.person"] = [None, moved]
    if joined:
        changes["people.familymember (already in the family)"] = [joined, None]


def _move_access(survivor: Person, duplicate: Person) -> None:
    """Organisations that saw the duplicate see the survivor; one access per organisation."""
    seen = set(PersonAccess.objects.filter(person=survivor).values_list("organisation_id", flat=True))
    PersonAccess.objects.filter(person=duplicate).exclude(organisation_id__in=seen).update(person=survivor)
    PersonAccess.objects.filter(person=duplicate).delete()


def _move_links(survivor: Person, duplicate: Person, changes: dict[str, list]) -> None:
    _move_family_links(survivor, duplicate, changes)
    _move_access(survivor, duplicate)
    for model, field in _person_links():
        records = model._base_manager.filter(**{field: duplicate})
        ids = [str(pk) for pk in records.values_list("pk", flat=True)]
        if not ids:
            continue
        try:
            records.update(**{field: survivor})
        except IntegrityError:
            # The transaction is rolled back as the error leaves it: nothing is half-merged.
            raise ValidationError(
                _("The two records both hold a %(record)s that may exist only once; resolve it first.")
                % {"record": model._meta.verbose_name}
            ) from None
        changes[f"{model._meta.label_lower}.{field}"] = [None, ids]


def person_merge(*, actor, survivor: Person, duplicate: Person, note: str = "") -> Person:
    """Merge `duplicate` into `survivor`: a manager's decision, never automatic.

    The survivor keeps its fields and fills its empty ones from the duplicate; every record linked to the
    duplicate (cases, family links, consents, diagnoses, journal numbers …) moves to the survivor. The
    duplicate row stays, pointing at the survivor, and disappears from every list and search.
    """
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.merge", organisation_id)
    if survivor.pk == duplicate.pk:
        raise ValidationError(
            {"duplicate": ValidationError(_("A record cannot be merged with itself."), code="same_person")}
        )
    note = note.strip()
    with transaction.atomic():
        # Fresh, locked rows: both must still be visible and unmerged (merged persons are not visible).
        locked = Person.objects.visible_to(actor).select_for_update().in_bulk([survivor.pk, duplicate.pk])
        if len(locked) != 2:
            raise Http404
        survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
        if survivor.iin and duplicate.iin and survivor.iin != duplicate.iin:
            raise ValidationError(
                {
                    "duplicate": ValidationError(
                        _("The two records have different IINs: they are two different people."),
                        code="different_iin",
                    )
                }
            )
        survivor_before, duplicate_before = snapshot(survivor), snapshot(duplicate)
        _fill_from(survivor, duplicate)
        name_keys_refresh(survivor)
        _check_iin_layout(survivor)
        duplicate.merged_into = survivor
        # The duplicate gives up its IIN before the survivor takes it (the IIN is unique).
        duplicate.save(update_fields=["iin", "merged_into", "updated_at"])
        survivor.full_clean(exclude=list(_NAME_KEYS))
        survivor.save()
        name_tokens_save(survivor)
        changes = changes_between(survivor_before, snapshot(survivor))
        for name in _NAME_KEYS:
            changes.pop(name, None)
        _move_links(survivor, duplicate, changes)
        suffix = f": {note}" if note else ""
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=survivor,
            organisation=organisation_id,
            changes=changes,
            subject_person_id=survivor.pk,
            note=f"merged {duplicate.pk}{suffix}",
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=duplicate,
            organisation=organisation_id,
            changes=changes_between(duplicate_before, snapshot(duplicate)),
            subject_person_id=duplicate.pk,
            note=f"merged into {survivor.pk}{suffix}",
        )
    return survivor


def duplicate_dismiss(*, actor, person_a: Person, person_b: Person) -> DuplicateDismissal:
    """Record that two persons are not one human: the organisation is not offered the pair again."""
    organisation_id = actor.active_organisation_id_checked()
    require(actor, "people.merge", organisation_id)
    if person_a.pk == person_b.pk:
        raise ValidationError(
            {"person_b": ValidationError(_("Choose two different records."), code="same_person")}
        )
    if Person.objects.visible_to(actor).filter(pk__in=[person_a.pk, person_b.pk]).count() != 2:
        raise Http404
    a, b = _pair(person_a.pk, person_b.pk)
    with transaction.atomic():
        dismissal, created = DuplicateDismissal.objects.get_or_create(
            organisation_id=organisation_id, person_a_id=a, person_b_id=b, defaults={"dismissed_by": actor}
        )
        if created:
            for subject, other in ((a, b), (b, a)):
                audit_record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    obj=dismissal,
                    organisation=organisation_id,
                    changes={"person_a": [None, str(a)], "person_b": [None, str(b)]},
                    subject_person_id=subject,
                    note=f"not the same person as {other}",
                )
    return dismissal
