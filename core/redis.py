"""This process's pooled Redis clients, one per URL: what the metrics, the real-time transport and
presence send their commands through."""

import threading

import redis
from django.conf import settings

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def redis_client() -> redis.Redis:
    """This process's pooled Redis client for commands (thread-safe); never close it."""
    # Keyed by URL so that a process (or a test) pointed at another Redis publishes there.
    url = settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        with _clients_lock:
            client = _clients.get(url)
            if client is None:
                client = _clients[url] = redis.Redis.from_url(
                    url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=30
                )
    return client
