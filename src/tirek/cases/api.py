from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.accounts.models import User
from tirek.audit.services import audit_view
from tirek.cases import services
from tirek.cases.choices import OPEN_STATUS_CHOICES, CaseStatus, ReferralSource
from tirek.cases.models import Case, CaseEvent
from tirek.cases.selectors import case_get, case_list, case_timeline
from tirek.catalog.models import ClosureReason
from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.directory.models import Programme
from tirek.directory.selectors import active_organisation_get
from tirek.people.selectors import person_get


class CaseSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id", read_only=True)
    programme = serializers.UUIDField(source="programme_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    coordinator = serializers.UUIDField(source="coordinator_id", read_only=True, allow_null=True)
    team = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    closure_reason = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "person",
            "programme",
            "organisation",
            "status",
            "opened_on",
            "referral_source",
            "referral_received_on",
            "coordinator",
            "team",
            "eligibility_override_reason",
            "closed_on",
            "closure_reason",
            "closure_note",
            "created_at",
            "updated_at",
        ]


class CaseOpenSerializer(serializers.Serializer):
    person = serializers.UUIDField(required=False, help_text="A person the user may see…")
    iin = serializers.RegexField(
        r"^\d{12}$", required=False, help_text="…or the IIN of a person registered elsewhere."
    )
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices)
    referral_received_on = serializers.DateField(required=False)
    opened_on = serializers.DateField(required=False)
    status = serializers.ChoiceField(
        choices=OPEN_STATUS_CHOICES,
        required=False,
        default=CaseStatus.INTAKE,
    )
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    override_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, attrs):
        if bool(attrs.get("person")) == bool(attrs.get("iin")):
            raise serializers.ValidationError({"person": _("Give either the person or their IIN.")})
        return attrs


class CaseStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OPEN_STATUS_CHOICES)


class CaseTeamSerializer(serializers.Serializer):
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)


class CaseCloseSerializer(serializers.Serializer):
    reason = serializers.SlugRelatedField(
        slug_field="code", queryset=ClosureReason.objects.filter(is_active=True)
    )
    closed_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "happened_at", "actor", "data"]


class CaseViewSet(TirekViewSet):
    output_serializer = CaseSerializer
    queryset = Case.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=CaseStatus.values)],
        responses=CaseSerializer(many=True),
    )
    def list(self, request):
        wanted = request.query_params.get("status")
        if wanted and wanted not in CaseStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        cases = case_list(user=request.user, status=wanted or None).prefetch_related("team")
        return self.render_list(cases.order_by("-created_at"))

    @extend_schema(responses={200: CaseSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user, obj=case, organisation=case.organisation_id, subject_person_id=case.person_id
        )
        return self.render(case)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse(serializer=CaseOpenSerializer)
        organisation = active_organisation_get(user=request.user)
        data.setdefault("opened_on", timezone.localdate())
        person_id, iin = data.pop("person", None), data.pop("iin", None)
        if person_id:
            case = services.case_open(
                actor=request.user,
                organisation=organisation,
                person=person_get(user=request.user, pk=person_id),
                **data,
            )
        else:
            case = services.case_open_by_iin(actor=request.user, organisation=organisation, iin=iin, **data)
        return self.render(case, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=CaseStatusSerializer, responses={200: CaseSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=CaseStatusSerializer)
        return self.render(services.case_change_status(actor=request.user, case=case, **data))

    @extend_schema(request=CaseTeamSerializer, responses={200: CaseSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def team(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=CaseTeamSerializer)
        return self.render(
            services.case_set_team(
                actor=request.user, case=case, coordinator=data.get("coordinator"), team=data.get("team", [])
            )
        )

    @extend_schema(request=CaseCloseSerializer, responses={200: CaseSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=CaseCloseSerializer)
        return self.render(services.case_close(actor=request.user, case=case, **data))

    @extend_schema(responses={200: CaseEventSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        return Response(CaseEventSerializer(case_timeline(case=case), many=True).data)
