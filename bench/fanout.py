"""Real-time fan-out benchmark: Kazi (two daphne processes + Celery) against a plain `websockets` floor.

Not a test: it prints figures and never fails on time. See bench/README.md.

    .venv/bin/python bench/fanout.py --sizes 1000,5000

For each N it
  1. connects N job-seeker sockets to ws/notifications/, spread evenly over two daphne processes;
  2. fan-out: opens `--events` jobs through POST /api/jobs/ at `--rate` per second, each a `job_posted`
     to every socket, and measures receipt time minus the frame's `timestamp` (set inside the publishing
     transaction, just before commit);
  3. per-user burst: one Celery task `notify_users(user_ids=<all N>)`, one event per user;
  4. the floor: the same N clients on a plain `websockets` broadcast server in its own process, the same
     events, a timestamp set just before `websockets.broadcast`.
It uses its own database (flushed at start), its own Redis channel prefix and its own Celery queue.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.e2e.servers import CeleryWorker, Daphne, Process, free_port  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kazi_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SEEKER_DOMAIN = "fanout.bench"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- small helpers ------------------------------------------------------------------------------
def iso_now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not values:
        return math.nan
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def ms(seconds: float) -> str:
    return "-" if seconds is None or math.isnan(seconds) else f"{seconds * 1000:.1f}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return math.nan


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --- server processes: tests/e2e/servers.py's, shared with the end-to-end tests ----------------------
_LEVEL = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|Traceback")


def log_problems(server: Process, top: int = 3) -> list[str]:
    """Counts of the warnings and errors a server logged, the most frequent first (numbers made generic)."""
    try:
        lines = server.log_path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    counts: dict[str, int] = {}
    for line in lines:
        match = _LEVEL.search(line)
        if match:
            text = re.sub(r"\d+", "N", line[match.start() :])[:160]
            counts[text] = counts.get(text, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return [f"{count} x {text}" for text, count in ranked[:top]] + (
        [f"... and {len(ranked) - top} other kinds"] if len(ranked) > top else []
    )


# --- the environment and the database -----------------------------------------------------------
def bench_env(args) -> dict:
    tag = f"kazi-bench-{os.getpid()}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DJANGO_DEBUG="1",
        JWT_ACCESS_MINUTES="600",
        KAZI_REALTIME_PREFIX=f"{tag}.",
        KAZI_CACHE_PREFIX=tag,
        KAZI_CELERY_QUEUE=tag,
        KAZI_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def cleanup_redis(url: str, tag: str) -> int:
    """Delete what this run left in Redis: real-time keys, cache keys, its Celery queue and bindings."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=10)
    try:
        keys = [tag, f"_kombu.binding.{tag}", f"_kombu.binding_permanent.{tag}"]
        for pattern in (f"{tag}.*", f"{tag}:*", f"{tag}\x06*"):
            keys.extend(client.scan_iter(match=pattern, count=1000))
        deleted = 0
        for start in range(0, len(keys), 1000):
            deleted += client.delete(*keys[start : start + 1000])
        return deleted
    except redis.RedisError as exc:
        print(f"could not clean up Redis keys of {tag}: {exc}")
        return 0
    finally:
        client.close()


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def prepare_database(args, env: dict) -> None:
    name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to flush database {name!r}: its name must contain 'bench' (see --database-url)")
    ensure_database(args.database_url)
    started = time.monotonic()
    for command in (["migrate", "--noinput", "-v", "0"], ["flush", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    print(f"database {name}: migrated and flushed in {time.monotonic() - started:.1f} s")


@dataclass
class People:
    recruiter_token: str
    seeker_ids: list[int]
    seeker_tokens: list[str]


def create_people(count: int) -> People:
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import User
    from marketplace.models import Company

    started = time.monotonic()
    company = Company.objects.create(name="Fanout Bench Co", slug="fanout-bench-co", location="Remote")
    recruiter = User(email=f"recruiter@{SEEKER_DOMAIN}", user_type="recruiter", company=company)
    recruiter.set_unusable_password()
    recruiter.save()
    seekers = []
    for i in range(count):
        user = User(email=f"seeker-{i}@{SEEKER_DOMAIN}", first_name="Seeker", last_name=str(i), user_type="job_seeker")
        user.set_unusable_password()
        seekers.append(user)
    User.objects.bulk_create(seekers, batch_size=1000)
    seekers = list(User.objects.filter(email__endswith=f"@{SEEKER_DOMAIN}", user_type="job_seeker").order_by("id"))
    people = People(
        recruiter_token=str(AccessToken.for_user(recruiter)),
        seeker_ids=[user.pk for user in seekers],
        seeker_tokens=[str(AccessToken.for_user(user)) for user in seekers],
    )
    print(f"created 1 recruiter, 1 company and {count} job seekers with tokens in {time.monotonic() - started:.1f} s")
    return people


# --- the client side: N sockets in one event loop -------------------------------------------------
class Sink:
    """Where readers put (receive time, socket index, raw text); parsing waits until the run is over."""

    def __init__(self) -> None:
        self.log: list[tuple[float, int, str]] = []

    def swap(self) -> list[tuple[float, int, str]]:
        log, self.log = self.log, []
        return log


@dataclass
class Clients:
    sockets: list = field(default_factory=list)
    readers: list = field(default_factory=list)
    failed: int = 0
    errors: dict = field(default_factory=dict)
    closed_by_server: dict = field(default_factory=dict)
    closing: bool = False
    connect_seconds: float = 0.0


async def _reader(ws, idx: int, sink: Sink, clients: Clients) -> None:
    try:
        async for text in ws:
            sink.log.append((time.time(), idx, text))
    except Exception:  # a broken socket is counted below, not raised
        pass
    if not clients.closing:
        code = ws.close_code
        clients.closed_by_server[code] = clients.closed_by_server.get(code, 0) + 1


async def _connect_one(url: str, attempts: int = 3):
    import websockets

    last: Exception | None = None
    for attempt in range(attempts):
        ws = None
        try:
            ws = await websockets.connect(
                url, open_timeout=30, close_timeout=2, ping_interval=None, compression=None, max_size=2**20
            )
            first = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if first.get("type") != "connection_established":
                raise RuntimeError(f"first frame was {first!r}")
            return ws
        except Exception as exc:  # retried, then counted
            last = exc
            if ws is not None:
                with contextlib.suppress(Exception):
                    await ws.close()
            await asyncio.sleep(0.5 * (attempt + 1))
    raise last


async def connect_all(urls: list[str], batch: int, sink: Sink) -> Clients:
    """Connect every URL with at most `batch` handshakes in flight; each socket must first receive
    connection_established. A window, not lock-step batches: a new handshake starts as soon as one ends, as
    browsers coming back after a deploy do not wait for each other's slowest (lock-step batches left the client
    idle while the servers finished each batch's last sockets, and the servers idle while the client started the
    next batch)."""
    clients = Clients()
    window = asyncio.Semaphore(batch)
    started = time.monotonic()

    async def connect(url: str) -> None:
        async with window:
            try:
                ws = await _connect_one(url)
            except Exception as exc:  # retried in _connect_one, then counted
                clients.failed += 1
                key = type(exc).__name__
                clients.errors[key] = clients.errors.get(key, 0) + 1
                return
        idx = len(clients.sockets)
        clients.sockets.append(ws)
        clients.readers.append(asyncio.create_task(_reader(ws, idx, sink, clients)))

    await asyncio.gather(*(connect(url) for url in urls))
    clients.connect_seconds = time.monotonic() - started
    return clients


async def close_all(clients: Clients, batch: int = 500) -> None:
    clients.closing = True
    for start in range(0, len(clients.sockets), batch):
        chunk = clients.sockets[start : start + batch]
        await asyncio.gather(*(ws.close() for ws in chunk), return_exceptions=True)
    for task in clients.readers:
        task.cancel()
    await asyncio.gather(*clients.readers, return_exceptions=True)


@contextlib.contextmanager
def quiet_gc():
    """No cyclic GC in the client while it measures: a collection over N sockets' objects stalls every reader."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def wait_for_count(sink: Sink, expected: int, timeout: float, event_type: str, grace: float = 0.5) -> None:
    """Until `expected` frames of `event_type` arrived (then `grace` more, for duplicates) or `timeout` passed."""
    marker = f'"type":"{event_type}"'
    deadline = time.monotonic() + timeout
    seen = counted = 0
    while time.monotonic() < deadline:
        log = sink.log
        counted += sum(1 for _, _, text in log[seen:] if marker in text)
        seen = len(log)
        if counted >= expected:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(grace)


async def settle(pids: list[int], idle_share: float = 0.05, timeout: float = 60) -> None:
    """Wait until the given processes are (nearly) idle, so that one phase does not eat into the next."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(pid) for pid in pids)
        await asyncio.sleep(1)
        if sum(cpu_seconds(pid) for pid in pids) - before < idle_share * len(pids):
            return


# --- optional profiles (py-spy) ----------------------------------------------------------------
class Profiler:
    """`py-spy record` on some processes for the length of a phase; writes collapsed stacks (flamegraph input)."""

    def __init__(self, out_dir: Path | None, processes: dict[str, int], tag: str):
        self.recorders: list[tuple[str, Path, subprocess.Popen]] = []
        spy = BIN / "py-spy"
        if out_dir is None or not spy.exists():
            return
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, pid in processes.items():
            path = out_dir / f"{tag}-{name.replace(' ', '-')}.txt"
            command = [
                str(spy),
                "record",
                "-p",
                str(pid),
                "-r",
                os.environ.get("KAZI_BENCH_PROFILE_RATE", "100"),
                "--nonblocking",
                "-f",
                "raw",
                "-o",
                str(path),
            ]
            if os.environ.get("KAZI_BENCH_PROFILE_GIL"):
                command.append("--gil")  # only the thread holding the GIL: where the Python CPU goes
            recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.recorders.append((name, path, recorder))

    def stop(self) -> None:
        for _, _, recorder in self.recorders:
            recorder.send_signal(signal.SIGINT)
        for name, path, recorder in self.recorders:
            try:
                recorder.wait(timeout=30)
            except subprocess.TimeoutExpired:
                recorder.kill()
            print(f"  profile of {name}: {path}")
            for line in summarise_profile(path):
                print(f"    {line}")


def summarise_profile(path: Path, top: int = 8) -> list[str]:
    """The frames where most samples were taken (self time), from py-spy's collapsed stacks."""
    total, own = 0, {}
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return ["(no profile written)"]
    for line in lines:
        stack, _, count = line.rpartition(" ")
        frame = stack.rsplit(";", 1)[-1] or "(native)"
        total += int(count)
        own[frame] = own.get(frame, 0) + int(count)
    ranked = sorted(own.items(), key=lambda item: -item[1])[:top]
    return [f"{total} samples; most self time:"] + [f"{100 * n / total:5.1f}% {frame}" for frame, n in ranked]


# --- analysis --------------------------------------------------------------------------------------
def frame_epoch(text_ts: str) -> float:
    return datetime.fromisoformat(text_ts).timestamp()


@dataclass
class FanoutResult:
    sockets: int
    events: int
    receipts: int = 0
    lost: int = 0
    duplicates: int = 0
    other: int = 0
    latencies: list[float] = field(default_factory=list)
    completions: list[float] = field(default_factory=list)
    firsts: list[float] = field(default_factory=list)
    fire_seconds: list[float] = field(default_factory=list)
    failed_triggers: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    first_id: int = 0  # the lowest event id received (a reconnect with last_event_id below it replays them all)

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)


def analyse_fanout(log, keys: list[str], sockets: int, event_type: str) -> FanoutResult:
    result = FanoutResult(sockets=sockets, events=len(keys))
    wanted = set(keys)
    seen: set[tuple[int, str]] = set()
    counts = dict.fromkeys(keys, 0)
    stamp: dict[str, float] = {}
    last: dict[str, float] = {}
    first: dict[str, float] = {}
    for received, idx, text in log:
        frame = json.loads(text)
        key = str(frame.get("job_id"))
        if frame.get("type") != event_type or key not in wanted:
            result.other += 1
            continue
        if (idx, key) in seen:
            result.duplicates += 1
            continue
        seen.add((idx, key))
        if isinstance(frame.get("id"), int):
            result.first_id = min(result.first_id or frame["id"], frame["id"])
        ts = stamp.get(key)
        if ts is None:
            ts = stamp[key] = frame_epoch(frame["timestamp"])
        counts[key] += 1
        result.receipts += 1
        result.latencies.append(received - ts)
        if received > last.get(key, 0.0):
            last[key] = received
        if received < first.get(key, math.inf):
            first[key] = received
    result.latencies.sort()
    result.lost = sum(sockets - count for count in counts.values())
    result.completions = sorted(last[key] - stamp[key] for key in last)
    result.firsts = sorted(first[key] - stamp[key] for key in first)
    return result


@dataclass
class BurstResult:
    sockets: int
    delivered: int = 0
    lost: int = 0
    duplicates: int = 0
    other: int = 0
    pickup: float = math.nan  # enqueue -> the events' timestamp (task picked up, rows being written)
    span: float = math.nan  # first frame timestamp -> last receipt
    first: float = math.nan  # first frame timestamp -> first receipt (storing, commit, publish)
    total: float = math.nan  # enqueue -> last receipt
    latencies: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.delivered / self.span if self.span and self.span > 0 else math.nan


def analyse_burst(log, sockets: int, enqueued_at: float, message: str) -> BurstResult:
    result = BurstResult(sockets=sockets)
    got: set[int] = set()
    first_ts = math.inf
    first_receipt = math.inf
    last_receipt = 0.0
    for received, idx, text in log:
        frame = json.loads(text)
        if frame.get("type") != "notification" or frame.get("message") != message:
            result.other += 1
            continue
        if idx in got:
            result.duplicates += 1
            continue
        got.add(idx)
        ts = frame_epoch(frame["timestamp"])
        first_ts = min(first_ts, ts)
        last_receipt = max(last_receipt, received)
        first_receipt = min(first_receipt, received)
        result.latencies.append(received - ts)
    result.latencies.sort()
    result.delivered = len(got)
    result.lost = sockets - len(got)
    if got:
        result.pickup = first_ts - enqueued_at
        result.span = last_receipt - first_ts
        result.first = first_receipt - first_ts
        result.total = last_receipt - enqueued_at
    return result


# --- workloads -----------------------------------------------------------------------------------
def post_job(base: str, token: str, number: int) -> tuple[str, float]:
    body = json.dumps(
        {
            "title": f"Bench engineer {number}",
            "description": "A job opened by bench/fanout.py.",
            "status": "open",
            "location": "Remote",
            "remote": True,
            "skills_required": ["Python", "Django"],
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/api/jobs/",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            job = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace").replace("\n", " ")
        raise TriggerFailed(f"POST /api/jobs/ answered {exc.code}: {detail}") from None
    except OSError as exc:
        raise TriggerFailed(f"POST /api/jobs/ failed: {exc!r}") from None
    return str(job["id"]), time.monotonic() - started


class TriggerFailed(Exception):
    """An event could not be caused (an API error): reported, and not expected at the sockets."""


async def paced(fire, events: int, rate: float) -> list:
    """Call `fire(k)` for k in range(events) at `rate` per second, on schedule even when a call is slow.

    Returns each call's (key, seconds), or the exception it raised.
    """
    start = time.monotonic()
    tasks = []
    for k in range(events):
        await asyncio.sleep(max(0.0, start + k / rate - time.monotonic()))
        tasks.append(asyncio.create_task(fire(k)))
    return list(await asyncio.gather(*tasks, return_exceptions=True))


def cpu_snapshot(processes: dict[str, int]) -> dict[str, float]:
    snapshot = {name: cpu_seconds(pid) for name, pid in processes.items()}
    snapshot["client"] = own_cpu_seconds()
    return snapshot


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before[name] for name in before}


async def run_events(sink, clients, fire, args, processes, label: str) -> FanoutResult | None:
    with quiet_gc():
        return await _run_events(sink, clients, fire, args, processes, label)


async def _run_events(sink, clients, fire, args, processes, label: str) -> FanoutResult | None:
    n = len(clients.sockets)
    # One warm-up event (not counted): first-request costs do not belong to a sustained rate.
    for w in range(args.warmup):
        sink.swap()
        try:
            key, _ = await fire(-1 - w)
        except TriggerFailed as exc:
            print(f"  {label} warm-up event could not be caused, skipping this fan-out: {exc}")
            return None
        await wait_for_count(sink, n, args.drain_timeout, "job_posted")
        warm = analyse_fanout(sink.swap(), [key], n, "job_posted")
        print(
            f"  {label} warm-up event: {warm.receipts}/{n} sockets, "
            f"last after {ms(warm.completions[-1] if warm.completions else math.nan)} ms"
        )
    profiler = Profiler(args.profile, processes, f"fanout-{label}-{n}")
    before = cpu_snapshot(processes)
    fired = await paced(fire, args.events, args.rate)
    await wait_for_count(sink, n * args.events, args.drain_timeout, "job_posted")
    after = cpu_snapshot(processes)
    profiler.stop()
    failures = [outcome for outcome in fired if isinstance(outcome, BaseException)]
    fired = [outcome for outcome in fired if not isinstance(outcome, BaseException)]
    if failures:
        print(f"  {label}: {len(failures)} of {args.events} events could not be caused, e.g. {failures[0]}")
    if not fired:
        return None
    result = analyse_fanout(sink.swap(), [key for key, _ in fired], n, "job_posted")
    result.failed_triggers = len(failures)
    result.fire_seconds = sorted(seconds for _, seconds in fired)
    result.cpu = cpu_delta(before, after)
    return result


async def kazi_phase(n, people, daphnes, worker, args, sink) -> tuple[Clients, FanoutResult | None, BurstResult | None]:
    urls = [
        f"{daphnes[i % 2].ws}/ws/notifications/?token={people.seeker_tokens[i]}" for i in range(n)
    ]  # even spread: socket i on process i % 2
    processes = {"daphne A": daphnes[0].pid, "daphne B": daphnes[1].pid}
    before = cpu_snapshot(processes)
    profiler = Profiler(args.profile, processes, f"connect-{n}")
    clients = await connect_all(urls, args.connect_batch, sink)
    profiler.stop()
    connected = len(clients.sockets)
    print(
        f"  Kazi: {connected}/{n} sockets connected in {clients.connect_seconds:.1f} s"
        + (f" ({clients.failed} failed: {clients.errors})" if clients.failed else "")
        + f"; {connect_cpu_line(cpu_delta(before, cpu_snapshot(processes)), connected, ('daphne A', 'daphne B'))}"
    )
    sink.swap()
    if worker is not None:
        processes["celery"] = worker.pid
    await settle(list(processes.values()))

    calls = 0
    # Enough threads that slow API calls never hold back the next event's schedule.
    posters = ThreadPoolExecutor(max_workers=min(64, args.events + args.warmup), thread_name_prefix="post")

    async def fire(k: int) -> tuple[str, float]:
        nonlocal calls
        base = daphnes[calls % 2].http  # the API calls alternate between the two processes too
        calls += 1
        return await asyncio.get_running_loop().run_in_executor(posters, post_job, base, people.recruiter_token, k)

    fanout = None
    try:
        if connected:
            fanout = await run_events(sink, clients, fire, args, processes, "Kazi")
    finally:
        posters.shutdown(wait=False, cancel_futures=True)
    if fanout is not None and not args.skip_reconnect:
        clients = await reconnect_storm(clients, urls, fanout, processes, args, sink)

    burst = None
    if worker is not None and connected:
        await settle(list(processes.values()))
        from notifications.tasks import notify_users

        sink.swap()
        user_ids = [people.seeker_ids[i] for i in range(n)]
        profiler = Profiler(args.profile, processes, f"burst-{n}")
        with quiet_gc():
            before = cpu_snapshot(processes)
            enqueued_at = time.time()
            await asyncio.to_thread(
                notify_users.apply_async,
                kwargs={"user_ids": user_ids, "message": "burst"},
                queue=os.environ["KAZI_CELERY_QUEUE"],
            )
            await wait_for_count(sink, connected, args.burst_timeout, "notification")
            after = cpu_snapshot(processes)
        profiler.stop()
        burst = analyse_burst(sink.swap(), connected, enqueued_at, "burst")
        burst.cpu = cpu_delta(before, after)
    return clients, fanout, burst


def connect_cpu_line(cpu: dict[str, float], connected: int, servers: tuple[str, ...]) -> str:
    server = sum(cpu[name] for name in servers)
    return (
        f"server CPU {server:.1f} s = {1000 * server / max(connected, 1):.2f} ms per connection "
        f"(client {cpu['client']:.1f} s, load average {os.getloadavg()[0]:.2f})"
    )


async def reconnect_storm(clients: Clients, urls: list[str], fanout: FanoutResult, processes, args, sink) -> Clients:
    """Every socket drops and comes back at once with the `last_event_id` it had before the fan-out events, as
    browsers do after a deploy: each must be connected and have replayed those events (from the store)."""
    after = fanout.first_id - 1
    await settle(list(processes.values()))
    await close_all(clients)
    await settle(list(processes.values()))
    sink.swap()
    resumed = [f"{url}&last_event_id={after}" for url in urls]
    started = time.monotonic()
    before = cpu_snapshot(processes)
    profiler = Profiler(args.profile, processes, f"reconnect-{len(urls)}")
    fresh = await connect_all(resumed, args.connect_batch, sink)
    connected = time.monotonic() - started
    await wait_for_count(sink, len(fresh.sockets) * fanout.events, args.drain_timeout, "job_posted", grace=0)
    replayed = time.monotonic() - started
    cpu = cpu_delta(before, cpu_snapshot(processes))
    profiler.stop()
    log = sink.swap()
    got = sum(1 for _, _, text in log if '"type":"job_posted"' in text)
    print(
        f"  Kazi reconnect storm: {len(fresh.sockets)}/{len(urls)} sockets reconnected with last_event_id in "
        f"{connected:.1f} s, all {got}/{len(fresh.sockets) * fanout.events} replayed events in {replayed:.1f} s; "
        + connect_cpu_line(cpu, len(fresh.sockets), tuple(name for name in processes if name.startswith("daphne")))
    )
    return fresh


async def floor_phase(n, floor: Process, floor_port: int, args, sink) -> tuple[Clients, FanoutResult | None]:
    import websockets

    url = f"ws://127.0.0.1:{floor_port}/"
    processes = {"floor": floor.pid}
    before = cpu_snapshot(processes)
    clients = await connect_all([url] * n, args.connect_batch, sink)
    connected = len(clients.sockets)
    print(
        f"  floor: {connected}/{n} sockets connected in {clients.connect_seconds:.1f} s"
        + (f" ({clients.failed} failed: {clients.errors})" if clients.failed else "")
        + f"; {connect_cpu_line(cpu_delta(before, cpu_snapshot(processes)), connected, ('floor',))}"
    )
    sink.swap()
    control = await websockets.connect(f"ws://127.0.0.1:{floor_port}/control", ping_interval=None, compression=None)
    await settle(list(processes.values()))

    async def fire(k: int) -> tuple[str, float]:
        started = time.monotonic()
        await control.send(json.dumps({"type": "fire", "seq": k}))
        return f"floor-{k}", time.monotonic() - started

    result = None
    try:
        if connected:
            result = await run_events(sink, clients, fire, args, processes, "floor")
    finally:
        await control.close()
    return clients, result


# --- the floor: a plain websockets broadcast server (run as its own process) -----------------------
async def serve_floor(port: int) -> None:
    from websockets.asyncio.server import broadcast, serve

    clients = set()

    async def handler(ws):
        if ws.request.path == "/control":
            async for text in ws:
                seq = json.loads(text)["seq"]
                frame = {
                    "type": "job_posted",
                    "id": seq,
                    "message": f"New job posted: Bench engineer {seq} at Fanout Bench Co",
                    "job_id": f"floor-{seq}",
                    "job_title": f"Bench engineer {seq}",
                    "company": "Fanout Bench Co",
                    "location": "Remote",
                    "remote": True,
                    "data": {"skills_required": ["Python", "Django"]},
                    "timestamp": iso_now(),
                }
                broadcast(clients, json.dumps(frame, separators=(",", ":")))
            return
        await ws.send(json.dumps({"type": "connection_established", "timestamp": iso_now()}))
        clients.add(ws)
        try:
            await ws.wait_closed()
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None, ping_interval=None, backlog=1024):
        print(f"floor server ready on {port}", flush=True)
        await asyncio.Future()


# --- report ----------------------------------------------------------------------------------------
def fanout_rows(kazi: FanoutResult | None, floor: FanoutResult | None) -> list[tuple[str, str, str]]:
    rows = [
        ("sockets", lambda r: str(r.sockets)),
        ("events caused (failed)", lambda r: f"{r.events} ({r.failed_triggers})"),
        ("receipts (expected N x events)", lambda r: f"{r.receipts} / {r.sockets * r.events}"),
        ("lost", lambda r: str(r.lost)),
        ("duplicates", lambda r: str(r.duplicates)),
        ("other frames received", lambda r: str(r.other)),
        ("latency p50 (ms)", lambda r: ms(r.p(50))),
        ("latency p99 (ms)", lambda r: ms(r.p(99))),
        ("latency max (ms)", lambda r: ms(r.p(100))),
        ("last socket, worst event (ms)", lambda r: ms(r.completions[-1] if r.completions else math.nan)),
        (
            "last socket, median event (ms)",
            lambda r: ms(statistics.median(r.completions) if r.completions else math.nan),
        ),
        ("first socket, median event (ms)", lambda r: ms(statistics.median(r.firsts) if r.firsts else math.nan)),
        ("trigger call p50 / max (ms)", lambda r: f"{ms(percentile(r.fire_seconds, 50))} / {ms(r.fire_seconds[-1])}"),
    ]
    return [(label, "-" if kazi is None else fn(kazi), "-" if floor is None else fn(floor)) for label, fn in rows]


def cpu_line(cpu: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())


def print_report(n: int, kazi, floor, burst, connects: dict[str, Clients]) -> None:
    print()
    print(f"=== N = {n} ===")
    print(f"fan-out: one job_posted to every socket, {kazi.events if kazi else floor.events if floor else 0} events")
    rows = fanout_rows(kazi, floor)
    width = max(len(label) for label, _, _ in rows)
    col = max(18, *(len(k) for _, k, _ in rows))
    print(f"  {'':<{width}}  {'Kazi (2 x daphne)':<{col}}  floor (plain websockets)")
    for label, k, f in rows:
        print(f"  {label:<{width}}  {k:<{col}}  {f}")
    for name, result in (("Kazi", kazi), ("floor", floor)):
        if result is not None:
            print(f"  CPU seconds during the {name} events: {cpu_line(result.cpu)}")
    if kazi and floor:
        print(f"  ratio Kazi p99 / floor p99: {kazi.p(99) / floor.p(99):.2f}x")
    for name, clients in connects.items():
        if clients.closed_by_server:
            print(
                f"  {name}: sockets closed by the server during the run (close code: count): {clients.closed_by_server}"
            )
    if burst is not None:
        print(f"per-user burst: one Celery task notify_users(user_ids=<{burst.sockets} seekers>), one event per user")
        print(f"  delivered / lost / duplicates      {burst.delivered} / {burst.lost} / {burst.duplicates}")
        if burst.other:
            print(f"  other frames received              {burst.other}")
        print(f"  delivered messages per second      {burst.rate:.0f}  (delivered / (last receipt - frame timestamp))")
        print(f"  enqueue -> frame timestamp (ms)    {ms(burst.pickup)}")
        print(f"  frame timestamp -> first (ms)      {ms(burst.first)}")
        print(f"  frame timestamp -> last (ms)       {ms(burst.span)}")
        print(f"  enqueue -> last receipt (ms)       {ms(burst.total)}")
        print(
            f"  latency p50 / p99 / max (ms)       {ms(percentile(burst.latencies, 50))} / "
            f"{ms(percentile(burst.latencies, 99))} / {ms(percentile(burst.latencies, 100))}"
        )
        print(f"  CPU seconds during the burst: {cpu_line(burst.cpu)}")
    sys.stdout.flush()


# --- main -------------------------------------------------------------------------------------------
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000", help="comma list of socket counts N (default 1000,5000)")
    parser.add_argument("--events", type=int, default=20, help="fan-out events per N (default 20)")
    parser.add_argument("--rate", type=float, default=1.0, help="fan-out events per second (default 1)")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the plain websockets floor")
    parser.add_argument("--skip-burst", action="store_true", help="do not run the per-user Celery burst")
    parser.add_argument(
        "--skip-reconnect", action="store_true", help="no reconnect storm (every socket back with last_event_id)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="uncounted warm-up events before each fan-out")
    parser.add_argument("--connect-batch", type=int, default=1000, help="handshakes in flight at once (a window)")
    parser.add_argument("--drain-timeout", type=float, default=30, help="seconds to wait for the last fan-out frames")
    parser.add_argument("--burst-timeout", type=float, default=30, help="seconds a burst event may take")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="flushed at start; name must hold 'bench'")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--keep-logs", action="store_true", help="keep the server logs even when all went well")
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="record py-spy profiles of the servers during each phase into DIR"
    )
    parser.add_argument("--serve-floor", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if not args.sizes or min(args.sizes) < 1 or args.events < 1 or args.rate <= 0:
        parser.error("--sizes, --events and --rate must be positive")
    return args


async def bench(args, people: People, daphnes, worker, floor, floor_port) -> None:
    sink = Sink()
    summary = []
    for n in args.sizes:
        print(f"\n--- N = {n} (load average {os.getloadavg()[0]:.2f}) ---")
        clients, kazi, burst = await kazi_phase(n, people, daphnes, worker, args, sink)
        await close_all(clients)
        connects = {"Kazi": clients}
        await settle([d.pid for d in daphnes])
        floor_result = None
        if floor is not None:
            floor_clients, floor_result = await floor_phase(n, floor, floor_port, args, sink)
            await close_all(floor_clients)
            connects["floor"] = floor_clients
            await settle([floor.pid])
        print_report(n, kazi, floor_result, burst, connects)
        summary.append((n, kazi, floor_result, burst))
    print()
    print("=== summary ===")
    print(
        f"  {'N':>6}  {'Kazi p50':>9}  {'Kazi p99':>9}  {'Kazi max':>9}  {'floor p99':>9}  {'ratio':>6}  "
        f"{'lost':>5}  {'burst msg/s':>11}  {'burst lost':>10}"
    )
    for n, kazi, floor_result, burst in summary:
        ratio = f"{kazi.p(99) / floor_result.p(99):.2f}x" if kazi and floor_result else "-"
        print(
            f"  {n:>6}  {ms(kazi.p(50)) if kazi else '-':>9}  {ms(kazi.p(99)) if kazi else '-':>9}  "
            f"{ms(kazi.p(100)) if kazi else '-':>9}  {ms(floor_result.p(99)) if floor_result else '-':>9}  "
            f"{ratio:>6}  {kazi.lost if kazi else '-':>5}  "
            f"{f'{burst.rate:.0f}' if burst else '-':>11}  {burst.lost if burst else '-':>10}"
        )


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.serve_floor:
        asyncio.run(serve_floor(args.serve_floor))
        return

    # SIGTERM ends the run like Ctrl-C: the finally below stops every server.
    signal.signal(signal.SIGTERM, _interrupt)
    limit = raise_fd_limit()
    needed = 2 * max(args.sizes) + 100
    print(f"RLIMIT_NOFILE {limit}" + (f" (low: about {needed} are needed)" if limit < needed else ""))
    print(f"{os.cpu_count()} CPUs, load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    env = bench_env(args)
    os.environ.update(env)
    prepare_database(args, env)

    import django

    django.setup()
    people = create_people(max(args.sizes))

    log_dir = Path(tempfile.mkdtemp(prefix="kazi-bench-"))
    servers: list[Process] = []
    ok = interrupted = False
    try:
        daphnes = []
        for name in ("daphne-a", "daphne-b"):
            daphnes.append(Daphne(name, env, log_dir, wait=False))
            servers.append(daphnes[-1])
        worker = None
        if not args.skip_burst:
            queue = env["KAZI_CELERY_QUEUE"]
            worker = CeleryWorker(env, log_dir, name="celery", extra_args=("-Q", queue, "-n", f"{queue}@%h"))
            servers.append(worker)
        floor, floor_port = None, None
        if not args.skip_baseline:
            floor_port = free_port()
            floor = Process("floor", [sys.executable, __file__, "--serve-floor", str(floor_port)], env, log_dir)
            servers.append(floor)
        for daphne in daphnes:
            daphne.wait_healthy()
        if worker is not None:
            worker.wait_ready()
        if floor is not None:
            floor.wait_for_log("floor server ready", 30)
        print(
            f"servers up: daphne A :{daphnes[0].port} (pid {daphnes[0].pid}), daphne B :{daphnes[1].port} "
            f"(pid {daphnes[1].pid})"
            + (f", celery worker (pid {worker.pid})" if worker else "")
            + (f", floor :{floor_port} (pid {floor.pid})" if floor else "")
            + f"; logs in {log_dir}"
        )
        asyncio.run(bench(args, people, daphnes, worker, floor, floor_port))
        ok = True
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted; stopping the servers")
    finally:
        for server in reversed(servers):
            server.stop()
        cleanup_redis(args.redis_url, env["KAZI_CELERY_QUEUE"])
        problems = {server.name: log_problems(server) for server in servers}
        if any(problems.values()):
            print("\nwarnings and errors in the server logs:")
            for name, lines in problems.items():
                for line in lines:
                    print(f"  {name}: {line}")
        if ok and not args.keep_logs:
            for path in log_dir.iterdir():
                path.unlink()
            log_dir.rmdir()
        else:
            print(f"server logs kept in {log_dir}")
    if interrupted:
        sys.exit(130)


if __name__ == "__main__":
    main()
