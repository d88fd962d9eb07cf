from django.contrib import admin

from matcher.models import MatchWeights, Recommendation, RecommendationFeedback


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["seeker", "rank", "job", "score", "computed_at"]
    search_fields = ["seeker__email", "job__title"]
    raw_id_fields = ["seeker", "job"]
    list_select_related = ["seeker", "job"]


@admin.register(RecommendationFeedback)
class RecommendationFeedbackAdmin(admin.ModelAdmin):
    list_display = ["seeker", "job", "feedback", "created_at"]
    list_filter = ["feedback"]
    search_fields = ["seeker__email", "job__title"]
    raw_id_fields = ["seeker", "job"]


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    """The weights in use (active) and every change, newest first, with how they were chosen."""

    list_display = ["created_at", "source", "active", "weights", "metrics"]
    list_filter = ["source", "active"]
    readonly_fields = ["created_at"]
