"""Email to a patient through Django's mail backend (settings.MAILERS), from the practice.

The practice writes from `<slug>@PRACTICE_EMAIL_DOMAIN`, the address its inbound route
receives at, so the patient's reply reaches the email webhook. Each email's Message-Id is
`<EM<message code>@domain>` and its local part is stored as the message's provider_sid: a
reply naming it in In-Reply-To or References threads into the message's item
(messaging.inbound_email). The subject names only the practice; the body is the approved
text the assistant chose, as for an SMS.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from messaging.twilio_client import PermanentError, RetryableError
from queue_app.models import Language, Message, Practice
from templates_lib.channel_rules import email_refusal

SID_PREFIX = "EM"
SUBJECTS = {
    Language.ENGLISH: "A message from {practice}",
    Language.SPANISH: "Un mensaje de {practice}",
}


def practice_address(practice: Practice) -> str:
    return f"{practice.slug}@{settings.PRACTICE_EMAIL_DOMAIN}"


def sid_for(message: Message) -> str:
    return f"{SID_PREFIX}{message.code.hex}"


def message_id_header(sid: str) -> str:
    return f"<{sid}@{settings.PRACTICE_EMAIL_DOMAIN}>"


def sid_of(message_id: str) -> str:
    """The provider_sid an email's Message-Id names, if it is one of ours; else ""."""
    local, _, domain = message_id.strip().strip("<>").partition("@")
    if domain.lower() != settings.PRACTICE_EMAIL_DOMAIN.lower():
        return ""
    if not local.startswith(SID_PREFIX) or len(local) != len(SID_PREFIX) + 32:
        return ""
    return local


def send(message: Message) -> str:
    """Hand one email to the mail backend; returns its sid. Refuses (PermanentError) when
    the patient has no address or it is suppressed (a bounce or complaint)."""
    patient = message.patient
    if patient is None:
        raise PermanentError("No patient on file to email.")
    refusal = email_refusal(patient)
    if refusal:
        raise PermanentError(refusal)
    practice = message.practice
    sid = sid_for(message)
    subject = SUBJECTS.get(message.language, SUBJECTS[Language.ENGLISH])
    email = EmailMessage(
        subject=subject.format(practice=practice.name),
        body=message.body,
        from_email=f"{practice.name} <{practice_address(practice)}>",
        to=[patient.email],
        headers={"Message-ID": message_id_header(sid)},
    )
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentError("The mail server refused the patient's address.") from exc
    except (smtplib.SMTPException, OSError) as exc:
        # Nothing was accepted (the server refused or could not be reached): safe to retry.
        raise RetryableError(f"the mail server was unavailable ({type(exc).__name__})") from exc
    return sid
