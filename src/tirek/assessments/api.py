"""The assessments API: registered on the project's router by `register`."""

from __future__ import annotations

# Paths that must come before the router's own (e.g. list-level actions under a prefix the router also uses).
extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
