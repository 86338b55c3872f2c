"""The API's token authentication: `Authorization: Token <key>`, checked by accounts.tokens.

DRF imports this class while Django is still loading the models (tirek.core.errors imports DRF's views, which
import the classes the settings name), so the module imports no model at its top; the token rules are
imported on the first request that carries a token.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header

KEYWORD = "Token"
AUTH_HEADER = f'{KEYWORD} realm="api"'


class TokenRefused(exceptions.APIException):
    """A token that does not open the API: 401 in the error shape, with the reason as its code.

    Not DRF's AuthenticationFailed: DRF turns that into a 403 when session authentication comes first (as it
    does here, so that an anonymous call is not challenged)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    auth_header = AUTH_HEADER

    def __init__(self, code: str, message) -> None:
        super().__init__(detail=str(message), code=code)


class ApiTokenAuthentication(BaseAuthentication):
    """A token that accounts.tokens lets through signs the request in; any other answers 401."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != KEYWORD.lower().encode():
            return None
        from tirek.accounts.tokens import Refusal, token_authenticate  # not at the top: see the docstring

        answer = token_authenticate(words[1:])
        if isinstance(answer, Refusal):
            raise TokenRefused(answer.code, answer.message)
        return answer

    def authenticate_header(self, request) -> str:
        return AUTH_HEADER


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document: an Authorization header with the word Token before the key."""

    target_class = "tirek.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token with the prefix "Token", e.g. "Token tirek_…".',
        }
