from __future__ import annotations

from tirek.web.navigation import navigation_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return navigation_for(user)
