from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.core.scoping import get_visible_or_404
from tirek.emergency import services
from tirek.emergency.models import EmergencyAccess
from tirek.emergency.selectors import emergency_access_list


class EmergencyAccessSerializer(serializers.ModelSerializer):
    user = serializers.UUIDField(source="user_id", read_only=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = EmergencyAccess
        fields = [
            "id",
            "user",
            "user_name",
            "organisation",
            "person",
            "reason",
            "created_at",
            "expires_at",
            "ended_at",
            "is_active",
        ]


class EmergencyAccessOpenSerializer(serializers.Serializer):
    iin = serializers.CharField(max_length=12, min_length=12)
    reason = serializers.CharField(
        help_text="Why this cannot wait; at least 20 characters. Audited and shown."
    )


class EmergencyAccessViewSet(TirekViewSet):
    """Emergency access to a person's record outside the organisation's reach (managers): opened with a
    reason, it lasts TIREK_EMERGENCY_ACCESS_HOURS, is audited and announced to the record's holders."""

    output_serializer = EmergencyAccessSerializer
    queryset = EmergencyAccess.objects.none()

    @extend_schema(responses=EmergencyAccessSerializer(many=True))
    def list(self, request):
        return self.render_list(emergency_access_list(user=request.user))

    @extend_schema(responses={200: EmergencyAccessSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(get_visible_or_404(EmergencyAccess.objects, request.user, pk=pk))

    @extend_schema(
        request=EmergencyAccessOpenSerializer, responses={201: EmergencyAccessSerializer, **ERROR_RESPONSES}
    )
    def create(self, request):
        data = self.parse(serializer=EmergencyAccessOpenSerializer)
        access = services.emergency_access_open(actor=request.user, iin=data["iin"], reason=data["reason"])
        return self.render(access, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: EmergencyAccessSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        access = get_visible_or_404(EmergencyAccess.objects, request.user, pk=pk)
        return self.render(services.emergency_access_end(actor=request.user, access=access))
