"""The channel layer exactly as config/settings.py builds it, against the real Redis.

redis-py 8 gives connections made from a plain URL a 5 s socket timeout, shorter than
channels_redis' 5 s blocking pop plus the round trip: an idle receive() then raises
TimeoutError and the consumer's socket dies with 1011. settings.CHANNEL_LAYERS passes
socket_timeout=None in the host dict; these tests fail if that is lost.
"""

import asyncio
import time
import uuid

import pytest
from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers, get_channel_layer


@pytest.fixture
async def layer():
    layer = get_channel_layer()
    yield layer
    await layer.close_pools()


@pytest.fixture
async def other_process_layer():
    """A second layer built from the same settings, with its own connections: another process."""
    layer = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
    yield layer
    await layer.close_pools()


async def test_receive_waits_longer_than_five_seconds_and_still_receives(layer, other_process_layer):
    channel = await layer.new_channel()

    async def send_later():
        await asyncio.sleep(6)
        await other_process_layer.send(channel, {"type": "late.message", "n": 1})

    sender = asyncio.create_task(send_later())
    started = time.monotonic()
    message = await asyncio.wait_for(layer.receive(channel), timeout=15)
    await sender

    assert message == {"type": "late.message", "n": 1}
    assert time.monotonic() - started >= 5.9


async def test_group_send_reaches_every_group_member(layer, other_process_layer):
    group = f"test.{uuid.uuid4().hex}"
    members = [await layer.new_channel(), await layer.new_channel()]
    for channel in members:
        await layer.group_add(group, channel)
    try:
        await other_process_layer.group_send(group, {"type": "demo.event", "text": "hello"})
        received = [await asyncio.wait_for(layer.receive(channel), timeout=5) for channel in members]
    finally:
        for channel in members:
            await layer.group_discard(group, channel)

    assert received == [{"type": "demo.event", "text": "hello"}] * 2
