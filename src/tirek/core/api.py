"""The API's shared plumbing: parse with an input serializer, call one service or selector, render output."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """The one shape of every API error."""

    error = ErrorDetailSerializer()


ERROR_RESPONSES = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class InputSerializer(serializers.ModelSerializer):
    """Parses a write request's fields. Validation of the record itself, uniqueness included, is the service's
    `full_clean()`, so its messages are the same in the UI and the API."""

    def get_validators(self):
        return []

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields


def query_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID from a query parameter; None when absent; a 404 when malformed (nothing can match it)."""
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


class TirekViewSet(viewsets.GenericViewSet):
    """A viewset whose actions parse input, make one call, and render the output serializer."""

    output_serializer: type[serializers.Serializer]
    input_serializer: type[serializers.Serializer] | None = None

    def get_serializer_class(self):
        return self.output_serializer

    def parse(self, *, instance=None, partial: bool = False, serializer=None) -> dict[str, Any]:
        serializer_class = serializer or self.input_serializer
        parser = serializer_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        parser.is_valid(raise_exception=True)
        return dict(parser.validated_data)

    def render(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(
            self.output_serializer(instance, context=self.get_serializer_context()).data, status=status_code
        )

    def render_list(self, queryset) -> Response:
        page = self.paginate_queryset(queryset)
        if page is None:
            data = self.output_serializer(queryset, many=True, context=self.get_serializer_context()).data
            return Response(data)
        data = self.output_serializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}
_ERROR_DESCRIPTIONS = {
    "400": "Invalid input, field by field.",
    "401": "Not signed in.",
    "403": "The user's role does not allow this.",
    "404": "Not found, or not visible to this user.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation may answer 400/401/403/404 in the one error shape."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", _ERROR_SCHEMA)
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status_code, description in _ERROR_DESCRIPTIONS.items():
                responses.setdefault(status_code, {"description": description, "content": reference})
    return result
