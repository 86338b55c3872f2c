from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from tirek.audit.choices import AuditAction
from tirek.audit.models import AuditEvent
from tirek.audit.selectors import audit_event_list
from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.core.scoping import require


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.UUIDField(source="actor_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)

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
        ]


class AuditFilterSerializer(serializers.Serializer):
    actor = serializers.UUIDField(required=False)
    organisation = serializers.UUIDField(required=False)
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    object_type = serializers.CharField(required=False)
    subject_person = serializers.UUIDField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class AuditEventViewSet(TirekViewSet):
    """The audit trail, read-only, for the roles allowed to read it."""

    output_serializer = AuditEventSerializer
    queryset = AuditEvent.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("actor", OpenApiTypes.UUID),
            OpenApiParameter("organisation", OpenApiTypes.UUID),
            OpenApiParameter("action", str, enum=AuditAction.values),
            OpenApiParameter("object_type", str),
            OpenApiParameter("subject_person", OpenApiTypes.UUID),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
        ],
        responses={200: AuditEventSerializer(many=True), **ERROR_RESPONSES},
    )
    def list(self, request):
        require(request.user, "audit.view")
        filters = AuditFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        criteria = filters.validated_data
        events = audit_event_list(
            user=request.user,
            actor_id=criteria.get("actor"),
            organisation_id=criteria.get("organisation"),
            action=criteria.get("action") or None,
            object_type=criteria.get("object_type") or None,
            subject_person_id=criteria.get("subject_person"),
            date_from=criteria.get("date_from"),
            date_to=criteria.get("date_to"),
        )
        return self.render_list(events)
