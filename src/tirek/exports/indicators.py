"""One indicator as a table to export: exactly what the indicator page shows, for the same user.

The filters are parsed by the page's own form and the figures come from `indicator_compute`, the one source
of the page, the API and the exports, so an analyst's export carries the same suppressed "<5" and no names,
IINs or record ids: its rows hold dimension codes, their labels and counts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tirek.exports.cells import append_rows, new_workbook, write_csv
from tirek.reports import selectors
from tirek.reports.catalogue import AGE_BAND_CHOICES, DIMENSION_NAMES, Indicator
from tirek.reports.forms import IndicatorFilterForm
from tirek.reports.labels import dimension_labels
from tirek.reports.scope import hidden_label

# Query parameters that are not filters of an indicator (the export's own, the page's).
NOT_FILTERS = frozenset({"format", "language", "page", "csrfmiddlewaretoken"})
MAX_PARAMS = 20


PDF_LANGUAGES = ("kk", "ru")


def indicator_params(query) -> dict[str, str]:
    """The filters of an indicator out of a query (the page's or the API's): its parameters but the export's
    own; the indicator's form decides which it takes (and refuses a filter the indicator cannot apply)."""
    params = {
        str(name): str(value)[:100]
        for name, value in query.items()
        if name not in NOT_FILTERS and value not in (None, "")
    }
    return dict(sorted(params.items())[:MAX_PARAMS])


@dataclass
class IndicatorTable:
    """An indicator's figures laid out for a file: `header` and `rows` (the total last, when split) and
    `about`, the pairs naming the indicator, its definition, the filters and when it was computed."""

    indicator: Indicator
    result: dict
    header: list[str]
    rows: list[list[Any]]
    about: list[tuple[str, str]]
    exact: bool

    @property
    def row_count(self) -> int:
        return len(self.result["rows"])

    def filename(self, extension: str) -> str:
        filters = self.result["filters"]
        return f"{self.indicator.code}-{filters['from']}-{filters['to']}.{extension}"


def _describe_filters(result: dict) -> list[tuple[str, str]]:
    from tirek.directory.models import Organisation, Programme, Region
    from tirek.people.choices import Sex

    echo = result["filters"]
    organisation = (
        Organisation.objects.filter(pk=echo["organisation"]).first() if echo["organisation"] else None
    )
    region = Region.objects.filter(kato=echo["region"]).first() if echo["region"] else None
    programme = Programme.objects.filter(pk=echo["programme"]).first() if echo["programme"] else None
    pairs = [
        (_("From"), echo["from"]),
        (_("To"), echo["to"]),
        (_("Organisation"), organisation.name if organisation else _("All organisations")),
        (_("Region"), str(region) if region else _("All regions")),
    ]
    if programme is not None:
        pairs.append((_("Programme"), programme.name))
    if echo.get("diagnosis_group"):
        pairs.append((_("Diagnosis group"), echo["diagnosis_group"]))
    if echo["sex"]:
        pairs.append((_("Sex"), str(dict(Sex.choices).get(echo["sex"], echo["sex"]))))
    if echo["age_band"]:
        pairs.append((_("Age band"), str(dict(AGE_BAND_CHOICES).get(echo["age_band"], echo["age_band"]))))
    if echo["by"]:
        pairs.append((_("Split by"), str(DIMENSION_NAMES[echo["by"]])))
    return pairs


def indicator_table(*, user, code: str, params: dict) -> IndicatorTable:
    """Indicator `code` with the page's filters `params`, as `user` may see it (a 403 unless they read
    reports, a 404 for an unknown code, a ValidationError field by field for a bad filter)."""
    indicator = selectors.indicator_get(user=user, code=code)
    reach = selectors.report_reach(user=user)
    form = IndicatorFilterForm(params, user=user, indicator=indicator, exact=reach.exact)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    result = selectors.indicator_compute(user=user, code=indicator.code, filters=form.filters(), by=form.by())
    by = result["filters"]["by"]
    if by:
        labels = dimension_labels(code, by, [row[by] for row in result["rows"]])
        header = [capfirst(str(DIMENSION_NAMES[by])), _("Code"), _("Value")]
        rows = [[labels.get(str(row[by]), row[by]), row[by], row["value"]] for row in result["rows"]]
        rows.append([_("Total"), "", result["total"]])
    else:
        header = [_("Indicator"), _("Code"), _("Value")]
        rows = [[str(indicator.name), indicator.code, row["value"]] for row in result["rows"]]
    computed_at = timezone.localtime(result["computed_at"])
    about = [
        (_("Indicator"), str(indicator.name)),
        (_("Code"), indicator.code),
        (_("Definition"), str(indicator.definition)),
        (_("The period is decided by"), str(indicator.period_date)),
        *_describe_filters(result),
        (_("Computed at"), computed_at.strftime("%Y-%m-%d %H:%M:%S %Z")),
    ]
    if not reach.exact:
        about.append(
            (
                _("Small counts"),
                _("Small counts are shown as “%(label)s” and hidden so that totals cannot reveal them.")
                % {"label": hidden_label()},
            )
        )
    return IndicatorTable(indicator, result, header, rows, about, reach.exact)


def indicator_csv(table: IndicatorTable) -> bytes:
    out = io.BytesIO()
    write_csv([table.header, *table.rows], out)
    return out.getvalue()


def indicator_xlsx(table: IndicatorTable) -> bytes:
    """Two sheets: the figures, and what they are (definition, filters, computed at)."""
    workbook = new_workbook()
    figures = workbook.create_sheet(_("Figures")[:31])
    append_rows(figures, [table.header, *table.rows])
    about = workbook.create_sheet(_("Definition")[:31])
    append_rows(about, [[_("Field"), _("Value")], *table.about])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fonts_only(allowed: set[str]):
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        """Fetches the font files and nothing else."""

        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"Not fetched while printing a report: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def pdf_language(requested: str | None) -> str:
    """Kazakh or Russian: the one asked for, else the active language, else Kazakh."""
    for language in (requested, (translation.get_language() or "")[:2]):
        if language in PDF_LANGUAGES:
            return language
    return PDF_LANGUAGES[0]


def indicator_pdf(table: IndicatorTable, *, language: str) -> bytes:
    """The table as a PDF/A-1b in `language`, with DejaVu Sans embedded (as printed plans are)."""
    from weasyprint import HTML

    from tirek.plans.pdf import dejavu_fonts

    fonts = {weight: Path(path).as_uri() for weight, path in dejavu_fonts().items()}
    html = render_to_string(
        "exports/indicator_pdf.html",
        {"table": table, "fonts": fonts, "language": language, "split": bool(table.result["filters"]["by"])},
    )
    return HTML(string=html, url_fetcher=_fonts_only(set(fonts.values()))).write_pdf(pdf_variant="pdf/a-1b")
