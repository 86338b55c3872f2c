from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.audit.selectors import FILTERS, audit_event_list
from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.core.forms import period_error
from tirek.core.scoping import require
from tirek.core.validators import validate_iin


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.UUIDField(source="actor_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    count = serializers.IntegerField(
        source="refusal_count",
        read_only=True,
        help_text="How many acts the event stands for: for permission_denied, the refusals of this actor and "
        "object type within the minute from the event's time; 1 for every other event.",
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "organisation",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "subject_person_id",
            "client_address",
            "changes",
            "note",
            "count",
        ]


class AuditFilterSerializer(serializers.Serializer):
    """The trail's filters in the query (the page's AuditFilterForm takes the same)."""

    actor = serializers.UUIDField(required=False)
    organisation = serializers.UUIDField(required=False)
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    object_type = serializers.CharField(required=False, max_length=100)
    subject_person = serializers.UUIDField(required=False)
    iin = serializers.CharField(required=False, validators=[validate_iin])
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        message = period_error(attrs.get("date_from"), attrs.get("date_to"))
        if message:
            raise serializers.ValidationError({"date_to": [message]})
        return attrs

    def criteria(self) -> dict:
        return {name: self.validated_data[name] for name in FILTERS if self.validated_data.get(name)}


QUERY = [
    OpenApiParameter("actor", OpenApiTypes.UUID),
    OpenApiParameter("organisation", OpenApiTypes.UUID),
    OpenApiParameter("action", str, enum=AuditAction.values),
    OpenApiParameter("object_type", str),
    OpenApiParameter("subject_person", OpenApiTypes.UUID, description="The events about this person."),
    OpenApiParameter(
        "iin", str, description="The events about the person holding this IIN (and persons merged into them)."
    ),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
]


class AuditEventViewSet(TirekViewSet):
    """The audit trail, read-only: the whole trail for administrators, an organisation's own events for its
    data protection officer."""

    output_serializer = AuditEventSerializer
    queryset = AuditEvent.objects.none()

    def _criteria(self, request) -> dict:
        filters = AuditFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.criteria()

    @extend_schema(parameters=QUERY, responses={200: AuditEventSerializer(many=True), **ERROR_RESPONSES})
    def list(self, request):
        require(request.user, "audit.view")
        return self.render_list(audit_event_list(user=request.user, **self._criteria(request)))
