"""Remembers the current request's client address so services can write it into audit events."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

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
