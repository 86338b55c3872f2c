"""What this app adds to the main navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tirek.directory.choices import OrganisationKind

# Organisations that run courses (schools for adoptive parents, parenting and life-skills courses).
COURSE_KINDS = frozenset(
    {
        OrganisationKind.FAMILY_SUPPORT,
        OrganisationKind.CARE_LEAVER_ASSOCIATION,
        OrganisationKind.YOUTH_HOUSE,
        OrganisationKind.NGO,
        OrganisationKind.PARENTS_ASSOCIATION,
    }
)


def items(user, active) -> list[tuple[str, str]]:
    """(url, label) pairs for `user` whose active membership is `active` (None when there is none).

    "Courses" for members (analysts aside) of the kinds of organisation that run courses; decided without a
    query, since it is on every page. Any other organisation reaches its courses at /courses/."""
    if active is None or active.role == "analyst" or active.organisation.kind not in COURSE_KINDS:
        return []
    return [(reverse("courses:list"), _("Courses"))]
