from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tirek.core.env import env_bool, env_choice, env_database, env_int, env_list, env_str, env_timezone


def test_it_reads_booleans_and_refuses_anything_else():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(ImproperlyConfigured, match="X must be one of"):
        env_bool("X", False, environ={"X": "maybe"})


def test_it_reads_bounded_integers():
    assert env_int("N", 5, environ={"N": " 42 "}) == 42
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        env_int("N", 5, environ={"N": "4.2"})
    with pytest.raises(ImproperlyConfigured, match="N must be at least 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})
    with pytest.raises(ImproperlyConfigured, match="N must be at most 10"):
        env_int("N", 5, maximum=10, environ={"N": "11"})


def test_it_reads_lists_choices_and_required_strings():
    assert env_list("H", ["a"], environ={"H": "x.kz, y.kz,,"}) == ["x.kz", "y.kz"]
    assert env_list("H", ["a"], environ={}) == ["a"]
    assert env_choice("C", "kk", ("kk", "ru"), environ={"C": "ru"}) == "ru"
    with pytest.raises(ImproperlyConfigured, match="C must be one of kk, ru"):
        env_choice("C", "kk", ("kk", "ru"), environ={"C": "de"})
    with pytest.raises(ImproperlyConfigured, match="S must be set"):
        env_str("S", environ={})


def test_it_checks_time_zones():
    assert env_timezone("TZ", "Asia/Almaty", environ={}) == "Asia/Almaty"
    with pytest.raises(ImproperlyConfigured, match="IANA time zone"):
        env_timezone("TZ", "Asia/Almaty", environ={"TZ": "Asia/Nowhere"})


def test_it_accepts_sqlite_and_postgresql_urls_only():
    assert env_database("D", "sqlite:///x.db", environ={})["ENGINE"] == "django.db.backends.sqlite3"
    postgres = env_database("D", "", environ={"D": "postgres://u:p@db:5432/tirek"})
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert postgres["NAME"] == "tirek"
    with pytest.raises(ImproperlyConfigured, match="SQLite or PostgreSQL"):
        env_database("D", "", environ={"D": "mysql://u:p@db/tirek"})


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TIREK_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", "import tirek.settings as s; print(s.SESSION_COOKIE_SECURE, s.DEBUG)"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_debug_there_is_no_default_secret():
    result = _load_settings(TIREK_DEBUG="0")
    assert result.returncode != 0
    assert "TIREK_SECRET_KEY must be set" in result.stderr


def test_a_short_secret_is_refused():
    result = _load_settings(TIREK_DEBUG="0", TIREK_SECRET_KEY="short")
    assert "at least 32 characters" in result.stderr


def test_without_debug_cookies_are_secure():
    result = _load_settings(TIREK_DEBUG="0", TIREK_SECRET_KEY="k" * 40)
    assert result.stdout.split() == ["True", "False"]


def test_a_bad_value_stops_start_up_with_the_variables_name():
    result = _load_settings(TIREK_DEBUG="1", TIREK_TIME_ZONE="Mars/Olympus")
    assert result.returncode != 0
    assert "TIREK_TIME_ZONE" in result.stderr


def test_deploy_check_is_clean_apart_from_the_proxys_tls_settings():
    secret = secrets.token_urlsafe(50)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TIREK_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "tirek", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **clean,
            "TIREK_DEBUG": "0",
            "TIREK_SECRET_KEY": secret,
            "TIREK_ALLOWED_HOSTS": "tirek.example.kz",
            "TIREK_SSL_REDIRECT": "1",
            "TIREK_HSTS_SECONDS": "31536000",
            "TIREK_HSTS_PRELOAD": "1",
            "TIREK_BEHIND_TLS_PROXY": "1",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    without_tls = subprocess.run(
        [sys.executable, "-m", "tirek", "check", "--deploy"],
        env={
            **clean,
            "TIREK_DEBUG": "0",
            "TIREK_SECRET_KEY": secret,
            "TIREK_ALLOWED_HOSTS": "tirek.example.kz",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    warnings = {
        line.split(")")[0].lstrip("?: (") for line in without_tls.stderr.splitlines() if "security.W" in line
    }
    assert warnings == {"security.W004", "security.W008"}


def test_offline_commands_run_without_a_secret_but_serving_does_not():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TIREK_", "DJANGO_"))}
    offline = subprocess.run(
        [sys.executable, "-m", "tirek", "makemigrations", "--check", "--dry-run"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert offline.returncode == 0, offline.stderr
    serving = subprocess.run(
        [sys.executable, "-m", "tirek", "check"], env=clean, capture_output=True, text=True, check=False
    )
    assert "TIREK_SECRET_KEY must be set" in serving.stderr
