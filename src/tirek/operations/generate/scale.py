"""What the generator is asked for (`Scale`) and what it keeps of what it made (`Org`, `CaseRow`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from tirek.operations.generate.vocabulary import PERSONS_PER_ORGANISATION


@dataclass
class Scale:
    persons: int
    organisations: int | None = None
    seed: int = 2026
    years: int = 3
    visits_per_case: int = 100
    today: dt.date | None = None

    def __post_init__(self) -> None:
        if self.organisations is None:
            self.organisations = max(2, round(self.persons / PERSONS_PER_ORGANISATION))
        self.today = self.today or timezone.localdate()
        self.first_day = self.today - dt.timedelta(days=round(365.25 * self.years))


@dataclass
class Org:
    pk: uuid.UUID
    index: int
    kind: str
    prefix: str
    region_id: int
    programmes: list  # [(pk, kind, min_months, max_months)]
    manager: uuid.UUID | None = None
    coordinators: list = field(default_factory=list)
    specialists: list = field(default_factory=list)  # [(user pk, profession code)]
    by_profession: dict = field(default_factory=lambda: defaultdict(list))
    weight: float = 1.0


@dataclass
class CaseRow:
    pk: uuid.UUID
    org: Org
    programme: tuple
    person: uuid.UUID
    birth: dt.date
    opened: dt.date
    closed: dt.date | None
    status: str
    team: list  # [(user pk, profession code)]
