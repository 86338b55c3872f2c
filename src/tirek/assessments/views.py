from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.assessments import services
from tirek.assessments.choices import ScoringRule
from tirek.assessments.forms import AssessmentForm, initial_from
from tirek.assessments.interpretation import answer_rows, explain, icf_rows, milestone_rows
from tirek.assessments.selectors import (
    assessment_get,
    assessment_list,
    case_for_assessments,
    instrument_get,
    instrument_list,
)
from tirek.audit.services import audit_view
from tirek.core.scoping import can


@login_required
def case_assessments(request, case_pk):
    case = case_for_assessments(user=request.user, pk=case_pk)
    can_record = can(request.user, "assessments.record", case.organisation_id) and case.is_open
    context = {
        "case": case,
        "assessments": assessment_list(user=request.user, case=case),
        "instruments": instrument_list() if can_record else [],
        "can_record": can_record,
    }
    return render(request, "assessments/case_assessments.html", context)


def _form_page(request, *, form, case, instrument, title, cancel_url):
    context = {"form": form, "case": case, "instrument": instrument, "title": title, "cancel_url": cancel_url}
    return render(request, "assessments/assessment_form.html", context)


@login_required
def assessment_new(request, case_pk, code):
    case = case_for_assessments(user=request.user, pk=case_pk)
    services.check_recorder(request.user, case)
    instrument = instrument_get(code=code, active_only=True)
    form = AssessmentForm(
        request.POST or None, instrument=instrument, initial={"assessed_on": timezone.localdate()}
    )
    assessment = request.method == "POST" and form.submit(
        lambda data: services.assessment_record(
            actor=request.user, case=case, instrument=instrument, **form.service_fields()
        ),
    )
    if assessment:
        messages.success(request, _("The assessment has been recorded."))
        return redirect("assessments:assessment_detail", assessment.pk)
    return _form_page(
        request,
        form=form,
        case=case,
        instrument=instrument,
        title=instrument.name,
        cancel_url=reverse("assessments:case_assessments", args=[case.pk]),
    )


@login_required
def assessment_detail(request, pk):
    assessment = assessment_get(user=request.user, pk=pk)
    case, instrument = assessment.case, assessment.instrument
    audit_view(
        actor=request.user,
        obj=assessment,
        organisation=case.organisation_id,
        subject_person_id=case.person_id,
    )
    items = list(instrument.items.all())
    milestones = milestone_rows(items=items, scores=assessment.scores)
    context = {
        "assessment": assessment,
        "case": case,
        "instrument": instrument,
        "lines": explain(
            rule=instrument.scoring_rule,
            interpretation=assessment.interpretation,
            scores=assessment.scores,
            items=items,
            parameters=instrument.scoring_parameters,
        ),
        "answers": [] if milestones else answer_rows(items=items, answers=assessment.answers),
        "icf_rows": icf_rows(assessment.scores) if instrument.scoring_rule == ScoringRule.ICF_PROFILE else [],
        "milestones": milestones,
        "can_edit": can(request.user, "assessments.record", case.organisation_id) and case.is_open,
    }
    return render(request, "assessments/assessment_detail.html", context)


@login_required
def assessment_edit(request, pk):
    assessment = assessment_get(user=request.user, pk=pk)
    case, instrument = assessment.case, assessment.instrument
    services.check_recorder(request.user, case)
    form = AssessmentForm(request.POST or None, instrument=instrument, initial=initial_from(assessment))
    saved = request.method == "POST" and form.submit(
        lambda data: services.assessment_update(
            actor=request.user, assessment=assessment, **form.service_fields()
        ),
    )
    if saved:
        messages.success(request, _("The assessment has been saved."))
        return redirect("assessments:assessment_detail", assessment.pk)
    return _form_page(
        request,
        form=form,
        case=case,
        instrument=instrument,
        title=instrument.name,
        cancel_url=reverse("assessments:assessment_detail", args=[assessment.pk]),
    )


@login_required
def instrument_index(request):
    instruments = instrument_list(active_only=not request.user.is_administrator)
    return render(request, "assessments/instrument_list.html", {"instruments": instruments})


@login_required
def instrument_detail(request, code):
    instrument = instrument_get(code=code)
    return render(
        request,
        "assessments/instrument_detail.html",
        {"instrument": instrument, "items": list(instrument.items.all())},
    )
