"""The plans API: registered on the project's router by `register`.

/plans/ lists (?case=), reads with goals, services and reviews nested, drafts and edits plans; goals and
planned services are written under their plan; approve, activate, review and new-version are actions; the
PDF for signing is /plans/{id}/pdf/?language=kk|ru.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.accounts.models import User
from tirek.audit.services import audit_view
from tirek.catalog.models import Profession, Service
from tirek.core.api import (
    ERROR_RESPONSES,
    UPDATE_ERROR_RESPONSES,
    InputSerializer,
    TirekViewSet,
    query_uuid,
    version_field,
)
from tirek.plans import services
from tirek.plans.choices import Domain, GoalRating, PdfLanguage
from tirek.plans.models import GoalProgress, Plan, PlanGoal, PlannedService, PlanReview
from tirek.plans.pdf import plan_pdf_export, plan_pdf_filename
from tirek.plans.selectors import (
    case_plans_get,
    plan_detail_get,
    plan_get,
    plan_goal_get,
    plan_list,
    planned_service_get,
    require_plan_reader,
)

# Paths that must come before the router's own (e.g. list-level actions under a prefix the router also uses).
extra_urlpatterns: list = []

UUID_PATTERN = r"[0-9a-fA-F-]{36}"


class PresentLevelsSerializer(serializers.Serializer):
    """What the child can do now, one text per developmental domain."""

    physical = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=Domain.PHYSICAL.label
    )
    cognitive = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=Domain.COGNITIVE.label
    )
    communication = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=Domain.COMMUNICATION.label
    )
    social_emotional = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=Domain.SOCIAL_EMOTIONAL.label
    )
    adaptive = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=Domain.ADAPTIVE.label
    )


class PlanGoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanGoal
        fields = ["id", "domain", "wording", "criterion", "target_date", "order"]


class PlannedServiceSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    profession = serializers.SlugRelatedField(slug_field="code", read_only=True)
    provider = serializers.UUIDField(source="provider_id", read_only=True, allow_null=True)

    class Meta:
        model = PlannedService
        fields = [
            "id",
            "service",
            "service_name",
            "profession",
            "provider",
            "provider_name",
            "frequency",
            "frequency_period",
            "minutes",
            "mode",
            "location",
            "start_date",
            "family_consent",
            "consent_date",
        ]


class GoalProgressSerializer(serializers.ModelSerializer):
    goal = serializers.UUIDField(source="goal_id", read_only=True)

    class Meta:
        model = GoalProgress
        fields = ["goal", "rating", "note"]


class PlanReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.UUIDField(source="reviewer_id", read_only=True)
    progress = GoalProgressSerializer(many=True, read_only=True)

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "reviewer", "summary", "next_review_due_on", "progress", "created_at"]


class PlanSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)
    present_levels = PresentLevelsSerializer(read_only=True)
    coordinator = serializers.UUIDField(source="coordinator_id", read_only=True, allow_null=True)
    author = serializers.UUIDField(source="author_id", read_only=True)
    approved_by = serializers.UUIDField(source="approved_by_id", read_only=True, allow_null=True)
    superseded_by = serializers.UUIDField(source="superseded_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "case",
            "number",
            "status",
            "present_levels",
            "family_concerns",
            "family_priorities",
            "family_resources",
            "transition_steps",
            "coordinator",
            "author",
            "approved_by",
            "approved_on",
            "active_from",
            "review_due_on",
            "superseded_by",
            "superseded_on",
            "version",
            "created_at",
            "updated_at",
        ]


class PlanDetailSerializer(PlanSerializer):
    goals = PlanGoalSerializer(many=True, read_only=True)
    services = PlannedServiceSerializer(many=True, read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "goals", "services", "reviews"]


class PlanInputSerializer(InputSerializer):
    present_levels = PresentLevelsSerializer(
        required=False, help_text="Replaces all five domains; a domain left out is emptied."
    )
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Plan
        fields = [
            "present_levels",
            "family_concerns",
            "family_priorities",
            "family_resources",
            "transition_steps",
            "coordinator",
        ]


class PlanCreateSerializer(PlanInputSerializer):
    case = serializers.UUIDField(help_text="The case the plan is for.")

    class Meta(PlanInputSerializer.Meta):
        fields = ["case", *PlanInputSerializer.Meta.fields]


class PlanUpdateSerializer(PlanInputSerializer):
    version = version_field()

    class Meta(PlanInputSerializer.Meta):
        fields = [*PlanInputSerializer.Meta.fields, "version"]


class PlanGoalInputSerializer(InputSerializer):
    order = serializers.IntegerField(required=False, min_value=0, max_value=32767)

    class Meta:
        model = PlanGoal
        fields = ["domain", "wording", "criterion", "target_date", "order"]


class PlannedServiceInputSerializer(InputSerializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all())
    profession = serializers.SlugRelatedField(slug_field="code", queryset=Profession.objects.all())
    provider = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = PlannedService
        fields = [
            "service",
            "profession",
            "provider",
            "provider_name",
            "frequency",
            "frequency_period",
            "minutes",
            "mode",
            "location",
            "start_date",
            "family_consent",
            "consent_date",
        ]


class PlanApproveSerializer(serializers.Serializer):
    approved_on = serializers.DateField(required=False, help_text="Today when left out.")


class PlanActivateSerializer(serializers.Serializer):
    active_from = serializers.DateField(required=False, help_text="Today when left out.")


class GoalRatingInputSerializer(serializers.Serializer):
    goal = serializers.UUIDField()
    rating = serializers.ChoiceField(choices=GoalRating.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlanReviewInputSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField(required=False, help_text="Today when left out.")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    next_review_due_on = serializers.DateField(
        required=False, help_text="Six months after the review when left out."
    )
    ratings = GoalRatingInputSerializer(many=True, help_text="One rating for every goal of the plan.")


class PdfQuerySerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=PdfLanguage.choices, default=PdfLanguage.KK)


class PlanViewSet(TirekViewSet):
    output_serializer = PlanDetailSerializer
    queryset = Plan.objects.none()

    def _detail(self, plan, *, status_code: int = status.HTTP_200_OK) -> Response:
        return self.render(plan_detail_get(user=self.request.user, pk=plan.pk), status_code=status_code)

    @extend_schema(
        parameters=[OpenApiParameter("case", OpenApiTypes.UUID, description="Only the plans of this case")],
        responses=PlanSerializer(many=True),
    )
    def list(self, request):
        case_pk = query_uuid(request.query_params.get("case"))
        if case_pk is not None:
            _case, plans = case_plans_get(user=request.user, case_pk=case_pk)
        else:
            require_plan_reader(request.user, request.user.active_organisation_id_checked())
            plans = plan_list(user=request.user)
        page = self.paginate_queryset(plans)
        return self.get_paginated_response(PlanSerializer(page, many=True).data)

    @extend_schema(responses={200: PlanDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        plan = plan_detail_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user,
            obj=plan,
            organisation=plan.case.organisation_id,
            subject_person_id=plan.case.person_id,
        )
        return self.render(plan)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse(serializer=PlanCreateSerializer)
        case, _plans = case_plans_get(user=request.user, case_pk=data.pop("case"))
        plan = services.plan_create(actor=request.user, case=case, **data)
        return self._detail(plan, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlanUpdateSerializer, responses={200: PlanDetailSerializer, **UPDATE_ERROR_RESPONSES}
    )
    def partial_update(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        data = self.parse(serializer=PlanUpdateSerializer, partial=True)
        return self._detail(services.plan_update(actor=request.user, plan=plan, **data))

    @extend_schema(request=None, responses={204: None, **ERROR_RESPONSES}, description="Discard a draft.")
    def destroy(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        services.plan_discard(actor=request.user, plan=plan)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=PlanApproveSerializer, responses={200: PlanDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        data = self.parse(serializer=PlanApproveSerializer)
        return self._detail(services.plan_approve(actor=request.user, plan=plan, **data))

    @extend_schema(request=PlanActivateSerializer, responses={200: PlanDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        data = self.parse(serializer=PlanActivateSerializer)
        return self._detail(services.plan_activate(actor=request.user, plan=plan, **data))

    @extend_schema(
        request=PlanReviewInputSerializer, responses={201: PlanReviewSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        data = self.parse(serializer=PlanReviewInputSerializer)
        review = services.plan_review(actor=request.user, plan=plan, **data)
        return Response(PlanReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={201: PlanDetailSerializer, **ERROR_RESPONSES},
        description="A draft copy of the plan in force (goals and services; consents asked for again).",
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        draft = services.plan_new_version(actor=request.user, plan=plan)
        return self._detail(draft, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[PdfQuerySerializer],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERROR_RESPONSES},
        description="The plan as a PDF/A for the family to sign, in Kazakh or Russian.",
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        query = PdfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        language = query.validated_data["language"]
        response = HttpResponse(
            plan_pdf_export(actor=request.user, plan=plan, language=language), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{plan_pdf_filename(plan, language)}"'
        return response

    # -- goals ---------------------------------------------------------------------------------------------

    @extend_schema(request=PlanGoalInputSerializer, responses={201: PlanGoalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="goals")
    def add_goal(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        data = self.parse(serializer=PlanGoalInputSerializer)
        goal = services.plan_goal_add(actor=request.user, plan=plan, **data)
        return Response(PlanGoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanGoalInputSerializer, responses={200: PlanGoalSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["patch"], url_path=rf"goals/(?P<goal_id>{UUID_PATTERN})")
    def change_goal(self, request, pk=None, goal_id=None):
        plan = plan_get(user=request.user, pk=pk)
        goal = plan_goal_get(plan=plan, pk=goal_id)
        data = self.parse(serializer=PlanGoalInputSerializer, partial=True)
        goal = services.plan_goal_update(actor=request.user, goal=goal, **data)
        return Response(PlanGoalSerializer(goal).data)

    @extend_schema(request=None, responses={204: None, **ERROR_RESPONSES})
    @change_goal.mapping.delete
    def remove_goal(self, request, pk=None, goal_id=None):
        plan = plan_get(user=request.user, pk=pk)
        services.plan_goal_remove(actor=request.user, goal=plan_goal_get(plan=plan, pk=goal_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- planned services ----------------------------------------------------------------------------------

    @extend_schema(
        request=PlannedServiceInputSerializer, responses={201: PlannedServiceSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], url_path="services")
    def add_service(self, request, pk=None):
        plan = plan_get(user=request.user, pk=pk)
        data = self.parse(serializer=PlannedServiceInputSerializer)
        planned = services.planned_service_add(actor=request.user, plan=plan, **data)
        return Response(PlannedServiceSerializer(planned).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlannedServiceInputSerializer, responses={200: PlannedServiceSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["patch"], url_path=rf"services/(?P<service_id>{UUID_PATTERN})")
    def change_service(self, request, pk=None, service_id=None):
        plan = plan_get(user=request.user, pk=pk)
        planned = planned_service_get(plan=plan, pk=service_id)
        data = self.parse(serializer=PlannedServiceInputSerializer, partial=True)
        planned = services.planned_service_update(actor=request.user, service=planned, **data)
        return Response(PlannedServiceSerializer(planned).data)

    @extend_schema(request=None, responses={204: None, **ERROR_RESPONSES})
    @change_service.mapping.delete
    def remove_service(self, request, pk=None, service_id=None):
        plan = plan_get(user=request.user, pk=pk)
        services.planned_service_remove(
            actor=request.user, service=planned_service_get(plan=plan, pk=service_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("plans", PlanViewSet, basename="plan")
