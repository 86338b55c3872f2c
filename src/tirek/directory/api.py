from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination

from tirek.catalog.models import Service
from tirek.core.api import ERROR_RESPONSES, InputSerializer, TirekViewSet, query_uuid
from tirek.directory import services
from tirek.directory.choices import OrganisationKind, PartnershipStatus
from tirek.directory.models import Organisation, Partnership, Programme, Region
from tirek.directory.selectors import (
    ALL_STATUSES,
    IN_FORCE,
    active_organisation_get,
    organisation_get,
    organisation_list,
    partnership_get,
    partnership_in_force,
    partnership_list,
    programme_get,
    programme_list,
    region_list,
)


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["kato", "iso_code", "name", "name_kk", "name_ru", "name_en", "valid_from", "valid_to"]


class OrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = serializers.SlugRelatedField(slug_field="kato", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", *services.ORGANISATION_FIELDS, "created_at", "updated_at"]


class OrganisationInputSerializer(InputSerializer):
    region = serializers.SlugRelatedField(slug_field="kato", queryset=Region.objects.all())
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Organisation
        fields = list(services.ORGANISATION_FIELDS)


class ProgrammeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "organisation", "name", *services.PROGRAMME_FIELDS, "created_at", "updated_at"]


class ProgrammeInputSerializer(InputSerializer):
    organisation = serializers.UUIDField(
        required=False, write_only=True, help_text="Defaults to the user's active organisation."
    )

    class Meta:
        model = Programme
        fields = ["organisation", *services.PROGRAMME_FIELDS]


class NamePagination(CursorPagination):
    ordering = ("name_kk", "id")
    page_size = 100


class RegionViewSet(TirekViewSet):
    output_serializer = RegionSerializer
    queryset = Region.objects.none()
    pagination_class = None
    lookup_field = "kato"
    lookup_value_regex = r"\d{9}"

    @extend_schema(responses=RegionSerializer(many=True))
    def list(self, request):
        return self.render_list(region_list())

    @extend_schema(responses={200: RegionSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, kato=None):
        region = region_list().filter(kato=kato).first()
        if region is None:
            raise Http404
        return self.render(region)


class OrganisationViewSet(TirekViewSet):
    output_serializer = OrganisationSerializer
    input_serializer = OrganisationInputSerializer
    pagination_class = NamePagination
    queryset = Organisation.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="KATO code", pattern=r"^\d{9}$"),
            OpenApiParameter("kind", str, enum=OrganisationKind.values),
            OpenApiParameter("q", str, description="Part of a name, or a BIN"),
        ],
        responses=OrganisationSerializer(many=True),
    )
    def list(self, request):
        region = None
        if request.query_params.get("region"):
            region = region_list().filter(kato=request.query_params["region"]).first()
            if region is None:
                return self.render_list(Organisation.objects.none())
        organisations = organisation_list(
            user=request.user,
            region=region,
            kind=request.query_params.get("kind") or None,
            query=request.query_params.get("q") or None,
        )
        return self.render_list(organisations)

    @extend_schema(responses={200: OrganisationSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(organisation_get(user=request.user, pk=pk))

    @extend_schema(
        request=OrganisationInputSerializer, responses={201: OrganisationSerializer, **ERROR_RESPONSES}
    )
    def create(self, request):
        organisation = services.organisation_create(actor=request.user, **self.parse())
        return self.render(organisation, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=OrganisationInputSerializer, responses={200: OrganisationSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, pk=None):
        organisation = organisation_get(user=request.user, pk=pk)
        data = self.parse(instance=organisation, partial=True)
        return self.render(
            services.organisation_update(actor=request.user, organisation=organisation, **data)
        )


class ProgrammeViewSet(TirekViewSet):
    output_serializer = ProgrammeSerializer
    input_serializer = ProgrammeInputSerializer
    queryset = Programme.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("organisation", OpenApiTypes.UUID, description="Organisation id")],
        responses=ProgrammeSerializer(many=True),
    )
    def list(self, request):
        programmes = programme_list(user=request.user)
        organisation_id = query_uuid(request.query_params.get("organisation"))
        if organisation_id:
            programmes = programmes.filter(organisation_id=organisation_id)
        return self.render_list(programmes)

    @extend_schema(responses={200: ProgrammeSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(programme_get(user=request.user, pk=pk))

    @extend_schema(request=ProgrammeInputSerializer, responses={201: ProgrammeSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse()
        organisation = active_organisation_get(
            user=request.user, organisation_id=data.pop("organisation", None)
        )
        programme = services.programme_create(actor=request.user, organisation=organisation, **data)
        return self.render(programme, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ProgrammeInputSerializer, responses={200: ProgrammeSerializer, **ERROR_RESPONSES})
    def partial_update(self, request, pk=None):
        programme = programme_get(user=request.user, pk=pk)
        data = self.parse(instance=programme, partial=True)
        data.pop("organisation", None)
        return self.render(services.programme_update(actor=request.user, programme=programme, **data))


# --- memoranda (partnerships) -----------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = serializers.SlugRelatedField(slug_field="kato", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "region"]


class PartnershipSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    region = serializers.SlugRelatedField(slug_field="kato", read_only=True, allow_null=True)
    services = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            *services.PARTNERSHIP_FIELDS,
            "parties",
            "services",
            "in_force",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, partnership) -> bool:
        """In force today: active, signed, and not past its term."""
        return partnership_in_force(partnership)


class PartnershipInputSerializer(InputSerializer):
    parties = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        many=True,
        help_text="Two or more organisations.",
    )
    region = serializers.SlugRelatedField(
        slug_field="kato", queryset=Region.objects.all(), required=False, allow_null=True
    )
    services = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.filter(is_active=True), many=True, required=False
    )
    status = serializers.ChoiceField(
        choices=PartnershipStatus.choices,
        required=False,
        help_text="A new memorandum is draft or active (the default); later: draft → active or terminated, "
        "active → expired or terminated, expired → active (renewed).",
    )

    class Meta:
        model = Partnership
        fields = [*services.PARTNERSHIP_FIELDS, "parties", "services"]


class PartnershipTerminateSerializer(serializers.Serializer):
    terminated_on = serializers.DateField(required=False, help_text="Today when not given.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PartnershipQuerySerializer(serializers.Serializer):
    region = serializers.RegexField(r"^\d{9}$", required=False, help_text="KATO code")
    status = serializers.ChoiceField(
        choices=[IN_FORCE, ALL_STATUSES, *PartnershipStatus.values],
        required=False,
        help_text="in_force (the default): in force today; all: every memorandum; or one status.",
    )
    organisation = serializers.UUIDField(required=False, help_text="A party")


class PartnershipViewSet(TirekViewSet):
    """Memoranda of cooperation between organisations (public within Tirek: no personal data)."""

    output_serializer = PartnershipSerializer
    input_serializer = PartnershipInputSerializer
    queryset = Partnership.objects.none()

    @extend_schema(parameters=[PartnershipQuerySerializer], responses=PartnershipSerializer(many=True))
    def list(self, request):
        parser = PartnershipQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        query = parser.validated_data
        region = region_list().filter(kato=query["region"]).first() if query.get("region") else None
        organisation = (
            Organisation.objects.filter(pk=query["organisation"]).first()
            if query.get("organisation")
            else None
        )
        if (query.get("region") and region is None) or (query.get("organisation") and organisation is None):
            return self.render_list(Partnership.objects.none())
        partnerships = partnership_list(
            user=request.user, region=region, status=query.get("status"), organisation=organisation
        )
        return self.render_list(partnerships)

    @extend_schema(responses={200: PartnershipSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(partnership_get(user=request.user, pk=pk))

    @extend_schema(
        request=PartnershipInputSerializer, responses={201: PartnershipSerializer, **ERROR_RESPONSES}
    )
    def create(self, request):
        partnership = services.partnership_create(actor=request.user, **self.parse())
        return self.render(partnership_get(user=request.user, pk=partnership.pk), status_code=201)

    @extend_schema(
        request=PartnershipInputSerializer, responses={200: PartnershipSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, pk=None):
        partnership = partnership_get(user=request.user, pk=pk)
        data = self.parse(partial=True)
        services.partnership_update(actor=request.user, partnership=partnership, **data)
        return self.render(partnership_get(user=request.user, pk=pk))

    @extend_schema(
        request=PartnershipTerminateSerializer, responses={200: PartnershipSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """End the memorandum before its term: it is no longer in force after `terminated_on`."""
        partnership = partnership_get(user=request.user, pk=pk)
        data = self.parse(serializer=PartnershipTerminateSerializer)
        services.partnership_terminate(actor=request.user, partnership=partnership, **data)
        return self.render(partnership_get(user=request.user, pk=pk))
