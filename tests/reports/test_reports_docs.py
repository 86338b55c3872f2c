"""docs/indicators.md is the output of `tirek indicators-doc`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from tirek.reports.catalogue import INDICATORS


def test_the_committed_indicator_doc_equals_the_command_output():
    out = StringIO()
    call_command("indicators-doc", "--output", "-", stdout=out)
    committed = (Path(settings.PROJECT_DIR) / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert out.getvalue() == committed, "Run `tirek indicators-doc` and commit docs/indicators.md."
    for code in INDICATORS:
        assert f"### `{code}`" in committed


def test_the_command_writes_the_file(tmp_path):
    target = tmp_path / "indicators.md"
    call_command("indicators-doc", "--output", str(target), stdout=StringIO())
    assert target.read_text(encoding="utf-8").startswith("# Indicators\n")
