"""Pages of a long list without counting it: the next page is known to exist by fetching one row more.

Counting every visible person of a large organisation costs more than showing fifty of them, and nobody
pages to the end of a register: they search.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class QuickPage:
    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def quick_page(queryset, number, per_page: int = 50) -> QuickPage:
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return QuickPage(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
