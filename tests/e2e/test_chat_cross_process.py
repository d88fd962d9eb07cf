"""Two people chat from sockets on two different daphne processes; a third hears nothing."""

import asyncio
import json

import httpx
import pytest

from chat.services import conversation_start_direct
from tests import factories
from tests.e2e.conftest import open_socket, token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


async def next_of(socket, kind: str, timeout: float = 10) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if message["type"] == kind:
            return message


async def test_two_people_chat_across_processes(servers):
    seeker = await asyncio.to_thread(factories.SeekerFactory)
    recruiter = await asyncio.to_thread(factories.RecruiterFactory)
    outsider = await asyncio.to_thread(factories.SeekerFactory)
    conversation, _ = await asyncio.to_thread(conversation_start_direct, initiator=recruiter, other=seeker)
    cid = str(conversation.pk)
    on_a, _ = await open_socket(servers["a"], seeker)
    on_b, _ = await open_socket(servers["b"], recruiter)
    outsider_socket, _ = await open_socket(servers["a"], outsider)

    await on_b.send(json.dumps({"type": "typing", "conversation_id": cid, "is_typing": True}))
    typing = await next_of(on_a, "user_typing")
    assert typing["user_id"] == str(recruiter.pk) and typing["is_typing"] is True

    # A conversation: each line answers the one before, as people do; a burst from one side follows.
    lines = [(on_b, "Hello from B"), (on_a, "Hi, A here"), (on_b, "When can you talk?"), (on_a, "Tomorrow 10:00")]
    seen = {on_a: [], on_b: []}
    for socket, text in lines:
        await socket.send(json.dumps({"type": "message", "conversation_id": cid, "content": text}))
        for side in (on_a, on_b):
            seen[side].append((await next_of(side, "new_message"))["message"]["content"])
    burst = [f"detail {i}" for i in range(5)]
    for text in burst:
        await on_b.send(json.dumps({"type": "message", "conversation_id": cid, "content": text}))
    for side in (on_a, on_b):
        seen[side] += [(await next_of(side, "new_message"))["message"]["content"] for _ in burst]
    expected = [text for _, text in lines] + burst
    assert seen[on_a] == expected and seen[on_b] == expected, "both sides see every message, in order"

    async with httpx.AsyncClient(base_url=servers["a"].http, timeout=10) as http:
        response = await http.post(
            f"/api/chat/conversations/{cid}/mark-as-read/", headers={"Authorization": f"Bearer {token(seeker)}"}
        )
    assert response.status_code == 200
    receipt = await next_of(on_b, "messages_read")
    assert receipt["conversation_id"] == cid and receipt["user_id"] == str(seeker.pk)

    with pytest.raises(TimeoutError):
        message = json.loads(await asyncio.wait_for(outsider_socket.recv(), 1.0))
        pytest.fail(f"the outsider received {message}")
    for socket in (on_a, on_b, outsider_socket):
        await socket.close()
