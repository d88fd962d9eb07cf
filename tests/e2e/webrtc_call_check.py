"""Calls from chat in a real browser: run INSIDE a loopback-only network namespace (as webrtc_room_check.py).

Two contexts on the chat page of their direct conversation. The recruiter presses "Video call": the seeker's
page rings (a toast with Accept and Decline); Accept opens the room and both see each other. A second call
is declined: the caller's room says so and both conversation views show "missed call".

Input: one JSON argument {"database_url", "conversation_id", "sessions": {"caller", "callee"}, "log_dir"}.
Output: a JSON line `RESULT {...}`; exit 0 when every check passed.
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.servers import Daphne, PrivateRedis  # noqa: E402
from tests.e2e.webrtc_join_loop_check import both_see_each_other  # noqa: E402
from tests.e2e.webrtc_room_check import CHROMIUM, LAUNCH_ARGS, Check, describe  # noqa: E402

SOCKET_LIVE = "#conn-state[data-state='open']"
CONVERSATION_READY = "#video-call"


def ring_and_accept(pages: dict, chat_path: str, check: Check) -> None:
    caller, callee = pages["caller"], pages["callee"]
    started = time.monotonic()
    caller.click("#video-call")
    toast = callee.locator(".toast-call")
    toast.wait_for(timeout=10_000)
    check.record("the callee's page rings", "is calling" in toast.inner_text(), toast.inner_text())
    toast.locator(".call-accept").click()
    callee.wait_for_url("**/interview/*/")
    connected = both_see_each_other(pages, timeout_ms=20_000)
    check.results["accept_to_video_s"] = round(time.monotonic() - started, 2)
    check.record("accept: both see each other", connected, describe(pages))
    caller.click("#end-button")
    for page in pages.values():
        page.wait_for_function("() => document.getElementById('interview-room').dataset.status === 'completed'")
    texts = {role: page.locator("#room-state").inner_text() for role, page in pages.items()}
    check.record("End call ends it for both", set(texts.values()) == {"The call has ended."}, texts)


def ring_and_decline(pages: dict, chat_path: str, check: Check) -> None:
    caller, callee = pages["caller"], pages["callee"]
    for page in pages.values():
        page.goto(chat_path)
        page.wait_for_selector(CONVERSATION_READY)
        page.wait_for_selector(SOCKET_LIVE)
    caller.click("#video-call")
    caller.wait_for_url("**/interview/*/")
    # The callee declines once the caller's page rings in the room. Declined sooner, the caller's join is refused
    # (a 400 in the console) and the page shows the same end through GET /api/interview/{id}/.
    caller.wait_for_selector("#room-state[data-state='waiting']")
    toast = callee.locator(".toast-call")
    toast.wait_for(timeout=10_000)
    toast.locator(".call-decline").click()
    try:
        caller.wait_for_function("() => document.getElementById('interview-room').dataset.status === 'cancelled'")
    except Exception:
        check.results["decline_caller_page"] = caller.evaluate(
            "() => [document.getElementById('interview-room').dataset.status, document.body.innerText.slice(0, 600)]"
        )
        raise
    check.record(
        "decline: the caller's room says so",
        caller.locator("#room-state").inner_text() == "The call was not answered.",
        caller.locator("#room-state").inner_text(),
    )
    caller.goto(chat_path)
    seen = {}
    for role, page in pages.items():
        last = page.locator("#messages li.message .content").last
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('#messages li.message .content')].some("
                "(m) => m.textContent.trim() === 'missed call')",
                timeout=10_000,
            )
            seen[role] = last.inner_text()
        except Exception:
            seen[role] = [m.inner_text() for m in page.locator("#messages li.message .content").all()]
    check.record("decline: both conversation views show missed call", set(seen.values()) == {"missed call"}, seen)


def run(config: dict, check: Check) -> None:
    from playwright.sync_api import sync_playwright

    log_dir = Path(config["log_dir"])
    redis = PrivateRedis(log_dir)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=config["database_url"],
        REDIS_URL=redis.url,
        DJANGO_DEBUG="1",
        PYTHONUNBUFFERED="1",
        KAZI_LOG_LEVEL="WARNING",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = Daphne("web-call", env, log_dir)
    errors: list[str] = []
    chat_path = f"/chat/{config['conversation_id']}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            pages = {}
            for role in ("caller", "callee"):
                context = browser.new_context(base_url=server.http, viewport={"width": 1024, "height": 700})
                context.set_default_timeout(15_000)
                context.add_cookies([{"name": "sessionid", "value": config["sessions"][role], "url": server.http}])
                page = context.new_page()
                page.on("console", lambda m, r=role: m.type == "error" and errors.append(f"{r}: {m.text}"))
                page.on("pageerror", lambda e, r=role: errors.append(f"{r}: uncaught {e}"))
                page.goto(chat_path)
                page.wait_for_selector(CONVERSATION_READY)
                page.wait_for_selector(SOCKET_LIVE)
                pages[role] = page
            ring_and_accept(pages, chat_path, check)
            ring_and_decline(pages, chat_path, check)
            browser.close()
    finally:
        check.results["console_errors"] = errors[:10]
        if errors:
            check.failures.append(f"console errors: {errors[:10]}")
        server.stop()
        redis.kill()
        check.results["daphne_log_tail"] = server.log()[-1500:] if check.failures else ""


def main() -> int:
    config = json.loads(sys.argv[1])
    check = Check()
    try:
        run(config, check)
    except Exception:  # the whole story goes to the caller
        check.failures.append(traceback.format_exc()[-3000:])
    print("RESULT " + json.dumps({"failures": check.failures, "results": check.results}), flush=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
