"""scripts/audit-dependencies: vulnerabilities fail the build, an unreachable service is skipped out loud.

The script runs for real (the lock exported, pip-audit run) against a stand-in for OSV's query API on the
loopback, or against a port nobody listens on.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit-dependencies"


def run_audit(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (the project's own script)
        [sys.executable, str(SCRIPT), "-s", "osv", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
    )


class OsvStandIn(BaseHTTPRequestHandler):
    """Answers OSV's /v1/query: a vulnerability in Django, nothing elsewhere (or as `behaviour` says)."""

    behaviour = "vulnerable"
    asked: list[str]

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.asked.append(query["package"]["name"])
        if self.behaviour == "silent":
            time.sleep(3)
        if self.behaviour == "broken":
            self.send_response(503)
            self.end_headers()
            return
        if self.behaviour == "wrong-address":
            self.send_response(404)
            self.end_headers()
            return
        body = {}
        if self.behaviour == "vulnerable" and query["package"]["name"] == "django":
            body = {
                "vulns": [
                    {
                        "id": "PYSEC-0000-TIREK",
                        "summary": "A stand-in vulnerability",
                        "affected": [
                            {
                                "package": {"name": "django", "ecosystem": "PyPI"},
                                "ranges": [
                                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99.0"}]}
                                ],
                            }
                        ],
                    }
                ]
            }
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def osv():
    """Start the stand-in; yields a function giving its URL for a behaviour."""
    handler = type("Handler", (OsvStandIn,), {"asked": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def url(behaviour: str) -> str:
        handler.behaviour = behaviour
        return f"http://127.0.0.1:{server.server_address[1]}/v1/query"

    url.asked = handler.asked
    yield url
    server.shutdown()
    server.server_close()


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_reported_vulnerability_fails_the_audit_and_is_listed(osv, tmp_path):
    done = run_audit("--osv-url", osv("vulnerable"), "--cache-dir", str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "PYSEC-0000-TIREK" in done.stderr
    assert "django 5.2" in done.stderr
    assert "fixed in 99.0" in done.stderr
    assert "skipped" not in done.stdout + done.stderr
    # Every locked package was asked about, development tools included.
    assert {"django", "djangorestframework", "pip-audit", "schemathesis"} <= set(osv.asked)


def test_a_clean_answer_passes_and_says_how_many_packages_were_audited(osv, tmp_path):
    done = run_audit("--osv-url", osv("clean"), "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no known vulnerabilities in the" in done.stdout
    assert f"the {len(set(osv.asked))} locked packages audited" in done.stdout
    assert "skipped" not in done.stdout


@pytest.mark.parametrize("behaviour", ["nobody-listens", "silent", "broken"])
def test_an_unreachable_service_is_skipped_with_a_notice(osv, tmp_path, behaviour):
    url = f"http://127.0.0.1:{unused_port()}/v1/query" if behaviour == "nobody-listens" else osv(behaviour)
    done = run_audit("--osv-url", url, "--timeout", "1", "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("pip-audit skipped: the vulnerability service (OSV) could not be reached:")


def test_any_other_failure_is_not_taken_for_an_unreachable_service(osv, tmp_path):
    done = run_audit("--osv-url", osv("wrong-address"), "--cache-dir", str(tmp_path))
    assert done.returncode == 2
    assert "pip-audit failed" in done.stderr
    assert "skipped" not in done.stdout


def load_script():
    loader = importlib.machinery.SourceFileLoader("audit_dependencies", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def answered(*dependencies: dict, status: int = 0):
    def audit(requirements, extra):
        assert "django==" in requirements.read_text()  # the lock really was exported
        return status, json.dumps({"dependencies": list(dependencies), "fixes": []}), ""

    return audit


def test_a_service_that_knows_none_of_the_packages_counts_as_unreachable(monkeypatch, capsys):
    script = load_script()
    unknown = "Dependency not found on PyPI and could not be audited: django (5.2)"
    monkeypatch.setattr(script, "audit", answered({"name": "django", "skip_reason": unknown}))
    assert script.main([]) == 0
    assert capsys.readouterr().out.startswith(
        "pip-audit skipped: the vulnerability service (PyPI) could not be reached"
    )


def test_packages_left_unaudited_are_named_and_vulnerabilities_still_fail(monkeypatch, capsys):
    script = load_script()
    unknown = {"name": "segno", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    vulnerable = {"name": "django", "version": "5.2", "vulns": [{"id": "GHSA-x", "fix_versions": ["5.3"]}]}
    monkeypatch.setattr(script, "audit", answered(unknown, vulnerable, status=1))
    assert script.main([]) == 1
    printed = capsys.readouterr()
    assert "segno was not audited" in printed.out
    assert "django 5.2: GHSA-x (fixed in 5.3)" in printed.err
