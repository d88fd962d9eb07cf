"""The PostgreSQL floor of a chat message: how many a second this database commits from N connections when Kazi
does nothing else but write one message's rows (one chat message, one stored event per participant).

    .venv/bin/python bench/pg_floor.py --database-url postgres://postgres@127.0.0.1:5432/kazi_bench_chat --clients 20

pgbench with a custom script, on scratch copies of chat_message and notifications_notification (same columns,
defaults, indexes and identity; no foreign keys), dropped afterwards. bench/chat.py prints it beside its own
figures, measured in the same run.
"""

import argparse
import re
import subprocess
import tempfile
from pathlib import Path

import psycopg

SCRIPT = """\
\\set recipient random(1, 100000)
BEGIN;
INSERT INTO bench_floor_message (id, content, message_type, attachment, attachment_name, attachment_content_type,
    created_at, conversation_id, sender_id, search_vector)
  VALUES (gen_random_uuid(), 'a message from pgbench', 'text', '', '', '', now(), gen_random_uuid(), :recipient,
    to_tsvector('simple', 'a message from pgbench'));
INSERT INTO bench_floor_event (audience, event_type, notification_type, title, message, priority, data, object_id,
    channels, is_read, created_at, recipient_id)
  VALUES ('', 'new_message', '', '', '', 'normal', '{"message": {"content": "a message from pgbench"}}', '',
    '{websocket}', false, now(), :recipient),
         ('', 'new_message', '', '', '', 'normal', '{"message": {"content": "a message from pgbench"}}', '',
    '{websocket}', true, now(), :recipient + 1);
COMMIT;
"""


def floor_tps(database_url: str, *, clients: int, seconds: int = 10) -> float:
    """Committed transactions a second of one message's rows, from `clients` connections."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor_message, bench_floor_event")
        conn.execute("CREATE TABLE bench_floor_message (LIKE chat_message INCLUDING ALL)")
        conn.execute("CREATE TABLE bench_floor_event (LIKE notifications_notification INCLUDING ALL)")
    try:
        with tempfile.TemporaryDirectory() as scratch:
            script = Path(scratch) / "message.sql"
            script.write_text(SCRIPT)
            result = subprocess.run(
                ["pgbench", "-n", "-f", str(script), "-c", str(clients), "-j", "2", "-T", str(seconds), database_url],
                capture_output=True,
                text=True,
                check=True,
            )
        match = re.search(r"tps = ([\d.]+)", result.stdout)
        if match is None:
            raise RuntimeError(f"no tps in pgbench's output:\n{result.stdout}\n{result.stderr}")
        return float(match.group(1))
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS bench_floor_message, bench_floor_event")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a migrated Kazi database")
    parser.add_argument("--clients", type=int, default=20, help="connections (default 20: two daphnes' pools)")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    tps = floor_tps(args.database_url, clients=args.clients, seconds=args.seconds)
    print(f"floor: {tps:.0f} messages a second (one message + two events, committed) from {args.clients} connections")


if __name__ == "__main__":
    main()
