"""Labels of dimension values (stable codes in the rows) in the user's language, for the web page."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tirek.reports.catalogue import AGE_BAND_CHOICES, UNKNOWN


def _choices(dimension: str, code: str) -> dict:
    from tirek.cases.choices import ClosureDestination, ReferralSource
    from tirek.people.choices import Sex
    from tirek.referrals.choices import Urgency
    from tirek.residence.choices import FacilityKind
    from tirek.services.choices import GroupActivityKind, VisitFormat, VisitMode
    from tirek.support.choices import AidKind, AppealCategory, AppealChannel, AppealResult, OutcomeKind

    kinds = {
        "group_activities": GroupActivityKind,
        "group_participants": GroupActivityKind,
        "aid_recipients": AidKind,
        "outcomes": OutcomeKind,
    }
    table = {
        "sex": Sex.choices,
        "age_band": AGE_BAND_CHOICES,
        "format": VisitFormat.choices,
        "mode": VisitMode.choices,
        "destination": ClosureDestination.choices,
        "referral_source": ReferralSource.choices,
        "category": AppealCategory.choices,
        "channel": AppealChannel.choices,
        "result": AppealResult.choices,
        "urgency": Urgency.choices,
        "facility_kind": FacilityKind.choices,
        "basis": [("capacity", _("Programme capacity")), ("target", _("Programme target"))],
        "recipient": [("family", pgettext("aid recipient", "Families")), ("person", _("Persons"))],
    }
    if dimension == "kind" and code in kinds:
        return dict(kinds[code].choices)
    return dict(table.get(dimension, []))


def _reference(dimension: str, values: list) -> dict:
    from tirek.catalog.models import ClosureReason, Profession, Service, ServiceType
    from tirek.directory.models import Organisation, Programme, Region

    if dimension == "programme":
        return {str(p.pk): str(p) for p in Programme.objects.filter(pk__in=values)}
    if dimension == "organisation":
        return {str(o.pk): o.name for o in Organisation.objects.filter(pk__in=values)}
    if dimension == "region":
        return {r.kato: str(r) for r in Region.objects.filter(kato__in=values)}
    model = {
        "service_type": ServiceType,
        "service": Service,
        "profession": Profession,
        "closure_reason": ClosureReason,
    }.get(dimension)
    if model is None:
        return {}
    return {item.code: str(item) for item in model.objects.filter(code__in=values)}


def dimension_labels(code: str, dimension: str, values: Iterable) -> dict:
    """{value: label} for the values of `dimension` in indicator `code`'s rows (one query at most)."""
    values = [v for v in values if v not in (None, UNKNOWN)]
    labels = {str(k): v for k, v in _choices(dimension, code).items()}
    labels.update(_reference(dimension, [str(v) for v in values]))
    labels[UNKNOWN] = pgettext("report value", "Not recorded")
    return labels
