from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tirek.web.selectors import home_for


@login_required
def home(request):
    return render(request, "web/home.html", home_for(request.user))
