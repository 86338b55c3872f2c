"""One exception hierarchy, mapped to one error shape in the API and to messages and statuses in the UI.

API errors always look like {"error": {"code": ..., "message": ..., "fields": {...}}}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class NotAllowed(DjangoPermissionDenied):
    """The user is known to the record but their role does not allow the action (HTTP 403)."""


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
                fields[name] = [str(v) for v in value if not isinstance(v, dict)]
            else:
                fields[name] = [str(value)]
        return fields
    if isinstance(detail, list):
        return {"__all__": [str(v) for v in detail]}
    return {"__all__": [str(detail)]}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def api_exception_handler(exc, context):
    """Turn every error into the project's one error shape."""
    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body("invalid", _("Some of the data is not valid."), validation_fields(exc)), status=400
        )
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf.ValidationError):
        body = error_body("invalid", _("Some of the data is not valid."), _drf_fields(exc.detail))
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
