"""The administrator's retention page: who is due for anonymisation today, and the button that does it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext

from tirek.core.forms import StyledForm, submit
from tirek.core.scoping import require
from tirek.operations.retention import services as retention


class RetentionRunForm(StyledForm):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that the identifying data of these persons is removed for good and cannot be "
            "brought back."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the anonymisation.")},
    )


@login_required
def retention_page(request):
    require(request.user, "people.retention")
    form = RetentionRunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        report = submit(form, lambda data: retention.retention_run(actor=request.user, dry_run=False))
        if report is not None:
            messages.success(
                request,
                ngettext(
                    "%(count)s person was anonymised.",
                    "%(count)s persons were anonymised.",
                    report.anonymised,
                )
                % {"count": report.anonymised},
            )
            return redirect("operations:retention")
    report = retention.retention_report(actor=request.user)
    return render(request, "operations/retention.html", {"report": report, "form": form})
