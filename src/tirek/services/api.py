"""The services API: sessions (visits) and group activities, added to the project's router by `register`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action

from tirek.accounts.models import User
from tirek.audit.services import audit_view
from tirek.catalog.models import Profession, Service
from tirek.core.api import ERROR_RESPONSES, InputSerializer, TirekViewSet
from tirek.directory.selectors import active_organisation_get
from tirek.services import selectors, services
from tirek.services.choices import (
    GROUP_EDITABLE_STATUS_CHOICES,
    OUTCOME_CHOICES,
    CancellationReason,
    GroupActivityKind,
    GroupActivityStatus,
    Participant,
    VisitStatus,
)
from tirek.services.models import GroupActivity, GroupParticipant, Visit, VisitGoal

# Paths that must come before the router's own (e.g. list-level actions under a prefix the router also uses).
extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("visits", VisitViewSet, basename="visit")
    router.register("group-activities", GroupActivityViewSet, basename="group-activity")


# --- sessions -----------------------------------------------------------------------------------------------


class VisitGoalSerializer(serializers.ModelSerializer):
    plan_goal_id = serializers.UUIDField(help_text="A goal of the case's plan (approved or in force).")
    wording = serializers.CharField(source="plan_goal.wording", read_only=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = VisitGoal
        fields = ["plan_goal_id", "wording", "note"]


class ParticipantsField(serializers.ListField):
    child = serializers.ChoiceField(choices=Participant.choices)


class VisitSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_type = serializers.CharField(source="service.service_type.code", read_only=True)
    specialist = serializers.UUIDField(source="specialist_id", read_only=True)
    profession = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    participants = ParticipantsField(read_only=True)
    group_activity = serializers.UUIDField(source="group_activity_id", read_only=True, allow_null=True)
    goals = VisitGoalSerializer(many=True, read_only=True)
    delivered = serializers.BooleanField(source="is_delivered", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "case",
            "case_number",
            "organisation",
            "status",
            "delivered",
            "starts_at",
            "ends_at",
            "minutes",
            "service",
            "service_type",
            "specialist",
            "profession",
            "format",
            "mode",
            "participants",
            "cancellation_reason",
            "note",
            "group_activity",
            "goals",
            "created_at",
            "updated_at",
        ]


class VisitUpdateSerializer(InputSerializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.filter(is_active=True))
    specialist = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    profession = serializers.SlugRelatedField(
        slug_field="code", queryset=Profession.objects.filter(is_active=True), required=False, allow_null=True
    )
    participants = ParticipantsField(required=False)
    goals = VisitGoalSerializer(many=True, required=False)

    class Meta:
        model = Visit
        fields = [
            "starts_at",
            "minutes",
            "service",
            "specialist",
            "profession",
            "format",
            "mode",
            "participants",
            "cancellation_reason",
            "note",
            "goals",
        ]


class VisitCreateSerializer(VisitUpdateSerializer):
    case = serializers.UUIDField(help_text="The case (of the user's organisation).")
    status = serializers.ChoiceField(
        choices=VisitStatus.choices,
        default=VisitStatus.PLANNED,
        help_text="planned books an appointment; attended, cancelled or no_show logs a session as it went.",
    )

    class Meta(VisitUpdateSerializer.Meta):
        fields = ["case", "status", *VisitUpdateSerializer.Meta.fields]


class VisitLogSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    cancellation_reason = serializers.ChoiceField(
        choices=CancellationReason.choices, required=False, allow_blank=True, default=""
    )
    minutes = serializers.IntegerField(min_value=5, max_value=600, required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    participants = ParticipantsField(required=False)
    goals = VisitGoalSerializer(many=True, required=False)


class VisitQuerySerializer(serializers.Serializer):
    case = serializers.UUIDField(required=False)
    specialist = serializers.UUIDField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=VisitStatus.choices, required=False)


class VisitViewSet(TirekViewSet):
    """Sessions of the organisation's cases: planned appointments and sessions as they went."""

    output_serializer = VisitSerializer
    queryset = Visit.objects.none()

    @extend_schema(parameters=[VisitQuerySerializer], responses=VisitSerializer(many=True))
    def list(self, request):
        parser = VisitQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        visits = selectors.visit_list(user=request.user, **parser.validated_data)
        return self.render_list(visits.order_by("-starts_at", "id"))

    @extend_schema(responses={200: VisitSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        visit = selectors.visit_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user,
            obj=visit,
            organisation=visit.organisation_id,
            subject_person_id=visit.case.person_id,
        )
        return self.render(visit)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse(serializer=VisitCreateSerializer)
        case = selectors.case_for_visits(user=request.user, pk=data.pop("case"))
        visit_status = data.pop("status")
        if visit_status == VisitStatus.PLANNED:
            visit = services.visit_plan(actor=request.user, case=case, **data)
        else:
            visit = services.visit_log(actor=request.user, case=case, status=visit_status, **data)
        return self.render(visit, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=VisitUpdateSerializer, responses={200: VisitSerializer, **ERROR_RESPONSES})
    def partial_update(self, request, pk=None):
        visit = selectors.visit_get(user=request.user, pk=pk)
        data = self.parse(serializer=VisitUpdateSerializer, partial=True)
        return self.render(services.visit_update(actor=request.user, visit=visit, **data))

    @extend_schema(request=VisitLogSerializer, responses={200: VisitSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def log(self, request, pk=None):
        """Record how the session went: attended, cancelled or no_show (the last two with a reason)."""
        visit = selectors.visit_get(user=request.user, pk=pk)
        data = self.parse(serializer=VisitLogSerializer)
        return self.render(services.visit_log(actor=request.user, visit=visit, **data))


# --- group activities ---------------------------------------------------------------------------------------


class GroupParticipantSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = GroupParticipant
        fields = ["case", "case_number", "attended"]


class GroupActivitySerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    facilitators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    participants = GroupParticipantSerializer(many=True, read_only=True)
    served = serializers.SerializerMethodField()

    class Meta:
        model = GroupActivity
        fields = [
            "id",
            "organisation",
            "kind",
            "status",
            "topic",
            "service",
            "starts_at",
            "ends_at",
            "minutes",
            "mode",
            "facilitators",
            "participants",
            "others_count",
            "served",
            "partnership",
            "note",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.IntegerField())
    def get_served(self, activity) -> int:
        """Attended participants plus the others without a case, once the activity is held."""
        if activity.status != GroupActivityStatus.HELD:
            return 0
        return sum(1 for p in activity.participants.all() if p.attended) + activity.others_count


class GroupActivityInputSerializer(InputSerializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.filter(is_active=True))
    facilitators = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    cases = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="The participants' cases.", max_length=500
    )

    class Meta:
        model = GroupActivity
        fields = [
            "kind",
            "topic",
            "service",
            "starts_at",
            "minutes",
            "mode",
            "facilitators",
            "cases",
            "others_count",
            "partnership",
            "note",
        ]


class GroupActivityUpdateSerializer(GroupActivityInputSerializer):
    status = serializers.ChoiceField(
        choices=GROUP_EDITABLE_STATUS_CHOICES,
        required=False,
        help_text="Cancel a planned activity, or plan a cancelled one again.",
    )

    class Meta(GroupActivityInputSerializer.Meta):
        fields = [*GroupActivityInputSerializer.Meta.fields, "status"]


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=500,
        help_text="The cases present; the other participants were absent.",
    )
    others_count = serializers.IntegerField(min_value=0, max_value=10000, required=False)


class GroupActivityQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=GroupActivityKind.choices, required=False)
    status = serializers.ChoiceField(choices=GroupActivityStatus.choices, required=False)


class GroupActivityViewSet(TirekViewSet):
    """Seminars, trainings, group consultations and group classes with attendance per participant."""

    output_serializer = GroupActivitySerializer
    queryset = GroupActivity.objects.none()

    @extend_schema(parameters=[GroupActivityQuerySerializer], responses=GroupActivitySerializer(many=True))
    def list(self, request):
        parser = GroupActivityQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        activities = selectors.group_activity_list(user=request.user, **parser.validated_data)
        return self.render_list(activities.order_by("-starts_at", "id"))

    @extend_schema(responses={200: GroupActivitySerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(selectors.group_activity_get(user=request.user, pk=pk))

    @extend_schema(
        request=GroupActivityInputSerializer, responses={201: GroupActivitySerializer, **ERROR_RESPONSES}
    )
    def create(self, request):
        data = self.parse(serializer=GroupActivityInputSerializer)
        organisation = active_organisation_get(user=request.user)
        data["cases"] = selectors.cases_by_ids(user=request.user, ids=data.get("cases", []), field="cases")
        activity = services.group_activity_create(actor=request.user, organisation=organisation, **data)
        return self.render(selectors.group_activity_get(user=request.user, pk=activity.pk), status_code=201)

    @extend_schema(
        request=GroupActivityUpdateSerializer, responses={200: GroupActivitySerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, pk=None):
        activity = selectors.group_activity_get(user=request.user, pk=pk)
        data = self.parse(serializer=GroupActivityUpdateSerializer, partial=True)
        if "cases" in data:
            data["cases"] = selectors.cases_by_ids(user=request.user, ids=data["cases"], field="cases")
        services.group_activity_update(actor=request.user, activity=activity, **data)
        return self.render(selectors.group_activity_get(user=request.user, pk=pk))

    @extend_schema(request=AttendanceSerializer, responses={200: GroupActivitySerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record who came: each attended participant counts as served once."""
        activity = selectors.group_activity_get(user=request.user, pk=pk)
        data = self.parse(serializer=AttendanceSerializer)
        services.group_activity_set_attendance(actor=request.user, activity=activity, **data)
        return self.render(selectors.group_activity_get(user=request.user, pk=pk))
