"""Many call starts in one browser: run INSIDE a loopback-only network namespace (as webrtc_room_check.py).

Both people press Join at the same instant (the clicks are scheduled on one shared clock, in both
orders and a few milliseconds apart), and every few starts one side reloads mid-call and joins again.
Each start must reach `connected` with decoded video on both sides, without a rejoin. Afterwards the
interview's end: both press Leave mid-slot and join again (connected again), then the recruiter's
"End interview" ends it on both pages and closes the other side's socket.

Input: one JSON argument {"database_url", "interview_id", "sessions": {"recruiter", "candidate"},
"starts", "log_dir"}. Output: a JSON line `RESULT {...}`; exit 0 when every check passed.
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.servers import LIFTED_USER_LIMITS, Daphne, PrivateRedis  # noqa: E402
from tests.e2e.webrtc_room_check import CHROMIUM, LAUNCH_ARGS, Check, describe  # noqa: E402

# Connected, and the other side's video playing (it has a size and its clock moves): "I see them".
SEES_THE_OTHER = """() => {
  const room = window.kaziRoom;
  const pcs = room ? room.peerConnections() : [];
  const video = document.querySelector("#remote-videos video");
  return pcs.length === 1 && pcs[0].connectionState === "connected" && !!video && video.videoWidth > 0
    && video.currentTime > 0;
}"""

FRAMES_DECODED = """async () => {
  const pc = window.kaziRoom.peerConnections()[0];
  let frames = 0;
  if (pc) (await pc.getStats()).forEach((stat) => {
    if (stat.type === "inbound-rtp" && stat.kind === "video") frames += stat.framesDecoded || 0;
  });
  return frames;
}"""

# The click goes off at a moment of the browser's one clock, so two pages press within a millisecond.
CLICK_AT = """(at) => {
  window.kaziRoom.previewReady.then(() => {
    const wait = Math.max(0, at - performance.timeOrigin - performance.now());
    setTimeout(() => document.getElementById("join-button").click(), wait);
  });
}"""

# What a stuck start looked like from inside each page (for the report).
INSIDE = """() => [...(window.kaziRoom?.peers.values() ?? [])].map((peer) => ({
  polite: peer.polite, session: peer.session, remoteSession: peer.remoteSession,
  pending: [...peer.pendingCandidates.entries()].map(([k, v]) => [k, v.length]),
  local: peer.pc.localDescription?.type, remote: peer.pc.remoteDescription?.type,
  localCandidates: (peer.pc.localDescription?.sdp.match(/a=candidate/g) || []).length,
  remoteCandidates: (peer.pc.remoteDescription?.sdp.match(/a=candidate/g) || []).length,
  video: [peer.video.videoWidth, peer.video.currentTime, peer.video.paused, peer.video.readyState],
  state: peer.pc.connectionState,
}))"""

READY = "() => !!window.kaziRoom && !document.getElementById('join-button').disabled"
# Offsets in milliseconds of the candidate's click after the recruiter's: same instant, either first.
OFFSETS = [0, 0, 1, -1, 5, -5, 20, -20, 0, 50, -50]
START_TIMEOUT_MS = 12_000


def open_room(page, interview_id: int) -> None:
    page.goto(f"/interview/{interview_id}/")
    page.wait_for_function(READY)


def press_join_together(pages: dict, offset_ms: int) -> None:
    first, second = pages["recruiter"], pages["candidate"]
    at = first.evaluate("() => Date.now()") + 400
    first.evaluate(CLICK_AT, at)
    second.evaluate(CLICK_AT, at + offset_ms)


def both_see_each_other(pages: dict, timeout_ms: int = START_TIMEOUT_MS) -> bool:
    """Each page's one peer connection is connected, has decoded the other's video, and the video plays."""
    deadline = time.monotonic() + timeout_ms / 1000
    waiting = dict(pages)
    while waiting and time.monotonic() < deadline:
        for role, page in list(waiting.items()):
            if page.evaluate(SEES_THE_OTHER) and page.evaluate(FRAMES_DECODED) > 0:
                del waiting[role]
        if waiting:
            time.sleep(0.1)
    return not waiting


def start_loop(pages: dict, interview_id: int, starts: int, check: Check) -> None:
    timings, stuck = [], []
    loop_started = time.monotonic()
    for number in range(starts):
        offset = OFFSETS[number % len(OFFSETS)]
        for page in pages.values():
            open_room(page, interview_id)
        began = time.monotonic()
        press_join_together(pages, offset)
        ok = both_see_each_other(pages)
        if ok and number % 3 == 2:
            # One side reloads mid-call and joins again: the other side must take the new page's call.
            reloader = pages["candidate" if number % 2 else "recruiter"]
            open_room(reloader, interview_id)
            reloader.click("#join-button")
            ok = both_see_each_other(pages)
        timings.append(round(time.monotonic() - began, 2))
        if not ok:
            stuck.append(
                {
                    "start": number,
                    "offset_ms": offset,
                    "pages": describe(pages),
                    "inside": {role: page.evaluate(INSIDE) for role, page in pages.items()},
                }
            )
    check.results["starts"] = starts
    check.results["start_seconds"] = timings
    check.results["loop_seconds"] = round(time.monotonic() - loop_started, 1)
    check.record(f"{starts} starts in a row connect with video both ways", not stuck, stuck[:3])


def leave_and_rejoin(pages: dict, check: Check) -> None:
    for page in pages.values():
        page.click("#leave-button")
        page.wait_for_function("() => document.getElementById('room-state').dataset.state === 'closed'")
    offered = {role: page.locator("#join-button").inner_text() for role, page in pages.items()}
    check.record("after Leave the page offers to join again", set(offered.values()) == {"Join again"}, offered)
    time.sleep(1)
    press_join_together(pages, 0)
    check.record("both leave mid-slot and join again: connected again", both_see_each_other(pages), describe(pages))


def recruiter_ends(pages: dict, check: Check) -> None:
    recruiter, candidate = pages["recruiter"], pages["candidate"]
    check.record("the candidate has no End button", candidate.locator("#end-button").count() == 0)
    recruiter.once("dialog", lambda dialog: dialog.accept())
    recruiter.click("#end-button")
    ended = "() => document.getElementById('interview-room').dataset.status === 'completed'"
    shown = {}
    for role, page in pages.items():
        try:
            page.wait_for_function(ended, timeout=10_000)
            shown[role] = page.locator("#room-state").inner_text()
        except Exception:
            shown[role] = f"not ended: {describe(pages)[role]}"
    check.record(
        "End interview ends it on both pages",
        all("ended" in text for text in shown.values()),
        shown,
    )
    candidate.wait_for_function("() => window.kaziRoom.signaling.closeCode !== undefined", timeout=5_000)
    code = candidate.evaluate("() => window.kaziRoom.signaling.closeCode")
    join_hidden = candidate.evaluate("() => document.getElementById('join-button').hidden")
    check.record(
        "the server closed the candidate's socket (4410) and Join is gone",
        code == 4410 and join_hidden,
        [code, join_hidden],
    )
    # Opened again, the page shows the interview's real state and no Join.
    candidate.reload()
    status = candidate.locator("#room-status").inner_text()
    hidden = candidate.evaluate("() => document.getElementById('join-button').hidden")
    check.record("a reopened room shows Completed and no Join", status == "Completed" and hidden, [status, hidden])


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
        **LIFTED_USER_LIMITS,
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = Daphne("web-loop", env, log_dir)
    errors: list[str] = []
    interview_id = config["interview_id"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            pages = {}
            for role in ("recruiter", "candidate"):
                context = browser.new_context(base_url=server.http, viewport={"width": 640, "height": 480})
                context.set_default_timeout(15_000)
                context.add_cookies([{"name": "sessionid", "value": config["sessions"][role], "url": server.http}])
                page = context.new_page()
                page.on("console", lambda m, r=role: m.type == "error" and errors.append(f"{r}: {m.text}"))
                page.on("pageerror", lambda e, r=role: errors.append(f"{r}: uncaught {e}"))
                pages[role] = page
            start_loop(pages, interview_id, config.get("starts", 30), check)
            if config.get("end_checks", True):
                leave_and_rejoin(pages, check)
                recruiter_ends(pages, check)
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
