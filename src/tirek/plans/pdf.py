"""The individual plan as a PDF for the family to sign, in Kazakh or Russian, with its fonts embedded.

WeasyPrint lays out an HTML template, so the printed plan is written like every other page of Tirek (a
template, gettext) rather than drawn by hand. The fonts are DejaVu Sans from Debian's fonts-dejavu-core: they
cover Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і), and the file is PDF/A-1b so that every glyph travels with it.
WeasyPrint may fetch nothing but those font files.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.people.services import legal_representatives
from tirek.plans.choices import Domain, PdfLanguage
from tirek.plans.models import Plan, PlannedService, PlanReview

FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu"),  # Fedora, Alpine
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/local/share/fonts/dejavu"),
)
REGULAR_FONT = "DejaVuSans.ttf"
BOLD_FONT = "DejaVuSans-Bold.ttf"


class PdfFontMissing(ImproperlyConfigured):
    """The font that printed plans embed is not installed."""


def dejavu_fonts() -> dict[str, Path]:
    """The DejaVu Sans files: "regular" always, "bold" when installed alongside it."""
    for directory in FONT_DIRECTORIES:
        regular = directory / REGULAR_FONT
        if regular.is_file():
            fonts = {"regular": regular}
            if (directory / BOLD_FONT).is_file():
                fonts["bold"] = directory / BOLD_FONT
            return fonts
    searched = ", ".join(str(d / REGULAR_FONT) for d in FONT_DIRECTORIES)
    raise PdfFontMissing(
        f"Printed plans need the DejaVu Sans font, not found at {searched}. "
        "Install the Debian package fonts-dejavu-core (`make system-packages` does it)."
    )


def _fetcher(allowed: set[str]):
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        """Fetches the font files and nothing else: the plan's text never makes WeasyPrint load a URL."""

        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"Not fetched while printing a plan: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def plan_pdf_filename(plan: Plan, language: str) -> str:
    return f"plan-{plan.case.number}-{plan.number}-{language}.pdf"


def _context(plan: Plan) -> dict:
    case = plan.case
    services = PlannedService.objects.filter(plan=plan).select_related("service", "profession", "provider")
    reviews = list(
        PlanReview.objects.filter(plan=plan).select_related("reviewer").prefetch_related("progress")[:1]
    )
    latest = {row.goal_id: row for row in reviews[0].progress.all()} if reviews else {}
    return {
        "plan": plan,
        "case": case,
        "person": case.person,
        "levels": [(domain.label, plan.present_level(domain.value)) for domain in Domain],
        "goals": [(goal, latest.get(goal.pk)) for goal in plan.goals.all()],
        "services": list(services),
        "latest_review": reviews[0] if reviews else None,
        "representatives": legal_representatives(case.person),
        "printed_on": timezone.localdate(),
    }


def plan_pdf_render(*, plan: Plan, language: str) -> bytes:
    """The plan laid out as a PDF/A-1b document in `language` (kk or ru)."""
    if language not in PdfLanguage.values:
        raise ValueError(f"Plans are printed in Kazakh or Russian, not {language!r}")
    fonts = dejavu_fonts()
    urls = {weight: path.as_uri() for weight, path in fonts.items()}
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "plans/plan_pdf.html", {**_context(plan), "fonts": urls, "language": language}
        )
    document = HTML(string=html, url_fetcher=_fetcher(set(urls.values())))
    return document.write_pdf(pdf_variant="pdf/a-1b")


def plan_pdf_export(*, actor, plan: Plan, language: str) -> bytes:
    """Print the plan and record the export in the audit trail."""
    content = plan_pdf_render(plan=plan, language=language)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=plan,
        organisation=plan.case.organisation_id,
        subject_person_id=plan.case.person_id,
        note=f"pdf {language}",
    )
    return content
