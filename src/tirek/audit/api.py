from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from tirek.audit.forms import AuditFilterForm
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


class AuditEventViewSet(TirekViewSet):
    """The audit trail, read-only, for the roles allowed to read it."""

    output_serializer = AuditEventSerializer
    queryset = AuditEvent.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("actor", str),
            OpenApiParameter("organisation", str),
            OpenApiParameter("action", str),
            OpenApiParameter("object_type", str),
            OpenApiParameter("subject_person", str),
            OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
        ],
        responses={200: AuditEventSerializer(many=True), **ERROR_RESPONSES},
    )
    def list(self, request):
        require(request.user, "audit.view")
        filters = AuditFilterForm(request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        criteria = filters.cleaned_data
        events = audit_event_list(
            user=request.user,
            actor_id=getattr(criteria.get("actor"), "pk", None),
            organisation_id=getattr(criteria.get("organisation"), "pk", None),
            action=criteria.get("action") or None,
            object_type=criteria.get("object_type") or None,
            subject_person_id=criteria.get("subject_person"),
            date_from=criteria.get("date_from"),
            date_to=criteria.get("date_to"),
        )
        return self.render_list(events)
