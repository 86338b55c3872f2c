from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.core.paging import quick_page
from tirek.notifications import selectors, services


@login_required
def notification_index(request):
    unread = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(user=request.user, unread=unread)
    context = {"page": quick_page(notifications, request.GET.get("page")), "unread": unread}
    return render(request, "notifications/notification_list.html", context)


@login_required
def notification_open(request, pk):
    """Mark the notification read and go to the page it is about."""
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_read(actor=request.user, notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_read_all(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(reverse("notifications:list"))


@login_required
def notification_bell(request):
    """The bell with the unread count, loaded by htmx after the page (so pages pay no query for it)."""
    return render(
        request, "notifications/_bell.html", {"unread_count": selectors.unread_count(user=request.user)}
    )
