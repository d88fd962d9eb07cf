"""The conversation list and a message page run the same number of queries for 2 rows as for 15."""

import pytest

from chat import services
from tests import factories
from tests.chat.helpers import CONVERSATIONS, direct, messages_url
from tests.queries import assert_fixed_query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8  # auth user + count + page + participants, with room; anything per row breaks it at once


def test_conversation_list(recruiter_client, recruiter):
    job = factories.JobFactory(company=recruiter.company)

    def make(n):
        for i in range(n):
            seeker = factories.SeekerFactory()
            conversation, _ = services.conversation_start_direct(
                initiator=recruiter, other=seeker, related_job=job if i % 2 else None
            )
            services.message_send(conversation=conversation, sender=seeker, content=f"hello {i}")

    response = assert_fixed_query_count(recruiter_client, CONVERSATIONS, make, most=MAX_QUERIES, more=13)
    assert all(item["unread_count"] == 1 for item in response.data["results"])


def test_group_conversation_list(recruiter_client, recruiter):
    def make(n):
        for _ in range(n):
            services.conversation_start_group(initiator=recruiter, others=[factories.SeekerFactory() for _ in range(3)])

    response = assert_fixed_query_count(recruiter_client, CONVERSATIONS, make, most=MAX_QUERIES, more=13)
    assert all(len(item["participants"]) == 4 for item in response.data["results"])


def test_message_page(recruiter_client, recruiter, seeker):
    conversation = direct(recruiter, seeker)

    def make(n):
        for i in range(n):
            sender = recruiter if i % 2 else seeker
            services.message_send(conversation=conversation, sender=sender, content=f"message {i}")

    response = assert_fixed_query_count(recruiter_client, messages_url(conversation), make, most=MAX_QUERIES, more=13)
    assert {item["sender_name"] for item in response.data["results"]} == {recruiter.full_name, seeker.full_name}


def test_search_results(seeker_client, recruiter, seeker):
    conversation = direct(recruiter, seeker)

    def make(n):
        for i in range(n):
            services.message_send(conversation=conversation, sender=recruiter, content=f"interview slot {i}")

    assert_fixed_query_count(seeker_client, "/api/chat/search/", make, most=MAX_QUERIES, more=13, q="interview")
