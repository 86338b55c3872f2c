"""The journal import over the API: the same import as the upload page, answered as counts or a report."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tirek.core.api import ErrorDetailSerializer, ErrorSerializer
from tirek.core.errors import error_body
from tirek.core.scoping import require
from tirek.directory.selectors import active_organisation_get
from tirek.people import importing
from tirek.people.import_views import TEMPLATE_TYPES


class PersonImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # an empty file gets the import's own report, like every other bad file
        help_text="The journal: an .xlsx or .csv file with the columns of the template.",
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Check the file as a real import would, and write nothing."
    )


class PersonImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Data rows in the file.")
    created = serializers.IntegerField(help_text="Persons of the rows newly registered.")
    matched = serializers.IntegerField(help_text="Persons of the rows already registered (by IIN or number).")
    cases_opened = serializers.IntegerField()
    parents_created = serializers.IntegerField()
    families_created = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class ImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="The row as numbered in the spreadsheet (the header is row 1)."
    )
    column = serializers.CharField(allow_blank=True, help_text="The column key, e.g. iin, birth_date.")
    header = serializers.CharField(allow_blank=True, help_text="The column's name as in the file.")
    value = serializers.CharField(allow_blank=True)
    code = serializers.CharField()
    message = serializers.CharField(help_text="Why, in the user's language.")


class PersonImportErrorDetailSerializer(ErrorDetailSerializer):
    problems = ImportProblemSerializer(many=True, required=False)


class PersonImportErrorSerializer(serializers.Serializer):
    """The one error shape, with the import's report under error.problems."""

    error = PersonImportErrorDetailSerializer()


class PersonImportView(APIView):
    """Import a journal of children and families into the active organisation: all rows or none."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="people_import_create",
        request={"multipart/form-data": PersonImportInputSerializer},
        responses={
            201: OpenApiResponse(PersonImportResultSerializer, description="Imported."),
            200: OpenApiResponse(
                PersonImportResultSerializer, description="Dry run: the file would import as counted."
            ),
            400: OpenApiResponse(
                PersonImportErrorSerializer,
                description="Nothing was imported; error.problems lists row, column, value and reason.",
            ),
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        tags=["people"],
    )
    def post(self, request):
        organisation = active_organisation_get(user=request.user)
        # The right is checked before the upload is read (and again by the import itself).
        require(request.user, "people.import", organisation)
        parser = PersonImportInputSerializer(data=request.data)
        parser.is_valid(raise_exception=True)
        upload = parser.validated_data["file"]
        result = importing.import_persons(
            actor=request.user,
            organisation=organisation,
            file_bytes=upload.read(importing.MAX_BYTES + 1),
            filename=upload.name,
            dry_run=parser.validated_data["dry_run"],
        )
        if not result.ok:
            body = error_body("invalid_import", _("The file was not imported: correct the problems listed."))
            body["error"]["problems"] = result.problems
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            PersonImportResultSerializer(result.counts()).data,
            status=status.HTTP_200_OK if result.dry_run else status.HTTP_201_CREATED,
        )


class TemplateQuerySerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=["kk", "ru"], default="kk")
    # Not "format": DRF reads that query parameter to choose a renderer.
    file_format = serializers.ChoiceField(choices=["xlsx", "csv"], default="xlsx")


class PersonImportTemplateView(APIView):
    """The journal template, with headers in Kazakh or Russian and one example row."""

    @extend_schema(
        operation_id="people_import_template",
        parameters=[TemplateQuerySerializer],
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        tags=["people"],
    )
    def get(self, request):
        organisation = active_organisation_get(user=request.user)
        require(request.user, "people.import", organisation)
        query = TemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        language, file_format = query.validated_data["language"], query.validated_data["file_format"]
        response = HttpResponse(
            importing.import_template(language, file_format, organisation=organisation),
            content_type=TEMPLATE_TYPES[file_format],
        )
        response["Content-Disposition"] = f'attachment; filename="tirek-import-{language}.{file_format}"'
        return response
