"""The assessments API: registered on the project's router by `register`.

- instruments: every signed-in user reads them; administrators create them with their items.
- assessments: health data, for the case team and the organisation's managers: list (?case=), retrieve,
  create and partial update through the same services as the pages.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination

from tirek.assessments import services
from tirek.assessments.models import Assessment, Instrument, InstrumentItem
from tirek.assessments.selectors import (
    assessment_get,
    assessment_list,
    case_for_assessments,
    instrument_get,
    instrument_list,
)
from tirek.audit.services import audit_view
from tirek.cases.selectors import case_get
from tirek.catalog.models import Profession
from tirek.core.api import ERROR_RESPONSES, InputSerializer, TirekViewSet, query_uuid

# Paths that must come before the router's own (e.g. list-level actions under a prefix the router also uses).
extra_urlpatterns: list = []

ITEM_FIELDS = [
    "number",
    "code",
    "prompt_kk",
    "prompt_ru",
    "prompt_en",
    "answer_type",
    "choices",
    "min_value",
    "max_value",
    "domain",
    "required",
]
INSTRUMENT_FIELDS = [
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "kind",
    "scoring_rule",
    "scoring_parameters",
    "min_age_months",
    "max_age_months",
    "description",
    "is_active",
    "sort_order",
]


class InstrumentItemSerializer(serializers.ModelSerializer):
    prompt = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = InstrumentItem
        fields = [*ITEM_FIELDS[:2], "prompt", *ITEM_FIELDS[2:]]


class InstrumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    items = InstrumentItemSerializer(many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = [INSTRUMENT_FIELDS[0], "name", *INSTRUMENT_FIELDS[1:], "items"]


class InstrumentItemInputSerializer(InputSerializer):
    number = serializers.IntegerField(min_value=1, max_value=32767, required=False)

    class Meta:
        model = InstrumentItem
        fields = ITEM_FIELDS


class InstrumentInputSerializer(InputSerializer):
    items = InstrumentItemInputSerializer(many=True, required=False)

    class Meta:
        model = Instrument
        fields = [*INSTRUMENT_FIELDS, "items"]


class AssessmentSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)
    instrument = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assessor = serializers.UUIDField(source="assessor_id", read_only=True)
    assessor_name = serializers.CharField(source="assessor.__str__", read_only=True)
    profession = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    interpretation_label = serializers.CharField(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "instrument",
            "assessed_on",
            "assessor",
            "assessor_name",
            "profession",
            "answers",
            "scores",
            "interpretation",
            "interpretation_label",
            "follow_up_score",
            "notes",
            "created_at",
            "updated_at",
        ]


class AssessmentUpdateSerializer(serializers.Serializer):
    assessed_on = serializers.DateField(required=False)
    answers = serializers.JSONField(
        required=False, help_text="Keyed by item code; for the ICF profile, by ICF code (see the instrument)."
    )
    profession = serializers.SlugRelatedField(
        slug_field="code", queryset=Profession.objects.all(), required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    follow_up_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=20, help_text="M-CHAT-R/F only."
    )


class AssessmentCreateSerializer(AssessmentUpdateSerializer):
    case = serializers.UUIDField()
    instrument = serializers.SlugRelatedField(
        slug_field="code", queryset=Instrument.objects.filter(is_active=True)
    )
    assessed_on = serializers.DateField()
    answers = serializers.JSONField(
        help_text="Keyed by item code; for the ICF profile, by ICF code (see the instrument)."
    )

    def validate_answers(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("The answers are an object keyed by item code."))
        return value


class InstrumentPagination(CursorPagination):
    ordering = "code"
    page_size = 200


@extend_schema_view(
    list=extend_schema(responses=InstrumentSerializer(many=True)),
    retrieve=extend_schema(responses={200: InstrumentSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        request=InstrumentInputSerializer, responses={201: InstrumentSerializer, **ERROR_RESPONSES}
    ),
)
class InstrumentViewSet(TirekViewSet):
    """Assessment instruments with their items: read by everyone, created by administrators."""

    output_serializer = InstrumentSerializer
    input_serializer = InstrumentInputSerializer
    queryset = Instrument.objects.none()
    pagination_class = InstrumentPagination
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_.\-]+"

    def list(self, request):
        return self.render_list(instrument_list().prefetch_related("items"))

    def retrieve(self, request, code=None):
        return self.render(instrument_get(code=code))

    def create(self, request):
        data = self.parse()
        items = [dict(item) for item in data.pop("items", [])]
        instrument = services.instrument_create(actor=request.user, items=items, **data)
        return self.render(instrument_get(code=instrument.code), status_code=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("case", OpenApiTypes.UUID, description="Only this case's assessments.")],
        responses={200: AssessmentSerializer(many=True), **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(responses={200: AssessmentSerializer, **ERROR_RESPONSES}),
    create=extend_schema(
        request=AssessmentCreateSerializer, responses={201: AssessmentSerializer, **ERROR_RESPONSES}
    ),
    partial_update=extend_schema(
        request=AssessmentUpdateSerializer, responses={200: AssessmentSerializer, **ERROR_RESPONSES}
    ),
)
class AssessmentViewSet(TirekViewSet):
    """Assessments of the cases whose children's health data the user may see."""

    output_serializer = AssessmentSerializer
    queryset = Assessment.objects.none()

    def list(self, request):
        case_pk = query_uuid(request.query_params.get("case"))
        case = case_for_assessments(user=request.user, pk=case_pk) if case_pk else None
        return self.render_list(assessment_list(user=request.user, case=case))

    def retrieve(self, request, pk=None):
        assessment = assessment_get(user=request.user, pk=pk)
        case = assessment.case
        audit_view(
            actor=request.user,
            obj=assessment,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
        )
        return self.render(assessment)

    def create(self, request):
        data = self.parse(serializer=AssessmentCreateSerializer)
        case = case_get(user=request.user, pk=data.pop("case"))
        assessment = services.assessment_record(actor=request.user, case=case, **data)
        return self.render(assessment, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        assessment = assessment_get(user=request.user, pk=pk)
        data = self.parse(serializer=AssessmentUpdateSerializer, partial=True)
        return self.render(services.assessment_update(actor=request.user, assessment=assessment, **data))


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("instruments", InstrumentViewSet, basename="instrument")
    router.register("assessments", AssessmentViewSet, basename="assessment")
