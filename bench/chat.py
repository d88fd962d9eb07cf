"""Chat benchmark: recruiter/seeker pairs chatting at once over two daphne processes.

Not a test: it prints figures and never fails on time. See bench/README.md.

    .venv/bin/python bench/chat.py --pairs 200 --messages 10 --interval 0.2

At the end it prints the floor beside its own figures: pgbench (bench/pg_floor.py) committing one message's
rows on the same database from as many connections as the two daphnes have.

It creates `--pairs` recruiter/seeker pairs, one direct conversation each, connects every recruiter's socket
to ws/notifications/ on daphne A and every seeker's on daphne B, and lets all pairs chat at once: each pair
sends one `message` frame every `--interval` seconds, recruiter and seeker in turn, `--messages` each way.
The content is "<client send time> <sequence>", so latency is the other participant's receipt time minus
the send time. Every message must reach the other participant once and the sender's own socket once.
The servers run with KAZI_CHAT_MESSAGES_PER_MINUTE raised (`--chat-limit`); the rest of the harness
(environment, database, Redis prefix, server processes, clients) is bench/fanout.py's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fanout  # the shared harness, next to this file
import pg_floor  # the PostgreSQL floor, next to this file
from fanout import Clients, Sink, ms, percentile

from tests.e2e.servers import Daphne, Process

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kazi_bench_chat"
DOMAIN = "chat.bench"


# --- people and conversations -----------------------------------------------------------------------
@dataclass
class Pair:
    conversation_id: str
    recruiter_token: str
    seeker_token: str


def create_pairs(count: int) -> list[Pair]:
    """`count` recruiters (one company) and `count` seekers, a token each, and one direct conversation per pair."""
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import User
    from chat.services import conversation_start_direct
    from marketplace.models import Company

    started = time.monotonic()
    company = Company.objects.create(name="Chat Bench Co", slug="chat-bench-co", location="Remote")
    users = []
    for i in range(count):
        for kind in ("recruiter", "job_seeker"):
            user = User(
                email=f"{kind}-{i}@{DOMAIN}",
                first_name=kind.title(),
                last_name=str(i),
                user_type=kind,
                company=company if kind == "recruiter" else None,
            )
            user.set_unusable_password()
            users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    by_email = {user.email: user for user in User.objects.filter(email__endswith=f"@{DOMAIN}")}
    pairs = []
    for i in range(count):
        recruiter, seeker = by_email[f"recruiter-{i}@{DOMAIN}"], by_email[f"job_seeker-{i}@{DOMAIN}"]
        conversation, _ = conversation_start_direct(initiator=recruiter, other=seeker)
        pairs.append(
            Pair(str(conversation.pk), str(AccessToken.for_user(recruiter)), str(AccessToken.for_user(seeker)))
        )
    print(
        f"created {count} recruiters, {count} job seekers and {count} conversations "
        f"in {time.monotonic() - started:.1f} s"
    )
    return pairs


# --- clients: socket 2i is pair i's recruiter (daphne A), 2i + 1 its seeker (daphne B) ------------------
async def connect_pairs(pairs: list[Pair], daphnes, batch: int, sink: Sink) -> tuple[Clients, dict]:
    """Connect both sockets of every pair, `batch` sockets at a time; a pair with a failed socket is left out."""
    clients = Clients()
    sockets: dict[int, object] = {}
    started = time.monotonic()
    per_batch = max(1, batch // 2)
    for start in range(0, len(pairs), per_batch):
        chunk = range(start, min(start + per_batch, len(pairs)))
        urls = []
        for i in chunk:
            urls.append(f"{daphnes[0].ws}/ws/notifications/?token={pairs[i].recruiter_token}")
            urls.append(f"{daphnes[1].ws}/ws/notifications/?token={pairs[i].seeker_token}")
        results = await asyncio.gather(*(fanout._connect_one(url) for url in urls), return_exceptions=True)
        for k, i in enumerate(chunk):
            both = results[2 * k : 2 * k + 2]
            failures = [r for r in both if isinstance(r, BaseException)]
            for result in failures:
                clients.failed += 1
                clients.errors[type(result).__name__] = clients.errors.get(type(result).__name__, 0) + 1
            if failures:
                for result in both:
                    if not isinstance(result, BaseException):
                        with contextlib.suppress(Exception):
                            await result.close()
                continue
            for side, ws in enumerate(both):
                sockets[2 * i + side] = ws
                clients.sockets.append(ws)
                clients.readers.append(asyncio.create_task(fanout._reader(ws, 2 * i + side, sink, clients)))
    clients.connect_seconds = time.monotonic() - started
    return clients, sockets


# --- the exchange ------------------------------------------------------------------------------------
@dataclass
class Sent:
    at: float  # client time just before the frame was written
    lag: float  # how late against the schedule


async def chat_pair(i: int, pair: Pair, sockets: dict, start: float, rounds: int, interval: float, sent: dict):
    """Messages 0, 1, 2, ... of pair i: even ones from the recruiter, odd ones from the seeker, one per interval."""
    for seq in range(2 * rounds):
        due = start + seq * interval
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        ws = sockets[2 * i + seq % 2]
        now = time.time()
        frame = {"type": "message", "conversation_id": pair.conversation_id, "content": f"{now:.6f} {seq}"}
        try:
            await ws.send(json.dumps(frame))
        except Exception:  # a closed socket: the message was not sent, and not expected
            continue
        sent[(i, seq)] = Sent(now, time.monotonic() - due)


async def exchange(pairs: list[Pair], live: list[int], sockets: dict, rounds: int, interval: float) -> dict:
    """All live pairs at once, their phases spread evenly over one interval."""
    sent: dict[tuple[int, int], Sent] = {}
    start = time.monotonic() + 0.1
    await asyncio.gather(
        *(
            chat_pair(i, pairs[i], sockets, start + n * interval / len(live), rounds, interval, sent)
            for n, i in enumerate(live)
        )
    )
    return sent


async def drain(sink: Sink, expected: int, stall: float, cap: float, grace: float = 0.5) -> None:
    """Until `expected` new_message frames arrived, none came for `stall` s, or `cap` s passed; then `grace` more.

    An overloaded server can take minutes to catch up: only a stall counts as loss.
    """
    marker = '"type":"new_message"'
    started = last_progress = time.monotonic()
    seen = counted = 0
    while counted < expected and time.monotonic() - last_progress < stall and time.monotonic() - started < cap:
        log = sink.log
        fresh = sum(1 for _, _, text in log[seen:] if marker in text)
        seen = len(log)
        if fresh:
            counted += fresh
            last_progress = time.monotonic()
        await asyncio.sleep(0.1)
    await asyncio.sleep(grace)


# --- analysis ------------------------------------------------------------------------------------------
@dataclass
class ChatResult:
    pairs: int
    sent: int = 0
    delivered: int = 0  # unique receipts by the other participant
    echoed: int = 0  # unique receipts by the sender's own socket
    lost: int = 0
    lost_echo: int = 0
    duplicates: int = 0
    misrouted: int = 0  # at a socket of someone outside its conversation, or never recorded as sent
    out_of_order: int = 0  # arrived after a later-sent message of the same conversation (same socket)
    same_sender_inversions: int = 0  # ... of which the later one came from the same sender
    id_inversions: int = 0  # new_message event ids not increasing on a socket, per conversation
    unparsed: int = 0
    errors: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    echo_latencies: list[float] = field(default_factory=list)
    to_stored: list[float] = field(default_factory=list)  # send -> the message's created_at (server clock)
    from_stored: list[float] = field(default_factory=list)  # created_at -> receipt at the other side
    send_lags: list[float] = field(default_factory=list)
    stored_rates: list[float] = field(default_factory=lambda: [math.nan, math.nan])  # messages stored/s by A, B
    span: float = math.nan  # first send -> last receipt at the other side
    send_span: float = math.nan  # first send -> last send
    cpu: dict[str, float] = field(default_factory=dict)
    cpu_window: float = math.nan  # wall time over which `cpu` was measured

    @property
    def rate(self) -> float:
        return self.delivered / self.span if self.span > 0 else math.nan

    def p(self, q: float, values: list[float] | None = None) -> float:
        return percentile(self.latencies if values is None else values, q)


def analyse(log, sent: dict, pairs: list[Pair], live: list[int]) -> ChatResult:
    result = ChatResult(pairs=len(live), sent=len(sent))
    pair_of = {pairs[i].conversation_id: i for i in live}
    seen: set[tuple[int, int, int]] = set()
    order: dict[int, list[tuple[int, int]]] = {}  # socket -> [(seq, event id)] in arrival order
    last_other = 0.0
    stored_at: tuple[list[float], list[float]] = ([], [])  # created_at of the recruiters' / seekers' messages
    for received, idx, text in log:
        frame = json.loads(text)
        kind = frame.get("type")
        if kind != "new_message":
            if kind == "error":
                key = str(frame.get("message"))[:100]
                result.errors[key] = result.errors.get(key, 0) + 1
            else:
                result.other[kind] = result.other.get(kind, 0) + 1
            continue
        i = pair_of.get(frame.get("conversation_id"))
        try:
            stamp, seq = frame["message"]["content"].split()
            stamp, seq = float(stamp), int(seq)
        except (KeyError, ValueError, AttributeError):
            result.unparsed += 1
            continue
        if i is None or idx // 2 != i or (i, seq) not in sent:
            result.misrouted += 1
            continue
        if (idx, i, seq) in seen:
            result.duplicates += 1
            continue
        seen.add((idx, i, seq))
        order.setdefault(idx, []).append((seq, int(frame.get("id") or 0)))
        if idx % 2 == seq % 2:  # the sender's own socket
            result.echoed += 1
            result.echo_latencies.append(received - stamp)
        else:
            result.delivered += 1
            result.latencies.append(received - stamp)
            last_other = max(last_other, received)
            stored = fanout.frame_epoch(frame["message"]["created_at"])
            result.to_stored.append(stored - stamp)
            result.from_stored.append(received - stored)
            stored_at[seq % 2].append(stored)
    for arrivals in order.values():  # one conversation per socket here
        top_seq = top_id = -1
        top_by_sender = [-1, -1]
        for seq, event_id in arrivals:
            if seq < top_seq:
                result.out_of_order += 1
                if seq < top_by_sender[seq % 2]:
                    result.same_sender_inversions += 1
            top_seq = max(top_seq, seq)
            top_by_sender[seq % 2] = max(top_by_sender[seq % 2], seq)
            if event_id < top_id:
                result.id_inversions += 1
            top_id = max(top_id, event_id)
    result.lost = result.sent - result.delivered
    result.lost_echo = result.sent - result.echoed
    for values in (result.latencies, result.echo_latencies, result.to_stored, result.from_stored):
        values.sort()
    result.stored_rates = [
        (len(times) - 1) / (max(times) - min(times)) if len(times) > 1 and max(times) > min(times) else math.nan
        for times in stored_at
    ]
    result.send_lags = sorted(s.lag for s in sent.values())
    if sent:
        first_send = min(s.at for s in sent.values())
        result.send_span = max(s.at for s in sent.values()) - first_send
        if last_other:
            result.span = last_other - first_send
    return result


# --- CPU of the processes involved -----------------------------------------------------------------------
def service_pids(conn, redis_client) -> dict[str, list[int]]:
    """The PostgreSQL backends connected to the bench database (except `conn`'s own) and the redis-server."""
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall()
    return {
        "postgres (bench db)": [pid for (pid,) in rows],
        "redis-server": [int(redis_client.info("server")["process_id"])],
    }


class CpuTracker:
    """CPU seconds used during a phase by the servers, the client, the bench database's backends and Redis.

    Backends come and go (Django closes a connection after CONN_MAX_AGE), so the processes are read every
    `period` seconds and a backend that ended counts what it had used when it was last seen.
    """

    def __init__(self, processes: dict[str, int], args, period: float = 0.5):
        self.processes, self.args, self.period = processes, args, period
        self.first: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}
        self.started = math.nan
        self.task: asyncio.Task | None = None
        self.conn = self.redis = None  # opened by start(), closed by stop()

    def _read(self) -> dict[str, dict[int, float]]:
        pids = {name: [pid] for name, pid in self.processes.items()}
        pids.update(service_pids(self.conn, self.redis))
        reading = {name: {pid: fanout.cpu_seconds(pid) for pid in group} for name, group in pids.items()}
        reading["client"] = {0: fanout.own_cpu_seconds()}
        return reading

    def _record(self, reading: dict[str, dict[int, float]]) -> None:
        for name, values in reading.items():
            for pid, seconds in values.items():
                if not math.isnan(seconds):
                    self.first.setdefault(name, {}).setdefault(pid, 0.0)
                    self.last.setdefault(name, {})[pid] = seconds

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.period)
            self._record(await asyncio.to_thread(self._read))

    def start(self) -> None:
        import psycopg
        import redis

        self.conn = psycopg.connect(self.args.database_url, autocommit=True)
        self.redis = redis.Redis.from_url(self.args.redis_url, socket_timeout=5)
        reading = self._read()
        self.first = {
            name: {pid: s for pid, s in values.items() if not math.isnan(s)} for name, values in reading.items()
        }
        self._record(reading)
        self.started = time.monotonic()
        self.task = asyncio.create_task(self._loop())

    async def stop(self) -> tuple[dict[str, float], float]:
        """(CPU seconds per name, wall seconds since start)."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self._record(self._read())
        self.conn.close()
        self.redis.close()
        used = {
            name: sum(seconds - self.first[name][pid] for pid, seconds in values.items())
            for name, values in self.last.items()
        }
        return used, time.monotonic() - self.started


# --- phases ----------------------------------------------------------------------------------------------
async def run_exchange(pairs, live, sockets, sink, rounds: int, args, processes, tag: str) -> ChatResult:
    sink.swap()
    profiler = fanout.Profiler(args.profile, processes, tag) if tag != "warmup" else None
    with fanout.quiet_gc():
        tracker = CpuTracker(processes, args)
        tracker.start()
        sent = await exchange(pairs, live, sockets, rounds, args.interval)
        await drain(sink, 2 * len(sent), args.stall_timeout, args.drain_timeout)
        cpu, window = await tracker.stop()
    if profiler is not None:
        profiler.stop()
    result = analyse(sink.swap(), sent, pairs, live)
    result.cpu, result.cpu_window = cpu, window
    return result


async def bench(args, pairs: list[Pair], daphnes) -> ChatResult | None:
    sink = Sink()
    clients, sockets = await connect_pairs(pairs, daphnes, args.connect_batch, sink)
    live = sorted({idx // 2 for idx in sockets})
    print(
        f"{len(live)}/{len(pairs)} pairs connected ({len(clients.sockets)} sockets) in {clients.connect_seconds:.1f} s"
        + (f"; {clients.failed} sockets failed: {clients.errors}" if clients.failed else "")
    )
    processes = {"daphne A": daphnes[0].pid, "daphne B": daphnes[1].pid}
    result = None
    try:
        if not live:
            return None
        await fanout.settle(list(processes.values()))
        if args.warmup:
            warm = await run_exchange(pairs, live, sockets, sink, args.warmup, args, processes, "warmup")
            print(
                f"warm-up ({args.warmup} each way, not counted): {warm.delivered}/{warm.sent} delivered, "
                f"p99 {ms(warm.p(99))} ms"
            )
            await fanout.settle(list(processes.values()))
        print(f"chatting: load average {os.getloadavg()[0]:.2f}")
        result = await run_exchange(pairs, live, sockets, sink, args.messages, args, processes, "chat")
    finally:
        await fanout.close_all(clients)
    if clients.closed_by_server:
        print(f"sockets closed by the server during the run (close code: count): {clients.closed_by_server}")
    return result


def print_report(args, r: ChatResult) -> None:
    offered = r.pairs / args.interval
    rows = [
        ("pairs (sockets)", f"{r.pairs} ({2 * r.pairs}: recruiters on daphne A, seekers on daphne B)"),
        ("messages sent", f"{r.sent} (expected {r.pairs * 2 * args.messages}; offered {offered:.0f}/s)"),
        (
            "sending took",
            f"{r.send_span:.2f} s; client send lag p99 / max {ms(percentile(r.send_lags, 99))} / "
            f"{ms(percentile(r.send_lags, 100))} ms",
        ),
        ("delivered to the other side", f"{r.delivered} / {r.sent}"),
        (
            "delivered per second",
            f"{r.rate:.0f}  (deliveries / (last receipt - first send) = {r.delivered} / {r.span:.2f} s)",
        ),
        ("latency p50 / p99 / max (ms)", f"{ms(r.p(50))} / {ms(r.p(99))} / {ms(r.p(100))}  (send -> other side)"),
        (
            "  send -> stored p50 / p99 (ms)",
            f"{ms(r.p(50, r.to_stored))} / {ms(r.p(99, r.to_stored))}  (the message's created_at: waiting + handling)",
        ),
        (
            "  stored -> other p50 / p99 (ms)",
            f"{ms(r.p(50, r.from_stored))} / {ms(r.p(99, r.from_stored))}  (commit, Redis, hub, socket)",
        ),
        (
            "echo p50 / p99 / max (ms)",
            f"{ms(r.p(50, r.echo_latencies))} / {ms(r.p(99, r.echo_latencies))} / "
            f"{ms(r.p(100, r.echo_latencies))}  (send -> sender's own socket)",
        ),
        (
            "stored per second",
            f"daphne A {r.stored_rates[0]:.1f}, daphne B {r.stored_rates[1]:.1f}  "
            "(each process's messages over the span of their created_at)",
        ),
        ("lost (other side / echo)", f"{r.lost} / {r.lost_echo}"),
        ("duplicates", str(r.duplicates)),
        ("out of server order", f"{r.id_inversions}  (new_message ids decreasing on a socket)"),
        (
            "not in send order",
            f"{r.out_of_order}  (of which after a later message of the same sender: {r.same_sender_inversions})",
        ),
        ("misrouted / unparsed", f"{r.misrouted} / {r.unparsed}"),
    ]
    print()
    print(f"=== chat: {r.pairs} pairs, {args.messages} messages each way, one per pair every {args.interval} s ===")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if r.errors:
        print(f"  error frames: {r.errors}")
    if r.other:
        print(f"  other frames: {r.other}")
    print("  CPU seconds during the exchange: " + ", ".join(f"{k} {v:.1f}" for k, v in r.cpu.items()))
    print(
        f"  ... as a share of one core over those {r.cpu_window:.1f} s (sending, draining, 0.5 s grace): "
        + ", ".join(f"{k} {v / r.cpu_window:.0%}" for k, v in r.cpu.items())
    )
    sys.stdout.flush()


# --- main --------------------------------------------------------------------------------------------------
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=200, help="recruiter/seeker pairs (default 200)")
    parser.add_argument("--messages", type=int, default=10, help="messages each way per pair (default 10)")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between a pair's messages (default 0.2)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted messages each way first (default 1)")
    parser.add_argument(
        "--chat-limit", type=int, default=100_000, help="KAZI_CHAT_MESSAGES_PER_MINUTE of the servers (default 100000)"
    )
    parser.add_argument("--connect-batch", type=int, default=200, help="sockets connected concurrently")
    parser.add_argument(
        "--stall-timeout", type=float, default=15, help="stop waiting after this many seconds with no message (15)"
    )
    parser.add_argument(
        "--drain-timeout", type=float, default=900, help="most seconds to wait for the last messages (default 900)"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="flushed at start; name must hold 'bench'")
    parser.add_argument("--redis-url", default=fanout.DEFAULT_REDIS_URL)
    parser.add_argument("--keep-logs", action="store_true", help="keep the server logs even when all went well")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="py-spy profiles of both daphnes into DIR")
    args = parser.parse_args(argv)
    if args.pairs < 1 or args.messages < 1 or args.interval <= 0 or args.warmup < 0:
        parser.error("--pairs, --messages and --interval must be positive")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, fanout._interrupt)
    fanout.raise_fd_limit()
    print(f"{os.cpu_count()} CPUs, load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    env = fanout.bench_env(args)
    env["KAZI_CHAT_MESSAGES_PER_MINUTE"] = str(args.chat_limit)
    print(f"servers get KAZI_CHAT_MESSAGES_PER_MINUTE={args.chat_limit} (the default 60 would refuse this load)")
    os.environ.update(env)
    fanout.prepare_database(args, env)

    import django
    import django.db

    django.setup()
    pairs = create_pairs(args.pairs)
    django.db.connections.close_all()

    log_dir = Path(tempfile.mkdtemp(prefix="kazi-bench-chat-"))
    servers: list[Process] = []
    result = None
    ok = interrupted = False
    try:
        daphnes = [Daphne(name, env, log_dir, wait=False) for name in ("daphne-a", "daphne-b")]
        servers.extend(daphnes)
        for daphne in daphnes:
            daphne.wait_healthy()
        print(
            f"servers up: daphne A :{daphnes[0].port} (pid {daphnes[0].pid}), daphne B :{daphnes[1].port} "
            f"(pid {daphnes[1].pid}); logs in {log_dir}"
        )
        result = asyncio.run(bench(args, pairs, daphnes))
        ok = True
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted; stopping the servers")
    finally:
        for server in reversed(servers):
            server.stop()
        fanout.cleanup_redis(args.redis_url, env["KAZI_CELERY_QUEUE"])
        if result is not None:
            print_report(args, result)
            # The same database, right after the run, from as many connections as the two daphnes' pools.
            clients = 2 * int(env.get("KAZI_DB_POOL_SIZE") or 10)
            floor = pg_floor.floor_tps(args.database_url, clients=clients)
            stored = sum(result.stored_rates)
            print(
                f"  floor (pgbench, one message + two events per transaction, {clients} connections): "
                f"{floor:.0f}/s; Kazi stored {stored:.0f}/s = {stored / floor:.0%} of it"
            )
        problems = {server.name: fanout.log_problems(server) for server in servers}
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
