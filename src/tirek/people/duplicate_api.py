"""The API of a manager's work on duplicates: candidate pairs, merge, "not the same person"."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from tirek.core.api import ERROR_RESPONSES, TirekViewSet
from tirek.people import duplicates
from tirek.people.api import PersonSerializer
from tirek.people.duplicates import DuplicateReason
from tirek.people.models import Person
from tirek.people.selectors import person_get


class DuplicateReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=DuplicateReason.choices, source="value")
    label = serializers.CharField()


class DuplicateCandidateSerializer(serializers.Serializer):
    person_a = serializers.UUIDField(source="first.pk", help_text="The older record, usually the one kept.")
    person_b = serializers.UUIDField(source="second.pk")
    reasons = DuplicateReasonSerializer(many=True)
    score = serializers.IntegerField(min_value=0, max_value=100, help_text="Higher is likelier.")


class MergeInputSerializer(serializers.Serializer):
    survivor = serializers.UUIDField(help_text="The record that stays.")
    duplicate = serializers.UUIDField(help_text="The record merged into the survivor and hidden.")
    note = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")


class DismissInputSerializer(serializers.Serializer):
    person_a = serializers.UUIDField()
    person_b = serializers.UUIDField()


class PersonDuplicateViewSet(TirekViewSet):
    """Managers only. Merging is always a person's decision: nothing here happens without a request."""

    output_serializer = DuplicateCandidateSerializer
    queryset = Person.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="persons_duplicates_list",
        responses={200: DuplicateCandidateSerializer(many=True), **ERROR_RESPONSES},
    )
    def list(self, request):
        """Pairs of persons the organisation sees that may be one person, likeliest first."""
        return self.render_list(duplicates.duplicate_candidates(user=request.user))

    @extend_schema(
        operation_id="persons_merge",
        request=MergeInputSerializer,
        responses={200: PersonSerializer, **ERROR_RESPONSES},
    )
    def merge(self, request):
        """Merge `duplicate` into `survivor`; every linked record moves to the survivor."""
        data = self.parse(serializer=MergeInputSerializer)
        survivor = duplicates.person_merge(
            actor=request.user,
            survivor=person_get(user=request.user, pk=data["survivor"]),
            duplicate=person_get(user=request.user, pk=data["duplicate"]),
            note=data["note"],
        )
        return Response(PersonSerializer(survivor, context=self.get_serializer_context()).data)

    @extend_schema(
        operation_id="persons_duplicates_dismiss",
        request=DismissInputSerializer,
        responses={204: None, **ERROR_RESPONSES},
    )
    def dismiss(self, request):
        """Record that the two persons are not one person: the pair is not offered again."""
        data = self.parse(serializer=DismissInputSerializer)
        duplicates.duplicate_dismiss(
            actor=request.user,
            person_a=person_get(user=request.user, pk=data["person_a"]),
            person_b=person_get(user=request.user, pk=data["person_b"]),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
