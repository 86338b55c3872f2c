"""The API of reports: the indicator catalogue, and one indicator computed with filters and a split."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.directory.models import Organisation
from tirek.reports import selectors
from tirek.reports.aggregates import aggregates_refresh_request
from tirek.reports.dashboard import dashboard_data
from tirek.reports.dashboard_forms import DashboardForm
from tirek.reports.forms import IndicatorFilterForm

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("reports/indicators", IndicatorViewSet, basename="report-indicator")
    router.register("reports/dashboard", DashboardViewSet, basename="report-dashboard")


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request.")
    definition = serializers.CharField(help_text="In the language of the request.")
    period_date = serializers.CharField(help_text="The date that decides whether a record is in the period.")
    dimensions = serializers.ListField(child=serializers.CharField())
    filters = serializers.SerializerMethodField(help_text="Optional filters besides period and place.")

    def get_filters(self, indicator) -> list[str]:
        return sorted(indicator.filters)


RESULT = inline_serializer(
    "IndicatorResult",
    {
        "code": serializers.CharField(),
        "filters": serializers.DictField(),
        "computed_at": serializers.DateTimeField(),
        "rows": serializers.ListField(
            child=serializers.DictField(),
            help_text='[{<dimension>: code, "value": n}]; a small count suppressed for analysts is "<5".',
        ),
        "total": serializers.JSONField(
            allow_null=True, help_text="The unsplit figure of a split; null when a row is suppressed."
        ),
    },
)
QUERY = [
    OpenApiParameter("code", str, OpenApiParameter.PATH, description="The indicator's code."),
    OpenApiParameter("period", str, description="A year (2024), quarter (2024-Q2) or month (2024-05)."),
    OpenApiParameter("from", str, description="First day of the period, YYYY-MM-DD (1 January)."),
    OpenApiParameter("to", str, description="Last day of the period, YYYY-MM-DD (today)."),
    OpenApiParameter("organisation", str, description="An organisation's id (analysts)."),
    OpenApiParameter("region", str, description="A region's KATO code."),
    OpenApiParameter("programme", str, description="A programme's id."),
    OpenApiParameter("sex", str, description="male or female."),
    OpenApiParameter("age_band", str, description="0-1, 1-3, 3-7, 7-18 or 18plus (age on the date counted)."),
    OpenApiParameter(
        "diagnosis_group",
        str,
        description="An ICD-10 block (F80-F89) or category (F84): persons with a diagnosis in it.",
    ),
    OpenApiParameter("by", str, description="A dimension of the indicator to split by."),
]

RECORDS_QUERY = [
    OpenApiParameter("value", str, description="With `by`: the value of the split whose records to list."),
    OpenApiParameter("page", int, description="The page, 50 records each (1)."),
]
RECORDS = inline_serializer(
    "IndicatorRecords",
    {
        "code": serializers.CharField(),
        "filters": serializers.DictField(),
        "page": serializers.IntegerField(),
        "has_next": serializers.BooleanField(),
        "results": serializers.ListField(
            child=serializers.DictField(),
            help_text='[{"id", "date", "record", "url", "person": {"id", "name"} or null}], newest first.',
        ),
    },
)


class IndicatorViewSet(TirekViewSet):
    """The indicator catalogue and its figures, for managers (their organisation), analysts and
    administrators (any organisation, region or the country, small counts suppressed)."""

    output_serializer = IndicatorSerializer
    # Indicators are not rows of a model; this only tells the schema generator that (the path parameter is
    # declared on `retrieve`).
    queryset = Organisation.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_]+"
    pagination_class = None

    @extend_schema(responses={200: IndicatorSerializer(many=True), **ERROR_RESPONSES})
    def list(self, request):
        indicators = selectors.indicator_catalogue(user=request.user)
        return Response(IndicatorSerializer(indicators, many=True).data)

    @extend_schema(parameters=QUERY, responses={200: RESULT, **ERROR_RESPONSES})
    def retrieve(self, request, code=None):
        indicator = selectors.indicator_get(user=request.user, code=code)
        reach = selectors.report_reach(user=request.user)
        form = IndicatorFilterForm(
            request.query_params, user=request.user, indicator=indicator, exact=reach.exact
        )
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        result = selectors.indicator_compute(
            user=request.user, code=indicator.code, filters=form.filters(), by=form.by()
        )
        return Response(result)

    @extend_schema(parameters=[*QUERY, *RECORDS_QUERY], responses={200: RECORDS, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], url_path="records")
    def records(self, request, code=None):
        """The records behind the figure (managers: their organisation's; analysts get a 403)."""
        indicator = selectors.indicator_get(user=request.user, code=code)
        selectors.require_record_reader(user=request.user)  # a 403 before the filters, as on the page
        form = IndicatorFilterForm(request.query_params, user=request.user, indicator=indicator, exact=True)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        result = selectors.indicator_records(
            user=request.user,
            code=indicator.code,
            filters=form.filters(),
            by=form.by(),
            value=request.query_params.get("value"),
            page=request.query_params.get("page"),
        )
        return Response(records_body(result))


# -- the records behind a figure, and the dashboards ---------------------------------------------------------


def records_body(result: dict) -> dict:
    page = result["page"]
    return {
        "code": result["indicator"].code,
        "filters": result["filters"],
        "page": page.number,
        "has_next": page.has_next,
        "results": [
            {
                "id": row["id"],
                "date": row["date"],
                "record": row["record"],
                "url": row["url"],
                "person": (
                    {"id": str(row["person"].pk), "name": str(row["person"])}
                    if row["person"] is not None
                    else None
                ),
            }
            for row in page
        ],
    }


DASHBOARD_QUERY = [
    OpenApiParameter(
        "scope", str, enum=["organisation", "region", "country"], description="Whose figures (organisation)."
    ),
    OpenApiParameter(
        "organisation", str, description="An organisation's id (analysts; a manager's is theirs)."
    ),
    OpenApiParameter("region", str, description="A region's KATO code (scope region)."),
    OpenApiParameter(
        "period", str, description="A month (2026-05), quarter (2026-Q2) or year (2026); this month."
    ),
]


@extend_schema_serializer(many=False)  # one dashboard, though answered by the viewset's list
class DashboardSerializer(serializers.Serializer):
    """One dashboard: its tiles, charts (with their table rows) and trends, and when they were computed."""

    scope = serializers.CharField()
    organisation = serializers.DictField(allow_null=True)
    region = serializers.DictField(allow_null=True)
    period = serializers.DictField()
    previous_period = serializers.DictField()
    exact = serializers.BooleanField(help_text='False: small counts are hidden as "<5".')
    hidden_label = serializers.CharField()
    tiles = serializers.ListField(
        child=serializers.DictField(),
        help_text='[{"code", "name", "value", "previous", "change", "change_percent", "computed_at", '
        '"records_url"}]',
    )
    charts = serializers.ListField(
        child=serializers.DictField(),
        help_text='[{"id", "code", "by", "name", "dimension", "kind", "rows": [{"code", "label", '
        '"value"}], "labels", "values", "computed_at"}]: the labels and values are the rows.',
    )
    trends = serializers.ListField(child=serializers.DictField())
    computed_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField(
        help_text="Some figures are older than the records; a refresh is queued."
    )
    refresh_queued = serializers.BooleanField()


REFRESH = inline_serializer("DashboardRefresh", {"queued": serializers.BooleanField()})


class DashboardViewSet(TirekViewSet):
    """The dashboards: an organisation's (a manager's own; analysts choose), a region's and the country's
    (analysts and administrators), read from the pre-computed figures; and a manager's refresh request."""

    output_serializer = IndicatorSerializer  # unused: the answers are the selectors' dictionaries
    queryset = Organisation.objects.none()
    pagination_class = None

    @extend_schema(parameters=DASHBOARD_QUERY, responses={200: DashboardSerializer, **ERROR_RESPONSES})
    def list(self, request):
        scope = request.query_params.get("scope") or "organisation"
        reach = selectors.report_reach(user=request.user)
        form = DashboardForm(request.query_params, user=request.user, scope=scope, exact=reach.exact)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        return Response(dashboard_data(user=request.user, scope=scope, **form.choices()))

    @extend_schema(request=None, responses={202: REFRESH, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="refresh")
    def refresh(self, request):
        """A manager asks for their organisation's figures to be recomputed (in the background)."""
        aggregates_refresh_request(actor=request.user)
        return Response({"queued": True}, status=202)
