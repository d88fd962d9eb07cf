"""Two users chat in two browser contexts (on two server processes): presence, typing, receipts."""

import pytest

from chat import services as chat_services
from chat.models import Message
from tests import factories
from tests.e2e.browser.conftest import wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_users_chat_with_typing_indicator_and_read_receipt(live, pages):
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau")
    seeker = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    path = f"/chat/{conversation.pk}/"

    amina = pages.open(seeker, live["a"], path)
    wait_live(amina)
    wanjiku = pages.open(recruiter, live["b"], path)
    wait_live(wanjiku)
    # Each sees the other online (REST for whoever came second, a `presence` frame for the first).
    wanjiku.locator(f'.conv[data-conversation-id="{conversation.pk}"] .presence.online').wait_for(timeout=5_000)
    amina.locator(f'.conv[data-conversation-id="{conversation.pk}"] .presence.online').wait_for(timeout=5_000)

    composer = wanjiku.get_by_label("Message", exact=True)
    composer.press_sequentially("Are you free on Tuesday?", delay=20)
    amina.locator("#typing", has_text="Wanjiku Kamau is typing…").wait_for(timeout=3_000)

    composer.press("Enter")
    mine = wanjiku.locator("#messages .message.mine", has_text="Are you free on Tuesday?")
    mine.wait_for()
    amina.locator("#messages .message", has_text="Are you free on Tuesday?").wait_for(timeout=3_000)
    # Sending ends the typing indicator at once.
    assert amina.locator("#typing").inner_text() == ""
    # Amina has the conversation open, so the page marks it read and Wanjiku sees the receipt.
    mine.locator('.receipt[data-receipt="read"]', has_text="Read").wait_for(timeout=3_000)

    # And back, with an attachment (a PDF, judged by its content).
    amina.locator("#attachment").set_input_files(
        files=[{"name": "portfolio.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    amina.get_by_label("Message", exact=True).fill("Yes, after 10:00. My portfolio is attached.")
    amina.get_by_role("button", name="Send").click()
    reply = wanjiku.locator("#messages .message", has_text="My portfolio is attached.")
    reply.wait_for(timeout=3_000)
    assert reply.locator("a.attachment").inner_text().startswith("Attachment: portfolio.pdf")
    amina.locator('#messages .message.mine .receipt[data-receipt="read"]').wait_for(timeout=3_000)
    stored = list(Message.objects.filter(conversation=conversation).order_by("created_at"))
    assert [m.sender_id for m in stored] == [recruiter.pk, seeker.pk]
    assert stored[1].attachment_name == "portfolio.pdf"

    # Search finds the message and highlights the word.
    wanjiku.get_by_label("Search messages").fill("tuesday")
    wanjiku.get_by_label("Search messages").press("Enter")
    wanjiku.locator("#search-results mark", has_text="Tuesday").wait_for()


def test_conversation_list_counts_unread_messages_and_history_pages_back(live, pages):
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau")
    seeker = factories.SeekerFactory()
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    for number in range(35):  # more than one page of 30
        chat_services.message_send(conversation=conversation, sender=recruiter, content=f"Message number {number}")

    page = pages.open(seeker, live["a"], "/chat/")
    wait_live(page)
    unread = page.locator(f'.conv[data-conversation-id="{conversation.pk}"] .conv-unread')
    assert unread.get_attribute("data-count") == "35"
    page.locator(f'.conv[data-conversation-id="{conversation.pk}"] a').click()
    page.locator("#messages .message", has_text="Message number 34").wait_for()
    assert page.locator("#messages .message").count() == 30
    page.get_by_role("button", name="Load older messages").click()
    page.locator("#messages .message", has_text="Message number 0").wait_for()
    assert page.locator("#messages .message").count() == 35
    assert page.get_by_role("button", name="Load older messages").is_hidden()
    # Opening it read it: the list shows no unread count any more.
    page.locator(f'.conv[data-conversation-id="{conversation.pk}"] .conv-unread').wait_for(state="detached")
