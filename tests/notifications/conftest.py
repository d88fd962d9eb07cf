import pytest

from notifications import hub as hub_module


@pytest.fixture
async def _close_hub():
    """Consumer tests open sockets on the event loop's hub; close it with the loop's test."""
    yield
    await hub_module.close_hub()
