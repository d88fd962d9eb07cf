"""/api/ai/: recommendations, explanations, similar jobs, best candidates, feedback (trending: analytics)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import IsJobSeeker, IsRecruiterOrAdmin
from core.params import limit_param
from marketplace import selectors, services
from marketplace.api.serializers import JobSerializer, ProfileSerializer
from marketplace.choices import EmploymentType, ExperienceLevel
from marketplace.models import JobSeekerProfile
from matcher.models import FeedbackKind
from matcher.recommendations import recommendations_for, recommendations_rebuild
from matcher.selectors import applicant_matches, best_candidates, candidate_skills, explanation, similar_jobs
from matcher.services import feedback_record


class FactorsOut(serializers.Serializer):
    skills = serializers.FloatField()
    location = serializers.FloatField()
    experience = serializers.FloatField()
    salary = serializers.FloatField()
    job_type = serializers.FloatField()
    recent_activity = serializers.FloatField()


class RecommendationOut(serializers.Serializer):
    job = JobSerializer()
    score = serializers.FloatField()
    factors = FactorsOut()


def _flag(request, name: str) -> bool:
    raw = request.query_params.get(name, "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise ValidationError({name: ["Use true or false."]})
    return raw in ("true", "1")


class RecommendationsView(APIView):
    permission_classes = [IsJobSeeker]

    @extend_schema(
        parameters=[OpenApiParameter("limit", OpenApiTypes.INT), OpenApiParameter("refresh", OpenApiTypes.BOOL)],
        responses={200: RecommendationOut(many=True)},
        description="The seeker's best open jobs from the stored top 50 (rebuilt nightly); refresh=true rebuilds now.",
    )
    def get(self, request):
        limit = limit_param(request)
        if _flag(request, "refresh") or not request.user.recommendations.exists():
            recommendations_rebuild(seeker_ids=[request.user.pk])
        rows = recommendations_for(request.user, limit=limit)
        return Response(
            [{"job": JobSerializer(row.job).data, "score": row.score, "factors": row.factors} for row in rows]
        )


class ExplanationView(APIView):
    permission_classes = [IsJobSeeker]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, job_id: int):
        job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
        return Response(explanation(services.profile_for(request.user), job))


class SimilarJobsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("limit", OpenApiTypes.INT)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, job_id: int):
        job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
        return Response(
            [
                {"job": JobSerializer(other).data, "similarity": score}
                for other, score in similar_jobs(job, limit=limit_param(request))
            ]
        )


class JobCandidatesView(APIView):
    permission_classes = [IsRecruiterOrAdmin]

    @extend_schema(parameters=[OpenApiParameter("limit", OpenApiTypes.INT)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, job_id: int):
        job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
        if not services.can_manage_company(request.user, job.company):
            return Response(
                {"detail": "Only the job's company sees its best candidates."}, status=status.HTTP_403_FORBIDDEN
            )
        return Response(
            [
                {
                    "candidate_id": str(profile.user_id),
                    "candidate": ProfileSerializer(profile).data,
                    "score": score,
                    "factors": factors,
                    "skills": candidate_skills(profile, job),
                }
                for profile, score, factors in best_candidates(job, limit=limit_param(request))
            ]
        )


class JobApplicantsView(APIView):
    permission_classes = [IsRecruiterOrAdmin]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="The job's recruiters: every applicant's match score and skills matched, partial and missing.",
    )
    def get(self, request, job_id: int):
        job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=job_id)
        if not services.can_manage_company(request.user, job.company):
            return Response(
                {"detail": "Only the job's company sees its applicants' scores."}, status=status.HTTP_403_FORBIDDEN
            )
        applications = list(
            selectors.applications_visible_to(request.user).filter(job=job).values_list("pk", "candidate_id")
        )
        profiles = list(
            JobSeekerProfile.objects.filter(user_id__in={c for _, c in applications}).select_related("user")
        )
        matches = applicant_matches(job, profiles)
        return Response(
            [
                {"application_id": application_id, "candidate_id": str(candidate_id), **matches[candidate_id]}
                for application_id, candidate_id in applications
                if candidate_id in matches
            ]
        )


class FeedbackIn(serializers.Serializer):
    job_id = serializers.IntegerField(min_value=1)
    feedback = serializers.ChoiceField(choices=FeedbackKind.choices)


class FeedbackView(APIView):
    permission_classes = [IsJobSeeker]

    @extend_schema(request=FeedbackIn, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = FeedbackIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=data.validated_data["job_id"])
        feedback = feedback_record(seeker=request.user, job=job, feedback=data.validated_data["feedback"])
        return Response(
            {"id": feedback.pk, "job_id": str(job.pk), "feedback": feedback.feedback}, status=status.HTTP_201_CREATED
        )


class PreferencesIn(serializers.Serializer):
    preferred_employment_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EmploymentType.choices),
        required=False,
        max_length=5,
    )
    preferred_locations = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    remote = serializers.BooleanField(required=False)
    desired_salary_min = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)
    desired_salary_max = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    experience_level = serializers.ChoiceField(choices=ExperienceLevel.choices, required=False)


class PreferencesView(APIView):
    permission_classes = [IsJobSeeker]

    @extend_schema(request=PreferencesIn, responses={200: ProfileSerializer})
    def post(self, request):
        data = PreferencesIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "currency" in values:
            values["currency"] = values["currency"].upper()
        profile = services.profile_update(profile=services.profile_for(request.user), data=values)
        return Response(ProfileSerializer(profile).data)
