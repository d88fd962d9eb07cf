from django.contrib import admin

from matcher.models import (
    MatchWeights,
    Recommendation,
    RecommendationFeedback,
    RecommendationRebuild,
    RecommendationRebuildChunk,
)


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


class RecommendationRebuildChunkInline(admin.TabularInline):
    model = RecommendationRebuildChunk
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in RecommendationRebuildChunk._meta.fields]


@admin.register(RecommendationRebuild)
class RecommendationRebuildAdmin(admin.ModelAdmin):
    """Nightly rebuilds, newest first: how far each got (chunks not finished) and what it stored."""

    list_display = ["started_at", "finished_at", "chunk_count", "seekers", "jobs", "stored", "removed"]
    readonly_fields = [f.name for f in RecommendationRebuild._meta.fields]
    inlines = [RecommendationRebuildChunkInline]
