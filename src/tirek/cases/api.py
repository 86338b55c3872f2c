from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from tirek.accounts.models import User
from tirek.audit.services import audit_view
from tirek.cases import documents, services
from tirek.cases.choices import (
    OPEN_STATUS_CHOICES,
    CaseStatus,
    ClosureDestination,
    DeadlineClock,
    DeadlineState,
    DocumentKind,
    PauseReason,
    ReferralSource,
    TransitionStep,
)
from tirek.cases.models import Case, CaseDocument, CaseEvent, DeadlinePause
from tirek.cases.selectors import (
    LISTED_STATES,
    case_deadlines,
    case_get,
    case_list,
    case_timeline,
    deadline_list,
)
from tirek.catalog.models import ClosureReason
from tirek.core.api import (
    ERROR_RESPONSES,
    UPDATE_ERROR_RESPONSES,
    TirekViewSet,
    file_responses,
    query_uuid,
    version_field,
)
from tirek.core.scoping import require
from tirek.directory.models import Programme
from tirek.directory.selectors import active_organisation_get, programme_get
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
            "closure_destination",
            "entry_rated_on",
            "entry_social",
            "entry_knowledge",
            "entry_needs",
            "exit_rated_on",
            "exit_social",
            "exit_knowledge",
            "exit_needs",
            "version",
            "created_at",
            "updated_at",
        ]


def rating_field(**kwargs) -> serializers.IntegerField:
    """A child-outcome rating: 1 (not yet) to 7 (age-expected in all or almost all everyday situations)."""
    return serializers.IntegerField(min_value=1, max_value=7, **kwargs)


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
    version = version_field()


class CaseTeamSerializer(serializers.Serializer):
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    version = version_field()


class CaseCloseSerializer(serializers.Serializer):
    reason = serializers.SlugRelatedField(
        slug_field="code", queryset=ClosureReason.objects.filter(is_active=True)
    )
    destination = serializers.ChoiceField(choices=ClosureDestination.choices)
    closed_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    exit_social = rating_field(required=False, allow_null=True)
    exit_knowledge = rating_field(required=False, allow_null=True)
    exit_needs = rating_field(required=False, allow_null=True)
    version = version_field()


class CaseReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    version = version_field()


class EntryOutcomesSerializer(serializers.Serializer):
    social = rating_field()
    knowledge = rating_field()
    needs = rating_field()
    rated_on = serializers.DateField(required=False)
    version = version_field()


class DeadlinePauseInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=PauseReason.choices)
    starts_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class DeadlineResumeSerializer(serializers.Serializer):
    ends_on = serializers.DateField(required=False)


class TransitionStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=TransitionStep.choices)
    happened_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class DeadlinePauseSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)

    class Meta:
        model = DeadlinePause
        fields = ["id", "case", "clock", "reason", "starts_on", "ends_on", "note", "created_at"]


class ClockSerializer(serializers.Serializer):
    """One deadline clock of a case on a day."""

    clock = serializers.ChoiceField(source="kind", choices=DeadlineClock.choices, read_only=True)
    state = serializers.ChoiceField(choices=DeadlineState.choices, read_only=True)
    on = serializers.DateField(read_only=True, help_text="The day the clock is read on.")
    due_on = serializers.DateField(read_only=True, allow_null=True)
    met_on = serializers.DateField(read_only=True, allow_null=True)
    starts_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="When the window opens (transition) or the cycle began."
    )
    ends_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The exit the transition leads to."
    )
    days_left = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Days to the due date; negative once overdue."
    )
    days_late = serializers.IntegerField(read_only=True, allow_null=True)
    paused_days = serializers.IntegerField(read_only=True)


class DeadlineRowSerializer(serializers.Serializer):
    """One clock of one open case in the deadline list."""

    case = serializers.UUIDField(source="case.pk", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    programme = serializers.UUIDField(source="case.programme_id", read_only=True)
    coordinator = serializers.UUIDField(source="case.coordinator_id", read_only=True, allow_null=True)
    deadline = ClockSerializer(source="clock", read_only=True)


class DeadlineFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=[(s.value, s.label) for s in LISTED_STATES], required=False)
    clock = serializers.ChoiceField(choices=DeadlineClock.choices, required=False)
    programme = serializers.UUIDField(required=False)
    mine = serializers.BooleanField(required=False, default=False)
    on = serializers.DateField(required=False)


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

    @extend_schema(request=CaseStatusSerializer, responses={200: CaseSerializer, **UPDATE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=CaseStatusSerializer)
        return self.render(services.case_change_status(actor=request.user, case=case, **data))

    @extend_schema(request=CaseTeamSerializer, responses={200: CaseSerializer, **UPDATE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def team(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=CaseTeamSerializer)
        return self.render(
            services.case_set_team(
                actor=request.user,
                case=case,
                coordinator=data.get("coordinator"),
                team=data.get("team", []),
                expected_version=data.get("expected_version"),
            )
        )

    @extend_schema(request=CaseCloseSerializer, responses={200: CaseSerializer, **UPDATE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=CaseCloseSerializer)
        return self.render(services.case_close(actor=request.user, case=case, **data))

    @extend_schema(responses={200: CaseEventSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole list, as documented
    def events(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        return Response(CaseEventSerializer(case_timeline(case=case), many=True).data)

    @extend_schema(responses={200: ClockSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole list, as documented
    def clocks(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        return Response(ClockSerializer(case_deadlines(case=case), many=True).data)

    @extend_schema(
        request=DeadlinePauseInputSerializer, responses={201: DeadlinePauseSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=DeadlinePauseInputSerializer)
        pause = services.deadline_pause(actor=request.user, case=case, **data)
        return Response(DeadlinePauseSerializer(pause).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DeadlineResumeSerializer, responses={200: DeadlinePauseSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=DeadlineResumeSerializer)
        return Response(
            DeadlinePauseSerializer(services.deadline_resume(actor=request.user, case=case, **data)).data
        )

    @extend_schema(request=CaseReopenSerializer, responses={200: CaseSerializer, **UPDATE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=CaseReopenSerializer)
        return self.render(services.case_reopen(actor=request.user, case=case, **data))

    @extend_schema(request=EntryOutcomesSerializer, responses={200: CaseSerializer, **UPDATE_ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=EntryOutcomesSerializer)
        return self.render(services.case_record_entry_outcomes(actor=request.user, case=case, **data))

    @extend_schema(request=TransitionStepSerializer, responses={201: CaseEventSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = self.parse(serializer=TransitionStepSerializer)
        event = services.case_record_transition(actor=request.user, case=case, **data)
        return Response(CaseEventSerializer(event).data, status=status.HTTP_201_CREATED)


class DeadlinePagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500


class DeadlineViewSet(TirekViewSet):
    """The deadline clocks of the organisation's open cases: overdue and due soon unless asked otherwise."""

    output_serializer = DeadlineRowSerializer
    queryset = Case.objects.none()
    pagination_class = DeadlinePagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=[s.value for s in LISTED_STATES],
                description="Without it: overdue and due soon.",
            ),
            OpenApiParameter("clock", str, enum=DeadlineClock.values),
            OpenApiParameter("programme", OpenApiTypes.UUID),
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only the cases the user coordinates."),
            OpenApiParameter("on", OpenApiTypes.DATE, description="The day to read the clocks on (today)."),
        ],
        responses={200: DeadlineRowSerializer(many=True), **ERROR_RESPONSES},
    )
    def list(self, request):
        require(request.user, "cases.change")
        filters = DeadlineFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        criteria = filters.validated_data
        programme = criteria.get("programme")
        rows = deadline_list(
            user=request.user,
            on=criteria.get("on"),
            state=criteria.get("state"),
            clock=criteria.get("clock"),
            programme=programme_get(user=request.user, pk=programme) if programme else None,
            coordinator=request.user if criteria.get("mine") else None,
        )
        return self.render_list(rows)


# --- documents -------------------------------------------------------------------------------------------


class CaseDocumentSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id", read_only=True)
    added_by = serializers.UUIDField(source="added_by_id", read_only=True, allow_null=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "case",
            "kind",
            "title",
            "dated",
            "issued_by",
            "has_file",
            "content_type",
            "size",
            "added_by",
            "created_at",
        ]

    def get_has_file(self, document) -> bool:
        return bool(document.file)


class CaseDocumentInputSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    dated = serializers.DateField()
    issued_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(
        required=False, help_text="A PDF, PNG or JPEG scan; never an identity document."
    )


class CaseDocumentViewSet(TirekViewSet):
    """A case's documents; the scan itself is at `{id}/file/`."""

    output_serializer = CaseDocumentSerializer
    queryset = CaseDocument.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        parameters=[OpenApiParameter("case", OpenApiTypes.UUID, required=True)],
        responses=CaseDocumentSerializer(many=True),
    )
    def list(self, request):
        case_id = query_uuid(request.query_params.get("case"))
        if case_id is None:
            raise ValidationError({"case": _("Choose a case.")})
        case = case_get(user=request.user, pk=case_id)
        return self.render_list(documents.case_document_list(user=request.user, case=case))

    @extend_schema(responses={200: CaseDocumentSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(documents.case_document_get(user=request.user, pk=pk))

    @extend_schema(
        request={"multipart/form-data": CaseDocumentInputSerializer},
        responses={201: CaseDocumentSerializer, **ERROR_RESPONSES},
    )
    def create(self, request):
        data = self.parse(serializer=CaseDocumentInputSerializer)
        case = case_get(user=request.user, pk=data.pop("case"))
        document = documents.case_document_add(actor=request.user, case=case, **data)
        return self.render(document, status_code=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **ERROR_RESPONSES})
    def destroy(self, request, pk=None):
        documents.case_document_remove(
            actor=request.user, document=documents.case_document_get(user=request.user, pk=pk)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={**file_responses(kind for kind, _ in documents.SIGNATURES.values()), **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        document = documents.case_document_get(user=request.user, pk=pk)
        if not document.file:
            raise Http404
        audit_view(
            actor=request.user,
            obj=document,
            organisation=document.case.organisation_id,
            subject_person_id=document.case.person_id,
        )
        response = FileResponse(document.file.open("rb"), content_type=document.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response
