"""The interview room in a real browser: run INSIDE a loopback-only network namespace.

tests/e2e/browser/test_interview_room.py starts this script under `unshare --net` (so that ICE
can only use 127.0.0.1, see BROWSER-TESTS notes). It starts a private Redis and a daphne on
127.0.0.1, opens /interview/{id}/ as the recruiter and as the candidate in two contexts of
Debian's Chromium with a fake camera and microphone, and checks what the people would see:
both peer connections `connected`, each side decoding the other's video, the signaling socket
reconnecting without breaking the call, an ICE restart, screen sharing, and leaving.

Input: one JSON argument {"database_url", "interview_id", "sessions": {"recruiter", "candidate"},
"names": {...}, "log_dir"}. Output: a JSON line `RESULT {...}`; exit 0 when every check passed.
A separate process also keeps Playwright's event loop out of the pytest process.
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

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--auto-select-desktop-capture-source=Entire screen",
]

STATE = """() => {
  const room = window.kaziRoom;
  const pcs = room ? room.peerConnections() : [];
  return {
    state: document.querySelector("#room-state")?.innerText,
    pcs: pcs.map((pc) => [pc.connectionState, pc.signalingState, pc.iceConnectionState, pc.iceGatheringState]),
    videos: [...document.querySelectorAll("#remote-videos video")].map((v) => ({
      width: v.videoWidth, time: v.currentTime, paused: v.paused, muted: v.muted, ready: v.readyState,
      tracks: v.srcObject ? v.srcObject.getTracks().map((t) => `${t.kind}:${t.readyState}`) : null,
    })),
  };
}"""


def describe(pages) -> dict:
    return {role: page.evaluate(STATE) for role, page in pages.items()}


CONNECTED = """() => {
  const room = window.kaziRoom;
  const pcs = room ? room.peerConnections() : [];
  return pcs.length === 1 && pcs[0].connectionState === "connected";
}"""

FRAMES_DECODED = """async () => {
  const pc = window.kaziRoom.peerConnections()[0];
  if (!pc) return 0;
  let frames = 0;
  (await pc.getStats()).forEach((stat) => {
    if (stat.type === "inbound-rtp" && stat.kind === "video") frames += stat.framesDecoded || 0;
  });
  return frames;
}"""


class Check:
    def __init__(self):
        self.results: dict = {}
        self.failures: list[str] = []

    def record(self, name: str, ok: bool, detail=None) -> None:
        self.results[name] = {"ok": bool(ok), "detail": detail}
        if not ok:
            self.failures.append(f"{name}: {detail}")


def frames(page) -> int:
    return page.evaluate(FRAMES_DECODED)


def wait_frames_grow(page, above: int, timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    count = frames(page)
    while count <= above and time.monotonic() < deadline:
        time.sleep(0.2)
        count = frames(page)
    return count


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
    started = time.monotonic()
    server = Daphne("web-room", env, log_dir)
    check.results["server_start_s"] = round(time.monotonic() - started, 2)
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            pages = {}
            for role in ("recruiter", "candidate"):
                context = browser.new_context(base_url=server.http, viewport={"width": 1280, "height": 800})
                context.set_default_timeout(15_000)
                context.add_cookies([{"name": "sessionid", "value": config["sessions"][role], "url": server.http}])
                page = context.new_page()
                page.on("console", lambda m, r=role: m.type == "error" and errors.append(f"{r}: {m.text}"))
                page.on("pageerror", lambda e, r=role: errors.append(f"{r}: uncaught {e}"))
                page.goto(f"/interview/{config['interview_id']}/")
                pages[role] = page
            recruiter, candidate = pages["recruiter"], pages["candidate"]

            started = time.monotonic()
            for page in (recruiter, candidate):
                page.click("#join-button")
            for role, page in pages.items():
                try:
                    page.wait_for_function(CONNECTED, timeout=20_000)
                except Exception:
                    raise AssertionError(f"{role} not connected; pages: {describe(pages)}") from None
            check.results["connected_after_s"] = round(time.monotonic() - started, 2)
            check.record("both peer connections connected", True)

            decoded = {role: wait_frames_grow(page, 0) for role, page in pages.items()}
            check.record("each side decodes the other's video", all(n > 0 for n in decoded.values()), decoded)

            # What the person sees: the state line names the other participant.
            states = {role: page.locator("#room-state").get_attribute("data-state") for role, page in pages.items()}
            texts = {role: page.locator("#room-state").inner_text() for role, page in pages.items()}
            check.record(
                "the page says who you are in the call with",
                states == {"recruiter": "connected", "candidate": "connected"}
                and config["names"]["candidate"] in texts["recruiter"]
                and config["names"]["recruiter"] in texts["candidate"],
                texts,
            )
            tile_states = {
                role: page.locator("#remote-videos figure").first.get_attribute("data-state")
                for role, page in pages.items()
            }
            check.record("the remote tile shows connected", set(tile_states.values()) == {"connected"}, tile_states)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for role, page in pages.items():
                page.screenshot(path=str(SCREENSHOTS / f"interview-room-{role}.png"))

            # Mute and camera toggles: the person's own tracks stop, the buttons say so.
            candidate.click("#toggle-mic")
            candidate.click("#toggle-camera")
            toggled = candidate.evaluate(
                """() => ({mic: kaziRoom.mic.enabled, camera: kaziRoom.camera.enabled,
                          micPressed: document.getElementById("toggle-mic").getAttribute("aria-pressed"),
                          micLabel: document.getElementById("toggle-mic").textContent})"""
            )
            check.record(
                "mute and camera toggles",
                toggled == {"mic": False, "camera": False, "micPressed": "true", "micLabel": "Unmute"},
                toggled,
            )
            candidate.click("#toggle-mic")
            candidate.click("#toggle-camera")

            # The signaling socket drops: it comes back by itself and the call goes on.
            before = frames(recruiter)
            candidate.evaluate("() => window.kaziRoom.signaling.socket.close()")
            candidate.wait_for_function(
                "() => document.getElementById('room-state').dataset.state === 'reconnecting'"
                " || window.kaziRoom.signalingState === 'reconnecting'",
                timeout=5_000,
            )
            candidate.wait_for_function(
                "() => window.kaziRoom.signaling.open && document.getElementById('room-state').dataset.state"
                " === 'connected'",
                timeout=15_000,
            )
            still = candidate.evaluate("() => window.kaziRoom.peerConnections()[0].connectionState")
            after = wait_frames_grow(recruiter, before)
            check.record(
                "signaling reconnects and the call goes on", still == "connected" and after > before, [still, after]
            )

            # An ICE restart (what the page does when the connection fails) renegotiates and reconnects.
            ufrag = (
                "() => (window.kaziRoom.peerConnections()[0].remoteDescription.sdp"
                ".match(/a=ice-ufrag:(\\S+)/) || [])[1]"
            )
            old_ufrag = recruiter.evaluate(ufrag)
            candidate.evaluate("() => [...window.kaziRoom.peers.values()][0].restartIce()")
            recruiter.wait_for_function(f"() => ({ufrag})() !== {json.dumps(old_ufrag)}", timeout=10_000)
            for page in (recruiter, candidate):
                page.wait_for_function(CONNECTED, timeout=10_000)
            before = frames(recruiter)
            check.record("ICE restart reconnects", wait_frames_grow(recruiter, before) > before)

            # Screen sharing replaces the outgoing video without a new connection.
            recruiter.click("#share-screen")
            try:
                recruiter.wait_for_function(
                    "() => document.getElementById('share-screen').getAttribute('aria-pressed') === 'true'",
                    timeout=5_000,
                )
                sent = recruiter.evaluate(
                    "() => window.kaziRoom.peerConnections()[0].getSenders()"
                    ".find((s) => s.track && s.track.kind === 'video').track === window.kaziRoom.screen"
                )
                before = frames(candidate)
                check.record(
                    "screen sharing replaces the camera", sent and wait_frames_grow(candidate, before) > before, sent
                )
                recruiter.click("#share-screen")
                recruiter.wait_for_function(
                    "() => document.getElementById('share-screen').getAttribute('aria-pressed') === 'false'"
                )
            except Exception as exc:  # reported; the other checks go on
                check.record("screen sharing replaces the camera", False, repr(exc)[:300])

            # The recruiter leaves: the candidate's page says so and drops the call.
            recruiter.click("#leave-button")
            recruiter.wait_for_function("() => document.getElementById('room-state').dataset.state === 'closed'")
            candidate.wait_for_function(
                "() => window.kaziRoom.peers.size === 0"
                " && document.getElementById('room-state').dataset.state === 'waiting'",
                timeout=15_000,
            )
            check.record("leaving ends the call for the other side", True, candidate.inner_text("#room-state"))
            browser.close()
    finally:
        check.results["console_errors"] = errors
        if errors:
            check.failures.append(f"console errors: {errors}")
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
