"""The API of courses: registered on the v1 router by tirek.api_urls."""

from __future__ import annotations

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
