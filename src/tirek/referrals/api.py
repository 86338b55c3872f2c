"""The API of referrals: registered on the v1 router by tirek.api_urls."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.accounts.models import User
from tirek.audit.services import audit_view
from tirek.cases.selectors import case_get
from tirek.catalog.models import Service
from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.directory.api import OrganisationSerializer
from tirek.directory.choices import OrganisationKind, ProgrammeKind
from tirek.directory.models import Organisation, Programme, Region
from tirek.directory.selectors import active_organisation_get
from tirek.people.selectors import consent_get, person_get
from tirek.referrals import selectors, services
from tirek.referrals.choices import EXTERNAL_SOURCE_CHOICES, Direction, ReferralStatus, SharedPart, Urgency
from tirek.referrals.models import Referral, ReferralEvent

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("referrals", ReferralViewSet, basename="referral")


# --- output -------------------------------------------------------------------------------------------------


class SharedPartsField(serializers.ListField):
    child = serializers.ChoiceField(choices=SharedPart.choices)


class ReferralEventSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True, allow_null=True)
    actor = serializers.UUIDField(source="actor_id", read_only=True, allow_null=True)

    class Meta:
        model = ReferralEvent
        fields = ["kind", "organisation", "actor", "at", "note"]


class ReferralSerializer(serializers.ModelSerializer):
    from_organisation = serializers.UUIDField(source="from_organisation_id", read_only=True, allow_null=True)
    to_organisation = serializers.UUIDField(source="to_organisation_id", read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True)
    from_case = serializers.UUIDField(source="from_case_id", read_only=True, allow_null=True)
    to_case = serializers.UUIDField(source="to_case_id", read_only=True, allow_null=True)
    programme = serializers.UUIDField(source="programme_id", read_only=True, allow_null=True)
    services = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    shared_parts = SharedPartsField(read_only=True)
    consent = serializers.UUIDField(source="consent_id", read_only=True, allow_null=True)
    sent_by = serializers.UUIDField(source="sent_by_id", read_only=True, allow_null=True)
    responded_by = serializers.UUIDField(source="responded_by_id", read_only=True, allow_null=True)
    completed_by = serializers.UUIDField(source="completed_by_id", read_only=True, allow_null=True)
    revoked_by = serializers.UUIDField(source="revoked_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "status",
            "from_organisation",
            "external_source",
            "external_source_name",
            "external_source_contact",
            "to_organisation",
            "person",
            "from_case",
            "to_case",
            "programme",
            "services",
            "reason",
            "urgency",
            "shared_parts",
            "consent",
            "consent_override_reason",
            "sent_at",
            "sent_by",
            "responded_at",
            "responded_by",
            "decline_reason",
            "days_to_accept",
            "completed_at",
            "completed_by",
            "completion_note",
            "revoked_at",
            "revoked_by",
            "revoke_reason",
            "created_at",
            "updated_at",
        ]


class SharedContactsSerializer(serializers.Serializer):
    phone = serializers.CharField()
    phone_other = serializers.CharField()
    region = serializers.CharField()
    locality = serializers.CharField()
    street = serializers.CharField()
    home_languages = serializers.CharField()


class SharedMemberSerializer(serializers.Serializer):
    name = serializers.CharField(source="person.full_name")
    role = serializers.CharField()
    is_legal_representative = serializers.BooleanField()


class SharedFamilySerializer(serializers.Serializer):
    name = serializers.CharField()
    members = SharedMemberSerializer(many=True, source="members.all")


class SharedDiagnosisSerializer(serializers.Serializer):
    code = serializers.CharField(source="diagnosis.code")
    name = serializers.CharField(source="diagnosis.name")
    diagnosed_on = serializers.DateField(allow_null=True)


class SharedHealthSerializer(serializers.Serializer):
    disability_status = serializers.CharField()
    diagnoses = SharedDiagnosisSerializer(many=True)


class SharedAssessmentSerializer(serializers.Serializer):
    instrument = serializers.CharField(source="instrument.code")
    assessed_on = serializers.DateField()
    interpretation = serializers.CharField()
    scores = serializers.DictField()


class SharedGoalSerializer(serializers.Serializer):
    domain = serializers.CharField()
    wording = serializers.CharField()
    criterion = serializers.CharField()
    target_date = serializers.DateField()


class SharedSessionsSerializer(serializers.Serializer):
    service = serializers.CharField()
    total = serializers.IntegerField()


class SharedSerializer(serializers.Serializer):
    """What the receiver reads of the sender's record: only the parts shared (absent otherwise)."""

    contacts = SharedContactsSerializer(required=False)
    families = SharedFamilySerializer(many=True, required=False)
    health = SharedHealthSerializer(required=False)
    assessments = SharedAssessmentSerializer(many=True, required=False)
    plan_goals = SharedGoalSerializer(many=True, required=False)
    sessions = SharedSessionsSerializer(many=True, required=False)


class ReferralDetailSerializer(ReferralSerializer):
    events = ReferralEventSerializer(many=True, read_only=True, source="history")
    delivered_sessions = serializers.SerializerMethodField()
    shared = serializers.SerializerMethodField()

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "events", "delivered_sessions", "shared"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_delivered_sessions(self, referral) -> int | None:
        """For the sender: the sessions delivered in the case the receiver opened (a number only)."""
        user = self.context["request"].user
        if selectors.referral_side(user=user, referral=referral) == "receiver":
            return None
        return selectors.delivered_sessions(referral=referral)

    @extend_schema_field(SharedSerializer(allow_null=True))
    def get_shared(self, referral):
        view = selectors.shared_parts_view(user=self.context["request"].user, referral=referral)
        return None if view is None else SharedSerializer(view).data


# --- input --------------------------------------------------------------------------------------------------


class ReferralSendSerializer(serializers.Serializer):
    case = serializers.UUIDField(required=False, help_text="The case the person is referred from…")
    person = serializers.UUIDField(required=False, help_text="…or a person of the register, without a case.")
    to_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(),
        required=False,
        allow_null=True,
        help_text="The receiver's programme.",
    )
    services = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.filter(is_active=True), many=True, required=False
    )
    reason = serializers.CharField(max_length=5000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.ROUTINE)
    shared_parts = SharedPartsField(required=False, max_length=len(SharedPart.values))
    consent = serializers.UUIDField(
        required=False, allow_null=True, help_text="The covering consent (found by itself when left out)."
    )
    consent_override_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Managers only, when no consent covers it.",
    )

    def validate(self, attrs):
        if bool(attrs.get("case")) == bool(attrs.get("person")):
            raise serializers.ValidationError({"case": _("Give either the case or the person.")})
        return attrs


class ReferralExternalSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text="A person the user's organisation sees (register them first).")
    external_source = serializers.ChoiceField(choices=EXTERNAL_SOURCE_CHOICES)
    external_source_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_source_contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    received_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=5000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.ROUTINE)
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    services = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.filter(is_active=True), many=True, required=False
    )


class ReferralAcceptSerializer(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), help_text="A programme of the receiving organisation."
    )
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    override_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ReferralReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class ReferralCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ReferralQuerySerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)


class TargetQuerySerializer(serializers.Serializer):
    region = serializers.SlugRelatedField(
        slug_field="kato", queryset=Region.objects.all(), required=False, help_text="KATO code"
    )
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    programme_kind = serializers.ChoiceField(choices=ProgrammeKind.choices, required=False)
    service = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.filter(is_active=True), required=False
    )


# --- the viewset --------------------------------------------------------------------------------------------


class ReferralViewSet(TirekViewSet):
    """Referrals the user's organisation sent or received: send, record one from outside, and answer."""

    output_serializer = ReferralSerializer
    queryset = Referral.objects.none()

    def _detail(self, referral: Referral, status_code: int = status.HTTP_200_OK):
        referral = selectors.referral_get(user=self.request.user, pk=referral.pk)
        referral.history = list(selectors.referral_history(referral=referral))
        return self.render_with(ReferralDetailSerializer, referral, status_code)

    def render_with(self, serializer_class, instance, status_code):
        data = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(parameters=[ReferralQuerySerializer], responses=ReferralSerializer(many=True))
    def list(self, request):
        parser = ReferralQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        referrals = selectors.referral_list(user=request.user, **parser.validated_data)
        return self.render_list(referrals.prefetch_related("services"))

    @extend_schema(responses={200: ReferralDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        referral = selectors.referral_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user,
            obj=referral,
            organisation=request.user.active_organisation_id_checked(),
            subject_person_id=referral.person_id,
        )
        return self._detail(referral)

    @extend_schema(
        request=ReferralSendSerializer, responses={201: ReferralDetailSerializer, **ERROR_RESPONSES}
    )
    def create(self, request):
        """Send a referral from a case or of a person (consent-gated; a manager may override, saying why)."""
        data = self.parse(serializer=ReferralSendSerializer)
        organisation = active_organisation_get(user=request.user)
        case_id = data.pop("case", None)
        case = case_get(user=request.user, pk=case_id) if case_id else None
        person_id = data.pop("person", None)
        person = person_get(user=request.user, pk=person_id) if person_id else None
        consent_id = data.pop("consent", None)
        consent = consent_get(user=request.user, pk=consent_id) if consent_id else None
        referral = services.referral_send(
            actor=request.user,
            organisation=organisation,
            from_case=case,
            person=person,
            consent=consent,
            **data,
        )
        return self._detail(referral, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReferralExternalSerializer, responses={201: ReferralDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=False, methods=["post"])
    def external(self, request):
        """Record a referral that came from outside Tirek (maternity, polyclinic, PMPK, helpline)."""
        data = self.parse(serializer=ReferralExternalSerializer)
        organisation = active_organisation_get(user=request.user)
        person = person_get(user=request.user, pk=data.pop("person"))
        referral = services.referral_record_external(
            actor=request.user, organisation=organisation, person=person, **data
        )
        return self._detail(referral, status.HTTP_201_CREATED)

    @extend_schema(parameters=[TargetQuerySerializer], responses=OrganisationSerializer(many=True))
    @action(detail=False, methods=["get"])
    def targets(self, request):
        """The organisations a referral of the user's organisation may go to."""
        parser = TargetQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        organisations = selectors.referral_targets(user=request.user, **parser.validated_data)
        page = self.paginate_queryset(organisations)
        rows = OrganisationSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(rows)

    @extend_schema(
        request=ReferralAcceptSerializer, responses={200: ReferralDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept: the receiver opens its own case in one of its programmes."""
        referral = selectors.referral_get(user=request.user, pk=pk)
        services.require_receiver(request.user, referral)
        data = self.parse(serializer=ReferralAcceptSerializer)
        return self._detail(services.referral_accept(actor=request.user, referral=referral, **data))

    @extend_schema(
        request=ReferralReasonSerializer, responses={200: ReferralDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        referral = selectors.referral_get(user=request.user, pk=pk)
        services.require_receiver(request.user, referral)
        data = self.parse(serializer=ReferralReasonSerializer)
        return self._detail(services.referral_decline(actor=request.user, referral=referral, **data))

    @extend_schema(
        request=ReferralCompleteSerializer, responses={200: ReferralDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        referral = selectors.referral_get(user=request.user, pk=pk)
        services.require_receiver(request.user, referral)
        data = self.parse(serializer=ReferralCompleteSerializer)
        return self._detail(services.referral_complete(actor=request.user, referral=referral, **data))

    @extend_schema(
        request=ReferralReasonSerializer, responses={200: ReferralDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        referral = selectors.referral_get(user=request.user, pk=pk)
        if not referral.is_external:
            services.require_sender(request.user, referral)
        data = self.parse(serializer=ReferralReasonSerializer)
        return self._detail(services.referral_revoke(actor=request.user, referral=referral, **data))
