"""Forgot password in a real browser: the login page's link, the address, the mail the worker sent through
a real SMTP server, its link, a new password, and logging in with it."""

import re
from urllib.parse import urlsplit

import pytest

from tests import factories
from tests.e2e.browser.conftest import mail_to, screenshot
from tests.mail import parts_of

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Kilimanjaro-at-dawn-2026"


def test_forgot_password_mail_new_password_log_in(live, pages, browser_smtp):
    factories.SeekerFactory(email="amina.reset@example.com", first_name="Amina", last_name="Wanjiru")
    server = live["a"]
    page = pages.open(None, server, "/login/")

    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("amina.reset@example.com")
    page.get_by_role("button", name="Mail me a link").click()
    page.get_by_text("a link to choose a new password is on its way").wait_for()

    message = mail_to(browser_smtp, "amina.reset@example.com")
    assert message["Subject"] == "Reset your Kazi password"
    [link] = re.findall(r"https?://\S+/reset/\S+/", parts_of(message)["text/plain"])
    path = urlsplit(link).path
    assert re.fullmatch(r"/reset/[^/]+/[^/]+/", path)

    page.goto(path)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password, again").fill("not the same")
    page.get_by_role("button", name="Save the new password").click()
    page.get_by_text("The two passwords differ.").wait_for()
    page.get_by_label("New password, again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    page.get_by_text("Your password is changed").wait_for()
    screenshot(page, "password-reset-done")

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("amina.reset@example.com")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/jobs/$"))
    assert page.locator(".user-name").inner_text() == "Amina Wanjiru"

    # The link was for one use: opening it again says so (a 404 page, which the browser reports).
    pages.allow(r"/reset/.*status of 404")
    page.goto(path)
    assert page.get_by_text("This link is invalid or has expired").is_visible()
