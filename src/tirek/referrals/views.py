"""Pages of referrals: the inbox and the sent list, a referral with its history and the answers the user may
give, and the forms that send a referral and record one from outside. Parse, make one call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.selectors import organisation_members
from tirek.audit.services import audit_view
from tirek.cases.selectors import case_get
from tirek.core.api import query_uuid
from tirek.core.forms import submit
from tirek.core.paging import quick_page
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.directory.selectors import active_organisation_get
from tirek.people.selectors import person_get, person_search
from tirek.referrals import forms, selectors, services
from tirek.referrals.choices import (
    COMPLETE_FROM,
    RESPOND_FROM,
    REVOKE_FROM,
    Direction,
    ReferralStatus,
)


def _status_param(request) -> str | None:
    status = request.GET.get("status") or None
    return status if status in ReferralStatus.values else None


def _list_page(request, direction: str):
    status = _status_param(request)
    if request.user.is_administrator:
        direction = ""  # administrators read every organisation's referrals, in one list
    referrals = selectors.referral_list(user=request.user, direction=direction, status=status)
    organisation_id = request.user.active_organisation_id_checked()
    context = {
        "direction": direction,
        "page": quick_page(referrals, request.GET.get("page")),
        "status": status,
        "statuses": ReferralStatus.choices,
        "counts": selectors.referral_counts(user=request.user, direction=direction),
        "today": timezone.localdate(),
        "can_record_external": can(request.user, "referrals.record_external", organisation_id),
    }
    return render(request, "referrals/referral_list.html", context)


@login_required
def inbox(request):
    return _list_page(request, Direction.INCOMING)


@login_required
def outbox(request):
    return _list_page(request, Direction.OUTGOING)


@login_required
def referral_detail(request, pk):
    referral = selectors.referral_get(user=request.user, pk=pk)
    side = selectors.referral_side(user=request.user, referral=referral)
    audit_view(
        actor=request.user,
        obj=referral,
        organisation=request.user.active_organisation_id_checked(),
        subject_person_id=referral.person_id,
    )
    organisation_id = request.user.active_organisation_id_checked()
    may_respond = side == "receiver" and can(request.user, "referrals.respond", organisation_id)
    may_revoke = side == "sender" and can(request.user, "referrals.send", organisation_id)
    context = {
        "referral": referral,
        "side": side,
        "history": selectors.referral_history(referral=referral),
        "person_visible": selectors.person_visible(user=request.user, referral=referral),
        "shared": selectors.shared_parts_view(user=request.user, referral=referral),
        "delivered_sessions": selectors.delivered_sessions(referral=referral) if side != "receiver" else None,
        "today": timezone.localdate(),
        "can_accept": may_respond and referral.status in RESPOND_FROM,
        "can_complete": may_respond and referral.status in COMPLETE_FROM,
        "can_revoke": may_revoke and referral.status in REVOKE_FROM,
    }
    if context["can_accept"]:
        context["accept_form"] = forms.ReferralAcceptForm(
            programmes=selectors.accept_programmes(referral=referral),
            members=organisation_members(organisation=referral.to_organisation),
            initial={"programme": referral.programme_id, "coordinator": request.user.pk},
        )
        context["decline_form"] = forms.ReasonForm(prefix="decline")
    if context["can_complete"]:
        context["complete_form"] = forms.CompletionForm()
    if context["can_revoke"]:
        context["revoke_form"] = forms.ReasonForm(prefix="revoke")
    return render(request, "referrals/referral_detail.html", context)


def _answer_page(request, referral, *, form, action, success: str, title: str):
    return service_form_page(
        request,
        form=form,
        action=action,
        success=success,
        done_url=reverse("referrals:referral_detail", args=[referral.pk]),
        title=f"{title} · {referral.number}",
    )


@login_required
def referral_accept(request, pk):
    referral = selectors.referral_get(user=request.user, pk=pk)
    services.require_receiver(request.user, referral)
    form = forms.ReferralAcceptForm(
        request.POST or None,
        programmes=selectors.accept_programmes(referral=referral),
        members=organisation_members(organisation=referral.to_organisation),
        initial={"programme": referral.programme_id, "coordinator": request.user.pk},
    )
    return _answer_page(
        request,
        referral,
        form=form,
        action=lambda data: services.referral_accept(actor=request.user, referral=referral, **data),
        success=_("The referral has been accepted and a case opened."),
        title=_("Accept the referral"),
    )


@login_required
def referral_decline(request, pk):
    referral = selectors.referral_get(user=request.user, pk=pk)
    services.require_receiver(request.user, referral)
    return _answer_page(
        request,
        referral,
        form=forms.ReasonForm(request.POST or None, prefix="decline"),
        action=lambda data: services.referral_decline(actor=request.user, referral=referral, **data),
        success=_("The referral has been declined."),
        title=_("Decline the referral"),
    )


@login_required
def referral_complete(request, pk):
    referral = selectors.referral_get(user=request.user, pk=pk)
    services.require_receiver(request.user, referral)
    return _answer_page(
        request,
        referral,
        form=forms.CompletionForm(request.POST or None),
        action=lambda data: services.referral_complete(actor=request.user, referral=referral, **data),
        success=_("The referral has been completed."),
        title=_("Complete the referral"),
    )


@login_required
def referral_revoke(request, pk):
    referral = selectors.referral_get(user=request.user, pk=pk)
    if not referral.is_external:
        services.require_sender(request.user, referral)
    return _answer_page(
        request,
        referral,
        form=forms.ReasonForm(request.POST or None, prefix="revoke"),
        action=lambda data: services.referral_revoke(actor=request.user, referral=referral, **data),
        success=_("The referral has been revoked."),
        title=_("Revoke the referral"),
    )


@login_required
def referral_send(request):
    """Refer the person of a case (?case=) or a person of the register (?person=); the GET filter narrows
    the organisations to choose from."""
    organisation = active_organisation_get(user=request.user)
    require(request.user, "referrals.send", organisation)
    case_id = query_uuid(request.GET.get("case"))
    case = case_get(user=request.user, pk=case_id) if case_id else None
    person = case.person if case else person_get(user=request.user, pk=query_uuid(request.GET.get("person")))
    target_filter = forms.TargetFilterForm(request.GET or None)
    targets = selectors.referral_targets(user=request.user, **target_filter.filters())
    form = forms.ReferralSendForm(
        request.POST or None,
        targets=targets,
        programmes=selectors.target_programmes(organisations=targets),
        with_case=case is not None,
        may_override=can(request.user, "referrals.override_consent", organisation),
    )
    referral = request.method == "POST" and submit(
        form,
        lambda data: services.referral_send(
            actor=request.user,
            organisation=organisation,
            person=person,
            from_case=case,
            **{k: v for k, v in data.items() if v is not None},
        ),
    )
    if referral:
        messages.success(request, _("Referral %(number)s has been sent.") % {"number": referral.number})
        return redirect("referrals:referral_detail", referral.pk)
    back = (
        reverse("cases:case_detail", args=[case.pk])
        if case
        else reverse("people:person_detail", args=[person.pk])
    )
    context = {
        "form": form,
        "target_filter": target_filter,
        "case": case,
        "person": person,
        "cancel_url": back,
        "partners_only": organisation.referrals_partners_only,
        "title": _("Refer %(name)s") % {"name": person.full_name},
    }
    return render(request, "referrals/referral_send.html", context)


@login_required
def referral_external(request):
    """Record a referral that came from outside Tirek: first find the person (or register them), then the
    referral itself."""
    organisation = active_organisation_get(user=request.user)
    require(request.user, "referrals.record_external", organisation)
    person_id = query_uuid(request.GET.get("person"))
    if person_id is None:
        query = request.GET.get("q", "").strip()
        found = person_search(user=request.user, query=query)[:20] if query else []
        return render(
            request,
            "referrals/referral_external_person.html",
            {
                "query": query,
                "found": found,
                "can_register": can(request.user, "people.register", organisation),
            },
        )
    person = person_get(user=request.user, pk=person_id)
    form = forms.ReferralExternalForm(
        request.POST or None,
        programmes=selectors.accept_programmes_of(organisation=organisation),
        initial={"received_on": timezone.localdate()},
    )
    referral = request.method == "POST" and submit(
        form,
        lambda data: services.referral_record_external(
            actor=request.user, organisation=organisation, person=person, **data
        ),
    )
    if referral:
        messages.success(request, _("Referral %(number)s has been recorded.") % {"number": referral.number})
        return redirect("referrals:referral_detail", referral.pk)
    return render(
        request,
        "referrals/referral_external.html",
        {
            "form": form,
            "person": person,
            "title": _("Incoming referral of %(name)s") % {"name": person.full_name},
            "cancel_url": reverse("referrals:inbox"),
        },
    )
