"""`tirek generate`: national-scale fictional data for benchmarks and demonstrations.

`engine` runs the steps and removes what it made; each step is a module (`organisations`, `persons`,
`cases`, `referrals`, `plans`, `visits`, `support`) drawing on the `vocabulary` and writing through a sink
(`sinks`).
"""

from __future__ import annotations

from tirek.operations.generate.engine import (
    ForeignData,
    Generator,
    foreign_data,
    generate,
    generated_persons,
    wipe,
)
from tirek.operations.generate.scale import Scale
from tirek.operations.generate.vocabulary import MARK, USER_PREFIX

__all__ = [
    "MARK",
    "USER_PREFIX",
    "ForeignData",
    "Generator",
    "Scale",
    "foreign_data",
    "generate",
    "generated_persons",
    "wipe",
]
