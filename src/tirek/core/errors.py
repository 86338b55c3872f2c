"""One exception hierarchy, mapped to one error shape in the API and to messages and statuses in the UI.

API errors always look like {"error": {"code": ..., "message": ..., "fields": {...}}}.
"""

from __future__ import annotations

import traceback

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tirek.core.refusals import refusal_note


class NotAllowed(DjangoPermissionDenied):
    """The user is known to the record but their role does not allow the action (HTTP 403)."""


class TooManyRequests(Exception):
    """The user asked more often than their allowance (HTTP 429, code "throttled"): `message` says so in their
    language, `retry_after` in how many seconds they may ask again."""

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Conflict(Exception):
    """Someone else saved the record since the user loaded it (HTTP 409): the save is refused.

    `changes` is {field: [value at the version the user loaded, current value]} as the audit trail holds
    them (codes, ids, ISO dates); `current_version` is what a second save must send.
    """

    def __init__(self, *, model, expected_version: int, current_version: int, changes: dict[str, list]):
        super().__init__(f"{model._meta.label} version {expected_version} is stale ({current_version})")
        self.model = model
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes = changes

    @staticmethod
    def message() -> str:
        return _(
            "Someone else saved this record while you were editing it. Their changes are shown below; "
            "your text is kept. Check it and save again."
        )


def validation_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    """Field messages of a Django ValidationError, with non-field errors under "__all__"."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def _drf_fields(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "__all__" if key in ("non_field_errors", "__all__") else key
            if isinstance(value, dict):
                for sub, messages in _drf_fields(value).items():
                    fields[f"{name}.{sub}"] = messages
            elif isinstance(value, list):
                fields[name] = [_drf_message(v) for v in value if not isinstance(v, dict)]
            else:
                fields[name] = [_drf_message(value)]
        return fields
    if isinstance(detail, list):
        return {"__all__": [_drf_message(v) for v in detail]}
    return {"__all__": [_drf_message(detail)]}


def _drf_message(detail) -> str:
    # DRF's one untranslated message (a body of JSON null), said with its translated "expected a dictionary".
    if getattr(detail, "code", None) == "null" and str(detail) == "No data provided":
        return str(drf_serializers.Serializer.default_error_messages["invalid"]).format(datatype="null")
    return str(detail)


def _raised_by_parser(exc: BaseException) -> bool:
    """Whether `exc` came out of a DRF parser (a JSON body nested beyond Python's recursion limit)."""
    return any(
        frame.f_code.co_filename.endswith("rest_framework/parsers.py")
        for frame, _line in traceback.walk_tb(exc.__traceback__)
    )


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def api_exception_handler(exc, context):
    """Turn every error into the project's one error shape."""
    if isinstance(exc, Http404 | DjangoPermissionDenied | drf.PermissionDenied) and "request" in context:
        view = context.get("view")
        refusal_note(context["request"], exc, view_kwargs=getattr(view, "kwargs", None))
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return Response(error_body("throttled", exc.message), status=429, headers=headers)
    if isinstance(exc, Conflict):
        body = error_body("conflict", Conflict.message())
        body["error"]["current_version"] = exc.current_version
        body["error"]["changes"] = exc.changes
        return Response(body, status=409)
    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body("invalid", _("Some of the data is not valid."), validation_fields(exc)), status=400
        )
    if isinstance(exc, RecursionError) and _raised_by_parser(exc):
        exc = drf.ParseError()
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf.ValidationError):
        body = error_body("invalid", _("Some of the data is not valid."), _drf_fields(exc.detail))
    elif isinstance(exc, drf.ParseError):
        # DRF's parsers put the (English) parser error into the detail; the user gets DRF's translated one.
        body = error_body("parse_error", str(drf.ParseError.default_detail))
    elif isinstance(exc, drf.NotFound):
        body = error_body("not_found", _("Not found."))
    elif isinstance(exc, drf.PermissionDenied):
        body = error_body("permission_denied", _("Your role does not allow this action."))
    elif isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        body = error_body("not_authenticated", _("Please sign in."))
    else:
        detail = exc.detail if isinstance(exc, drf.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, drf.APIException) else "error"
        body = error_body(code if isinstance(code, str) else "error", str(detail))
    response.data = body
    return response
