"""The API of courses: courses, their sessions, participants, attendance and completion (an outcome)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tirek.accounts.models import User
from tirek.catalog.models import Service
from tirek.core.api import ERROR_RESPONSES, InputSerializer, TirekViewSet
from tirek.courses import selectors, services
from tirek.courses.choices import CourseKind, CourseStatus, EnrolmentStatus
from tirek.courses.models import Course, CourseEnrolment, CourseSession
from tirek.directory.selectors import active_organisation_get

extra_urlpatterns: list = []


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("courses", CourseViewSet, basename="course")


class CourseSerializer(serializers.ModelSerializer):
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    facilitators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    session_count = serializers.IntegerField(read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    completed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "organisation",
            *services.COURSE_FIELDS,
            "facilitators",
            "session_count",
            "participant_count",
            "completed_count",
            "created_at",
            "updated_at",
        ]


class CourseSessionSerializer(serializers.ModelSerializer):
    present = serializers.SerializerMethodField(help_text="The participants (enrolment ids) present.")

    class Meta:
        model = CourseSession
        fields = ["id", "starts_at", "minutes", "topic", "present"]

    def get_present(self, session) -> list[str]:
        return sorted(str(a.enrolment_id) for a in session.attendance.all())


class CourseEnrolmentSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    attended = serializers.IntegerField(read_only=True, help_text="Sessions attended.")
    outcome = serializers.UUIDField(source="outcome_id", read_only=True, allow_null=True)

    class Meta:
        model = CourseEnrolment
        fields = [
            "id",
            "person",
            "person_name",
            "enrolled_on",
            "status",
            "completed_on",
            "dropped_on",
            "note",
            "attended",
            "outcome",
        ]


class CourseDetailSerializer(CourseSerializer):
    sessions = CourseSessionSerializer(many=True, read_only=True)
    participants = CourseEnrolmentSerializer(source="enrolments", many=True, read_only=True)
    session_count = serializers.SerializerMethodField()
    participant_count = serializers.SerializerMethodField()
    completed_count = serializers.SerializerMethodField()

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "sessions", "participants"]

    def get_session_count(self, course) -> int:
        return len(course.sessions.all())

    def get_participant_count(self, course) -> int:
        return len(course.enrolments.all())

    def get_completed_count(self, course) -> int:
        return sum(1 for e in course.enrolments.all() if e.status == EnrolmentStatus.COMPLETED)


class CourseInputSerializer(InputSerializer):
    service = serializers.SlugRelatedField(
        slug_field="code", queryset=Service.objects.filter(is_active=True), required=False, allow_null=True
    )
    facilitators = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)

    class Meta:
        model = Course
        fields = [*services.COURSE_FIELDS, "facilitators"]


class CourseSessionInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    minutes = serializers.IntegerField(min_value=5, max_value=600)
    topic = serializers.CharField(max_length=300)


class EnrolInputSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text="A person the course's organisation serves.")
    enrolled_on = serializers.DateField(required=False, help_text="Today when not given.")


class AttendanceInputSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    present = serializers.ListField(
        child=serializers.UUIDField(), max_length=1000, help_text="The participants (enrolment ids) present."
    )


class CompletionInputSerializer(serializers.Serializer):
    enrolment = serializers.UUIDField(help_text="The participant (enrolment id).")
    completed_on = serializers.DateField(required=False, help_text="Today when not given.")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the participant attended fewer sessions than the course requires.",
    )


class DropInputSerializer(serializers.Serializer):
    enrolment = serializers.UUIDField(help_text="The participant (enrolment id).")
    dropped_on = serializers.DateField(required=False, help_text="Today when not given.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CourseQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CourseStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=CourseKind.choices, required=False)


DETAIL = {200: CourseDetailSerializer, **ERROR_RESPONSES}


class CourseViewSet(TirekViewSet):
    """Courses of the organisation (e.g. the school for adoptive and foster parents); completing one records
    the outcome "course completed" for the person."""

    output_serializer = CourseSerializer
    input_serializer = CourseInputSerializer
    queryset = Course.objects.none()

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        """The course as it is now, with its sessions and participants."""
        course = selectors.course_with_participants(user=self.request.user, pk=pk)
        return Response(
            CourseDetailSerializer(course, context=self.get_serializer_context()).data, status_code
        )

    @extend_schema(parameters=[CourseQuerySerializer], responses=CourseSerializer(many=True))
    def list(self, request):
        parser = CourseQuerySerializer(data=request.query_params)
        parser.is_valid(raise_exception=True)
        return self.render_list(selectors.course_list(user=request.user, **parser.validated_data))

    @extend_schema(responses=DETAIL)
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(request=CourseInputSerializer, responses={201: CourseDetailSerializer, **ERROR_RESPONSES})
    def create(self, request):
        data = self.parse()
        organisation = active_organisation_get(user=request.user)
        course = services.course_create(actor=request.user, organisation=organisation, **data)
        return self._detail(course.pk, status.HTTP_201_CREATED)

    @extend_schema(request=CourseInputSerializer, responses=DETAIL)
    def partial_update(self, request, pk=None):
        course = selectors.course_get(user=request.user, pk=pk)
        services.course_update(actor=request.user, course=course, **self.parse(partial=True))
        return self._detail(pk)

    @extend_schema(request=CourseSessionInputSerializer, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Add a session to the course."""
        course = selectors.course_get(user=request.user, pk=pk)
        data = self.parse(serializer=CourseSessionInputSerializer)
        services.course_session_add(actor=request.user, course=course, **data)
        return self._detail(pk)

    @extend_schema(request=EnrolInputSerializer, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def enrolments(self, request, pk=None):
        """Enrol a person the organisation serves."""
        course = selectors.course_get(user=request.user, pk=pk)
        data = self.parse(serializer=EnrolInputSerializer)
        person = selectors.course_person_get(course=course, pk=data.pop("person"))
        services.course_enrol(actor=request.user, course=course, person=person, **data)
        return self._detail(pk)

    @extend_schema(request=AttendanceInputSerializer, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record who attended a session: the participants listed were present, the others absent."""
        course = selectors.course_get(user=request.user, pk=pk)
        data = self.parse(serializer=AttendanceInputSerializer)
        session = selectors.course_session_of(course=course, pk=data["session"])
        services.course_set_attendance(actor=request.user, session=session, present=data["present"])
        return self._detail(pk)

    @extend_schema(request=CompletionInputSerializer, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """A participant completed the course: records the outcome "course completed" for the person."""
        course = selectors.course_get(user=request.user, pk=pk)
        data = self.parse(serializer=CompletionInputSerializer)
        enrolment = selectors.course_enrolment_of(course=course, pk=data.pop("enrolment"))
        services.course_complete_enrolment(actor=request.user, enrolment=enrolment, **data)
        return self._detail(pk)

    @extend_schema(request=DropInputSerializer, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        """A participant left the course without completing it."""
        course = selectors.course_get(user=request.user, pk=pk)
        data = self.parse(serializer=DropInputSerializer)
        enrolment = selectors.course_enrolment_of(course=course, pk=data.pop("enrolment"))
        services.course_drop(actor=request.user, enrolment=enrolment, **data)
        return self._detail(pk)
