"""The exports API: an indicator's file at once; record lists (and indicators) written in the background as
jobs: POST /exports/ answers 202 with the job, GET /exports/{id}/ its progress, GET /exports/{id}/download/
the file. A job is seen by whoever asked for it only (anyone else gets a 404)."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from tirek.audit.api import QUERY as AUDIT_QUERY
from tirek.audit.api import AuditFilterSerializer
from tirek.core.api import ERROR_RESPONSES, TirekViewSet, file_responses
from tirek.core.scoping import require
from tirek.exports import audit_trail, selectors, services
from tirek.exports.choices import ExportFormat, ExportWhat
from tirek.exports.indicators import PDF_LANGUAGES
from tirek.exports.models import ExportJob
from tirek.exports.views import file_response
from tirek.reports.api import QUERY as INDICATOR_QUERY


def register(router) -> None:
    router.register("exports", ExportJobViewSet, basename="export-job")


class FileFormatNegotiation(DefaultContentNegotiation):
    """`format` names the file asked for here, not the renderer of the answer: errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportJobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(
        source="get_status_display", help_text="In the language of the request."
    )
    percent = serializers.IntegerField()
    error_message = serializers.SerializerMethodField(
        help_text="Why it failed, in the language of the request."
    )
    download_url = serializers.SerializerMethodField(help_text="The file, once the export is done.")

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "what",
            "code",
            "format",
            "params",
            "language",
            "status",
            "status_label",
            "rows_done",
            "rows_total",
            "percent",
            "error",
            "error_message",
            "filename",
            "download_url",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_error_message(self, job) -> str | None:
        return job.get_error_display() if job.error else None

    def get_download_url(self, job) -> str | None:
        if job.status != "done":
            return None
        return reverse("api:export-job-download", args=[job.pk])


class ExportRequestSerializer(serializers.Serializer):
    what = serializers.ChoiceField(choices=ExportWhat.choices)
    format = serializers.ChoiceField(
        choices=ExportFormat.choices,
        help_text="xlsx or csv for record lists; xlsx, csv or pdf for an indicator.",
    )
    code = serializers.CharField(
        required=False, default="", help_text="The indicator's code (what=indicator)."
    )
    language = serializers.ChoiceField(
        choices=[(code, code) for code in PDF_LANGUAGES], required=False, help_text="Of a PDF: kk or ru."
    )
    params = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="The filters, as the list page or the indicator takes them in its query string "
        '(e.g. {"status": "active"} for cases, {"date_from": "2025-01-01"} for sessions, '
        '{"from": "2025-01-01", "by": "mode"} for an indicator).',
    )


class ExportJobViewSet(TirekViewSet):
    """The user's own exports written in the background."""

    output_serializer = ExportJobSerializer
    queryset = ExportJob.objects.none()
    lookup_value_regex = "[0-9a-f-]{36}"

    @extend_schema(responses={200: ExportJobSerializer(many=True), **ERROR_RESPONSES})
    def list(self, request):
        return self.render_list(selectors.export_job_list(user=request.user))

    @extend_schema(request=ExportRequestSerializer, responses={202: ExportJobSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse(serializer=ExportRequestSerializer)
        job = services.export_request(actor=request.user, **data)
        return self.render(job, status_code=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: ExportJobSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(selectors.export_job_get(user=request.user, pk=pk))

    @extend_schema(
        responses={
            **file_responses(services.CONTENT_TYPES.values(), "The file (XLSX, CSV or PDF)."),
            **ERROR_RESPONSES,
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = selectors.export_job_get(user=request.user, pk=pk)
        handle = services.export_job_download(actor=request.user, job=job)
        return FileResponse(handle, as_attachment=True, filename=job.filename)


class IndicatorExportView(APIView):
    """One indicator as a file at once, with the filters of GET /reports/indicators/{code}/: exactly its
    figures (an analyst's small counts suppressed, never a name)."""

    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        operation_id="exports_indicator_retrieve",
        parameters=[
            *INDICATOR_QUERY,
            OpenApiParameter("format", str, description="The file: xlsx (the default), csv or pdf."),
            OpenApiParameter("language", str, enum=list(PDF_LANGUAGES), description="Of a PDF: kk or ru."),
        ],
        responses={
            **file_responses(services.CONTENT_TYPES.values(), "The file (XLSX, CSV or PDF)."),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request, code: str):
        export = services.indicator_export(
            actor=request.user,
            code=code,
            format=request.query_params.get("format", ExportFormat.XLSX),
            params=request.query_params,
            language=request.query_params.get("language"),
        )
        return file_response(export)


class AuditTrailExportView(APIView):
    """The audit trail's events that the reader may see and the filters of GET /audit-events/ select, as a
    file (tirek.exports.audit_trail)."""

    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        operation_id="audit_events_export",
        parameters=[
            *AUDIT_QUERY,
            OpenApiParameter(
                "format",
                str,
                enum=[*audit_trail.EXPORT_FORMATS],
                description=f"csv (the default) or xlsx; at most {audit_trail.EXPORT_MAX_ROWS} events "
                "a file.",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The events as a file."),
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The events as a file."
            ),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request):
        require(request.user, "audit.view")
        filters = AuditFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        export = audit_trail.audit_trail_export(
            actor=request.user,
            format=request.query_params.get("format", "csv"),
            criteria=filters.criteria(),
        )
        return file_response(export)


extra_urlpatterns = [
    path("exports/indicator/<slug:code>/", IndicatorExportView.as_view(), name="export-indicator"),
    # Before the router's audit-events/<pk>/.
    path("audit-events/export/", AuditTrailExportView.as_view(), name="audit-event-export"),
]
