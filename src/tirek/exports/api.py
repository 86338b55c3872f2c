"""The exports API (filled in by the exports work)."""

from __future__ import annotations

extra_urlpatterns: list = []


def register(router) -> None:
    """No viewsets yet."""
