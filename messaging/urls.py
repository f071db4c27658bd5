from django.urls import path

from messaging import webhooks

app_name = "twilio"

urlpatterns = [
    path("sms/", webhooks.inbound_sms, name="sms"),
    path("status/", webhooks.message_status, name="status"),
    path("voice/", webhooks.inbound_voice, name="voice"),
    path("voice/recording/", webhooks.voice_recording, name="voice-recording"),
    path("voice/transcription/", webhooks.voice_transcription, name="voice-transcription"),
]
