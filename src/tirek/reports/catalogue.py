"""The indicator catalogue: every figure Tirek reports, with its stable code, its definition and the one
function that computes it from the records.

Each function takes the filters (a period of local dates, inclusive at both ends; an organisation; a region,
meaning the organisation's region; a programme; the person's sex, age band and diagnosis group) and an
optional dimension to split by (every indicator can be split by organisation and by region), and answers
rows `[{<dimension>: value, "value": n}]` (one row without a dimension when `by` is None). Everything is
counted by the database (aggregates, GROUP BY), never by looping over rows in Python, so the number of
queries does not grow with the data. Who may see which figures, and how small counts are hidden, is
`tirek.reports.scope`'s business: the functions here count everything the filters select.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
    Substr,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# -- filters -------------------------------------------------------------------------------------------------

# Age bands on the date that counts: code → (lowest age in years, first age no longer in the band).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "0-1": (0, 1),
    "1-3": (1, 3),
    "3-7": (3, 7),
    "7-18": (7, 18),
    "18plus": (18, None),
}
AGE_BAND_CHOICES = [
    ("0-1", _("under 1 year")),
    ("1-3", _("1 to 3 years")),
    ("3-7", _("3 to 7 years")),
    ("7-18", _("7 to 18 years")),
    ("18plus", _("18 years and over")),
]
UNKNOWN = "unknown"  # an age band or a value that the records do not say


@dataclass(frozen=True)
class Filters:
    """What to count: the period (local dates, both ends included) and the optional narrowing filters."""

    date_from: dt.date
    date_to: dt.date
    organisation: Any = None  # an Organisation
    region: Any = None  # a Region: the organisations in it
    programme: Any = None  # a Programme
    sex: str = ""
    age_band: str = ""
    diagnosis_group: str = ""  # an ICD-10 block ("F80-F89") or category ("F84")


# The optional filters an indicator may or may not accept (a group activity has no sex, an aid to a family
# no age).
PERSON_FILTERS = frozenset({"sex", "age_band", "diagnosis_group"})

DIAGNOSIS_GROUP = re.compile(r"^(?P<first>[A-Z]\d\d)(?:-(?P<last>[A-Z]\d\d))?$")


def diagnosis_categories(group: str) -> list[str] | None:
    """The three-character ICD-10 categories of a block ("F80-F89" → F80 … F89) or of one category ("F84");
    None when `group` is neither (or the block ends before it starts)."""
    match = DIAGNOSIS_GROUP.match(group.strip().upper())
    if match is None:
        return None
    first, last = match["first"], match["last"] or match["first"]
    start = (ord(first[0]) - ord("A")) * 100 + int(first[1:])
    end = (ord(last[0]) - ord("A")) * 100 + int(last[1:])
    if end < start:
        return None
    return [f"{chr(ord('A') + n // 100)}{n % 100:02d}" for n in range(start, end + 1)]


def persons_with_diagnosis_in(group: str) -> QuerySet:
    """The ids of persons with a recorded diagnosis whose ICD-10 category falls in `group`."""
    from tirek.people.models import PersonDiagnosis

    return (
        PersonDiagnosis.objects.annotate(category=Substr("diagnosis__code", 1, 3))
        .filter(category__in=diagnosis_categories(group) or [])
        .values("person_id")
    )


# -- dimensions ----------------------------------------------------------------------------------------------

DIMENSION_NAMES: dict[str, Promise] = {
    "sex": _("sex"),
    "age_band": _("age band"),
    "programme": _("programme"),
    "service_type": _("service type"),
    "service": _("service"),
    "profession": _("profession"),
    "format": _("format"),
    "mode": _("mode"),
    "kind": pgettext_lazy("report dimension", "kind"),
    "closure_reason": _("closure reason"),
    "destination": _("destination"),
    "referral_source": _("referral source"),
    "category": _("category"),
    "channel": _("channel"),
    "result": _("result"),
    "recipient": _("recipient"),
    "urgency": _("urgency"),
    "basis": _("compared with"),
    "facility_kind": _("kind of facility"),
    "organisation": _("organisation"),
    "region": _("region"),
}
# Every indicator can be split by these (the organisation's id, the organisation's region's KATO code).
PLACE_DIMENSIONS = ("organisation", "region")


# -- helpers -------------------------------------------------------------------------------------------------


def _local_start(day: dt.date) -> dt.datetime:
    """The aware moment a local day (in the deployment's time zone) begins."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _day_key(path: str, *, is_moment: bool):
    """year·10000 + month·100 + day of a date (or of a moment, in the local time zone) as one integer."""
    tz = {"tzinfo": timezone.get_default_timezone()} if is_moment else {}
    return ExtractYear(path, **tz) * 10000 + ExtractMonth(path, **tz) * 100 + ExtractDay(path, **tz)


def _birth_key(person: str):
    return (
        ExtractYear(f"{person}birth_date") * 10000
        + ExtractMonth(f"{person}birth_date") * 100
        + ExtractDay(f"{person}birth_date")
    )


EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1 January 1970 (the Python side of DayNumber)."""
    return (day - EPOCH).days


class DayNumber(Func):
    """Days since 1 January 1970 of a date, as an integer, on SQLite and PostgreSQL alike."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra
        )


class AddMonths(Func):
    """A date `months` later, the month's last day when the month is shorter (31 Aug + 6 → 28/29 Feb), as
    `tirek.cases.deadlines.add_months` does."""

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        day, day_params = compiler.compile(self.source_expressions[0])
        months, months_params = compiler.compile(self.source_expressions[1])
        sql = f"CAST(({day}) + make_interval(months => CAST(({months}) AS integer)) AS date)"
        return sql, (*day_params, *months_params)

    def as_sqlite(self, compiler, connection, **extra):
        day, dp = compiler.compile(self.source_expressions[0])
        months, mp = compiler.compile(self.source_expressions[1])
        # The same day of the month `months` later, or that month's last day when it has no such day.
        same_day = (
            f"date({day}, 'start of month', '+' || ({months}) || ' months', "
            f"'+' || (CAST(strftime('%%d', {day}) AS INTEGER) - 1) || ' days')"
        )
        last_day = f"date({day}, 'start of month', '+' || (({months}) + 1) || ' months', '-1 day')"
        return f"MIN({same_day}, {last_day})", (*dp, *mp, *dp, *dp, *mp)


def _constant_key(day: dt.date):
    return Value(day.year * 10000 + day.month * 100 + day.day, output_field=IntegerField())


@dataclass(frozen=True)
class Source:
    """Where an indicator's records come from and how the filters reach them.

    `date` is the field whose local date decides the period (`is_moment` when it is a DateTimeField), or None
    when the indicator is a state at the end of the period (`active_cases`, which filters itself).
    `person` is the path to the person (ending in "__"), `age_on` the field whose date the age is counted on
    (None: the period's last day). `dimensions` maps each dimension to its field path."""

    queryset: Callable[[], QuerySet]
    organisation: str
    date: str | None
    is_moment: bool = False
    person: str | None = None
    age_on: str | None = None
    programme: str | None = None
    dimensions: dict[str, str] = field(default_factory=dict)

    def accepts(self) -> frozenset[str]:
        """The optional filters this source can apply."""
        accepted = set()
        if self.person is not None:
            accepted |= PERSON_FILTERS
        if self.programme is not None:
            accepted.add("programme")
        return frozenset(accepted)

    def records(self, filters: Filters, *, with_age: bool = False) -> QuerySet:
        """The records the filters select; with `agekey` (the person's age on the counting date as
        years·10000 + months·100 + days, roughly) when asked for or filtered on."""
        qs = self.queryset()
        if self.date is not None:
            if self.is_moment:
                qs = qs.filter(
                    **{
                        f"{self.date}__gte": _local_start(filters.date_from),
                        f"{self.date}__lt": _local_start(filters.date_to + dt.timedelta(days=1)),
                    }
                )
            else:
                qs = qs.filter(
                    **{f"{self.date}__gte": filters.date_from, f"{self.date}__lte": filters.date_to}
                )
        if filters.organisation is not None:
            qs = qs.filter(**{self.organisation: filters.organisation})
        if filters.region is not None:
            qs = qs.filter(**{f"{self.organisation}__region": filters.region})
        if filters.programme is not None and self.programme is not None:
            qs = qs.filter(**{self.programme: filters.programme})
        if self.person is not None and filters.sex:
            qs = qs.filter(**{f"{self.person}sex": filters.sex})
        if self.person is not None and filters.diagnosis_group:
            qs = qs.filter(**{f"{self.person}id__in": persons_with_diagnosis_in(filters.diagnosis_group)})
        if self.person is not None and (with_age or filters.age_band):
            counted_on = (
                _day_key(self.age_on, is_moment=self.is_moment)
                if self.age_on
                else _constant_key(filters.date_to)
            )
            # The completed years of age on the counting date are (this key) // 10000: exact, leap days too.
            qs = qs.annotate(agekey=counted_on - _birth_key(self.person))
            if filters.age_band:
                low, high = AGE_BANDS[filters.age_band]
                qs = qs.filter(agekey__gte=low * 10000)
                if high is not None:
                    qs = qs.filter(agekey__lt=high * 10000)
        return qs

    def dimension(self, qs: QuerySet, by: str) -> tuple[QuerySet, str]:
        """The queryset annotated so that `by` can be grouped on, and the name to group on."""
        if by == "age_band":
            whens = [When(**{f"{self.person}birth_date__isnull": True}, then=Value(UNKNOWN))]
            whens += [
                When(agekey__lt=high * 10000, then=Value(code))
                for code, (_low, high) in AGE_BANDS.items()
                if high is not None
            ]
            band = Case(*whens, default=Value("18plus"), output_field=CharField())
            return qs.annotate(dim_value=band), "dim_value"
        if by == "sex":
            return qs.annotate(dim_value=F(f"{self.person}sex")), "dim_value"
        return qs.annotate(dim_value=F(self.dimension_path(by))), "dim_value"

    def dimension_path(self, by: str) -> str:
        if by == "organisation":
            return self.organisation
        if by == "region":
            return f"{self.organisation}__region__kato"
        return self.dimensions[by]

    def single_valued(self, by: str) -> bool:
        """Whether each record has exactly one value of `by` (its path follows only forward relations), so
        that a count of records split by it adds up to the unsplit count."""
        path = f"{self.person}sex" if by in ("sex", "age_band") else self.dimension_path(by)
        if not path:
            return False
        model = self.queryset().model
        for name in path.split("__"):
            try:
                field_ = model._meta.get_field(name)
            except FieldDoesNotExist:
                return False
            if field_.many_to_many or field_.one_to_many:
                return False
            model = field_.related_model
            if model is None:
                return True
        return True

    def dimension_codes(self) -> tuple[str, ...]:
        extra = ("sex", "age_band") if self.person is not None else ()
        return tuple(self.dimensions) + extra + PLACE_DIMENSIONS


def _code(value: Any) -> str:
    """A dimension value as the stable string the rows carry ("unknown" when the records do not say)."""
    return UNKNOWN if value in (None, "") else str(value)


def count_rows(source: Source, measure: Callable[[], Any]) -> Callable[[Filters, str | None], list[dict]]:
    """A compute function: `measure()` (an aggregate) over the source's records, whole or split by `by`.
    A count of records (not of distinct persons or families) is marked `counts_records`: split by a
    single-valued dimension, its rows add up to the unsplit figure."""

    def compute(filters: Filters, by: str | None = None) -> list[dict]:
        qs = source.records(filters, with_age=by == "age_band").order_by()
        if by is None:
            return [{"value": qs.aggregate(value=measure())["value"] or 0}]
        qs, name = source.dimension(qs, by)
        grouped = qs.values(name).annotate(value=measure()).order_by(name)
        return [{by: _code(row[name]), "value": row["value"]} for row in grouped]

    compute.counts_records = measure is records_measure
    return compute


def median_rows(source: Source, path: str) -> Callable[[Filters, str | None], list[dict]]:
    """A compute function: the median of `path` over the source's records (and how many there are, `n`).

    One query for the counts (per group), then one query per group for the middle value(s): the number of
    queries grows with the groups of the dimension, never with the records."""

    def median(qs: QuerySet) -> tuple[float | None, int]:
        values = qs.exclude(**{f"{path}__isnull": True}).order_by(path).values_list(path, flat=True)
        n = values.count()
        middle = list(values[max(n - 1, 0) // 2 : n // 2 + 1])  # the same two queries when there is none
        return (sum(middle) / len(middle) if middle else None), n

    def compute(filters: Filters, by: str | None = None) -> list[dict]:
        qs = source.records(filters, with_age=by == "age_band").order_by()
        if by is None:
            value, n = median(qs)
            return [{"value": value, "n": n}]
        qs, name = source.dimension(qs, by)
        groups = [row[name] for row in qs.values(name).annotate(n=Count("pk")).order_by(name)]
        rows = []
        for group in groups:
            value, n = median(
                qs.filter(**{name: group}) if group is not None else qs.filter(**{f"{name}__isnull": True})
            )
            rows.append({by: _code(group), "value": value, "n": n})
        return rows

    return compute


def _rate(hits: int, n: int) -> float | None:
    return round(100 * hits / n, 1) if n else None


def rate_rows(source: Source, hit: Q) -> Callable[[Filters, str | None], list[dict]]:
    """A compute function: the share (a percent, one decimal) of the source's records meeting `hit`, and
    how many records it is over (`n`, the denominator); None when there are none."""

    def compute(filters: Filters, by: str | None = None) -> list[dict]:
        qs = source.records(filters, with_age=by == "age_band").order_by()
        measure = {"n": Count("pk"), "hits": Count("pk", filter=hit)}
        if by is None:
            counts = qs.aggregate(**measure)
            return [{"value": _rate(counts["hits"], counts["n"]), "n": counts["n"]}]
        qs, name = source.dimension(qs, by)
        grouped = qs.values(name).annotate(**measure).order_by(name)
        return [
            {by: _code(row[name]), "value": _rate(row["hits"], row["n"]), "n": row["n"]} for row in grouped
        ]

    return compute


# -- the catalogue -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One figure: a stable code, a name and an exact definition, what it may be split by, and how it is
    computed. `period_date` names the date that decides whether a record falls in the period."""

    code: str
    group: str
    name: Promise
    definition: Promise
    period_date: Promise
    source: Source
    compute: Callable[[Filters, str | None], list[dict]]
    # "count" (rows carry a count), "median" or "rate" (rows also carry `n`, how many records the value is
    # over: a median or a rate over fewer than the small-count threshold is hidden from analysts).
    measure: str = "count"

    @property
    def over_records(self) -> bool:
        """Whether the value is a statistic over `n` records (a median, a rate) rather than a count."""
        return self.measure != "count"

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.source.dimension_codes()

    def total(self, filters: Filters, by: str, rows: list[dict]) -> dict:
        """The unsplit figure beside a split into `rows`: their sum when every record falls in exactly one
        row (a count of records by a single-valued dimension: one scan instead of two), else computed."""
        if getattr(self.compute, "counts_records", False) and self.source.single_valued(by):
            return {"value": sum(row["value"] or 0 for row in rows)}
        return self.compute(filters, None)[0]

    @property
    def filters(self) -> frozenset[str]:
        """The optional filters it accepts besides the period, organisation and region."""
        return self.source.accepts()


GROUPS: dict[str, Promise] = {
    "served": _("Persons served"),
    "cases": _("Cases"),
    "sessions": _("Sessions and group activities"),
    "support": _("Appeals, aid and outcomes"),
    "referrals": _("Referrals"),
}


def _visits() -> QuerySet:
    from tirek.services.models import Visit

    return Visit.objects.delivered()


def _cases() -> QuerySet:
    from tirek.cases.models import Case as CaseModel

    return CaseModel.objects.all()


def _group_activities() -> QuerySet:
    from tirek.services.choices import GroupActivityStatus
    from tirek.services.models import GroupActivity

    return GroupActivity.objects.filter(status=GroupActivityStatus.HELD)


def _appeals() -> QuerySet:
    from tirek.support.models import Appeal

    return Appeal.objects.all()


def _resolved_appeals() -> QuerySet:
    from tirek.support.choices import AppealStatus
    from tirek.support.models import Appeal

    return Appeal.objects.filter(status=AppealStatus.RESOLVED)


def _aid() -> QuerySet:
    from tirek.support.models import AidDistribution

    return AidDistribution.objects.all()


def _outcomes() -> QuerySet:
    from tirek.support.models import Outcome

    return Outcome.objects.all()


def _referrals_sent() -> QuerySet:
    from tirek.referrals.models import Referral

    return Referral.objects.filter(from_organisation__isnull=False)


def _referrals_accepted() -> QuerySet:
    from tirek.referrals.models import Referral

    return Referral.objects.filter(days_to_accept__isnull=False, responded_at__isnull=False)


VISIT_SOURCE = Source(
    queryset=_visits,
    organisation="organisation",
    date="starts_at",
    is_moment=True,
    person="case__person__",
    age_on="starts_at",
    programme="case__programme",
    dimensions={
        "programme": "case__programme__id",
        "service_type": "service__service_type__code",
        "service": "service__code",
        "profession": "profession__code",
        "format": "format",
        "mode": "mode",
    },
)
SERVED_SOURCE = Source(
    queryset=_visits,
    organisation="organisation",
    date="starts_at",
    is_moment=True,
    person="case__person__",
    age_on="starts_at",
    programme="case__programme",
    dimensions={"programme": "case__programme__id", "service_type": "service__service_type__code"},
)


class _Children(Source):
    """Sessions of persons under 18 on the day of the session."""

    def records(self, filters: Filters, *, with_age: bool = False) -> QuerySet:
        return super().records(filters, with_age=True).filter(agekey__lt=18 * 10000)


CHILDREN_SOURCE = _Children(**{f: getattr(SERVED_SOURCE, f) for f in SERVED_SOURCE.__dataclass_fields__})


def _cases_source(date: str | None, age_on: str | None, dimensions: dict[str, str]) -> Source:
    return Source(
        queryset=_cases,
        organisation="organisation",
        date=date,
        person="person__",
        age_on=age_on,
        programme="programme",
        dimensions={"programme": "programme__id", **dimensions},
    )


class _OpenAtEnd(Source):
    """Cases open on the period's last day: opened on or before it, not closed by then."""

    def records(self, filters: Filters, *, with_age: bool = False) -> QuerySet:
        return (
            super()
            .records(filters, with_age=with_age)
            .filter(opened_on__lte=filters.date_to)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=filters.date_to))
        )


ACTIVE_SOURCE = _OpenAtEnd(
    queryset=_cases,
    organisation="organisation",
    date=None,
    person="person__",
    programme="programme",
    dimensions={"programme": "programme__id"},
)
NEW_SOURCE = _cases_source("opened_on", "opened_on", {"referral_source": "referral_source"})
CLOSED_SOURCE = _cases_source(
    "closed_on", "closed_on", {"closure_reason": "closure_reason__code", "destination": "closure_destination"}
)
GROUP_SOURCE = Source(
    queryset=_group_activities,
    organisation="organisation",
    date="starts_at",
    is_moment=True,
    dimensions={"kind": "kind", "service": "service__code", "mode": "mode"},
)
APPEAL_SOURCE = Source(
    queryset=_appeals,
    organisation="organisation",
    date="received_at",
    is_moment=True,
    person="person__",
    age_on="received_at",
    programme="case__programme",
    dimensions={"category": "category", "channel": "channel"},
)
RESOLVED_SOURCE = Source(
    queryset=_resolved_appeals,
    organisation="organisation",
    date="closed_on",
    person="person__",
    age_on="closed_on",
    programme="case__programme",
    dimensions={"category": "category", "channel": "channel", "result": "result"},
)
AID_SOURCE = Source(
    queryset=_aid, organisation="organisation", date="distributed_on", dimensions={"kind": "kind"}
)
OUTCOME_SOURCE = Source(
    queryset=_outcomes,
    organisation="organisation",
    date="happened_on",
    person="person__",
    age_on="happened_on",
    programme="case__programme",
    dimensions={"kind": "kind"},
)
SENT_SOURCE = Source(
    queryset=_referrals_sent,
    organisation="from_organisation",
    date="sent_at",
    is_moment=True,
    person="person__",
    age_on="sent_at",
    programme="programme",
    dimensions={"urgency": "urgency"},
)
ACCEPTED_SOURCE = Source(
    queryset=_referrals_accepted,
    organisation="to_organisation",
    date="responded_at",
    is_moment=True,
    person="person__",
    age_on="responded_at",
    programme="to_case__programme",
    dimensions={"urgency": "urgency"},
)


def _aid_recipients(filters: Filters, by: str | None = None) -> list[dict]:
    """Distinct families plus distinct persons given aid; by kind, or by recipient (family / person)."""
    qs = AID_SOURCE.records(filters).order_by()
    measure = Count("family", distinct=True) + Count("person", distinct=True)
    if by is None:
        return [{"value": qs.aggregate(value=measure)["value"] or 0}]
    if by == "recipient":
        counts = qs.aggregate(family=Count("family", distinct=True), person=Count("person", distinct=True))
        return [{"recipient": key, "value": counts[key]} for key in ("family", "person") if counts[key]]
    qs, name = AID_RECIPIENTS_SOURCE.dimension(qs, by)
    grouped = qs.values(name).annotate(value=measure).order_by(name)
    return [{by: _code(row[name]), "value": row["value"]} for row in grouped]


AID_RECIPIENTS_SOURCE = Source(
    queryset=_aid,
    organisation="organisation",
    date="distributed_on",
    dimensions={"kind": "kind", "recipient": "recipient"},
)


def persons_measure() -> Count:
    return Count("case__person", distinct=True)


def records_measure() -> Count:
    return Count("pk")


# -- the second batch: families, group participants, consultations, professions, deadlines, coverage,
# residents ----------------------------------------------------------------------------------------------

# A consultation is a service whose code says so: the catalogue names them "…_consultation" (psychological,
# legal, neurologist's, helpline, group …) or "…_counselling" (employment counselling).
CONSULTATION_SUFFIXES = ("_consultation", "_counselling")


def _consultations() -> QuerySet:
    consultation = Q()
    for suffix in CONSULTATION_SUFFIXES:
        consultation |= Q(service__code__endswith=suffix)
    return _visits().filter(consultation)


CONSULTATION_SOURCE = Source(
    queryset=_consultations,
    organisation="organisation",
    date="starts_at",
    is_moment=True,
    person="case__person__",
    age_on="starts_at",
    programme="case__programme",
    dimensions={
        "service_type": "service__service_type__code",
        "service": "service__code",
        "profession": "profession__code",
        "format": "format",
        "mode": "mode",
        "programme": "case__programme__id",
    },
)
PROFESSION_SOURCE = Source(
    queryset=_visits,
    organisation="organisation",
    date="starts_at",
    is_moment=True,
    person="case__person__",
    age_on="starts_at",
    programme="case__programme",
    dimensions={"profession": "profession__code", "programme": "case__programme__id"},
)


def families_measure() -> Count:
    return Count("case__person__family_links__family", distinct=True)


def _attended_participants() -> QuerySet:
    from tirek.services.choices import GroupActivityStatus
    from tirek.services.models import GroupParticipant

    return GroupParticipant.objects.filter(attended=True, activity__status=GroupActivityStatus.HELD)


PARTICIPANT_SOURCE = Source(
    queryset=_attended_participants,
    organisation="activity__organisation",
    date="activity__starts_at",
    is_moment=True,
    dimensions={"kind": "activity__kind", "service": "activity__service__code", "mode": "activity__mode"},
)


def _group_participants(filters: Filters, by: str | None = None) -> list[dict]:
    """Participants with a case marked as attended plus the other participants counted on the activity,
    over the held group activities; the same split for both, added up."""
    with_case = count_rows(PARTICIPANT_SOURCE, records_measure)(filters, by)
    others = count_rows(GROUP_SOURCE, lambda: Sum("others_count"))(filters, by)
    if by is None:
        return [{"value": with_case[0]["value"] + others[0]["value"]}]
    totals: dict[str, int] = {}
    for row in with_case + others:  # rows of the split (kinds, services …), never records
        totals[row[by]] = totals.get(row[by], 0) + (row["value"] or 0)
    return [{by: key, "value": totals[key]} for key in sorted(totals) if totals[key]]


def _appeals_open() -> Q:
    from tirek.support.choices import OPEN_STATUSES

    return Q(status__in=OPEN_STATUSES)


class _OverdueAppealsAtEnd(Source):
    """Appeals received by the end of the period's last day and still open then (open now, or closed after
    it), whose answer was due before that day."""

    def records(self, filters: Filters, *, with_age: bool = False) -> QuerySet:
        last = filters.date_to
        return (
            super()
            .records(filters, with_age=with_age)
            .filter(received_at__lt=_local_start(last + dt.timedelta(days=1)), due_on__lt=last)
            .filter(_appeals_open() | Q(closed_on__gt=last))
        )


OVERDUE_APPEAL_SOURCE = _OverdueAppealsAtEnd(
    queryset=_appeals,
    organisation="organisation",
    date=None,
    person="person__",
    programme="case__programme",
    dimensions={"category": "category", "channel": "channel"},
)


class _FirstPlanDue(Source):
    """Cases whose first-plan deadline falls in the period, as their first-plan clock
    (`tirek.cases.deadlines.first_plan_clock`) stands on the period's last day: the referral's day plus the
    programme's days plus the days of the documented first-plan pauses (counted up to the plan's approval,
    or, not approved by then, up to the last day or the day the case closed). A case closed before its
    deadline without a plan had nothing due. Annotated with `approved_day` and `due_day` (day numbers)."""

    def records(self, filters: Filters, *, with_age: bool = False) -> QuerySet:
        from tirek.cases.choices import DeadlineClock
        from tirek.cases.models import DeadlinePause
        from tirek.plans.models import Plan

        last = filters.date_to
        last_day = Value(day_number(last), output_field=IntegerField())
        first_approval = (
            Plan.objects.filter(case=OuterRef("pk"), approved_on__isnull=False, approved_on__lte=last)
            .order_by("approved_on")
            .values("approved_on")[:1]
        )
        qs = (
            super()
            .records(filters, with_age=with_age)
            .filter(opened_on__lte=last)
            .annotate(approved_day=DayNumber(Subquery(first_approval)), closed_day=DayNumber("closed_on"))
            .annotate(
                clock_stop=Coalesce(
                    F("approved_day"),
                    Least(Coalesce(F("closed_day"), last_day), last_day, output_field=IntegerField()),
                    output_field=IntegerField(),
                )
            )
        )
        stop = OuterRef("clock_stop")
        paused = (
            DeadlinePause.objects.filter(case=OuterRef("pk"), clock=DeadlineClock.FIRST_PLAN)
            .annotate(
                days=Greatest(
                    Value(0),
                    Least(
                        Coalesce(DayNumber("ends_on"), stop, output_field=IntegerField()),
                        stop,
                        output_field=IntegerField(),
                    )
                    - DayNumber("starts_on"),
                    output_field=IntegerField(),
                )
            )
            .order_by()
            .values("case")
            .annotate(total=Sum("days"))
            .values("total")
        )
        return (
            qs.annotate(paused_days=Coalesce(Subquery(paused, output_field=IntegerField()), Value(0)))
            .annotate(
                due_day=DayNumber("referral_received_on") + F("programme__first_plan_days") + F("paused_days")
            )
            .filter(due_day__gte=day_number(filters.date_from), due_day__lte=day_number(last))
            .exclude(approved_day__isnull=True, closed_on__lte=last, closed_day__lte=F("due_day"))
        )


FIRST_PLAN_SOURCE = _FirstPlanDue(
    queryset=_cases,
    organisation="organisation",
    date=None,
    person="person__",
    programme="programme",
    dimensions={"programme": "programme__id"},
)
WITHIN_DEADLINE = Q(approved_day__isnull=False, approved_day__lte=F("due_day"))


class _ReviewOverdueAtEnd(_OpenAtEnd):
    """Cases open on the period's last day whose plan-review clock (`tirek.cases.deadlines.plan_review_clock`)
    is overdue on that day: the latest plan approval or review up to then, plus the programme's review
    interval (a review may bring the next one forward), is before that day."""

    def records(self, filters: Filters, *, with_age: bool = False) -> QuerySet:
        from tirek.plans.models import Plan, PlanReview

        last = filters.date_to
        approvals = Plan.objects.filter(case=OuterRef("pk"), approved_on__isnull=False, approved_on__lte=last)
        reviews = PlanReview.objects.filter(plan__case=OuterRef("pk"), reviewed_on__lte=last).order_by(
            "-reviewed_on", "-created_at"
        )
        months = F("programme__review_months")
        reviewed_last = Q(last_review__isnull=False) & (
            Q(last_approval__isnull=True) | Q(last_review__gte=F("last_approval"))
        )
        return (
            super()
            .records(filters, with_age=with_age)
            .annotate(
                last_approval=Subquery(approvals.order_by("-approved_on").values("approved_on")[:1]),
                last_review=Subquery(reviews.values("reviewed_on")[:1]),
                asked=Subquery(reviews.values("next_review_due_on")[:1]),
            )
            .filter(Q(last_approval__isnull=False) | Q(last_review__isnull=False))
            .annotate(
                review_due=Case(
                    When(reviewed_last, then=Least(F("asked"), AddMonths(F("last_review"), months))),
                    default=AddMonths(F("last_approval"), months),
                    output_field=DateField(),
                )
            )
            .filter(review_due__lt=last)
        )


REVIEW_OVERDUE_SOURCE = _ReviewOverdueAtEnd(
    queryset=_cases,
    organisation="organisation",
    date=None,
    person="person__",
    programme="programme",
    dimensions={"programme": "programme__id"},
)


def year_share(first: dt.date, last: dt.date) -> float:
    """How many years the period from `first` to `last` (both included) makes: for each calendar year it
    touches, its days in the period over that year's days (a calendar year is exactly 1, 2024-02 is
    29/366)."""
    share = 0.0
    for year in range(first.year, last.year + 1):
        start, end = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
        share += ((end - start).days + 1) / ((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)
    return share


COVERAGE_SOURCE = Source(
    queryset=_visits,
    organisation="organisation",
    date="starts_at",
    is_moment=True,
    programme="case__programme",
    dimensions={"programme": "case__programme__id", "basis": ""},
)
COVERAGE_BASES = ("capacity", "target")


def _coverage(filters: Filters, by: str | None = None) -> list[dict]:
    """Persons served in each programme with a yearly capacity (target), added over the programmes, as a
    percent of their capacities (targets) pro-rated to the period. Two queries: the programmes, and the
    persons served per programme; the rest adds up one row per programme."""
    from tirek.directory.models import Programme

    programmes = Programme.objects.all()
    if filters.organisation is not None:
        programmes = programmes.filter(organisation=filters.organisation)
    if filters.region is not None:
        programmes = programmes.filter(organisation__region=filters.region)
    if filters.programme is not None:
        programmes = programmes.filter(pk=filters.programme.pk)
    programmes = programmes.filter(Q(yearly_capacity__isnull=False) | Q(yearly_target__isnull=False))
    plans = list(
        programmes.values(
            "pk", "organisation_id", "organisation__region__kato", "yearly_capacity", "yearly_target"
        )
    )
    served = dict(
        COVERAGE_SOURCE.records(filters)
        .order_by()
        .filter(case__programme__in=[p["pk"] for p in plans])
        .values_list("case__programme")
        .annotate(n=persons_measure())
    )
    share = year_share(filters.date_from, filters.date_to)
    groups: dict[str, dict[str, float]] = {}
    for programme in plans:  # one row per programme, never per record
        for basis in COVERAGE_BASES:
            yearly = programme[f"yearly_{basis}"]
            if yearly is None or (by != "basis" and basis != "capacity"):
                continue
            key = {
                None: "",
                "basis": basis,
                "programme": str(programme["pk"]),
                "organisation": str(programme["organisation_id"]),
                "region": programme["organisation__region__kato"],
            }[by]
            group = groups.setdefault(key, {"n": 0, "of": 0.0})
            group["n"] += served.get(programme["pk"], 0)
            group["of"] += yearly * share
    rows = [
        {by: key, "value": round(100 * g["n"] / g["of"], 1) if g["of"] else None, "n": g["n"]}
        for key, g in sorted(groups.items())
    ]
    if by is None:
        return [{"value": rows[0]["value"], "n": rows[0]["n"]} if rows else {"value": None, "n": 0}]
    return rows


def _residences() -> QuerySet:
    from tirek.residence.models import Residence

    return Residence.objects.all()


class _ResidentInPeriod(Source):
    """Stays that overlap the period: moved in by its last day, not moved out by its first (the move-out
    day is the first day away)."""

    def records(self, filters: Filters, *, with_age: bool = False) -> QuerySet:
        return (
            super()
            .records(filters, with_age=with_age)
            .filter(moved_in_on__lte=filters.date_to)
            .filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=filters.date_from))
        )


RESIDENT_SOURCE = _ResidentInPeriod(
    queryset=_residences,
    organisation="facility__organisation",
    date=None,
    person="person__",
    dimensions={"facility_kind": "facility__kind"},
)


def residents_measure() -> Count:
    return Count("person", distinct=True)


INDICATORS_LIST: list[Indicator] = [
    Indicator(
        code="persons_served",
        group="served",
        name=_("Persons served"),
        definition=_(
            "Distinct persons with at least one delivered session (status attended, individual or as a "
            "participant of a group activity) in the period. Cancelled and no-show sessions do not count. A "
            "person served by several organisations counts once in a total over them. The age band is the "
            "age on the day of the session."
        ),
        period_date=_("the day the session took place (local time)"),
        source=SERVED_SOURCE,
        compute=count_rows(SERVED_SOURCE, persons_measure),
    ),
    Indicator(
        code="children_served",
        group="served",
        name=_("Children served"),
        definition=_(
            "Distinct persons under 18 years of age on the day of at least one delivered session (status "
            "attended) in the period; the age is exact, counted from the date of birth on the session's day. "
            "Persons without a date of birth are not counted. A child served by several organisations counts "
            "once in a total over them."
        ),
        period_date=_("the day the session took place (local time)"),
        source=CHILDREN_SOURCE,
        compute=count_rows(CHILDREN_SOURCE, persons_measure),
    ),
    Indicator(
        code="families_served",
        group="served",
        name=_("Families served"),
        definition=_(
            "Distinct families with at least one member who had a delivered session (status attended) in "
            "the period; a person belongs to the families they are recorded as a member of. A family served "
            "by several organisations, or through several members, counts once in a total. The sex, age "
            "band and diagnosis group filters are those of the member served."
        ),
        period_date=_("the day the session took place (local time)"),
        source=SERVED_SOURCE,
        compute=count_rows(SERVED_SOURCE, families_measure),
    ),
    Indicator(
        code="persons_served_by_profession",
        group="served",
        name=_("Persons served, by the specialist's profession"),
        definition=_(
            "Distinct persons with at least one delivered session (status attended) in the period, by the "
            "profession of the specialist who gave the session. A person seen by a speech therapist and a "
            "psychologist counts in both rows but once in the total."
        ),
        period_date=_("the day the session took place (local time)"),
        source=PROFESSION_SOURCE,
        compute=count_rows(PROFESSION_SOURCE, persons_measure),
    ),
    Indicator(
        code="coverage_rate",
        group="served",
        name=_("Coverage of the programmes' capacity"),
        definition=_(
            "Persons served (at least one delivered session) in the period in each programme with a yearly "
            "capacity, added over the programmes (a person served in two programmes takes a place in both), "
            "as a percent of the programmes' yearly capacity pro-rated to the period (a calendar year is "
            "the whole capacity, a month its days over the year's days). Split by 'compared with' to see it "
            "against the yearly target too. The value is over the persons served."
        ),
        period_date=_("the day the session took place (local time)"),
        source=COVERAGE_SOURCE,
        compute=_coverage,
        measure="rate",
    ),
    Indicator(
        code="youth_house_residents",
        group="served",
        name=_("Residents of youth houses and other facilities"),
        definition=_(
            "Distinct persons who lived in a facility of the organisation (a youth house, a social "
            "apartment, a shelter) on at least one day of the period: moved in on or before its last day "
            "and not moved out before its first (the move-out day is the first day away). Split by kind of "
            "facility for youth houses alone. The age band is the age on the last day of the period."
        ),
        period_date=_("the days of the stay"),
        source=RESIDENT_SOURCE,
        compute=count_rows(RESIDENT_SOURCE, residents_measure),
    ),
    Indicator(
        code="new_cases",
        group="cases",
        name=_("New cases"),
        definition=_(
            "Cases opened in the period, whatever their status now. The age band is the age on the day "
            "the case was opened."
        ),
        period_date=_("the day the case was opened"),
        source=NEW_SOURCE,
        compute=count_rows(NEW_SOURCE, records_measure),
    ),
    Indicator(
        code="closed_cases",
        group="cases",
        name=_("Closed cases"),
        definition=_(
            "Cases closed in the period, by closure reason and by where the child went. The age band is the "
            "age on the day the case was closed."
        ),
        period_date=_("the day the case was closed"),
        source=CLOSED_SOURCE,
        compute=count_rows(CLOSED_SOURCE, records_measure),
    ),
    Indicator(
        code="active_cases",
        group="cases",
        name=_("Open cases at the end of the period"),
        definition=_(
            "Cases opened on or before the last day of the period and not closed by then (referred, intake "
            "or active). The age band is the age on the last day of the period."
        ),
        period_date=_("the last day of the period"),
        source=ACTIVE_SOURCE,
        compute=count_rows(ACTIVE_SOURCE, records_measure),
    ),
    Indicator(
        code="plans_within_deadline_rate",
        group="cases",
        name=_("First plans approved within the deadline"),
        definition=_(
            "Of the cases whose first-plan deadline falls in the period, the percent whose first plan was "
            "approved on or before it. The deadline is the day the referral was received plus the "
            "programme's days for the first plan plus the days of documented pauses, as the case's "
            "first-plan clock stands on the period's last day; a plan not approved by then is late. A case "
            "closed before its deadline without a plan is not counted. The value is over these cases."
        ),
        period_date=_("the first-plan deadline"),
        source=FIRST_PLAN_SOURCE,
        compute=rate_rows(FIRST_PLAN_SOURCE, WITHIN_DEADLINE),
        measure="rate",
    ),
    Indicator(
        code="reviews_overdue",
        group="cases",
        name=_("Plan reviews overdue at the end of the period"),
        definition=_(
            "Cases open on the last day of the period whose plan review was overdue on that day: the "
            "latest plan approval or review up to that day plus the programme's review interval (or the "
            "earlier next review a review set) is before that day. Cases without an approved plan are not "
            "counted."
        ),
        period_date=_("the last day of the period"),
        source=REVIEW_OVERDUE_SOURCE,
        compute=count_rows(REVIEW_OVERDUE_SOURCE, records_measure),
    ),
    Indicator(
        code="visits_delivered",
        group="sessions",
        name=_("Sessions delivered"),
        definition=_(
            "Sessions with status attended in the period: each individual session, and each attended "
            "participant of a group activity (one session per participant). Cancelled and no-show sessions "
            "do not count."
        ),
        period_date=_("the day the session took place (local time)"),
        source=VISIT_SOURCE,
        compute=count_rows(VISIT_SOURCE, records_measure),
    ),
    Indicator(
        code="group_activities",
        group="sessions",
        name=_("Group activities held"),
        definition=_(
            "Seminars, trainings, group consultations and group classes held in the period (attendance "
            "recorded); planned and cancelled ones do not count."
        ),
        period_date=_("the day the activity took place (local time)"),
        source=GROUP_SOURCE,
        compute=count_rows(GROUP_SOURCE, records_measure),
    ),
    Indicator(
        code="group_participants",
        group="sessions",
        name=_("Participants of group activities"),
        definition=_(
            "Participations in the group activities held in the period: each participant with a case "
            "marked as attended, plus the other participants (without a case) counted on the activity. A "
            "person at two activities counts twice."
        ),
        period_date=_("the day the activity took place (local time)"),
        source=PARTICIPANT_SOURCE,
        compute=_group_participants,
    ),
    Indicator(
        code="consultations",
        group="sessions",
        name=_("Consultations delivered"),
        definition=_(
            "Sessions with status attended in the period whose service is a consultation (a service of the "
            "catalogue whose code ends in _consultation or _counselling: psychological, legal, a doctor's, "
            "helpline, group, employment consultations), individual or group (one per attended "
            "participant). Cancelled and no-show sessions do not count."
        ),
        period_date=_("the day the session took place (local time)"),
        source=CONSULTATION_SOURCE,
        compute=count_rows(CONSULTATION_SOURCE, records_measure),
    ),
    Indicator(
        code="appeals_registered",
        group="support",
        name=_("Appeals registered"),
        definition=_(
            "Appeals received in the period, anonymous ones included (they are left out when a filter on "
            "sex, age or programme is chosen)."
        ),
        period_date=_("the moment the appeal was received (local time)"),
        source=APPEAL_SOURCE,
        compute=count_rows(APPEAL_SOURCE, records_measure),
    ),
    Indicator(
        code="appeals_resolved",
        group="support",
        name=_("Appeals resolved"),
        definition=_(
            "Appeals closed as resolved in the period (rejected and withdrawn appeals are not counted)."
        ),
        period_date=_("the day the appeal was closed"),
        source=RESOLVED_SOURCE,
        compute=count_rows(RESOLVED_SOURCE, records_measure),
    ),
    Indicator(
        code="appeals_overdue",
        group="support",
        name=_("Appeals overdue at the end of the period"),
        definition=_(
            "Appeals received by the last day of the period and still open at its end (registered, in "
            "progress or forwarded then, whatever became of them later) whose answer was due before that "
            "day, the rule of the overdue-appeal reminder."
        ),
        period_date=_("the last day of the period"),
        source=OVERDUE_APPEAL_SOURCE,
        compute=count_rows(OVERDUE_APPEAL_SOURCE, records_measure),
    ),
    Indicator(
        code="aid_recipients",
        group="support",
        name=_("Aid recipients"),
        definition=_(
            "Distinct families plus distinct persons given material aid in the period (a family or a person "
            "given aid several times counts once; split by kind, once per kind)."
        ),
        period_date=_("the day the aid was handed over"),
        source=AID_RECIPIENTS_SOURCE,
        compute=_aid_recipients,
    ),
    Indicator(
        code="outcomes",
        group="support",
        name=_("Outcomes"),
        definition=_("Outcomes recorded for persons, dated in the period, by kind of outcome."),
        period_date=_("the day of the outcome"),
        source=OUTCOME_SOURCE,
        compute=count_rows(OUTCOME_SOURCE, records_measure),
    ),
    Indicator(
        code="referrals_sent",
        group="referrals",
        name=_("Referrals sent"),
        definition=_(
            "Referrals sent by an organisation in Tirek to another in the period, whatever became of them "
            "(referrals recorded from outside Tirek are not counted). The organisation is the sender."
        ),
        period_date=_("the moment the referral was sent (local time)"),
        source=SENT_SOURCE,
        compute=count_rows(SENT_SOURCE, records_measure),
    ),
    Indicator(
        code="referrals_accepted",
        group="referrals",
        name=_("Referrals accepted"),
        definition=_(
            "Referrals accepted in the period (a case was opened for them), from organisations in Tirek and "
            "from outside. The organisation is the receiver; the programme is that of the case opened."
        ),
        period_date=_("the moment the referral was accepted (local time)"),
        source=ACCEPTED_SOURCE,
        compute=count_rows(ACCEPTED_SOURCE, records_measure),
    ),
    Indicator(
        code="referral_days_to_accept",
        group="referrals",
        name=_("Days from referral to acceptance (median)"),
        definition=_(
            "The median number of days from the day a referral was sent to the day it was accepted, over "
            "the referrals accepted in the period (as for referrals_accepted)."
        ),
        period_date=_("the moment the referral was accepted (local time)"),
        source=ACCEPTED_SOURCE,
        compute=median_rows(ACCEPTED_SOURCE, "days_to_accept"),
        measure="median",
    ),
]
INDICATORS: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS_LIST}
