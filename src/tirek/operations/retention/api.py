"""The API of retention (administrators): the dry-run report, and the run that anonymises."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.operations.retention import services as retention
from tirek.people.models import Person


class OrganisationFigureSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(source="organisation_id")
    name = serializers.CharField(source="organisation")
    persons = serializers.IntegerField(min_value=0)


class RetentionRulesSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="Years after a person's last case closed.")
    appeal = serializers.IntegerField(
        help_text="Years after the last appeal closed, for persons without cases."
    )


class RetentionReportSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="The local day the periods are counted back from.")
    dry_run = serializers.BooleanField()
    rules = RetentionRulesSerializer()
    due = serializers.IntegerField(
        min_value=0, help_text="Persons due for anonymisation (each counted once)."
    )
    organisations = OrganisationFigureSerializer(
        many=True, help_text="Persons due per organisation that served them (a person may count in several)."
    )
    anonymised = serializers.IntegerField(min_value=0, help_text="Persons anonymised by this run.")


class RetentionRunInputSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="Must be true: the anonymisation cannot be undone.")

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Tick the box to confirm the anonymisation."))
        return value


class RetentionViewSet(TirekViewSet):
    """Administrators only."""

    output_serializer = RetentionReportSerializer
    queryset = Person.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="retention_report", responses={200: RetentionReportSerializer, **ERROR_RESPONSES}
    )
    def report(self, request):
        """Who would be anonymised today, in total and by organisation (a dry run: nothing changes)."""
        return self.render(retention.retention_report(actor=request.user))

    @extend_schema(
        operation_id="retention_run",
        request=RetentionRunInputSerializer,
        responses={200: RetentionReportSerializer, **ERROR_RESPONSES},
    )
    def run(self, request):
        """Anonymise every person due now; answers what was done."""
        self.parse(serializer=RetentionRunInputSerializer)
        return self.render(retention.retention_run(actor=request.user, dry_run=False))
