"""Twilio's Messages list refused (503): both readers of it say "ask again later" rather
than fail the job that asked (the sweeper's send reconciliation, the inbound one)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import twilio_client


def test_a_refused_list_is_retryable_for_the_send_reconciliation(fake_twilio):
    fake_twilio.fail_lists = True
    with pytest.raises(twilio_client.RetryableError):
        twilio_client.find_sent(to="+12025550101", body="hello", since=timezone.now())


def test_a_refused_list_is_retryable_for_the_inbound_reconciliation(fake_twilio):
    fake_twilio.fail_lists = True
    since = timezone.now() - timedelta(hours=26)
    with pytest.raises(twilio_client.RetryableError):
        twilio_client.list_inbound(to="+13055550001", since=since)
