"""The throttle of the `analytics_updated` frame: one window per company, open again once its frame is sent."""

import pytest

from analytics import live


@pytest.fixture
def company_id():
    company_id = 987_654_321
    live.dashboard_frame_release(company_id=company_id)
    yield company_id
    live.dashboard_frame_release(company_id=company_id)


def test_the_first_change_opens_a_window_and_the_rest_join_it(company_id):
    assert live.dashboard_frame_claim(company_id=company_id) is True
    assert live.dashboard_frame_claim(company_id=company_id) is False
    assert live.dashboard_frame_claim(company_id=company_id + 1) is True  # another company's own window
    live.dashboard_frame_release(company_id=company_id + 1)


def test_a_sent_frame_lets_the_next_change_open_a_new_window(company_id):
    assert live.dashboard_frame_claim(company_id=company_id)
    live.dashboard_frame_release(company_id=company_id)
    assert live.dashboard_frame_claim(company_id=company_id)
