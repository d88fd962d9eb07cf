"""Recording the interview call in a real browser: run INSIDE a loopback-only network namespace.

tests/e2e/browser/test_interview_recording.py starts this script under `unshare --net` (WebRTC must stay
on 127.0.0.1, see the BROWSER-TESTS notes), as it does tests/e2e/webrtc_room_check.py. It starts a private
Redis and a daphne (Celery eager: a stopped recording is assembled in the web process), opens the room as
the recruiter and as the candidate in two contexts of Debian's Chromium with a fake camera and microphone,
then, as the people would:
1. the recruiter records about 5 s and stops; both pages show "Recording" while it runs and not after;
2. the recruiter starts a second recording and closes the tab after about 3 s (no stop).
The caller checks the stored files (ffprobe) and closes the abandoned recording as the sweep would.

Input: one JSON argument {"database_url", "interview_id", "sessions": {"recruiter", "candidate"}, "log_dir",
"media_root", "port"}. Output: a JSON line `RESULT {...}`; exit 0 when every check passed.
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
from tests.e2e.webrtc_room_check import CHROMIUM, CONNECTED, LAUNCH_ARGS, Check, describe, frames  # noqa: E402

SCREENSHOTS = ROOT / "var" / "screenshots"
RECORD_SECONDS = 5.5
ABANDON_AFTER_SECONDS = 3.5
OFFLINE_SECONDS = 2.5
# What going offline on purpose makes the pages log (their sockets and uploads fail until it is back).
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "WebSocket connection to")
INDICATOR_ON = "() => { const e = document.getElementById('recording-indicator'); return e && !e.hidden; }"
INDICATOR_OFF = "() => { const e = document.getElementById('recording-indicator'); return e && e.hidden; }"
UPLOADED = "() => window.kaziRecording ? window.kaziRecording.uploader.uploaded : -1"
# What goes into the recorder: lit pixels in each half of the mixed canvas (own camera left, the other's right),
# and how many microphones feed the audio mix.
MIXED = """() => {
  const mixer = window.kaziRecording.mixer;
  const g = mixer.canvas.getContext("2d");
  const lit = (x) => {
    const data = g.getImageData(x, 0, mixer.canvas.width / 2, mixer.canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4 * 101) if (data[i] + data[i + 1] + data[i + 2] > 60) count += 1;
    return count;
  };
  return { left: lit(0), right: lit(mixer.canvas.width / 2), microphones: mixer.mixedTracks.size };
}"""


def join_both(pages: dict, check: Check) -> None:
    """The recruiter and the candidate press Join; the call must start without a rejoin (issue 17 part 1)."""
    recruiter, candidate = pages["recruiter"], pages["candidate"]
    recruiter.click("#join-button")
    candidate.click("#join-button")
    try:
        for page in (recruiter, candidate):
            page.wait_for_function(CONNECTED, timeout=20_000)
    except Exception:
        check.results["join_stuck"] = describe(pages)
        raise


def open_room(browser, server, config: dict, role: str, errors: list) -> object:
    context = browser.new_context(base_url=server.http, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": config["sessions"][role], "url": server.http}])
    page = context.new_page()
    page.on("console", lambda m, r=role: m.type == "error" and errors.append(f"{r}: {m.text}"))
    page.on("pageerror", lambda e, r=role: errors.append(f"{r}: uncaught {e}"))
    page.goto(f"/interview/{config['interview_id']}/")
    return page


def record_and_stop(pages: dict, check: Check) -> None:
    recruiter, candidate = pages["recruiter"], pages["candidate"]
    recruiter.wait_for_function("() => !document.getElementById('recording-start').disabled")
    recruiter.click("#recording-start")
    for page in pages.values():
        page.wait_for_function(INDICATOR_ON, timeout=10_000)
    texts = {role: page.inner_text("#recording-indicator") for role, page in pages.items()}
    check.record("both sides see that the call is being recorded", all("Recording" in t for t in texts.values()), texts)
    controls = [candidate.is_visible(f"#recording-{name}") for name in ("start", "stop")]
    check.record("the candidate gets no recording controls", controls == [False, False], controls)
    started = time.monotonic()
    time.sleep(RECORD_SECONDS / 2)
    # The recruiter's network drops for a while: the chunks wait and go up in order once it is back.
    recruiter.context.set_offline(True)
    time.sleep(OFFLINE_SECONDS)
    recruiter.context.set_offline(False)
    time.sleep(RECORD_SECONDS / 2)
    uploaded = recruiter.evaluate(UPLOADED)
    check.record("chunks upload while it records", uploaded >= 3, uploaded)
    mixed = recruiter.evaluate(MIXED)
    check.record(
        "both videos and both microphones go into the recording",
        mixed["left"] > 0 and mixed["right"] > 0 and mixed["microphones"] == 2,
        mixed,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for role, page in pages.items():
        page.screenshot(path=str(SCREENSHOTS / f"interview-recording-{role}.png"), full_page=True)
    recruiter.click("#recording-stop")
    for page in (recruiter, candidate):
        page.wait_for_function(INDICATOR_OFF, timeout=20_000)
    check.results["recorded_s"] = round(time.monotonic() - started, 2)
    recruiter.wait_for_function(
        "() => document.getElementById('recording-status').textContent.includes('stopped')", timeout=20_000
    )
    check.record("the recording stops for both", True, recruiter.inner_text("#recording-status"))
    uploads = recruiter.evaluate("() => window.kaziRecordingPanel.lastUploads")
    sequences = [item[0] for item in uploads["sent"]]
    check.record(
        "after the network came back every chunk went up, in order",
        sequences == list(range(len(sequences))) and len(sequences) >= 5 and uploads["retries"] > 0,
        {"sequences": sequences, "failed_attempts_retried": uploads["retries"]},
    )
    candidate.wait_for_function("() => !document.getElementById('recording-list').hidden", timeout=10_000)
    check.record(
        "the candidate sees that a recording exists",
        "recording" in candidate.inner_text("#recording-list"),
        candidate.inner_text("#recording-list"),
    )


def record_and_close_the_tab(pages: dict, check: Check) -> None:
    recruiter, candidate = pages["recruiter"], pages["candidate"]
    recruiter.wait_for_function("() => !document.getElementById('recording-start').hidden")
    recruiter.click("#recording-start")
    candidate.wait_for_function(INDICATOR_ON, timeout=10_000)
    time.sleep(ABANDON_AFTER_SECONDS)
    check.results["abandoned_uploaded_chunks"] = recruiter.evaluate(UPLOADED)
    check.results["abandoned_chunks"] = recruiter.evaluate(
        "() => ({sent: kaziRecording.uploader.sent, now: Math.round(performance.now())})"
    )
    recruiter.context.close()  # the tab (and its browser context) goes away mid-recording


def playback(browser, server, config: dict, check: Check, errors: list) -> None:
    """The recruiter's recordings page plays the first recording back (the <video> loads its metadata)."""
    page = open_room(browser, server, config, "recruiter", errors)
    page.goto(f"/interview/{config['interview_id']}/recordings/")
    page.wait_for_function(
        "() => { const v = document.querySelector('li[data-status=ready] video'); return v && v.readyState >= 1; }",
        timeout=15_000,
    )
    duration = page.evaluate("() => document.querySelector('li[data-status=ready] video').duration")
    check.record("the recruiter plays the recording back on its page", duration and duration >= 4, duration)
    page.screenshot(path=str(SCREENSHOTS / "interview-recordings-page.png"), full_page=True)


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
        KAZI_MEDIA_ROOT=config["media_root"],
        KAZI_CELERY_EAGER="1",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = Daphne("web-recording", env, log_dir, port=config.get("port"))
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            pages = {role: open_room(browser, server, config, role, errors) for role in ("recruiter", "candidate")}
            join_both(pages, check)
            decoded = {role: frames(page) for role, page in pages.items()}
            check.results["frames_decoded_at_start"] = decoded
            record_and_stop(pages, check)
            playback(browser, server, config, check, errors)
            record_and_close_the_tab(pages, check)
            browser.close()
    finally:
        errors = [error for error in errors if not any(noise in error for noise in OFFLINE_NOISE)]
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
