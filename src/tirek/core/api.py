"""The API's shared plumbing: parse with an input serializer, call one service or selector, render output."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
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


class ConflictDetailSerializer(ErrorDetailSerializer):
    current_version = serializers.IntegerField(help_text="The record's version now: send it to save again.")
    changes = serializers.DictField(
        child=serializers.ListField(),
        help_text="What the other save changed: {field: [value at the version you sent, current value]}.",
    )


class ConflictSerializer(serializers.Serializer):
    """The error of a save based on an older version of the record than the stored one."""

    error = ConflictDetailSerializer()


# The errors of an operation that changes a versioned record (person, case, plan, appeal).
UPDATE_ERROR_RESPONSES = {**ERROR_RESPONSES, 409: ConflictSerializer}


def version_field() -> serializers.IntegerField:
    """The version of the record the client loaded (from its `version`); reaches the service as
    `expected_version`."""
    return serializers.IntegerField(
        source="expected_version",
        min_value=1,
        required=False,
        write_only=True,
        help_text=(
            "The record's `version` as you read it. When given and the record has been saved since, "
            "nothing is written and the answer is 409 with the current version and what changed. "
            "Optional, but send it to avoid overwriting someone else's changes."
        ),
    )


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


def file_responses(content_types, description: str = "The file.") -> dict:
    """The 200 answers of an operation sending a file, one per content type it may have (as sent, without
    parameters such as the charset), for `extend_schema(responses=...)`."""
    return {
        (200, content_type.split(";")[0].strip()): OpenApiResponse(
            OpenApiTypes.BINARY, description=description
        )
        for content_type in content_types
    }


def query_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID from a query parameter; None when absent; a 404 when malformed (nothing can match it)."""
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


# The calendar a request's dates fall in: a date (a birth date) from FIRST_YEAR, a date and time (of something
# recorded in Tirek) from FIRST_EVENT_YEAR, both up to LAST_YEAR. Outside it a value is a typing error; taking
# it further would overflow the calendar or give a time before standard time zones (Almaty's offset was then
# +05:07:48, which no API client could read back).
FIRST_YEAR, FIRST_EVENT_YEAR, LAST_YEAR = 1900, 1970, 2100


def check_calendar(data: dict[str, Any]) -> None:
    """Refuse, field by field, a parsed date or date and time outside the calendar above."""
    errors = {}
    for name, value in data.items():
        if not isinstance(value, dt.date):
            continue
        first = FIRST_EVENT_YEAR if isinstance(value, dt.datetime) else FIRST_YEAR
        if not first <= value.year <= LAST_YEAR:
            errors[name] = [
                _("Enter a date between %(first)s and %(last)s.") % {"first": first, "last": LAST_YEAR}
            ]
    if errors:
        raise serializers.ValidationError(errors)


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
        data = dict(parser.validated_data)
        check_calendar(data)
        return data

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
