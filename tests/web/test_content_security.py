"""The Content Security Policy on every answer, and pages that need nothing it refuses: no inline script
(data for scripts travels in JSON blocks), scripts and styles from Tirek's own static files only."""

from __future__ import annotations

import re

import pytest

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_every_answer_carries_the_policy(client, db):
    policy = directives(client.get("/accounts/login/"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in policy["script-src"] and "unsafe-eval" not in str(policy)
    assert "Content-Security-Policy" in client.get("/api/v1/schema/").headers


@pytest.mark.parametrize(
    ("user_name", "path"),
    [
        ("coordinator_a", "/"),
        ("coordinator_a", "/cases/"),
        ("specialist_a", "/visits/day/"),
        ("manager_a", "/reports/dashboard/"),
        ("analyst", "/reports/dashboard/country/"),
        ("manager_a", "/exports/"),
        ("manager_a", "/api/v1/docs/"),
    ],
)
def test_pages_have_no_inline_script(cast, user_name, path):
    response = cast.client(getattr(cast, user_name)).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" in html  # the page has scripts, all of them files
    assert INLINE_SCRIPT.findall(html) == []
    styles_allowed = "'unsafe-inline'" in directives(response)["style-src"]
    assert ("<style" in html) is styles_allowed is (path == "/api/v1/docs/")  # Swagger UI's page alone
