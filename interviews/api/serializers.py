from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from interviews import selectors
from interviews.choices import ParticipantRole, Recommendation
from interviews.models import Assessment, Interview
from interviews.services.scheduling import MAX_DURATION, MAX_INTERVIEWERS, MIN_DURATION
from interviews.windows import join_opens_at
from interviews.zones import in_zone, zone_error


def _check_zone(value: str) -> str:
    error = zone_error(value)
    if error:
        raise serializers.ValidationError(error)
    return value


# --- input -----------------------------------------------------------------------------------
class ScheduleSerializer(serializers.Serializer):
    application_id = serializers.IntegerField(min_value=1)
    candidate_id = serializers.IntegerField(min_value=1, required=False, help_text="Checked against the application.")
    job_id = serializers.IntegerField(min_value=1, required=False, help_text="Checked against the application.")
    scheduled_at = serializers.DateTimeField(help_text="ISO 8601; stored in UTC.")
    duration = serializers.IntegerField(min_value=MIN_DURATION, max_value=MAX_DURATION, help_text="Minutes.")
    recording_enabled = serializers.BooleanField(default=False)
    interviewer_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_INTERVIEWERS,
        help_text="Recruiters of the company on the panel; the caller when omitted.",
    )
    timezone = serializers.CharField(default="UTC", max_length=64, help_text="IANA zone the times are shown in.")

    def validate_timezone(self, value):
        return _check_zone(value)


class ConflictCheckSerializer(serializers.Serializer):
    application_id = serializers.IntegerField(min_value=1)
    scheduled_at = serializers.DateTimeField()
    duration = serializers.IntegerField(min_value=MIN_DURATION, max_value=MAX_DURATION)
    interviewer_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_INTERVIEWERS,
        help_text="The panel to check; the caller when omitted (as scheduling does).",
    )
    interview_id = serializers.IntegerField(
        min_value=1, required=False, help_text="When rescheduling: that interview does not clash with itself."
    )


class InterviewUpdateSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(required=False)
    duration = serializers.IntegerField(min_value=MIN_DURATION, max_value=MAX_DURATION, required=False)
    recording_enabled = serializers.BooleanField(required=False)
    interviewer_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=MAX_INTERVIEWERS
    )
    timezone = serializers.CharField(required=False, max_length=64)

    def validate_timezone(self, value):
        return _check_zone(value)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class SkillRatingSerializer(serializers.Serializer):
    skill = serializers.CharField(max_length=100)
    rating = serializers.IntegerField(min_value=1, max_value=5)


class AssessmentInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=10_000, default="")
    technical_skills = SkillRatingSerializer(many=True, required=False, default=list)
    soft_skills = SkillRatingSerializer(many=True, required=False, default=list)
    overall_recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10_000, default="")


# --- output ----------------------------------------------------------------------------------
class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class LocalTimesSerializer(serializers.Serializer):
    timezone = serializers.CharField()
    scheduled_at = serializers.CharField(help_text="ISO 8601 with the zone's offset.")
    ends_at = serializers.CharField()


class InterviewSerializer(serializers.ModelSerializer):
    """An interview as its participants see it. Times are UTC; `local` shows them in `?tz=` or the
    interview's zone."""

    application_id = serializers.IntegerField(read_only=True)
    job_id = serializers.IntegerField(read_only=True)
    job_title = serializers.CharField(source="job.title", read_only=True)
    company = serializers.CharField(source="job.company.name", read_only=True)
    candidate_id = serializers.IntegerField(read_only=True)
    candidate = PersonSerializer(read_only=True)
    organizer_id = serializers.IntegerField(read_only=True, allow_null=True)
    interviewers = serializers.SerializerMethodField()
    my_role = serializers.SerializerMethodField()
    local = serializers.SerializerMethodField()
    join_opens_at = serializers.SerializerMethodField()
    signaling_url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = [
            "id",
            "application_id",
            "job_id",
            "job_title",
            "company",
            "candidate_id",
            "candidate",
            "organizer_id",
            "interviewers",
            "my_role",
            "scheduled_at",
            "ends_at",
            "duration",
            "timezone",
            "local",
            "status",
            "recording_enabled",
            "sequence",
            "join_opens_at",
            "started_at",
            "ended_at",
            "cancelled_at",
            "cancel_reason",
            "signaling_url",
            "calendar_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer(many=True))
    def get_interviewers(self, interview):
        rows = [row for row in interview.participant_rows.all() if row.role == ParticipantRole.INTERVIEWER]
        return PersonSerializer([row.user for row in rows], many=True).data

    @extend_schema_field(serializers.ChoiceField(choices=ParticipantRole.choices, allow_null=True))
    def get_my_role(self, interview):
        request = self.context.get("request")
        return selectors.role_of(request.user, interview) if request else None

    @extend_schema_field(LocalTimesSerializer)
    def get_local(self, interview):
        zone = self.context.get("tz") or interview.timezone
        return {
            "timezone": zone,
            "scheduled_at": in_zone(interview.scheduled_at, zone),
            "ends_at": in_zone(interview.ends_at, zone),
        }

    @extend_schema_field(serializers.DateTimeField())
    def get_join_opens_at(self, interview):
        return serializers.DateTimeField().to_representation(join_opens_at(interview.scheduled_at))

    def get_signaling_url(self, interview) -> str:
        return f"/ws/interviews/{interview.pk}/"

    def get_calendar_url(self, interview) -> str:
        return f"/api/interview/{interview.pk}/calendar.ics"


class AssessmentSerializer(serializers.ModelSerializer):
    interviewer = PersonSerializer(read_only=True)
    technical_skills = SkillRatingSerializer(many=True, read_only=True)
    soft_skills = SkillRatingSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "interview",
            "interviewer",
            "rating",
            "feedback",
            "technical_skills",
            "soft_skills",
            "overall_recommendation",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AssessmentSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    average_technical = serializers.FloatField(allow_null=True, help_text="Mean of the technical skills' means.")
    average_soft = serializers.FloatField(allow_null=True)
    technical_skills = serializers.DictField(child=serializers.FloatField(), help_text="Mean rating per skill.")
    soft_skills = serializers.DictField(child=serializers.FloatField())
    recommendations = serializers.DictField(child=serializers.IntegerField(), help_text="Count per recommendation.")


class AssessmentListSerializer(serializers.Serializer):
    summary = AssessmentSummarySerializer()
    results = AssessmentSerializer(many=True)


class ManagedInterviewSerializer(InterviewSerializer):
    """What the company's recruiters (and admins) see: the interview with every assessment and the averages.
    The candidate gets InterviewSerializer, without these two fields."""

    assessments = serializers.SerializerMethodField()
    assessment_summary = serializers.SerializerMethodField()

    class Meta(InterviewSerializer.Meta):
        fields = [*InterviewSerializer.Meta.fields, "assessments", "assessment_summary"]
        read_only_fields = fields

    def _assessments(self, interview):
        return list(interview.assessments.all())

    @extend_schema_field(AssessmentSerializer(many=True))
    def get_assessments(self, interview):
        return AssessmentSerializer(self._assessments(interview), many=True).data

    @extend_schema_field(AssessmentSummarySerializer)
    def get_assessment_summary(self, interview):
        return selectors.assessment_summary(self._assessments(interview))


class BusySerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField(help_text="The person's name, or “the candidate”.")
    is_candidate = serializers.BooleanField()
    interview_id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ConflictReportSerializer(serializers.Serializer):
    conflicts = serializers.ListField(child=serializers.IntegerField(), help_text="As the 409 of schedule/ lists.")
    busy = BusySerializer(many=True)
    detail = serializers.CharField(help_text="In words; empty when everyone is free.")


class JoinSerializer(serializers.Serializer):
    interview = InterviewSerializer()
    ice_servers = serializers.ListField(child=serializers.DictField(), help_text="RTCIceServer objects.")
    signaling_url = serializers.CharField()
    present = serializers.ListField(child=serializers.IntegerField(), help_text="User ids in the room now.")
