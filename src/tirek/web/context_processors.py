from __future__ import annotations

from tirek.accounts.sessions import SECOND_STEP, SETUP, VERIFY
from tirek.web.navigation import navigation_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if request.session.get(SECOND_STEP) in (VERIFY, SETUP):
        # Signed in with the password only: the pages of the second step show no menus (nor the bell).
        return {"second_step_pending": True}
    return navigation_for(user)
