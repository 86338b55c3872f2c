"""The API of notifications: a user's own notifications, marking them read, and the unread count."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.notifications import selectors, services
from tirek.notifications.models import Notification

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("notifications", NotificationViewSet, basename="notification")


class NotificationSerializer(serializers.ModelSerializer):
    message = serializers.CharField(read_only=True, help_text="In the language of the request.")
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "link", "created_at", "read_at", "is_read"]

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


COUNT = inline_serializer("NotificationCount", {"unread": serializers.IntegerField()})


class NotificationViewSet(TirekViewSet):
    """The signed-in user's notifications; nobody sees anyone else's."""

    output_serializer = NotificationSerializer
    queryset = Notification.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread ones.")],
        responses=NotificationSerializer(many=True),
    )
    def list(self, request):
        unread = request.query_params.get("unread") in ("1", "true")
        return self.render_list(selectors.notification_list(user=request.user, unread=unread))

    @extend_schema(responses={200: NotificationSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(selectors.notification_get(user=request.user, pk=pk))

    @extend_schema(request=None, responses={200: NotificationSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = selectors.notification_get(user=request.user, pk=pk)
        return self.render(services.notification_read(actor=request.user, notification=notification))

    @extend_schema(request=None, responses={200: COUNT, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        services.notification_read_all(actor=request.user)
        return Response({"unread": selectors.unread_count(user=request.user)})

    @extend_schema(responses={200: COUNT, **ERROR_RESPONSES})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(user=request.user)})
