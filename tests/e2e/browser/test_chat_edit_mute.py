"""Chat in the pages: editing one's own message (the other sees it live, marked edited), muting a conversation
(no toast, no bell, the unread count still kept), and a group's members panel (add, remove, leave)."""

import pytest

from chat import services as chat_services
from tests import factories
from tests.e2e.browser.conftest import PHONE, screenshot, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_own_message_and_mute_a_conversation(live, pages):
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau")
    seeker = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    path = f"/chat/{conversation.pk}/"
    amina = pages.open(seeker, live["a"], path)
    wait_live(amina)
    wanjiku = pages.open(recruiter, live["b"], path)
    wait_live(wanjiku)

    wanjiku.get_by_label("Message", exact=True).fill("The interview is on Tuesday")
    wanjiku.get_by_role("button", name="Send").click()
    amina.locator("#messages .message", has_text="on Tuesday").wait_for()
    # Only one's own messages offer Edit.
    assert amina.locator("#messages .message .edit-message").count() == 0

    mine = wanjiku.locator("#messages .message.mine", has_text="on Tuesday")
    mine.get_by_role("button", name="Edit message").click()
    editor = wanjiku.get_by_label("Edit your message")
    assert editor.input_value() == "The interview is on Tuesday"
    editor.fill("The interview is on Thursday")
    wanjiku.get_by_role("button", name="Save").click()
    wanjiku.locator("#messages .message.mine", has_text="on Thursday").locator(".edited").wait_for()
    theirs = amina.locator("#messages .message", has_text="on Thursday")
    theirs.wait_for(timeout=3_000)
    assert theirs.locator(".edited").inner_text() == "edited"
    assert amina.locator("#messages .message", has_text="on Tuesday").count() == 0

    # Amina mutes the conversation; it stays muted after a reload.
    mute = amina.locator("#mute-toggle")
    assert mute.get_attribute("aria-pressed") == "false"
    mute.click()
    amina.locator('#mute-toggle[aria-pressed="true"]', has_text="Muted").wait_for()
    amina.reload()
    amina.locator('#mute-toggle[aria-pressed="true"]').wait_for()
    screenshot(amina, "chat-muted-1280")

    # Elsewhere on the site, a message of the muted conversation brings no toast and no bell...
    amina.goto("/jobs/")
    wait_live(amina)
    bell_before = amina.locator("#notif-badge").inner_text()
    wanjiku.get_by_label("Message", exact=True).fill("Muted ping")
    wanjiku.get_by_role("button", name="Send").click()
    wanjiku.locator("#messages .message.mine", has_text="Muted ping").wait_for()
    amina.wait_for_timeout(1_500)
    assert amina.locator("#toasts .toast").count() == 0
    assert amina.locator("#notif-badge").inner_text() == bell_before
    # ...but it is unread in the chat list, marked muted.
    amina.goto("/chat/")
    row = amina.locator(f'.conv[data-conversation-id="{conversation.pk}"]')
    row.locator('.conv-unread[data-count="1"]').wait_for()
    assert row.locator(".conv-muted").inner_text() == "Muted"

    # Unmuted, the next message toasts again.
    row.locator("a").click()
    amina.locator('#mute-toggle[aria-pressed="true"]').click()
    amina.locator('#mute-toggle[aria-pressed="false"]', has_text="Mute").wait_for()
    amina.goto("/jobs/")
    wait_live(amina)
    wanjiku.get_by_label("Message", exact=True).fill("Loud ping")
    wanjiku.get_by_role("button", name="Send").click()
    amina.locator("#toasts .toast", has_text="Loud ping").wait_for(timeout=5_000)


def test_group_members_panel_adds_removes_and_leaves(live, pages):
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau")
    amina = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    baraka = factories.SeekerFactory(first_name="Baraka", last_name="Otieno")
    chidi = factories.SeekerFactory(first_name="Chidi", last_name="Mwangi")
    factories.RecruiterFactory(first_name="Otieno", last_name="Odhiambo", company=recruiter.company)
    group = chat_services.conversation_start_group(initiator=recruiter, others=[amina, baraka], title="Panel")
    chat_services.conversation_start_direct(initiator=recruiter, other=chidi)  # someone Wanjiku talks with
    path = f"/chat/{group.pk}/"
    owner = pages.open(recruiter, live["a"], path)
    wait_live(owner)
    amina_page = pages.open(amina, live["b"], path)
    wait_live(amina_page)
    baraka_page = pages.open(baraka, live["a"], path, viewport=PHONE)
    wait_live(baraka_page)

    owner.get_by_role("button", name="Members (3)").click()
    owner.get_by_label("Add someone you talk with or a colleague").select_option(label="Chidi Mwangi")
    owner.get_by_role("button", name="Add", exact=True).click()
    owner.locator("#members-list li", has_text="Chidi Mwangi").wait_for()
    # A colleague of Wanjiku's company can be added too.
    owner.get_by_label("Add someone you talk with or a colleague").select_option(label="Otieno Odhiambo")
    owner.get_by_role("button", name="Add", exact=True).click()
    owner.locator("#members-list li", has_text="Otieno Odhiambo").wait_for()
    # The others see the group grow live.
    amina_page.get_by_role("button", name="Members (5)").wait_for(timeout=3_000)
    screenshot(owner, "chat-members-1280")

    owner.locator("#members-list li", has_text="Baraka Otieno").get_by_role("button", name="Remove").click()
    owner.locator("#members-list li", has_text="Baraka Otieno").wait_for(state="detached")
    # Baraka's open view stops taking messages.
    baraka_page.get_by_text("You are no longer a member of this conversation.").wait_for(timeout=3_000)
    assert baraka_page.locator("#composer").is_hidden()
    screenshot(baraka_page, "chat-removed-390")

    amina_page.get_by_role("button", name="Members (4)").click()
    amina_page.once("dialog", lambda dialog: dialog.accept())
    amina_page.get_by_role("button", name="Leave group").click()
    amina_page.wait_for_url("**/chat/")
    amina_page.get_by_text("No conversations yet.").wait_for()  # the group was her only one
    assert amina_page.locator(f'.conv[data-conversation-id="{group.pk}"]').count() == 0
    owner.get_by_role("button", name="Members (3)").wait_for(timeout=3_000)
