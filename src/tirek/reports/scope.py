"""Who sees which figures of the reports, and how small counts are hidden from those who see them all.

Reach. Reading reports needs the capability "reports.view" (a manager, an analyst, an administrator); anyone
else gets a 403. A manager's figures are always those of their active organisation: whatever organisation
they ask for, the organisation filter is forced to theirs, and they see exact counts (they see the records
behind them anyway). An analyst and an administrator may ask for any organisation, any region or the whole
country, and see aggregates only, with small counts suppressed.

Suppression (analysts and administrators), with threshold T = settings.TIREK_SMALL_COUNT_THRESHOLD (5):

1. Primary: a count from 1 to T−1 is shown as the string "<T" (e.g. "<5"). A zero is shown as 0: it reveals
   nobody.
2. Secondary: in a split, when exactly one row is suppressed, the row with the next smallest count is
   suppressed too, so that the whole (the unsplit figure, or a total) minus the other rows cannot reveal the
   suppressed count: it only reveals the sum of two hidden counts.
3. The total of a split is not shown when any of its rows is suppressed (it is given as null).
4. A median (e.g. days to accept a referral) or a rate (e.g. the share of first plans approved in time, the
   coverage of a programme) over fewer than T records — `n`, the records the value is over: the median's
   records, the rate's denominator — is shown as "<T" (it would reveal the records' own values or come
   close to); medians and rates are not additive, so rule 2 does not apply to them.

Report output never holds a person's name, IIN or a record's id: the rows hold dimension codes and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings

from tirek.core.scoping import require
from tirek.reports.catalogue import Filters

SUPPRESSED_ROLES = frozenset({"analyst", "administrator"})


@dataclass(frozen=True)
class Reach:
    """What a user's reports cover: `organisation_id` forced (a manager) or None (any), and whether they
    see exact figures."""

    exact: bool
    organisation_id: Any = None

    def apply(self, filters: Filters) -> Filters:
        if self.organisation_id is None:
            return filters
        from tirek.directory.models import Organisation

        if filters.organisation is not None and filters.organisation.pk == self.organisation_id:
            return filters
        return replace(filters, organisation=Organisation.objects.get(pk=self.organisation_id))


def reach_of(user) -> Reach:
    """The reach of `user`'s reports; a 403 (NotAllowed) unless they may read reports."""
    require(user, "reports.view")
    active_id = user.active_organisation_id_checked()
    if user.is_administrator or "analyst" in user.roles(active_id):
        return Reach(exact=False)
    return Reach(exact=True, organisation_id=active_id)


def threshold() -> int:
    return settings.TIREK_SMALL_COUNT_THRESHOLD


def hidden_label() -> str:
    return f"<{threshold()}"


def _small(value: int) -> bool:
    return 0 < value < threshold()


def suppress_counts(rows: list[dict]) -> tuple[list[dict], bool]:
    """Rows with small counts replaced by "<T" (rules 1 and 2); and whether any was."""
    hidden = {i for i, row in enumerate(rows) if _small(row["value"])}
    if len(hidden) == 1 and len(rows) > 1:
        others = [(row["value"], i) for i, row in enumerate(rows) if i not in hidden and row["value"] > 0]
        if others:
            hidden.add(min(others)[1])
    label = hidden_label()
    return [{**row, "value": label} if i in hidden else row for i, row in enumerate(rows)], bool(hidden)


def suppress_statistics(rows: list[dict]) -> tuple[list[dict], bool]:
    """Medians and rates over fewer than T records (`n`) replaced by "<T" (rule 4)."""
    label = hidden_label()
    out = [{**row, "value": label} if _small(row["n"]) else row for row in rows]
    return out, any(_small(row["n"]) for row in rows)


# The first name of `suppress_statistics`, from when medians were the only statistics.
suppress_medians = suppress_statistics
