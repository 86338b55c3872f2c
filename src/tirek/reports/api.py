"""The API of reports: the indicator catalogue, and one indicator computed with filters and a split."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.directory.models import Organisation
from tirek.reports import selectors
from tirek.reports.forms import IndicatorFilterForm

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("reports/indicators", IndicatorViewSet, basename="report-indicator")


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
    OpenApiParameter("by", str, description="A dimension of the indicator to split by."),
]


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
