"""The support API: appeals (with the helpline's quick intake), appeal deadlines, material aid and outcomes,
added to the project's router by `register`. Every write calls the same service as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.audit.services import audit_view
from tirek.core.api import ERROR_RESPONSES, UPDATE_ERROR_RESPONSES, TirekViewSet, version_field
from tirek.support import selectors, services
from tirek.support.choices import (
    HELPLINE_CHANNEL_CHOICES,
    MAX_DEADLINE_DAYS,
    AidKind,
    AppealCategory,
    AppealChannel,
    AppealResult,
    AppealStatus,
    OutcomeKind,
)
from tirek.support.models import AidDistribution, Appeal, AppealEvent, Outcome

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("appeals", AppealViewSet, basename="appeal")
    router.register("appeal-deadlines", AppealDeadlineViewSet, basename="appeal-deadline")
    router.register("aid-distributions", AidDistributionViewSet, basename="aid-distribution")
    router.register("outcomes", OutcomeViewSet, basename="outcome")


def _name(person) -> str:
    return person.full_name if person is not None else ""


# --- appeals ----------------------------------------------------------------------------------------------


class AppealEventSerializer(serializers.ModelSerializer):
    actor = serializers.UUIDField(source="actor_id", read_only=True, allow_null=True)

    class Meta:
        model = AppealEvent
        fields = ["kind", "happened_at", "actor", "data"]


class AppealSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True, allow_null=True)
    person_name = serializers.SerializerMethodField()
    family = serializers.UUIDField(source="family_id", read_only=True, allow_null=True)
    assignee = serializers.UUIDField(source="assignee_id", read_only=True, allow_null=True)
    forwarded_to = serializers.UUIDField(source="forwarded_to_id", read_only=True, allow_null=True)
    case = serializers.UUIDField(source="case_id", read_only=True, allow_null=True)
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True, default=None)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    anonymous = serializers.BooleanField(source="is_anonymous", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "number",
            "organisation",
            "person",
            "person_name",
            "anonymous",
            "caller",
            "caller_phone",
            "family",
            "category",
            "channel",
            "received_at",
            "text",
            "assignee",
            "due_on",
            "overdue",
            "status",
            "forwarded_to",
            "forward_note",
            "resolution",
            "result",
            "closed_on",
            "case",
            "case_number",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_person_name(self, appeal) -> str:
        return _name(appeal.person)


class AppealDetailSerializer(AppealSerializer):
    history = AppealEventSerializer(source="events", many=True, read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "history"]


class AppealCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=AppealCategory.choices)
    channel = serializers.ChoiceField(choices=AppealChannel.choices)
    text = serializers.CharField()
    received_at = serializers.DateTimeField(required=False, help_text="Now when left out.")
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text="Leave out for an anonymous caller."
    )
    caller = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    caller_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    family = serializers.UUIDField(required=False, allow_null=True)
    assignee = serializers.UUIDField(required=False, allow_null=True)
    case = serializers.UUIDField(required=False, allow_null=True)


class AppealHelplineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=AppealCategory.choices)
    text = serializers.CharField()
    channel = serializers.ChoiceField(choices=HELPLINE_CHANNEL_CHOICES, default=AppealChannel.HELPLINE_150)
    anonymous = serializers.BooleanField(
        default=False, help_text="Nothing that identifies the caller is kept."
    )
    caller_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    caller_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text="A person the organisation serves."
    )


class AppealUpdateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=AppealCategory.choices, required=False)
    channel = serializers.ChoiceField(choices=AppealChannel.choices, required=False)
    text = serializers.CharField(required=False)
    caller = serializers.CharField(required=False, allow_blank=True, max_length=300)
    caller_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    received_at = serializers.DateTimeField(required=False)
    person = serializers.UUIDField(required=False, allow_null=True)
    family = serializers.UUIDField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, help_text="Needs the right to manage appeal deadlines.")
    version = version_field()


class AppealAssignSerializer(serializers.Serializer):
    assignee = serializers.UUIDField(help_text="An active member of the organisation.")


class AppealForwardSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(help_text="The organisation of the directory that can answer it.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AppealResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    result = serializers.ChoiceField(choices=AppealResult.choices)
    outcome_kind = serializers.ChoiceField(
        choices=OutcomeKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Also record this outcome for the appeal's person.",
    )
    outcome_on = serializers.DateField(required=False, allow_null=True, default=None)
    closed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today when left out."
    )


class AppealRejectSerializer(serializers.Serializer):
    resolution = serializers.CharField(help_text="Why the appeal is rejected.")
    closed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today when left out."
    )


class AppealWithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    closed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today when left out."
    )


class AppealLinkCaseSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text="A case of the appeal's person in the organisation.")


class AppealQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AppealStatus.choices, required=False)
    category = serializers.ChoiceField(choices=AppealCategory.choices, required=False)
    channel = serializers.ChoiceField(choices=AppealChannel.choices, required=False)
    assignee = serializers.UUIDField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    date_from = serializers.DateField(required=False, help_text="Received on or after.")
    date_to = serializers.DateField(required=False, help_text="Received on or before.")
    person = serializers.UUIDField(required=False)
    case = serializers.UUIDField(required=False)


def _appeal_refs(user, data: dict) -> dict:
    """Turn the ids of an appeal body into the records they name (a field error when not visible)."""
    resolvers = {
        "person": selectors.chosen_person,
        "family": selectors.chosen_family,
        "assignee": selectors.chosen_member,
        "case": selectors.chosen_case,
    }
    for field, resolve in resolvers.items():
        if field in data:
            data[field] = resolve(user=user, pk=data[field])
    return data


class AppealViewSet(TirekViewSet):
    """Appeals of persons and anonymous callers: registration, handling, deadlines and the answer."""

    output_serializer = AppealSerializer
    queryset = Appeal.objects.none()

    def _get(self, pk) -> Appeal:
        return selectors.appeal_get(user=self.request.user, pk=pk)

    def _detail(self, appeal: Appeal, status_code=status.HTTP_200_OK) -> Response:
        appeal = self._get(appeal.pk)
        return Response(AppealDetailSerializer(appeal).data, status=status_code)

    @extend_schema(parameters=[AppealQuerySerializer], responses=AppealSerializer(many=True))
    def list(self, request):
        parser = AppealQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        return self.render_list(selectors.appeal_list(user=request.user, **parser.validated_data))

    @extend_schema(responses={200: AppealDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        appeal = self._get(pk)
        audit_view(
            actor=request.user,
            obj=appeal,
            organisation=appeal.organisation_id,
            subject_person_id=appeal.person_id,
        )
        return Response(AppealDetailSerializer(appeal).data)

    @extend_schema(request=AppealCreateSerializer, responses={201: AppealDetailSerializer, **ERROR_RESPONSES})
    def create(self, request):
        organisation = selectors.acting_organisation(user=request.user, capability="appeals.register")
        data = _appeal_refs(request.user, self.parse(serializer=AppealCreateSerializer))
        appeal = services.appeal_register(actor=request.user, organisation=organisation, **data)
        return self._detail(appeal, status.HTTP_201_CREATED)

    @extend_schema(
        request=AppealHelplineSerializer, responses={201: AppealDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=False, methods=["post"])
    def helpline(self, request):
        """The helpline's quick intake; an anonymous call never creates a person."""
        organisation = selectors.acting_organisation(user=request.user, capability="appeals.register")
        data = _appeal_refs(request.user, self.parse(serializer=AppealHelplineSerializer))
        appeal = services.appeal_register_helpline(actor=request.user, organisation=organisation, **data)
        return self._detail(appeal, status.HTTP_201_CREATED)

    @extend_schema(
        request=AppealUpdateSerializer, responses={200: AppealDetailSerializer, **UPDATE_ERROR_RESPONSES}
    )
    def partial_update(self, request, pk=None):
        appeal = self._get(pk)
        data = _appeal_refs(request.user, self.parse(serializer=AppealUpdateSerializer, partial=True))
        return self._detail(services.appeal_update(actor=request.user, appeal=appeal, **data))

    @extend_schema(request=AppealAssignSerializer, responses={200: AppealDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        appeal = self._get(pk)
        data = _appeal_refs(request.user, self.parse(serializer=AppealAssignSerializer))
        return self._detail(services.appeal_assign(actor=request.user, appeal=appeal, **data))

    @extend_schema(request=None, responses={200: AppealDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        appeal = self._get(pk)
        return self._detail(services.appeal_start(actor=request.user, appeal=appeal))

    @extend_schema(
        request=AppealForwardSerializer, responses={200: AppealDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        appeal = self._get(pk)
        data = self.parse(serializer=AppealForwardSerializer)
        to = selectors.chosen_organisation(pk=data["organisation"], field="organisation")
        return self._detail(
            services.appeal_forward(actor=request.user, appeal=appeal, to_organisation=to, note=data["note"])
        )

    @extend_schema(
        request=AppealResolveSerializer, responses={200: AppealDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        appeal = self._get(pk)
        data = self.parse(serializer=AppealResolveSerializer)
        return self._detail(services.appeal_resolve(actor=request.user, appeal=appeal, **data))

    @extend_schema(request=AppealRejectSerializer, responses={200: AppealDetailSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        appeal = self._get(pk)
        data = self.parse(serializer=AppealRejectSerializer)
        return self._detail(services.appeal_reject(actor=request.user, appeal=appeal, **data))

    @extend_schema(
        request=AppealWithdrawSerializer, responses={200: AppealDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        appeal = self._get(pk)
        data = self.parse(serializer=AppealWithdrawSerializer)
        return self._detail(services.appeal_withdraw(actor=request.user, appeal=appeal, **data))

    @extend_schema(
        request=AppealLinkCaseSerializer, responses={200: AppealDetailSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"], url_path="link-case")
    def link_case(self, request, pk=None):
        appeal = self._get(pk)
        data = _appeal_refs(request.user, self.parse(serializer=AppealLinkCaseSerializer))
        return self._detail(services.appeal_link_case(actor=request.user, appeal=appeal, **data))


# --- appeal deadlines -------------------------------------------------------------------------------------


class AppealDeadlineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=AppealCategory.choices)
    days = serializers.IntegerField()
    default_days = serializers.IntegerField()
    is_default = serializers.BooleanField()


class AppealDeadlineUpdateSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_DEADLINE_DAYS)


class AppealDeadlineViewSet(TirekViewSet):
    """Days to answer an appeal of each category in the user's organisation (new appeals follow a change)."""

    output_serializer = AppealDeadlineSerializer
    queryset = Appeal.objects.none()
    pagination_class = None
    lookup_field = "category"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(responses=AppealDeadlineSerializer(many=True))
    def list(self, request):
        return Response(
            AppealDeadlineSerializer(selectors.appeal_deadlines(user=request.user), many=True).data
        )

    @extend_schema(
        request=AppealDeadlineUpdateSerializer, responses={200: AppealDeadlineSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, category=None):
        organisation = selectors.acting_organisation(user=request.user, capability="appeals.manage_deadlines")
        data = self.parse(serializer=AppealDeadlineUpdateSerializer)
        services.appeal_deadline_set(
            actor=request.user, organisation=organisation, category=category, days=data["days"]
        )
        rows = selectors.appeal_deadlines(user=request.user, organisation_id=organisation.pk)
        return Response(AppealDeadlineSerializer(next(r for r in rows if r["category"] == category)).data)


# --- material aid -----------------------------------------------------------------------------------------


class AidDistributionSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    family = serializers.UUIDField(source="family_id", read_only=True, allow_null=True)
    family_name = serializers.CharField(source="family.name", read_only=True, allow_null=True, default=None)
    person = serializers.UUIDField(source="person_id", read_only=True, allow_null=True)
    person_name = serializers.SerializerMethodField()
    funding_partner = serializers.UUIDField(source="funding_partner_id", read_only=True, allow_null=True)

    class Meta:
        model = AidDistribution
        fields = [
            "id",
            "organisation",
            "family",
            "family_name",
            "person",
            "person_name",
            "kind",
            "quantity",
            "value",
            "distributed_on",
            "funding_partner",
            "funding_partner_name",
            "note",
            "batch",
            "created_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_person_name(self, row) -> str:
        return _name(row.person)


class AidFieldsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AidKind.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    value = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="KZT, in total.",
    )
    distributed_on = serializers.DateField(required=False, help_text="Today when left out.")
    funding_partner = serializers.UUIDField(
        required=False, allow_null=True, help_text="An organisation of the directory."
    )
    funding_partner_name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="A funder not in the directory.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AidCreateSerializer(AidFieldsSerializer):
    family = serializers.UUIDField(required=False, allow_null=True, help_text="Either a family …")
    person = serializers.UUIDField(required=False, allow_null=True, help_text="… or a person.")


class AidBatchSerializer(AidFieldsSerializer):
    families = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=1000)


class AidBatchResultSerializer(serializers.Serializer):
    batch = serializers.UUIDField()
    count = serializers.IntegerField()
    distributions = AidDistributionSerializer(many=True)


class AidQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AidKind.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    family = serializers.UUIDField(required=False)
    person = serializers.UUIDField(required=False)
    batch = serializers.UUIDField(required=False)


class AidTotalsRowSerializer(serializers.Serializer):
    distributions = serializers.IntegerField()
    families = serializers.IntegerField()
    persons = serializers.IntegerField()
    quantity = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class AidKindTotalsSerializer(AidTotalsRowSerializer):
    kind = serializers.ChoiceField(choices=AidKind.choices)


class AidTotalsSerializer(serializers.Serializer):
    by_kind = AidKindTotalsSerializer(many=True)
    total = AidTotalsRowSerializer()


def _aid_refs(user, data: dict) -> dict:
    if data.get("funding_partner"):
        data["funding_partner"] = selectors.chosen_organisation(
            pk=data["funding_partner"], field="funding_partner"
        )
    if "family" in data:
        data["family"] = selectors.chosen_family(user=user, pk=data["family"])
    if "person" in data:
        data["person"] = selectors.chosen_person(user=user, pk=data["person"])
    return data


class AidDistributionViewSet(TirekViewSet):
    """Material aid handed to families and persons, one at a time or as a batch."""

    output_serializer = AidDistributionSerializer
    queryset = AidDistribution.objects.none()

    def _rows(self, request):
        parser = AidQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        return selectors.aid_list(user=request.user, **parser.validated_data)

    @extend_schema(parameters=[AidQuerySerializer], responses=AidDistributionSerializer(many=True))
    def list(self, request):
        return self.render_list(self._rows(request))

    @extend_schema(parameters=[AidQuerySerializer], responses={200: AidTotalsSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["get"])
    def totals(self, request):
        """Distributions, families and persons reached, quantity and value, per kind and overall."""
        return Response(AidTotalsSerializer(selectors.aid_totals(self._rows(request))).data)

    @extend_schema(responses={200: AidDistributionSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        row = selectors.aid_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user, obj=row, organisation=row.organisation_id, subject_person_id=row.person_id
        )
        return self.render(row)

    @extend_schema(request=AidCreateSerializer, responses={201: AidDistributionSerializer, **ERROR_RESPONSES})
    def create(self, request):
        organisation = selectors.acting_organisation(user=request.user, capability="aid.distribute")
        data = _aid_refs(request.user, self.parse(serializer=AidCreateSerializer))
        row = services.aid_distribute(actor=request.user, organisation=organisation, **data)
        return self.render(
            selectors.aid_get(user=request.user, pk=row.pk), status_code=status.HTTP_201_CREATED
        )

    @extend_schema(request=AidBatchSerializer, responses={201: AidBatchResultSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"])
    def batch(self, request):
        """The same aid to each chosen family: all rows are written, or none with a message per family."""
        organisation = selectors.acting_organisation(user=request.user, capability="aid.distribute")
        data = _aid_refs(request.user, self.parse(serializer=AidBatchSerializer))
        data["families"] = selectors.chosen_families(user=request.user, ids=data["families"])
        rows = services.aid_distribute_batch(actor=request.user, organisation=organisation, **data)
        written = selectors.aid_list(user=request.user, batch=rows[0].batch)
        body = {"batch": rows[0].batch, "count": len(rows), "distributions": written}
        return Response(AidBatchResultSerializer(body).data, status=status.HTTP_201_CREATED)


# --- outcomes ---------------------------------------------------------------------------------------------


class OutcomeSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True, allow_null=True)
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True, default=None)
    appeal = serializers.UUIDField(source="appeal_id", read_only=True, allow_null=True)
    appeal_number = serializers.CharField(
        source="appeal.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Outcome
        fields = [
            "id",
            "organisation",
            "person",
            "person_name",
            "kind",
            "happened_on",
            "case",
            "case_number",
            "appeal",
            "appeal_number",
            "note",
            "created_at",
        ]


class OutcomeCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OutcomeKind.choices)
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text="The case's or appeal's person when left out."
    )
    happened_on = serializers.DateField(required=False, help_text="Today when left out.")
    case = serializers.UUIDField(required=False, allow_null=True)
    appeal = serializers.UUIDField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OutcomeKind.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    person = serializers.UUIDField(required=False)
    case = serializers.UUIDField(required=False)
    appeal = serializers.UUIDField(required=False)


class OutcomeViewSet(TirekViewSet):
    """Outcomes of persons: a flat, a job, a grant, a return to the birth family, a placement …"""

    output_serializer = OutcomeSerializer
    queryset = Outcome.objects.none()

    @extend_schema(parameters=[OutcomeQuerySerializer], responses=OutcomeSerializer(many=True))
    def list(self, request):
        parser = OutcomeQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        return self.render_list(selectors.outcome_list(user=request.user, **parser.validated_data))

    @extend_schema(responses={200: OutcomeSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        outcome = selectors.outcome_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user,
            obj=outcome,
            organisation=outcome.organisation_id,
            subject_person_id=outcome.person_id,
        )
        return self.render(outcome)

    @extend_schema(request=OutcomeCreateSerializer, responses={201: OutcomeSerializer, **ERROR_RESPONSES})
    def create(self, request):
        organisation = selectors.acting_organisation(user=request.user, capability="outcomes.record")
        data = self.parse(serializer=OutcomeCreateSerializer)
        data |= selectors.outcome_subjects(
            user=request.user, person=data.get("person"), case=data.get("case"), appeal=data.get("appeal")
        )
        outcome = services.outcome_record(actor=request.user, organisation=organisation, **data)
        return self.render(selectors.outcome_get(user=request.user, pk=outcome.pk), status_code=201)
