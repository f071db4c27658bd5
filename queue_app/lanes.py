"""The lane registry: the communication moments and the note standard, in one place.

Pure Python (no Django import), so triage, the note checker, the default playbook, the demo,
reminders, reports and notes all read the same keys and labels. The 15 lanes and the note
rules are those of the labelled data's README (`../shared/data/README.md`); the playbook
adds two moments that triage never picks (`bilingual_intake`, `service_recovery`).
"""

from __future__ import annotations

from enum import StrEnum


class Lane(StrEnum):
    APPOINTMENT_REQUEST = "appointment_request"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    APPOINTMENT_TIME_QUESTION = "appointment_time_question"
    MISSED_CALL_CALLBACK = "missed_call_callback"
    REFERRAL_STATUS = "referral_status"
    FORM_REMINDER = "form_reminder"
    INSURANCE_DOCUMENT = "insurance_document"
    TELEHEALTH_PREP = "telehealth_prep"
    TELEHEALTH_CONNECTION_PROBLEM = "telehealth_connection_problem"
    NO_SHOW_RECOVERY = "no_show_recovery"
    POST_VISIT_NEXT_STEPS = "post_visit_next_steps"
    BILLING_QUESTION = "billing_question"
    RECORDS_REQUEST = "records_request"
    OTHER_ADMIN = "other_admin"


# Playbook moments outside triage's 15 lanes: a staff member or a rule opens them.
BILINGUAL_INTAKE = "bilingual_intake"
SERVICE_RECOVERY = "service_recovery"

LANES: tuple[str, ...] = tuple(lane.value for lane in Lane)
PLAYBOOK_MOMENTS: tuple[str, ...] = (*LANES, BILINGUAL_INTAKE, SERVICE_RECOVERY)

# Human labels per language; the playbook's moment names start from these.
LABELS: dict[str, dict[str, str]] = {
    Lane.APPOINTMENT_REQUEST: {"en": "Appointment request", "es": "Solicitud de cita"},
    Lane.RESCHEDULE: {"en": "Reschedule", "es": "Cambio de cita"},
    Lane.CANCEL: {"en": "Cancel", "es": "Cancelación de cita"},
    Lane.APPOINTMENT_TIME_QUESTION: {
        "en": "Appointment time question",
        "es": "Pregunta sobre la cita",
    },
    Lane.MISSED_CALL_CALLBACK: {"en": "Missed-call callback", "es": "Devolución de llamada"},
    Lane.REFERRAL_STATUS: {"en": "Referral status", "es": "Estado del referido"},
    Lane.FORM_REMINDER: {"en": "Form reminder", "es": "Recordatorio de formularios"},
    Lane.INSURANCE_DOCUMENT: {"en": "Insurance document", "es": "Documentos del seguro"},
    Lane.TELEHEALTH_PREP: {
        "en": "Telehealth preparation",
        "es": "Preparación para cita por video",
    },
    Lane.TELEHEALTH_CONNECTION_PROBLEM: {
        "en": "Telehealth connection problem",
        "es": "Problema de conexión por video",
    },
    Lane.NO_SHOW_RECOVERY: {"en": "No-show recovery", "es": "Cita perdida"},
    Lane.POST_VISIT_NEXT_STEPS: {"en": "Post-visit next steps", "es": "Pasos después de la cita"},
    Lane.BILLING_QUESTION: {"en": "Billing question", "es": "Pregunta de facturación"},
    Lane.RECORDS_REQUEST: {"en": "Records request", "es": "Solicitud de expedientes"},
    Lane.OTHER_ADMIN: {"en": "Other administrative message", "es": "Otro trámite"},
    BILINGUAL_INTAKE: {"en": "Bilingual intake", "es": "Registro en su idioma"},
    SERVICE_RECOVERY: {"en": "Service recovery", "es": "Atención de quejas"},
}


def label(key: str, language: str = "en") -> str:
    """A moment's human name in `language` (English when missing); the key if unknown."""
    names = LABELS.get(key, {})
    return names.get(language) or names.get("en") or key


# ------------------------------------------------------------------------- note standard
# In the order the data's README lists them (a checker's `missing` keeps this order).
NOTE_ELEMENTS: tuple[str, ...] = (
    "request",
    "verified_details",
    "action_taken",
    "promised_follow_up",
    "contact_attempt",
    "escalation_status",
)

NOTE_ELEMENT_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "request": "Request",
        "verified_details": "Verified details",
        "action_taken": "Action taken",
        "promised_follow_up": "Promised follow-up",
        "contact_attempt": "Contact attempt",
        "escalation_status": "Escalation status",
    },
    "es": {
        "request": "Solicitud",
        "verified_details": "Datos verificados",
        "action_taken": "Acción realizada",
        "promised_follow_up": "Seguimiento prometido",
        "contact_attempt": "Intento de contacto",
        "escalation_status": "Estado de escalamiento",
    },
}

# Every lane requires these unless REQUIRED_ELEMENTS says otherwise.
STANDARD_NOTE: tuple[str, ...] = (
    "request",
    "verified_details",
    "action_taken",
    "promised_follow_up",
    "escalation_status",
)
REQUIRED_ELEMENTS: dict[str, tuple[str, ...]] = {
    Lane.MISSED_CALL_CALLBACK: (
        "request",
        "contact_attempt",
        "promised_follow_up",
        "escalation_status",
    ),
    Lane.NO_SHOW_RECOVERY: NOTE_ELEMENTS,
    # A complaint's note also records every attempt to reach the patient.
    SERVICE_RECOVERY: NOTE_ELEMENTS,
}


def required_elements(lane: str) -> tuple[str, ...]:
    """The note elements a note of this moment must contain (the standard for any other key)."""
    return REQUIRED_ELEMENTS.get(lane, STANDARD_NOTE)
