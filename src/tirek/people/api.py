from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.audit.services import audit_view
from tirek.catalog.models import Diagnosis
from tirek.core.api import (
    ERROR_RESPONSES,
    UPDATE_ERROR_RESPONSES,
    ErrorSerializer,
    InputSerializer,
    TirekViewSet,
    query_uuid,
    version_field,
)
from tirek.directory.models import Organisation, Region
from tirek.directory.selectors import active_organisation_get
from tirek.people import services
from tirek.people.access import CONTACT_FIELDS, can_see_health, contacts_hidden_for
from tirek.people.choices import ConsentPurpose
from tirek.people.lookup import person_lookup_iin, registration_iin_lookup
from tirek.people.models import Consent, Family, FamilyMember, Person, PersonDiagnosis
from tirek.people.selectors import (
    consent_get,
    consent_list,
    family_get,
    family_list,
    person_get,
    person_list,
    person_search,
)

PERSON_OUTPUT_FIELDS = [
    "id",
    "iin",
    "iin_missing_reason",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "gestation_weeks",
    "sex",
    "citizenship",
    "region",
    "locality",
    "street",
    "phone",
    "phone_other",
    "home_languages",
    "notes",
    "created_at",
    "updated_at",
]


class PersonDiagnosisSerializer(serializers.ModelSerializer):
    diagnosis = serializers.SlugRelatedField(
        slug_field="code", queryset=Diagnosis.objects.filter(is_active=True)
    )

    class Meta:
        model = PersonDiagnosis
        fields = ["id", "diagnosis", "diagnosed_on", "source"]
        read_only_fields = ["id"]


class PersonHealthSerializer(serializers.ModelSerializer):
    diagnoses = PersonDiagnosisSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["disability_status", "ipar_number", "ipar_from", "ipar_to", "diagnoses"]


class PersonSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="kato", read_only=True, allow_null=True)
    health = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [*PERSON_OUTPUT_FIELDS, "version", "health"]

    def to_representation(self, person):
        data = super().to_representation(person)
        if person.pk in self.context.get("contacts_hidden", ()):
            data.update({name: None if name == "region" else "" for name in CONTACT_FIELDS})
        return data

    @extend_schema_field(PersonHealthSerializer(allow_null=True))
    def get_health(self, person):
        """Health data: only for the case team and the organisation's managers, only on the detail."""
        request = self.context.get("request")
        if request is None or not self.context.get("with_health") or not can_see_health(request.user, person):
            return None
        return PersonHealthSerializer(person).data


class PersonInputSerializer(InputSerializer):
    region = serializers.SlugRelatedField(
        slug_field="kato", queryset=Region.objects.all(), required=False, allow_null=True
    )
    confirm_mismatch = serializers.BooleanField(
        required=False, default=False, help_text="Save although the birth date or sex disagrees with the IIN."
    )
    iin = serializers.CharField(max_length=12, required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = Person
        fields = [
            *[f for f in PERSON_OUTPUT_FIELDS if f not in ("id", "created_at", "updated_at")],
            "disability_status",
            "ipar_number",
            "ipar_from",
            "ipar_to",
            "confirm_mismatch",
        ]
        extra_kwargs = {"sex": {"required": False}}


class PersonUpdateSerializer(PersonInputSerializer):
    version = version_field()

    class Meta(PersonInputSerializer.Meta):
        fields = [*PersonInputSerializer.Meta.fields, "version"]


class LookupSerializer(serializers.Serializer):
    exists = serializers.BooleanField()
    id = serializers.UUIDField(allow_null=True)


class PersonDiagnosisInputSerializer(serializers.Serializer):
    diagnosis = serializers.SlugRelatedField(
        slug_field="code", queryset=Diagnosis.objects.filter(is_active=True)
    )
    diagnosed_on = serializers.DateField(required=False, allow_null=True)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PersonViewSet(TirekViewSet):
    output_serializer = PersonSerializer
    input_serializer = PersonInputSerializer
    queryset = Person.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="IIN, name in any script, phone or case number (3+)")
        ],
        responses=PersonSerializer(many=True),
    )
    def list(self, request):
        query = request.query_params.get("q", "")
        persons = person_search(user=request.user, query=query) if query else person_list(user=request.user)
        page = self.paginate_queryset(persons.order_by("-created_at"))
        context = {
            **self.get_serializer_context(),
            "contacts_hidden": contacts_hidden_for(request.user, page),
        }
        return self.get_paginated_response(PersonSerializer(page, many=True, context=context).data)

    @extend_schema(responses={200: PersonSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        person = person_get(user=request.user, pk=pk)
        audit_view(
            actor=request.user,
            obj=person,
            organisation=request.user.active_organisation_id_checked(),
            subject_person_id=person.pk,
        )
        context = {
            "request": request,
            "with_health": True,
            "contacts_hidden": contacts_hidden_for(request.user, [person]),
        }
        return Response(PersonSerializer(person, context=context).data)

    @extend_schema(
        request=PersonInputSerializer,
        responses={201: PersonSerializer, **ERROR_RESPONSES, 429: ErrorSerializer},
    )
    def create(self, request):
        """Register a person. With an IIN, the registration is also an IIN look-up (it tells whether the IIN
        is taken): audited and counted in the user's hourly allowance, 429 beyond it."""
        data = self.parse()
        confirm = data.pop("confirm_mismatch", False)
        organisation = active_organisation_get(user=request.user)
        registration_iin_lookup(user=request.user, iin=data.get("iin"))
        person = services.person_register(
            actor=request.user, organisation=organisation, confirm_mismatch=confirm, **data
        )
        return self.render(person, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonUpdateSerializer, responses={200: PersonSerializer, **UPDATE_ERROR_RESPONSES}
    )
    def partial_update(self, request, pk=None):
        person = person_get(user=request.user, pk=pk)
        data = self.parse(instance=person, partial=True, serializer=PersonUpdateSerializer)
        confirm = data.pop("confirm_mismatch", False)
        person = services.person_update(actor=request.user, person=person, confirm_mismatch=confirm, **data)
        context = {
            "request": request,
            "with_health": True,
            "contacts_hidden": contacts_hidden_for(request.user, [person]),
        }
        return Response(PersonSerializer(person, context=context).data)

    @extend_schema(
        parameters=[OpenApiParameter("iin", str, required=True, pattern=r"^\d{12}$")],
        responses={200: LookupSerializer, **ERROR_RESPONSES, 429: ErrorSerializer},
    )
    @action(detail=False, methods=["get"])
    def lookup(self, request):
        """Whether a person with this IIN exists anywhere; their id only if the user may see them. Each
        look-up is audited; a user has TIREK_IIN_LOOKUPS_PER_HOUR of them in any hour, then 429
        (`throttled`, with Retry-After)."""
        parser = IinQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        return Response(
            LookupSerializer(person_lookup_iin(user=request.user, iin=parser.validated_data["iin"])).data
        )

    @extend_schema(
        request=PersonDiagnosisInputSerializer, responses={201: PersonDiagnosisSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def diagnoses(self, request, pk=None):
        person = person_get(user=request.user, pk=pk)
        data = self.parse(serializer=PersonDiagnosisInputSerializer)
        record = services.person_diagnosis_add(actor=request.user, person=person, **data)
        return Response(PersonDiagnosisSerializer(record).data, status=status.HTTP_201_CREATED)


class IinQuerySerializer(serializers.Serializer):
    iin = serializers.RegexField(r"^\d{12}$")


class FamilyMemberSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id", read_only=True)

    class Meta:
        model = FamilyMember
        fields = ["id", "person", "role", "is_legal_representative"]


class FamilySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="kato", read_only=True, allow_null=True)
    members = FamilyMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Family
        fields = [
            "id",
            "name",
            "region",
            "address",
            "low_income",
            "many_children",
            "single_parent",
            "difficult_situation",
            "difficult_situation_grounds",
            "members",
            "created_at",
        ]


class FamilyInputSerializer(InputSerializer):
    region = serializers.SlugRelatedField(
        slug_field="kato", queryset=Region.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Family
        fields = list(services.FAMILY_FIELDS)


class FamilyMemberInputSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    role = serializers.ChoiceField(choices=FamilyMember._meta.get_field("role").choices)
    is_legal_representative = serializers.BooleanField(required=False, default=False)


class FamilyViewSet(TirekViewSet):
    output_serializer = FamilySerializer
    input_serializer = FamilyInputSerializer
    queryset = Family.objects.none()

    @extend_schema(responses=FamilySerializer(many=True))
    def list(self, request):
        return self.render_list(family_list(user=request.user).order_by("-created_at"))

    @extend_schema(responses={200: FamilySerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(family_get(user=request.user, pk=pk))

    @extend_schema(request=FamilyInputSerializer, responses={201: FamilySerializer, **ERROR_RESPONSES})
    def create(self, request):
        organisation = active_organisation_get(user=request.user)
        family = services.family_create(actor=request.user, organisation=organisation, **self.parse())
        return self.render(family, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=FamilyInputSerializer, responses={200: FamilySerializer, **ERROR_RESPONSES})
    def partial_update(self, request, pk=None):
        family = family_get(user=request.user, pk=pk)
        data = self.parse(instance=family, partial=True)
        return self.render(services.family_update(actor=request.user, family=family, **data))

    @extend_schema(
        request=FamilyMemberInputSerializer, responses={201: FamilyMemberSerializer, **ERROR_RESPONSES}
    )
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        family = family_get(user=request.user, pk=pk)
        data = self.parse(serializer=FamilyMemberInputSerializer)
        person = person_get(user=request.user, pk=data.pop("person"))
        member = services.family_member_add(actor=request.user, family=family, person=person, **data)
        return Response(FamilyMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **ERROR_RESPONSES})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<member_id>\d+)")
    def remove_member(self, request, pk=None, member_id=None):
        family = family_get(user=request.user, pk=pk)
        member = family.members.filter(pk=member_id).first()
        if member is None:
            raise Http404
        services.family_member_remove(actor=request.user, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id", read_only=True)
    given_by = serializers.UUIDField(source="given_by_id", read_only=True)
    shared_with = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "given_by",
            "purposes",
            "shared_with",
            "share_with_referral_targets",
            "given_on",
            "valid_until",
            "document_reference",
            "withdrawn_on",
            "withdrawn_by",
            "is_active",
            "created_at",
        ]


class ConsentInputSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    given_by = serializers.UUIDField()
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPurpose.choices), min_length=1
    )
    shared_with = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.filter(is_active=True), required=False
    )
    share_with_referral_targets = serializers.BooleanField(required=False, default=False)
    given_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    document_reference = serializers.CharField(max_length=120, required=False, allow_blank=True)


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_by = serializers.CharField(max_length=200)
    withdrawn_on = serializers.DateField(required=False)


class ConsentViewSet(TirekViewSet):
    output_serializer = ConsentSerializer
    queryset = Consent.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("person", OpenApiTypes.UUID)], responses=ConsentSerializer(many=True)
    )
    def list(self, request):
        consents = consent_list(user=request.user)
        person_id = query_uuid(request.query_params.get("person"))
        if person_id:
            consents = consents.filter(person_id=person_id)
        return self.render_list(consents.order_by("-created_at"))

    @extend_schema(responses={200: ConsentSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(consent_get(user=request.user, pk=pk))

    @extend_schema(request=ConsentInputSerializer, responses={201: ConsentSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse(serializer=ConsentInputSerializer)
        person = person_get(user=request.user, pk=data.pop("person"))
        given_by = person_get(user=request.user, pk=data.pop("given_by"))
        organisation = active_organisation_get(user=request.user)
        consent = services.consent_record(
            actor=request.user, organisation=organisation, person=person, given_by=given_by, **data
        )
        return self.render(consent, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentWithdrawSerializer, responses={200: ConsentSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = consent_get(user=request.user, pk=pk)
        data = self.parse(serializer=ConsentWithdrawSerializer)
        data.setdefault("withdrawn_on", timezone.localdate())
        return self.render(services.consent_withdraw(actor=request.user, consent=consent, **data))
