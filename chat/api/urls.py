from django.urls import path
from rest_framework.routers import DefaultRouter

from chat.api.views import ConversationViewSet, MessageSearchView

router = DefaultRouter()
router.register("conversations", ConversationViewSet, basename="conversation")

urlpatterns = [path("search/", MessageSearchView.as_view(), name="chat-search"), *router.urls]
