"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the live server."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API keeps an event loop running in the test thread; the test's own ORM calls (the cast)
# are still synchronous and safe, so Django's guard against ORM use inside an event loop is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TIREK_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run 'make setup' as root (Debian package chromium)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
