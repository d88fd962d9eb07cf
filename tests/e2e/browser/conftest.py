"""A real headless Chromium (Debian's) against real servers: one browser and one set of server
processes (two daphne, one Celery worker, from tests/e2e/servers.py) for the whole browser suite,
a fresh browser context per user and a fresh database per test (`live`).

Every page opened through `pages` records console errors and uncaught exceptions; a test fails at
teardown if any were seen (tests may allow a pattern they cause on purpose, such as a refused
WebSocket while the server is down).
"""

import os
import re
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.e2e.servers import ROOT, CeleryWorker, Daphne, server_env
from tests.mail import email_url_of, start_smtp

CHROMIUM = "/usr/bin/chromium"
# Recipe from the team's BROWSER-TESTS notes: headless as root, no calls to Google's hosts.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
# The servers' cache namespace in Redis: theirs alone, so that it can be emptied between tests.
CACHE_PREFIX = f"kazi-browser-{os.getpid()}"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "var" / "screenshots"


class LiveServers(dict):
    """{"a": Daphne, "b": Daphne, "worker": CeleryWorker}, and a way to restart a web process."""

    def __init__(self, env: dict, log_dir: Path):
        super().__init__()
        self.env, self.log_dir, self.restarts = env, log_dir, 0

    def kill(self, name: str) -> int:
        port = self[name].port
        self[name].kill()
        self[name].stop()
        return port

    def start_again(self, name: str, port: int) -> None:
        self.restarts += 1
        # On the same port: a restarted server must come back where the pages look for it.
        self[name] = Daphne(f"{name}-restart-{self.restarts}", self.env, self.log_dir, port=port)


@pytest.fixture(scope="package")
def browser_smtp():
    """The SMTP server the browser suite's servers send mail to (a real one, on loopback): tests read what
    reached it as the recipient would (`mail_to`)."""
    controller, sink = start_smtp()
    sink.url = email_url_of(controller)
    try:
        yield sink
    finally:
        controller.stop()


def mail_to(sink, address: str, timeout: float = 20):
    """The first mail to `address` that reached the SMTP server, waiting for the worker to send it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(sink.messages):
            if message["To"] == address:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} within {timeout} s; the SMTP server got {len(sink.messages)}")


@pytest.fixture(scope="package")
def browser_servers(django_db_setup, django_db_blocker, tmp_path_factory, browser_smtp):
    """Started once for the browser tests (each start costs seconds), stopped after them so that their
    Celery worker takes no task of the e2e tests that follow; every test brings its own data."""
    log_dir = tmp_path_factory.mktemp("browser-servers")
    with django_db_blocker.unblock():
        env = server_env(settings.REDIS_URL)
    env["EMAIL_URL"] = browser_smtp.url
    env["KAZI_MEDIA_ROOT"] = str(log_dir / "media")
    env["KAZI_CACHE_PREFIX"] = CACHE_PREFIX
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    servers = LiveServers(env, log_dir)
    try:
        servers["a"] = Daphne("web-a", env, log_dir, wait=False)
        servers["b"] = Daphne("web-b", env, log_dir, wait=False)
        servers["worker"] = CeleryWorker(env, log_dir)
        servers["a"].wait_healthy()
        servers["b"].wait_healthy()
        yield servers
    finally:
        for process in servers.values():
            process.stop()


@pytest.fixture
def live(browser_servers, transactional_db, settings):
    """The running servers, over this test's (committed, flushed afterwards) data.

    The servers cache API reads in Redis and hear nothing of the flush between tests: each test
    starts with their cache empty, and this process writes through the same namespace, so the
    objects a test creates invalidate what the servers cached, as the servers' own writes would."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": CACHE_PREFIX}}
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        stale = list(client.scan_iter(match=f"{CACHE_PREFIX}:*", count=1000))
        if stale:
            client.delete(*stale)
    finally:
        client.close()
    return browser_servers


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed after them: Playwright's sync API keeps an event
    loop running in this thread while it is started, and the async tests that follow need it free."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
    # browser steps are ordinary blocking calls, so Django's async-safety check does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield chromium
            chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def session_cookie(user, server) -> dict:
    """A logged-in Django session for `user`, as a cookie for the server's origin (skips the login form)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": server.http}


class Pages:
    """Browser contexts and pages for one test, each watched for console errors."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []

    def context(self, user=None, server=None, viewport=DESKTOP):
        context = self.browser.new_context(viewport=viewport, base_url=server.http if server else None)
        context.set_default_timeout(10_000)
        if user is not None:
            context.add_cookies([session_cookie(user, server)])
        self.contexts.append(context)
        return context

    def open(self, user, server, path, viewport=DESKTOP):
        page = self.context(user, server, viewport).new_page()
        self.watch(page)
        page.goto(path)
        return page

    def watch(self, page):
        label = lambda: page.url  # noqa: E731 - the url at the time of the error
        page.on("console", lambda message: message.type == "error" and self.errors.append(f"{label()}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(f"{label()}: uncaught {error}"))

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected_errors(self) -> list[str]:
        return [error for error in self.errors if not any(pattern.search(error) for pattern in self.allowed)]

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser, browser_servers):
    opened = Pages(browser)
    yield opened
    opened.close()
    errors = opened.unexpected_errors()
    if errors:
        logs = "\n".join(f"--- {name} ---\n{process.log()}" for name, process in browser_servers.items())
        pytest.fail("console errors on the pages:\n" + "\n".join(errors) + "\n" + logs)


def wait_live(page, timeout=10_000):
    """Until the page's socket is open (the header's indicator says so) and its notifications are loaded."""
    page.locator('#conn-state[data-state="open"]').wait_for(timeout=timeout)
    page.locator('#notif-panel[data-loaded="true"]').wait_for(state="attached", timeout=timeout)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
