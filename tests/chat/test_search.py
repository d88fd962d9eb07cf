"""/api/chat/search/: full-text over the caller's own conversations, ranked, with <mark> highlights."""

import pytest

from chat import services
from tests import factories
from tests.chat.helpers import direct, message_url
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SEARCH = "/api/chat/search/"


def say(conversation, sender, text: str):
    return services.message_send(conversation=conversation, sender=sender, content=text)


def search(client, q: str) -> list[dict]:
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200, response.content
    return response.data["results"]


def found_contents(results: list[dict]) -> list[str]:
    return [r["message"]["content"] for r in results]


def test_words_are_found_by_their_stem(seeker_client, recruiter, conversation):
    say(conversation, recruiter, "We would like to schedule an interview next week")
    say(conversation, recruiter, "What are your salary expectations?")

    results = search(seeker_client, "interviews")

    assert found_contents(results) == ["We would like to schedule an interview next week"]
    [result] = results
    assert result["conversation_id"] == str(conversation.pk)
    assert result["message"]["sender_id"] == str(recruiter.pk)
    assert "<mark>interview</mark>" in result["highlight"]
    assert result["rank"] > 0


def test_several_words_must_all_match(seeker_client, seeker, recruiter, conversation):
    say(conversation, recruiter, "The interview is on Monday")
    say(conversation, seeker, "Monday works, see you at the office")

    assert found_contents(search(seeker_client, "monday interview")) == ["The interview is on Monday"]
    assert len(search(seeker_client, "monday")) == 2


def test_both_sides_find_the_message(recruiter_client, seeker_client, seeker, conversation):
    say(conversation, seeker, "I attached my portfolio")

    assert found_contents(search(seeker_client, "portfolio")) == ["I attached my portfolio"]
    assert found_contents(search(recruiter_client, "portfolio")) == ["I attached my portfolio"]


def test_results_are_ranked_best_first(seeker_client, recruiter, conversation):
    say(conversation, recruiter, "Python role: we use Python, Python tooling and more Python every day")
    say(conversation, recruiter, "Some Python would help, but the role is mostly about managing people and budgets")
    say(conversation, recruiter, "Nothing about snakes here")

    results = search(seeker_client, "python")

    assert [r["message"]["content"][:11] for r in results] == ["Python role", "Some Python"]
    assert results[0]["rank"] > results[1]["rank"]


def test_the_highlight_marks_every_hit_and_keeps_text_escaped(seeker_client, recruiter, conversation):
    say(conversation, recruiter, "Interview tips: 1 < 2 & prepare for the interview early")

    [result] = search(seeker_client, "interview")

    assert result["highlight"].count("<mark>") == 2
    assert "<mark>Interview</mark>" in result["highlight"]
    assert "&lt;" in result["highlight"]
    assert "<script" not in result["highlight"]


def test_other_peoples_conversations_are_never_searched(seeker_client, seeker, recruiter, conversation):
    stranger, other_recruiter = factories.SeekerFactory(), factories.RecruiterFactory()
    theirs = direct(other_recruiter, stranger)
    say(theirs, other_recruiter, "Confidential interview feedback for the other candidate")
    say(conversation, recruiter, "Your interview went well")

    assert found_contents(search(seeker_client, "interview")) == ["Your interview went well"]
    assert found_contents(search(client_for(stranger), "interview")) == [
        "Confidential interview feedback for the other candidate"
    ]
    assert search(client_for(factories.SeekerFactory()), "interview") == []
    # Not even admins see conversations they are not in.
    assert search(client_for(factories.AdminFactory()), "interview") == []


def test_deleted_messages_are_not_found(recruiter_client, seeker_client, recruiter, conversation):
    message = say(conversation, recruiter, "Sorry, that interview slot was a mistake")

    assert recruiter_client.delete(message_url(conversation, message.pk)).status_code == 204

    assert search(seeker_client, "interview") == []


def test_a_missing_empty_or_huge_query_is_a_400(seeker_client):
    assert seeker_client.get(SEARCH).status_code == 400
    response = seeker_client.get(SEARCH, {"q": "   "})
    assert response.status_code == 400
    assert "q" in response.data
    assert seeker_client.get(SEARCH, {"q": "x" * 201}).status_code == 400


@pytest.mark.parametrize("q", ['"unclosed', "a & | ! b", "-", "or", "((", "interview:*"])
def test_odd_queries_never_fail(seeker_client, recruiter, conversation, q):
    say(conversation, recruiter, "An interview")

    response = seeker_client.get(SEARCH, {"q": q})

    assert response.status_code == 200


def test_a_null_character_in_the_query_is_a_400(seeker_client):
    # PostgreSQL takes no NUL in a text query: it was a 500 (found by the API fuzz).
    response = seeker_client.get(SEARCH, {"q": "inter\x00view"})

    assert response.status_code == 400
    assert "q" in response.data


def test_anonymous_is_a_401(api_client):
    assert api_client.get(SEARCH, {"q": "interview"}).status_code == 401
