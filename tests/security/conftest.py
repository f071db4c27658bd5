# The local fake Twilio and its settings, shared with the messaging tests.
from tests.messaging.conftest import fake_twilio, fake_twilio_server  # noqa: F401
