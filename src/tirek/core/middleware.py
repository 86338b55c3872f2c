"""Remembers the current request's client address so services can write it into audit events."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

from tirek.core.refusals import refusal_note

_client_address: ContextVar[str | None] = ContextVar("tirek_client_address", default=None)


def current_client_address() -> str | None:
    return _client_address.get()


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = request.META.get("REMOTE_ADDR")
        if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
            # Behind our own proxy the last hop it appended is the client; never trust the first.
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded:
                address = forwarded.split(",")[-1].strip()
        token = _client_address.set(address)
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


class RefusalMiddleware:
    """Notes the refusals a page answers with (403, or 404 for another organisation's record) for the audit
    trail; the API's exception handler does the same for the API (tirek.core.refusals)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        refusal_note(request, exception)
        return None  # the answer itself stays Django's (handler403/handler404)


class LanguageMiddleware:
    """Kazakh first: the language is the one the user chose (cookie), else Kazakh.

    Browsers in Kazakhstan often announce English or Russian whatever their user reads, so the web UI ignores
    Accept-Language; API clients may still ask for a language with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        available = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in available and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        if language not in available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class RejectNulMiddleware:
    """Refuse any request that carries a NUL character in its query or body.

    PostgreSQL cannot store or compare text containing NUL, so such input would otherwise fail deep inside a
    query; no legitimate form or API call sends it. The answer is a 400 in the API's error shape.
    """

    _BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            from django.http import JsonResponse
            from django.utils.translation import gettext

            from tirek.core.errors import error_body

            return JsonResponse(
                error_body("invalid", gettext("The request contains a NUL character, which is not allowed.")),
                status=400,
            )
        return self.get_response(request)

    def _carries_nul(self, request) -> bool:
        from urllib.parse import unquote_to_bytes

        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")) or "\x00" in request.path:
            return True
        if request.content_type == "multipart/form-data" and request.method == "POST":
            # Uploaded files are binary and may hold NUL bytes; only the text fields are checked.
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        if request.content_type in self._BODY_TYPES and request.method in ("POST", "PUT", "PATCH"):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body:
                return True
            if request.content_type == "application/x-www-form-urlencoded" and b"%00" in body:
                return True
        return False
