"""Reference data carries its names in Kazakh, Russian and English; show the one of the active language."""

from __future__ import annotations

from django.utils.translation import get_language


def pick_name(obj, field: str = "name") -> str:
    language = (get_language() or "kk")[:2]
    for code in (language, "kk", "ru", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


class MultilingualName:
    """Mixin for models with name_kk, name_ru and name_en: `name` is the one for the active language."""

    @property
    def name(self) -> str:
        return pick_name(self)

    def __str__(self) -> str:
        return self.name
