"""The one shape of a page that edits something through a service: show the form, call, report, go back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render

from tirek.core.forms import submit


def service_form_page(
    request,
    *,
    form,
    action: Callable[[dict[str, Any]], Any],
    success: str,
    done_url: str,
    title: str,
    cancel_url: str | None = None,
    template: str = "web/form.html",
):
    """On a valid POST call `action(cleaned_data)` and go to `done_url`; otherwise show the form again,
    with what was typed and the service's messages (409 when someone else saved the record meanwhile)."""
    if request.method == "POST" and submit(form, action):
        messages.success(request, success)
        return redirect(done_url)
    context = {"form": form, "title": title, "cancel_url": cancel_url or done_url}
    return render(request, template, context, status=409 if getattr(form, "conflict", None) else 200)
