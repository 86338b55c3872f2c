from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views import defaults

from tirek.core.errors import error_body
from tirek.web.selectors import home_for


@login_required
def home(request):
    return render(request, "web/home.html", home_for(request.user))


def _wants_api_error(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    """404: the API answers in its one error shape even for paths no route matches; people get a page."""
    if _wants_api_error(request):
        return JsonResponse(error_body("not_found", gettext("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _wants_api_error(request):
        return JsonResponse(error_body("server_error", gettext("Something went wrong.")), status=500)
    return defaults.server_error(request)
