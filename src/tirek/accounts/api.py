from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tirek.accounts import services, tokens, two_factor
from tirek.accounts.choices import Role
from tirek.accounts.forms import phone_validator
from tirek.accounts.models import ApiToken, Membership, User
from tirek.accounts.selectors import (
    membership_get,
    membership_list,
    own_memberships,
    user_token_get,
    user_token_list,
)
from tirek.catalog.models import Profession
from tirek.core.api import ERROR_RESPONSES, ErrorSerializer, InputSerializer, TirekViewSet, query_uuid
from tirek.core.errors import error_body
from tirek.directory.selectors import active_organisation_get


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.UUIDField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    profession = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "username",
            "full_name",
            "organisation",
            "organisation_name",
            "role",
            "profession",
            "is_active",
            "is_data_protection_officer",
            "created_at",
            "updated_at",
        ]


# The schema is the same for everyone; who may grant what is decided by the service (accounts.roles).
GRANT_HELP = (
    "A manager grants specialist, coordinator, intake and manager in their own organisation; analyst and "
    "administrator are granted by an administrator (403 otherwise)."
)


class StaffAddSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(
        required=False, help_text="Defaults to the user's active organisation."
    )
    username = serializers.CharField(
        max_length=150,
        help_text=(
            "A new login (a new account needs `last_name` and `first_name`), or an existing account's login: "
            "an account of another organisation is added by an administrator only."
        ),
    )
    role = serializers.ChoiceField(choices=Role.choices, help_text=GRANT_HELP)
    profession = serializers.SlugRelatedField(
        slug_field="code", queryset=Profession.objects.filter(is_active=True), required=False, allow_null=True
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, validators=[phone_validator])


class MembershipInputSerializer(InputSerializer):
    profession = serializers.SlugRelatedField(
        slug_field="code", queryset=Profession.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Membership
        fields = ["role", "profession", "is_active", "is_data_protection_officer"]
        extra_kwargs = {
            "role": {"help_text": GRANT_HELP},
            "is_data_protection_officer": {
                "help_text": "Named and removed by an administrator (403 otherwise)."
            },
        }


class OwnMembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    profession = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["organisation", "organisation_name", "role", "profession"]


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    active_organisation = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "last_name",
            "first_name",
            "patronymic",
            "email",
            "phone",
            "active_organisation",
            "memberships",
        ]

    def get_active_organisation(self, user) -> str | None:
        organisation_id = user.active_organisation_id_checked()
        return str(organisation_id) if organisation_id else None

    @extend_schema_field(OwnMembershipSerializer(many=True))
    def get_memberships(self, user):
        return OwnMembershipSerializer(own_memberships(user=user), many=True).data


class ProfileInputSerializer(InputSerializer):
    phone = serializers.CharField(required=False, allow_blank=True, validators=[phone_validator])

    class Meta:
        model = User
        fields = ["last_name", "first_name", "patronymic", "email", "phone"]


class ActiveOrganisationSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()


class MembershipViewSet(TirekViewSet):
    output_serializer = MembershipSerializer
    input_serializer = MembershipInputSerializer
    queryset = Membership.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("organisation", OpenApiTypes.UUID, description="Organisation id")],
        responses=MembershipSerializer(many=True),
    )
    def list(self, request):
        memberships = membership_list(user=request.user)
        organisation_id = query_uuid(request.query_params.get("organisation"))
        if organisation_id:
            memberships = memberships.filter(organisation_id=organisation_id)
        return self.render_list(memberships)

    @extend_schema(responses={200: MembershipSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, pk=None):
        return self.render(membership_get(user=request.user, pk=pk))

    @extend_schema(request=StaffAddSerializer, responses={201: MembershipSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse(serializer=StaffAddSerializer)
        organisation = active_organisation_get(
            user=request.user, organisation_id=data.pop("organisation", None)
        )
        membership = services.staff_add(actor=request.user, organisation=organisation, **data)
        return self.render(membership, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=MembershipInputSerializer, responses={200: MembershipSerializer, **ERROR_RESPONSES}
    )
    def partial_update(self, request, pk=None):
        membership = membership_get(user=request.user, pk=pk)
        data = self.parse(instance=membership, partial=True)
        return self.render(services.membership_update(actor=request.user, membership=membership, **data))


class MeViewSet(TirekViewSet):
    """The signed-in user: their details, memberships and the organisation they act in."""

    output_serializer = MeSerializer
    input_serializer = ProfileInputSerializer
    queryset = User.objects.none()
    pagination_class = None

    @extend_schema(responses=MeSerializer)
    def retrieve(self, request):
        return self.render(request.user)

    @extend_schema(request=ProfileInputSerializer, responses={200: MeSerializer, **ERROR_RESPONSES})
    def partial_update(self, request):
        data = self.parse(instance=request.user, partial=True)
        return self.render(services.user_update_profile(actor=request.user, **data))

    @extend_schema(request=None, responses={204: None, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="logout-everywhere")
    def logout_everywhere(self, request):
        """End every session of the signed-in user and revoke all their API tokens (this one included)."""
        services.user_logout_everywhere(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ActiveOrganisationSerializer, responses={200: MeSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="active-organisation")
    def active_organisation(self, request):
        data = self.parse(serializer=ActiveOrganisationSerializer)
        user = services.user_switch_organisation(user=request.user, organisation_id=data["organisation"])
        user.forget_roles()
        return self.render(user)


class TwoFactorStateSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    required = serializers.BooleanField()
    recovery_codes_left = serializers.IntegerField()


class TwoFactorEnrolmentSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The key to type into an authenticator app (base32).")
    uri = serializers.CharField(help_text="The otpauth:// address a QR code carries.")


class SecondStepCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(child=serializers.CharField())


def _two_factor_state(user) -> dict:
    return {
        "enabled": two_factor.two_factor_enabled(user),
        "required": two_factor.two_factor_required(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
    }


class TwoFactorViewSet(TirekViewSet):
    """The signed-in user's two-step sign-in: start, confirm, new recovery codes, turn off."""

    output_serializer = TwoFactorStateSerializer
    queryset = User.objects.none()
    pagination_class = None

    @extend_schema(responses=TwoFactorStateSerializer)
    def retrieve(self, request):
        return Response(_two_factor_state(request.user))

    @extend_schema(request=None, responses={201: TwoFactorEnrolmentSerializer, **ERROR_RESPONSES})
    @action(detail=False, methods=["post"], url_path="start")
    def start(self, request):
        enrolment = two_factor.two_factor_start(actor=request.user)
        return Response({"secret": enrolment.secret, "uri": enrolment.uri}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SecondStepCodeSerializer, responses={200: RecoveryCodesSerializer, **ERROR_RESPONSES}
    )
    @action(detail=False, methods=["post"], url_path="confirm")
    def confirm(self, request):
        data = self.parse(serializer=SecondStepCodeSerializer)
        return Response(
            {"recovery_codes": two_factor.two_factor_confirm(actor=request.user, code=data["code"])}
        )

    @extend_schema(
        request=SecondStepCodeSerializer, responses={200: RecoveryCodesSerializer, **ERROR_RESPONSES}
    )
    @action(detail=False, methods=["post"], url_path="recovery-codes")
    def recovery_codes(self, request):
        data = self.parse(serializer=SecondStepCodeSerializer)
        codes = two_factor.recovery_codes_issue(actor=request.user, code=data["code"])
        return Response({"recovery_codes": codes})

    @extend_schema(
        request=SecondStepCodeSerializer, responses={200: TwoFactorStateSerializer, **ERROR_RESPONSES}
    )
    @action(detail=False, methods=["post"], url_path="disable")
    def disable(self, request):
        data = self.parse(serializer=SecondStepCodeSerializer)
        two_factor.two_factor_disable(actor=request.user, code=data["code"])
        return Response(_two_factor_state(request.user))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="The authenticator app's code (or a recovery code) when the user has two-step sign-in on.",
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="What the token is for, to tell it apart in the list of tokens.",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    idle_expires_at = serializers.SerializerMethodField(
        help_text="When the token stops working unless it is used before then."
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key_start",
            "two_factor_passed",
            "created_at",
            "last_used_at",
            "expires_at",
            "idle_expires_at",
        ]

    def get_idle_expires_at(self, token) -> dt.datetime:
        return tokens.idle_expires_at(token)


class TokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        help_text="The key, shown this once: send it as `Authorization: Token <key>`."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]


class ApiTokenViewSet(TirekViewSet):
    """The signed-in user's API tokens that still work; revoking one. New tokens come from auth/token/."""

    output_serializer = ApiTokenSerializer
    queryset = ApiToken.objects.none()
    pagination_class = None

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def list(self, request):
        return self.render_list(user_token_list(user=request.user))

    @extend_schema(responses={204: None, **ERROR_RESPONSES})
    def destroy(self, request, pk=None):
        token = user_token_get(user=request.user, pk=pk)
        services.user_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(APIView):
    """Exchange a login and password (and the second step's code, where the user owes one) for a new API
    token. A user may hold several; each stops working after its lifetime, when unused for a while, or when
    revoked."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def post(self, request):
        parser = TokenRequestSerializer(data=request.data)
        parser.is_valid(raise_exception=True)
        code = parser.validated_data.pop("code", "")
        name = parser.validated_data.pop("name", "")
        # The Django request itself: the sign-in throttling (tirek.accounts.throttling) sees and marks it.
        user = authenticate(request._request, **parser.validated_data)
        if user is None:
            return Response(
                error_body("invalid_credentials", str(_("The login or password is wrong."))), status=401
            )
        refusal = two_factor.second_step_refusal(user=user, code=code)
        if refusal is not None:
            status_code, error_code, message = refusal
            return Response(error_body(error_code, str(message)), status=status_code)
        issued = services.user_token_issue(
            actor=user,
            name=name,
            # No refusal for a user with the authenticator on: the code was right.
            second_step_passed=two_factor.two_factor_enabled(user),
        )
        return Response({**ApiTokenSerializer(issued.token).data, "token": issued.key})
