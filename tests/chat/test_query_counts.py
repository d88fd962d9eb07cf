"""The conversation list and a message page run the same number of queries for 2 rows as for 15."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat import services
from tests import factories
from tests.chat.helpers import CONVERSATIONS, direct, messages_url

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8  # auth user + count + page + participants, with room; anything per row breaks it at once


def queries_for(client, path: str, expected_rows: int, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 50, **params})
    assert response.status_code == 200, response.content
    assert len(response.data["results"]) == expected_rows
    return len(captured)


def test_conversation_list(recruiter_client, recruiter, django_assert_num_queries):
    job = factories.JobFactory(company=recruiter.company)

    def make(n):
        for i in range(n):
            seeker = factories.SeekerFactory()
            conversation, _ = services.conversation_start_direct(
                initiator=recruiter, other=seeker, related_job=job if i % 2 else None
            )
            services.message_send(conversation=conversation, sender=seeker, content=f"hello {i}")

    make(2)
    recruiter_client.get(CONVERSATIONS)  # warm up anything cached per process
    with_two = queries_for(recruiter_client, CONVERSATIONS, 2)
    assert with_two <= MAX_QUERIES

    make(13)

    with django_assert_num_queries(with_two):
        response = recruiter_client.get(CONVERSATIONS, {"page_size": 50})
    assert len(response.data["results"]) == 15
    assert all(item["unread_count"] == 1 for item in response.data["results"])


def test_group_conversation_list(recruiter_client, recruiter, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            services.conversation_start_group(initiator=recruiter, others=[factories.SeekerFactory() for _ in range(3)])

    make(2)
    with_two = queries_for(recruiter_client, CONVERSATIONS, 2)

    make(13)

    with django_assert_num_queries(with_two):
        response = recruiter_client.get(CONVERSATIONS, {"page_size": 50})
    assert all(len(item["participants"]) == 4 for item in response.data["results"])


def test_message_page(recruiter_client, recruiter, seeker, django_assert_num_queries):
    conversation = direct(recruiter, seeker)
    url = messages_url(conversation)

    def make(n):
        for i in range(n):
            sender = recruiter if i % 2 else seeker
            services.message_send(conversation=conversation, sender=sender, content=f"message {i}")

    make(2)
    recruiter_client.get(url)
    with_two = queries_for(recruiter_client, url, 2)
    assert with_two <= MAX_QUERIES

    make(13)

    with django_assert_num_queries(with_two):
        response = recruiter_client.get(url, {"page_size": 50})
    assert len(response.data["results"]) == 15
    assert {item["sender_name"] for item in response.data["results"]} == {recruiter.full_name, seeker.full_name}


def test_search_results(seeker_client, recruiter, seeker, django_assert_num_queries):
    conversation = direct(recruiter, seeker)

    def make(n):
        for i in range(n):
            services.message_send(conversation=conversation, sender=recruiter, content=f"interview slot {i}")

    make(2)
    with_two = queries_for(seeker_client, "/api/chat/search/", 2, q="interview")

    make(13)

    with django_assert_num_queries(with_two):
        response = seeker_client.get("/api/chat/search/", {"q": "interview", "page_size": 50})
    assert len(response.data["results"]) == 15
