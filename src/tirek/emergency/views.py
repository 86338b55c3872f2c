from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.core.forms import submit
from tirek.core.scoping import can, get_visible_or_404
from tirek.emergency import services
from tirek.emergency.forms import EmergencyAccessForm
from tirek.emergency.models import EmergencyAccess
from tirek.emergency.selectors import emergency_access_list


@login_required
def access_list(request):
    """Open a record in an emergency; the openings the user made and those of records their organisation
    holds."""
    may_open = can(request.user, "people.emergency_access")
    form = EmergencyAccessForm(request.POST or None) if may_open else None
    if request.method == "POST" and may_open:
        access = submit(
            form,
            lambda data: services.emergency_access_open(
                actor=request.user, iin=data["iin"], reason=data["reason"]
            ),
        )
        if access is not None:
            messages.warning(
                request,
                _("Emergency access is open until %(time)s. Every page you open is recorded.")
                % {"time": date_format(timezone.localtime(access.expires_at), "H:i")},
            )
            return redirect("people:person_detail", pk=access.person_id)
    return render(
        request,
        "emergency/access_list.html",
        {
            "form": form,
            "accesses": emergency_access_list(user=request.user)[:100],
            "user_id": request.user.pk,
            "hours": settings.TIREK_EMERGENCY_ACCESS_HOURS,
        },
    )


@login_required
@require_POST
def access_end(request, pk):
    access = get_visible_or_404(EmergencyAccess.objects, request.user, pk=pk)
    services.emergency_access_end(actor=request.user, access=access)
    messages.success(request, _("Emergency access has ended."))
    return redirect("emergency:access_list")
