"""What this app adds to the main navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tirek.directory.choices import OrganisationKind

# Organisations that may accommodate people; the others never get the entry (and pay no query for it).
HOUSING_KINDS = frozenset(
    {
        OrganisationKind.YOUTH_HOUSE,
        OrganisationKind.CARE_LEAVER_ASSOCIATION,
        OrganisationKind.FAMILY_SUPPORT,
        OrganisationKind.NGO,
    }
)


def items(user, active) -> list[tuple[str, str]]:
    """(url, label) pairs for `user` whose active membership is `active` (None when there is none).

    "Residence" for members (analysts aside) of a youth house, or of another organisation that may house
    people once it has a facility."""
    if active is None or active.role == "analyst" or active.organisation.kind not in HOUSING_KINDS:
        return []
    if active.organisation.kind != OrganisationKind.YOUTH_HOUSE:
        from tirek.residence.models import Facility

        if not Facility.objects.filter(organisation_id=active.organisation_id).exists():
            return []
    return [(reverse("residence:list"), _("Residence"))]
