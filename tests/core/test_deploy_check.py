"""`tirek check --deploy` under a production environment has no warning and no error.

The check runs as an operator runs it: a new process reading its settings from the environment of
docs/deploy.md (debug off, a 50-character random key, behind the TLS proxy, HSTS for a year), with a throwaway
data directory. Each negative case leaves out one production setting and must be caught, which proves that the
clean run is not clean by accident.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def production_environment(data_dir) -> dict[str, str]:
    return {
        "TIREK_DEBUG": "0",
        "TIREK_SECRET_KEY": secrets.token_urlsafe(64)[:50],
        "TIREK_ALLOWED_HOSTS": "tirek.example.kz",
        "TIREK_CSRF_TRUSTED_ORIGINS": "https://tirek.example.kz",
        "TIREK_BASE_URL": "https://tirek.example.kz",
        "TIREK_BEHIND_TLS_PROXY": "1",
        "TIREK_SSL_REDIRECT": "1",
        "TIREK_HSTS_SECONDS": "31536000",
        "TIREK_DATA_DIR": str(data_dir),
    }


def deploy_check(tmp_path, *, leave_out=(), **variables: str) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("TIREK_")}
    production = production_environment(tmp_path / "data")
    environ.update({key: value for key, value in production.items() if key not in leave_out})
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "tirek", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = deploy_check(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output
    assert "System check identified no issues" in output


def test_behind_the_tls_proxy_plain_http_is_redirected_without_asking(tmp_path):
    result = deploy_check(tmp_path, leave_out=("TIREK_SSL_REDIRECT",))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("leave_out", "variables", "warning"),
    [
        (("TIREK_HSTS_SECONDS",), {}, "security.W004"),
        ((), {"TIREK_SSL_REDIRECT": "0"}, "security.W008"),
        ((), {"TIREK_SECURE_COOKIES": "0"}, "security.W012"),
        # Tirek starts with 32 characters; Django's own bar, which production should meet, is 50.
        ((), {"TIREK_SECRET_KEY": secrets.token_hex(20)}, "security.W009"),
    ],
    ids=["without HSTS", "without the HTTPS redirect", "with cookies over plain HTTP", "with a short key"],
)
def test_the_deploy_check_catches_a_production_setting_left_out(tmp_path, leave_out, variables, warning):
    result = deploy_check(tmp_path, leave_out=leave_out, **variables)
    assert result.returncode != 0
    assert "WARNINGS" in result.stderr
    assert warning in result.stderr
