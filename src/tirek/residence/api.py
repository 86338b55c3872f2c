"""The API of residence: facilities with their occupancy, and residents moving in and out."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from tirek.audit.services import audit_view
from tirek.core.api import ERROR_RESPONSES, InputSerializer, TirekViewSet
from tirek.directory.selectors import active_organisation_get
from tirek.residence import selectors, services
from tirek.residence.models import Facility, Residence

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("facilities", FacilityViewSet, basename="facility")
    router.register("residences", ResidenceViewSet, basename="residence")


CONFIRM_HELP = "Move in (or set fewer places) beyond the facility's places: refused without it."


class FacilitySerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    occupied = serializers.IntegerField(read_only=True, help_text="Residents today (or on `date`).")

    class Meta:
        model = Facility
        fields = ["id", "organisation", *services.FACILITY_FIELDS, "occupied", "created_at", "updated_at"]


class FacilityInputSerializer(InputSerializer):
    class Meta:
        model = Facility
        fields = list(services.FACILITY_FIELDS)


class FacilityUpdateSerializer(FacilityInputSerializer):
    confirm_over_capacity = serializers.BooleanField(required=False, default=False, help_text=CONFIRM_HELP)

    class Meta(FacilityInputSerializer.Meta):
        fields = [*FacilityInputSerializer.Meta.fields, "confirm_over_capacity"]


class FacilityQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Occupancy on this day (today when not given).")


class FacilityViewSet(TirekViewSet):
    """Youth houses, social apartments and shelters of the organisation, with their places."""

    output_serializer = FacilitySerializer
    input_serializer = FacilityInputSerializer
    queryset = Facility.objects.none()

    @extend_schema(parameters=[FacilityQuerySerializer], responses=FacilitySerializer(many=True))
    def list(self, request):
        parser = FacilityQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        return self.render_list(
            selectors.facility_list(user=request.user, day=parser.validated_data.get("date"))
        )

    @extend_schema(responses={200: FacilitySerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(selectors.facility_get(user=request.user, pk=pk))

    @extend_schema(request=FacilityInputSerializer, responses={201: FacilitySerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse()
        organisation = active_organisation_get(user=request.user)
        facility = services.facility_create(actor=request.user, organisation=organisation, **data)
        return self.render(selectors.facility_get(user=request.user, pk=facility.pk), status_code=201)

    @extend_schema(request=FacilityUpdateSerializer, responses={200: FacilitySerializer, **ERROR_RESPONSES})
    def partial_update(self, request, pk=None):
        facility = selectors.facility_get(user=request.user, pk=pk)
        data = self.parse(serializer=FacilityUpdateSerializer, partial=True)
        services.facility_update(actor=request.user, facility=facility, **data)
        return self.render(selectors.facility_get(user=request.user, pk=pk))


class ResidenceSerializer(serializers.ModelSerializer):
    facility = serializers.UUIDField(source="facility_id", read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Residence
        fields = [
            "id",
            "facility",
            "person",
            "person_name",
            "moved_in_on",
            "moved_out_on",
            "note",
            "created_at",
            "updated_at",
        ]


class MoveInSerializer(serializers.Serializer):
    facility = serializers.UUIDField()
    person = serializers.UUIDField(help_text="A person the facility's organisation serves.")
    moved_in_on = serializers.DateField(required=False, help_text="Today when not given.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_over_capacity = serializers.BooleanField(required=False, default=False, help_text=CONFIRM_HELP)


class MoveOutSerializer(serializers.Serializer):
    moved_out_on = serializers.DateField(required=False, help_text="Today when not given.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResidenceQuerySerializer(serializers.Serializer):
    facility = serializers.UUIDField(required=False)
    person = serializers.UUIDField(required=False)
    current = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: living there today; false: moved out"
    )


class ResidenceViewSet(TirekViewSet):
    """Residents of the organisation's facilities: a person's stay from moving in to moving out."""

    output_serializer = ResidenceSerializer
    queryset = Residence.objects.none()

    @extend_schema(parameters=[ResidenceQuerySerializer], responses=ResidenceSerializer(many=True))
    def list(self, request):
        parser = ResidenceQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        return self.render_list(selectors.residence_list(user=request.user, **parser.validated_data))

    @extend_schema(responses={200: ResidenceSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        residence = selectors.residence_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user,
            obj=residence,
            organisation=residence.facility.organisation_id,
            subject_person_id=residence.person_id,
        )
        return self.render(residence)

    @extend_schema(request=MoveInSerializer, responses={201: ResidenceSerializer, **ERROR_RESPONSES})
    def create(self, request):
        """Move a person in; beyond the facility's places only with `confirm_over_capacity`."""
        data = self.parse(serializer=MoveInSerializer)
        facility = selectors.facility_get(user=request.user, pk=data.pop("facility"))
        person = selectors.facility_person_get(facility=facility, pk=data.pop("person"))
        residence = services.residence_move_in(actor=request.user, facility=facility, person=person, **data)
        return self.render(residence, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=MoveOutSerializer, responses={200: ResidenceSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"], url_path="move-out")
    def move_out(self, request, pk=None):
        """Record that the resident moved out."""
        residence = selectors.residence_get(user=request.user, pk=pk)
        data = self.parse(serializer=MoveOutSerializer)
        return self.render(services.residence_move_out(actor=request.user, residence=residence, **data))
