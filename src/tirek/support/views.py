"""Pages of appeals, material aid and outcomes: parse, make one call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.audit.services import audit_view
from tirek.core.errors import NotAllowed
from tirek.core.forms import add_service_errors, submit
from tirek.core.paging import quick_page
from tirek.core.scoping import can, require
from tirek.core.views import service_form_page
from tirek.people.selectors import person_search
from tirek.support import forms, selectors, services
from tirek.support.choices import APPEAL_FLOW, AppealChannel, AppealStatus, OutcomeKind


@login_required
def support_home(request):
    return redirect("support:appeal_list")


def _from_query(chosen, request, name: str):
    """The record a query parameter names (?person=, ?last=); 404 when it is not the user's to see."""
    try:
        return chosen(user=request.user, pk=request.GET.get(name) or None)
    except ValidationError:
        raise Http404 from None


def _typed_person(request, form):
    """The person chosen on a form shown again, so that the choice stays; None when it is not visible."""
    try:
        return selectors.chosen_person(user=request.user, pk=form["person"].value() or None)
    except ValidationError:
        return None


def _query(params: dict) -> str:
    return urlencode({k: getattr(v, "pk", v) for k, v in params.items() if v not in (None, "", False)})


# --- appeals ----------------------------------------------------------------------------------------------


@login_required
def appeal_list(request):
    members = selectors.organisation_members(user=request.user)
    form = forms.AppealFilterForm(request.GET or None, members=members)
    filters = form.filters()
    appeals = selectors.appeal_list(user=request.user, **filters)
    context = {
        "form": form,
        "page": quick_page(appeals, request.GET.get("page")),
        "counts": selectors.appeal_counts(user=request.user),
        "mine_query": _query({"assignee": request.user.pk}),
        "overdue_query": _query({"overdue": True}),
        "can_register": can(request.user, "appeals.register"),
    }
    return render(request, "support/appeal_list.html", context)


def _refs(request, data: dict) -> dict:
    """The person and case of a form from their ids (a field error when not visible)."""
    data = dict(data)
    if "person" in data:
        data["person"] = selectors.chosen_person(user=request.user, pk=data["person"])
    if "case" in data:
        data["case"] = selectors.chosen_case(user=request.user, pk=data["case"])
    return data


@login_required
def appeal_new(request):
    organisation = selectors.acting_organisation(user=request.user, capability="appeals.register")
    person = _from_query(selectors.chosen_person, request, "person")
    form = forms.AppealForm(
        request.POST or None,
        members=selectors.organisation_members(user=request.user),
        families=selectors.served_families(user=request.user),
        initial={
            "received_at": timezone.localtime().replace(second=0, microsecond=0),
            "channel": AppealChannel.WALK_IN,
            "person": person.pk if person else None,
            "case": request.GET.get("case") or None,
        },
    )
    appeal = request.method == "POST" and submit(
        form,
        lambda data: services.appeal_register(
            actor=request.user, organisation=organisation, **_refs(request, data)
        ),
    )
    if appeal:
        messages.success(request, _("Appeal %(number)s has been registered.") % {"number": appeal.number})
        return redirect("support:appeal_detail", appeal.pk)
    chosen = _typed_person(request, form)
    return render(
        request,
        "support/appeal_form.html",
        {
            "form": form,
            "chosen": chosen,
            "title": _("New appeal"),
            "cancel_url": reverse("support:appeal_list"),
        },
    )


@login_required
def appeal_helpline(request):
    """The hotline operator's quick intake: save, then straight on to the next call."""
    organisation = selectors.acting_organisation(user=request.user, capability="appeals.register")
    form = forms.HelplineForm(request.POST or None, initial={"channel": AppealChannel.HELPLINE_150})
    appeal = request.method == "POST" and submit(
        form,
        lambda data: services.appeal_register_helpline(
            actor=request.user,
            organisation=organisation,
            **_refs(request, data),
        ),
    )
    if appeal:
        messages.success(
            request,
            _("Call registered as appeal %(number)s, due %(due)s. Ready for the next call.")
            % {"number": appeal.number, "due": appeal.due_on.strftime("%d.%m.%Y")},
        )
        return redirect(f"{reverse('support:appeal_helpline')}?last={appeal.pk}")
    context = {
        "form": form,
        "chosen": _typed_person(request, form) if form.is_bound else None,
        "last": _from_query(selectors.chosen_appeal, request, "last"),
    }
    return render(request, "support/appeal_helpline.html", context)


@login_required
def appeal_person_search(request):
    """The person finder of the appeal forms (htmx): visible persons matching the query, as radio buttons."""
    selectors.acting_organisation(user=request.user, capability="appeals.register")
    query = request.GET.get("q", "")
    persons = list(person_search(user=request.user, query=query)[:10])
    return render(request, "support/_person_choices.html", {"persons": persons, "query": query})


@login_required
def appeal_detail(request, pk):
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    audit_view(
        actor=request.user,
        obj=appeal,
        organisation=appeal.organisation_id,
        subject_person_id=appeal.person_id,
    )
    organisation_id = appeal.organisation_id
    handle = can(request.user, "appeals.handle", organisation_id)
    flow = APPEAL_FLOW[AppealStatus(appeal.status)] if handle else set()
    context = {
        "appeal": appeal,
        "history": selectors.appeal_history(appeal=appeal),
        "outcomes": selectors.outcome_list(user=request.user, appeal=appeal),
        "can_handle": handle and appeal.is_open,
        "can_start": AppealStatus.IN_PROGRESS in flow,
        "can_forward": AppealStatus.FORWARDED in flow,
        "can_close": AppealStatus.RESOLVED in flow,
        "can_link_case": handle and appeal.person_id is not None,
        "can_record_outcome": appeal.person_id is not None
        and can(request.user, "outcomes.record", organisation_id),
    }
    return render(request, "support/appeal_detail.html", context)


def _appeal_action(request, pk, form_class, action, *, title: str, success: str, form_kwargs=dict):
    """One act on an appeal through a short form (assign, forward, reject, withdraw); `form_kwargs()` gives
    the form's choices once the appeal is known to be the user's to handle."""
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    require(request.user, "appeals.handle", appeal.organisation_id)
    form = form_class(request.POST or None, **form_kwargs())
    return service_form_page(
        request,
        form=form,
        action=lambda data: action(appeal, data),
        success=success % {"number": appeal.number},
        done_url=reverse("support:appeal_detail", args=[appeal.pk]),
        title=f"{title} · {appeal.number}",
    )


@login_required
def appeal_edit(request, pk):
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    require(request.user, "appeals.handle", appeal.organisation_id)
    can_move_due = can(request.user, "appeals.manage_deadlines", appeal.organisation_id)
    form = forms.AppealEditForm(
        request.POST or None,
        families=selectors.served_families(user=request.user),
        can_move_due=can_move_due,
        version=appeal.version,
        initial={
            "received_at": timezone.localtime(appeal.received_at),
            "channel": appeal.channel,
            "category": appeal.category,
            "text": appeal.text,
            "caller": appeal.caller,
            "caller_phone": appeal.caller_phone,
            "family": appeal.family_id,
            "due_on": appeal.due_on,
        },
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.appeal_update(actor=request.user, appeal=appeal, **data),
        success=_("The appeal has been saved."),
        done_url=reverse("support:appeal_detail", args=[appeal.pk]),
        title=_("Edit appeal %(number)s") % {"number": appeal.number},
    )


@login_required
def appeal_assign(request, pk):
    return _appeal_action(
        request,
        pk,
        forms.AssignForm,
        lambda appeal, data: services.appeal_assign(actor=request.user, appeal=appeal, **data),
        title=_("Assign"),
        success=_("Appeal %(number)s has been assigned."),
        form_kwargs=lambda: {"members": selectors.organisation_members(user=request.user)},
    )


@login_required
@require_POST
def appeal_start(request, pk):
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    try:
        services.appeal_start(actor=request.user, appeal=appeal)
        messages.success(request, _("Appeal %(number)s is in progress.") % {"number": appeal.number})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("support:appeal_detail", appeal.pk)


@login_required
def appeal_forward(request, pk):
    return _appeal_action(
        request,
        pk,
        forms.ForwardForm,
        lambda appeal, data: services.appeal_forward(
            actor=request.user, appeal=appeal, to_organisation=data["organisation"], note=data["note"]
        ),
        title=_("Forward"),
        success=_("Appeal %(number)s has been forwarded."),
        form_kwargs=lambda: {"exclude": request.user.active_organisation_id_checked()},
    )


@login_required
def appeal_resolve(request, pk):
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    require(request.user, "appeals.handle", appeal.organisation_id)
    with_outcome = appeal.person_id is not None and can(
        request.user, "outcomes.record", appeal.organisation_id
    )
    form = forms.ResolveForm(request.POST or None, with_outcome=with_outcome)
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.appeal_resolve(actor=request.user, appeal=appeal, **data),
        success=_("Appeal %(number)s has been resolved.") % {"number": appeal.number},
        done_url=reverse("support:appeal_detail", args=[appeal.pk]),
        title=_("Resolve appeal %(number)s") % {"number": appeal.number},
    )


@login_required
def appeal_reject(request, pk):
    return _appeal_action(
        request,
        pk,
        forms.RejectForm,
        lambda appeal, data: services.appeal_reject(actor=request.user, appeal=appeal, **data),
        title=_("Reject"),
        success=_("Appeal %(number)s has been rejected."),
    )


@login_required
def appeal_withdraw(request, pk):
    return _appeal_action(
        request,
        pk,
        forms.WithdrawForm,
        lambda appeal, data: services.appeal_withdraw(actor=request.user, appeal=appeal, **data),
        title=_("Withdrawn by the person"),
        success=_("Appeal %(number)s has been withdrawn."),
    )


@login_required
def appeal_link_case(request, pk):
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    require(request.user, "appeals.handle", appeal.organisation_id)
    if appeal.person_id is None:
        raise NotAllowed("appeals.handle")
    form = forms.CaseLinkForm(
        request.POST or None, cases=selectors.person_cases(user=request.user, person=appeal.person)
    )
    return service_form_page(
        request,
        form=form,
        action=lambda data: services.appeal_link_case(actor=request.user, appeal=appeal, case=data["case"]),
        success=_("Appeal %(number)s has been linked to the case.") % {"number": appeal.number},
        done_url=reverse("support:appeal_detail", args=[appeal.pk]),
        title=_("Link appeal %(number)s to a case") % {"number": appeal.number},
    )


@login_required
def appeal_deadlines(request):
    rows = selectors.appeal_deadlines(user=request.user)
    can_manage = can(request.user, "appeals.manage_deadlines")
    if request.method == "POST" and not can_manage:
        raise NotAllowed("appeals.manage_deadlines")
    form = forms.DeadlinesForm(request.POST or None, rows=rows) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        organisation = selectors.acting_organisation(user=request.user, capability="appeals.manage_deadlines")
        try:
            for row in rows:
                days = form.cleaned_data[row["category"]]
                if days != row["days"]:
                    services.appeal_deadline_set(
                        actor=request.user, organisation=organisation, category=row["category"], days=days
                    )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The deadlines have been saved; new appeals follow them."))
            return redirect("support:appeal_deadlines")
    return render(request, "support/appeal_deadlines.html", {"rows": rows, "form": form})


# --- material aid -----------------------------------------------------------------------------------------


@login_required
def aid_list(request):
    form = forms.AidFilterForm(request.GET or None)
    rows = selectors.aid_list(user=request.user, **form.filters())
    context = {
        "form": form,
        "page": quick_page(rows, request.GET.get("page")),
        "totals": selectors.aid_totals(rows),
        "can_distribute": can(request.user, "aid.distribute"),
    }
    return render(request, "support/aid_list.html", context)


@login_required
def aid_new(request):
    organisation = selectors.acting_organisation(user=request.user, capability="aid.distribute")
    person = _from_query(selectors.chosen_person, request, "person")
    form = forms.AidForm(
        request.POST or None,
        families=selectors.served_families(user=request.user),
        initial={"person": person.pk if person else None},
    )
    row = request.method == "POST" and submit(
        form,
        lambda data: services.aid_distribute(
            actor=request.user, organisation=organisation, **_refs(request, data)
        ),
    )
    if row:
        messages.success(request, _("The aid has been recorded."))
        return redirect("support:aid_list")
    return render(
        request,
        "support/aid_form.html",
        {"form": form, "person": person, "title": _("Record aid"), "cancel_url": reverse("support:aid_list")},
    )


@login_required
def aid_batch(request):
    organisation = selectors.acting_organisation(user=request.user, capability="aid.distribute")
    form = forms.AidBatchForm(request.POST or None, families=selectors.served_families(user=request.user))
    rows = request.method == "POST" and submit(
        form,
        lambda data: services.aid_distribute_batch(actor=request.user, organisation=organisation, **data),
    )
    if rows:
        messages.success(
            request,
            _("The aid has been recorded for %(count)s families.") % {"count": len(rows)},
        )
        return redirect(f"{reverse('support:aid_list')}?{_query({'kind': rows[0].kind})}")
    return render(
        request,
        "support/aid_batch.html",
        {"form": form, "title": _("Aid to several families"), "cancel_url": reverse("support:aid_list")},
    )


@login_required
def aid_detail(request, pk):
    row = selectors.aid_get(user=request.user, pk=pk)
    audit_view(actor=request.user, obj=row, organisation=row.organisation_id, subject_person_id=row.person_id)
    return render(request, "support/aid_detail.html", {"row": row})


# --- outcomes ---------------------------------------------------------------------------------------------


@login_required
def outcome_list(request):
    form = forms.OutcomeFilterForm(request.GET or None)
    outcomes = selectors.outcome_list(user=request.user, **form.filters())
    counts = selectors.outcome_counts(outcomes)
    context = {
        "form": form,
        "page": quick_page(outcomes, request.GET.get("page")),
        "counts": [(kind.label, counts[kind.value]) for kind in OutcomeKind if kind.value in counts],
        "can_record": can(request.user, "outcomes.record"),
    }
    return render(request, "support/outcome_list.html", context)


@login_required
def outcome_new(request):
    """Record an outcome of a person, from their page, a case or an appeal (?person=, ?case=, ?appeal=)."""
    organisation = selectors.acting_organisation(user=request.user, capability="outcomes.record")
    try:
        refs = selectors.outcome_subjects(
            user=request.user,
            person=request.GET.get("person") or None,
            case=request.GET.get("case") or None,
            appeal=request.GET.get("appeal") or None,
        )
    except ValidationError:
        raise Http404 from None
    person, case, appeal = refs["person"], refs["case"], refs["appeal"]
    cases = None if case or appeal else selectors.person_cases(user=request.user, person=person)
    form = forms.OutcomeForm(request.POST or None, cases=cases, initial={"happened_on": timezone.localdate()})
    if appeal:
        back = reverse("support:appeal_detail", args=[appeal.pk])
    elif case:
        back = reverse("cases:case_detail", args=[case.pk])
    else:
        back = reverse("people:person_detail", args=[person.pk])

    def record(data):
        return services.outcome_record(
            actor=request.user,
            organisation=organisation,
            person=person,
            kind=data["kind"],
            happened_on=data["happened_on"],
            case=case or data.get("case"),
            appeal=appeal,
            note=data["note"],
        )

    return service_form_page(
        request,
        form=form,
        action=record,
        success=_("The outcome has been recorded."),
        done_url=back,
        title=_("Outcome of %(person)s") % {"person": person.full_name},
    )


@login_required
def outcome_detail(request, pk):
    outcome = selectors.outcome_get(user=request.user, pk=pk)
    audit_view(
        actor=request.user,
        obj=outcome,
        organisation=outcome.organisation_id,
        subject_person_id=outcome.person_id,
    )
    return render(request, "support/outcome_detail.html", {"outcome": outcome})
