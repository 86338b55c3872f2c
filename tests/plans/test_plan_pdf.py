"""The plan printed for the family to sign: Kazakh or Russian, with the Cyrillic font embedded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tirek.audit.models import AuditEvent
from tirek.plans import pdf
from tirek.plans.services import plan_review


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_plan_prints_as_a_pdf_with_the_font_embedded(cast, in_force, language):
    plan = in_force(goals=2, services=2)
    plan_review(
        actor=cast.coordinator_a,
        plan=plan,
        ratings=[{"goal": goal, "rating": "progressing"} for goal in plan.goals.all()],
        summary="Ілгерілеу бар / Есть продвижение",
    )
    content = pdf.plan_pdf_render(plan=plan, language=language)
    assert content.startswith(b"%PDF")
    assert b"DejaVu" in content  # the font's name travels with the embedded font program
    assert b"/FontFile2" in content
    assert b"pdfaid:part" in content  # PDF/A: every glyph is in the file


def test_the_page_and_the_endpoint_send_the_pdf_and_audit_the_export(cast, in_force):
    plan = in_force()
    client = cast.client(cast.specialist_a)
    page = client.get(reverse("plans:plan_pdf", args=[plan.pk]), {"language": "ru"})
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert page.content.startswith(b"%PDF")
    assert f'filename="plan-{plan.case.number}-1-ru.pdf"' in page["Content-Disposition"]
    api = client.get(f"/api/v1/plans/{plan.pk}/pdf/", {"language": "kk"})
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(action="export", object_id=str(plan.pk))
    assert sorted(exports.values_list("note", flat=True)) == ["pdf kk", "pdf ru"]
    assert {e.subject_person_id for e in exports} == {plan.case.person_id}


def test_an_unknown_language_is_refused(cast, draft):
    plan = draft()
    client = cast.client(cast.coordinator_a)
    assert client.get(reverse("plans:plan_pdf", args=[plan.pk]), {"language": "en"}).status_code == 400
    refused = client.get(f"/api/v1/plans/{plan.pk}/pdf/", {"language": "en"})
    assert refused.status_code == 400 and "language" in refused.json()["error"]["fields"]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_missing_font_is_named_with_the_package_that_brings_it(cast, draft, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIRECTORIES", (Path(tmp_path),))
    with pytest.raises(pdf.PdfFontMissing, match="fonts-dejavu-core"):
        pdf.plan_pdf_render(plan=draft(), language="kk")


def test_the_plan_text_cannot_make_the_printer_fetch_anything(cast, draft, monkeypatch):
    from tirek.plans.services import plan_update

    plan = draft()
    plan_update(
        actor=cast.coordinator_a,
        plan=plan,
        family_concerns='<img src="http://127.0.0.1:9/x.png"><link rel=stylesheet href="file:///etc/passwd">',
    )
    fetched = []
    original = pdf._fetcher

    def spy(allowed):
        fetcher = original(allowed)
        fetch = fetcher.fetch

        def recording(url, headers=None):
            fetched.append(url)
            return fetch(url, headers)

        fetcher.fetch = recording
        return fetcher

    monkeypatch.setattr(pdf, "_fetcher", spy)
    assert pdf.plan_pdf_render(plan=plan, language="ru").startswith(b"%PDF")
    assert fetched and all(url.startswith("file://") and url.endswith(".ttf") for url in fetched)
