from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination

from tirek.catalog import services
from tirek.catalog.models import Diagnosis, Profession, Service, ServiceType
from tirek.catalog.selectors import diagnosis_list, profession_list, service_list, service_type_list
from tirek.core.api import ERROR_RESPONSES, InputSerializer, TirekViewSet

REFERENCE_FIELDS = ["code", "name", "name_kk", "name_ru", "name_en", "is_active", "sort_order"]
REFERENCE_INPUT_FIELDS = ["code", "name_kk", "name_ru", "name_en", "is_active", "sort_order"]


class CodePagination(CursorPagination):
    ordering = "code"
    page_size = 200


def _reference_serializers(model, extra_fields=(), extra_declared=None):
    """The output and input serializers of one reference list."""
    declared = {"name": serializers.CharField(read_only=True), **(extra_declared or {})}
    output = type(
        f"{model.__name__}Serializer",
        (serializers.ModelSerializer,),
        {
            **declared,
            "Meta": type("Meta", (), {"model": model, "fields": [*REFERENCE_FIELDS, *extra_fields]}),
        },
    )
    input_declared = dict(extra_declared or {})
    for field in input_declared.values():
        field.read_only = False
    inputs = type(
        f"{model.__name__}InputSerializer",
        (InputSerializer,),
        {
            **input_declared,
            "Meta": type("Meta", (), {"model": model, "fields": [*REFERENCE_INPUT_FIELDS, *extra_fields]}),
        },
    )
    return output, inputs


ServiceTypeSerializer, ServiceTypeInputSerializer = _reference_serializers(ServiceType)
ProfessionSerializer, ProfessionInputSerializer = _reference_serializers(Profession)
DiagnosisSerializer, DiagnosisInputSerializer = _reference_serializers(Diagnosis)
ServiceSerializer, _unused = _reference_serializers(
    Service,
    ["service_type"],
    {"service_type": serializers.SlugRelatedField(slug_field="code", read_only=True)},
)


class ServiceInputSerializer(InputSerializer):
    service_type = serializers.SlugRelatedField(slug_field="code", queryset=ServiceType.objects.all())

    class Meta:
        model = Service
        fields = [*REFERENCE_INPUT_FIELDS, "service_type"]


class ReferenceViewSet(TirekViewSet):
    """Everyone signed in reads a reference list; administrators add to it and change it."""

    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_.\-]+"
    pagination_class = CodePagination
    model: type

    def selector(self, request):
        raise NotImplementedError

    def list(self, request):
        return self.render_list(self.selector(request))

    def retrieve(self, request, code=None):
        return self.render(get_object_or_404(self.model, code=code))

    def create(self, request):
        item = services.reference_item_create(actor=request.user, model=self.model, **self.parse())
        return self.render(item, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, code=None):
        item = get_object_or_404(self.model, code=code)
        data = self.parse(instance=item, partial=True)
        return self.render(services.reference_item_update(actor=request.user, item=item, **data))


def _documented(output, inputs, parameters=()):
    return extend_schema_view(
        list=extend_schema(parameters=list(parameters), responses=output(many=True)),
        retrieve=extend_schema(responses={200: output, **ERROR_RESPONSES}),
        create=extend_schema(request=inputs, responses={201: output, **ERROR_RESPONSES}),
        partial_update=extend_schema(request=inputs, responses={200: output, **ERROR_RESPONSES}),
    )


@_documented(ServiceTypeSerializer, ServiceTypeInputSerializer)
class ServiceTypeViewSet(ReferenceViewSet):
    model = ServiceType
    queryset = ServiceType.objects.none()
    output_serializer = ServiceTypeSerializer
    input_serializer = ServiceTypeInputSerializer

    def selector(self, request):
        return service_type_list()


@_documented(ServiceSerializer, ServiceInputSerializer, [OpenApiParameter("service_type", str)])
class ServiceViewSet(ReferenceViewSet):
    model = Service
    queryset = Service.objects.none()
    output_serializer = ServiceSerializer
    input_serializer = ServiceInputSerializer

    def selector(self, request):
        services_ = service_list()
        if request.query_params.get("service_type"):
            services_ = services_.filter(service_type__code=request.query_params["service_type"])
        return services_


@_documented(ProfessionSerializer, ProfessionInputSerializer)
class ProfessionViewSet(ReferenceViewSet):
    model = Profession
    queryset = Profession.objects.none()
    output_serializer = ProfessionSerializer
    input_serializer = ProfessionInputSerializer

    def selector(self, request):
        return profession_list()


@_documented(DiagnosisSerializer, DiagnosisInputSerializer, [OpenApiParameter("q", str)])
class DiagnosisViewSet(ReferenceViewSet):
    model = Diagnosis
    queryset = Diagnosis.objects.none()
    output_serializer = DiagnosisSerializer
    input_serializer = DiagnosisInputSerializer

    def selector(self, request):
        return diagnosis_list(query=request.query_params.get("q") or None)
