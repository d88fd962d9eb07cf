"""Signals of matching."""

from django.dispatch import Signal

# kwargs: feedback (a RecommendationFeedback)
recommendation_feedback_given = Signal()
