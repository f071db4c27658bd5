"""The default playbook: the communication moments a practice starts with.

Pure data (standard library only, no Django import). A seed step or a data migration turns
these dicts into Moment and Template rows; admins then edit them per practice.

Each moment defines the five things of the practice workflow: the patient's likely question,
the approved responses (templates per language and channel), what the assistant must verify,
the note standard, and the escalation point. Plus channels, live-call need, first-response
target (business minutes) and the part of the day it belongs to.

Template rules kept here (and enforced by ``templates_lib.lint``):
- a first response says what was received, what is being checked, what is needed from the
  patient, and when the next update comes;
- SMS carries nothing sensitive and never uses a carrier opt-out word as a command;
- only the placeholders of ``ALLOWED_PLACEHOLDERS``, in single braces;
- reminders name the practice and its phone number and stay short.
"""

from __future__ import annotations

from queue_app.lanes import NOTE_ELEMENTS, STANDARD_NOTE

VERIFICATION_FIELDS = {
    "full_name": "Full name",
    "date_of_birth": "Date of birth",
    "phone_on_file": "Phone on file",
    "address": "Address on file",
    "insurance_member_id": "Insurance member ID",
    "guardian_or_proxy": "Guardian or proxy on file",
    "appointment_on_file": "Appointment on file",
}

ROUTES = ("clinical", "urgent", "billing", "complaints", "interpreter")

RHYTHM_BLOCKS = ("morning", "midday", "afternoon")

ALLOWED_PLACEHOLDERS = (
    "first_name",
    "practice_name",
    "practice_phone",
    "appointment_date",
    "appointment_time",
    "provider_name",
    "telehealth_link",
    "missing_items",
    "next_update",
    "callback_window",
    "location",
)

LANGUAGES = ("en", "es")
CHANNELS = ("sms", "portal", "voice")

# The note elements every lane requires unless it says otherwise (data/README.md).
_STANDARD_NOTE = list(STANDARD_NOTE)

_ALL_CHANNELS = ["sms", "portal", "voice"]


def _t(language: str, channel: str, purpose: str, body: str) -> dict:
    return {"language": language, "channel": channel, "purpose": purpose, "body": body}


DEFAULT_MOMENTS: list[dict] = [
    # ------------------------------------------------------------------ appointment_request
    {
        "key": "appointment_request",
        "name": {"en": "Appointment request", "es": "Solicitud de cita"},
        "likely_question": {
            "en": "Can I get an appointment this week? Do I need to be seen for this?",
            "es": "¿Me pueden dar una cita esta semana? ¿Necesito que me vea el doctor?",
        },
        "verification_fields": [
            "full_name",
            "date_of_birth",
            "phone_on_file",
            "insurance_member_id",
        ],
        "verification_checks": {
            "en": "Check whether the patient is new or established, the visit type and provider "
            "asked for, and the earliest openings. Check insurance on file and preferred days "
            "or times. For a child, confirm the guardian on file.",
            "es": "Revise si es paciente nuevo o establecido, el tipo de cita y el proveedor que "
            "pide, y los primeros horarios disponibles. Revise el seguro registrado y los días "
            "u horas que prefiere. Si es menor de edad, confirme el tutor registrado.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked for a new-patient physical; prefers mornings. Identity and Aetna "
            "coverage confirmed (name, DOB, phone on file). Booked 7/8 at 8:00 AM with "
            "Dr. Okafor; intake link sent. No clinical questions raised; escalation: none. "
            "Automated reminder set for 7/7; item closed.",
            "es": "La paciente pidió cita para un examen físico; prefiere las mañanas. Identidad y "
            "cobertura de Aetna confirmadas (nombre, fecha de nacimiento, teléfono). Se agendó "
            "el 7/8 a las 8:00 a. m. con el Dr. Okafor; se envió el enlace de admisión. Ninguna "
            "pregunta clínica; sin escalamiento. Recordatorio automático el 7/7; caso cerrado.",
        },
        "escalation_point": {
            "en": "The patient asks whether or how soon they should be seen, or describes "
            "symptoms: route to the clinical team and do not pick the urgency yourself. A "
            "red-flag symptom goes to the urgent route at once. New-patient scheduling is "
            "finished on a live call.",
            "es": "El paciente pregunta si necesita consulta o qué tan pronto, o describe "
            "síntomas: pase el caso al equipo clínico y no decida usted la urgencia. Un síntoma "
            "de alarma va de inmediato a la ruta urgente. La cita de un paciente nuevo se termina "
            "por teléfono.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 60,
        "rhythm_block": "morning",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your appointment request. "
                "We're checking the earliest openings now. Nothing is needed from you yet. "
                "We'll text you options {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su solicitud de cita. "
                "Estamos buscando los primeros horarios disponibles. Por ahora no tiene que "
                "hacer nada. Le enviaremos opciones {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "Thank you for your appointment request. We're checking the earliest openings "
                "now. Nothing is needed from you yet. We'll send you options here "
                "{next_update}.\n\n"
                "If you are a new patient, we'll call you to finish scheduling. "
                "If you have a question about symptoms, our care team will review it. "
                "For an emergency, call 911.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Gracias por su solicitud de cita. Estamos buscando los primeros horarios "
                "disponibles. Por ahora no tiene que hacer nada. Le enviaremos opciones por "
                "este medio {next_update}.\n\n"
                "Si es paciente nuevo, le llamaremos para terminar de agendar. "
                "Si tiene preguntas sobre síntomas, nuestro equipo médico las revisará. "
                "Si es una emergencia, llame al 911.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ reschedule
    {
        "key": "reschedule",
        "name": {"en": "Reschedule", "es": "Cambio de cita"},
        "likely_question": {
            "en": "I can't make it on Thursday. Can I move my appointment to next week?",
            "es": "No puedo ir el jueves. ¿Me pueden cambiar la cita para la próxima semana?",
        },
        "verification_fields": ["full_name", "date_of_birth", "appointment_on_file"],
        "verification_checks": {
            "en": "Confirm the current appointment: date, time, provider, in person or video. "
            "Check the patient's preferred days and times, provider rules for the visit type, "
            "and whether the provider ordered a follow-up interval.",
            "es": "Confirme la cita actual: fecha, hora, proveedor, en persona o por video. "
            "Revise los días y horas que prefiere el paciente, las reglas del proveedor para "
            "ese tipo de cita y si el proveedor indicó un plazo de seguimiento.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked to move the 1/16 9:00 AM visit with Dr. Patel (work conflict). "
            "Identity confirmed (name + DOB). Moved to 1/23 at 2:10 PM; confirmation text sent. "
            "No clinical questions; escalation: none. Reminder goes out 1/22; item closed.",
            "es": "El paciente pidió cambiar su cita del viernes 3/7 (tiene un compromiso). "
            "Identidad confirmada con fecha de nacimiento. Se movió al lunes 3/10 a las "
            "10:00 a. m. con la Dra. Ruiz; se envió confirmación por texto. Ninguna pregunta "
            "clínica; sin escalamiento. Recordatorio el 3/9; caso cerrado.",
        },
        "escalation_point": {
            "en": "The reason for moving is a symptom that is severe, worsening or lasting, or the "
            "patient asks whether it is safe to wait: route to clinical. Pushing back a visit the "
            "provider marked time-sensitive needs clinical sign-off.",
            "es": "El motivo del cambio es un síntoma fuerte, que empeora o que no se quita, o el "
            "paciente pregunta si puede esperar: pase el caso al equipo clínico. Retrasar una "
            "cita que el proveedor marcó como urgente necesita visto bueno clínico.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 60,
        "rhythm_block": "morning",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your request to move your "
                "visit with {provider_name}. We're checking openings now. Nothing is needed from "
                "you yet. We'll text you options {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su solicitud para "
                "cambiar su cita con {provider_name}. Estamos buscando otros horarios. Por ahora "
                "no tiene que hacer nada. Le enviaremos opciones {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your request to move your {appointment_date} visit with {provider_name}. "
                "We're checking openings now. Your current time stays booked until you choose a "
                "new one. Nothing is needed from you yet. We'll send you options here "
                "{next_update}.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su solicitud para cambiar su cita del {appointment_date} con "
                "{provider_name}. Estamos buscando otros horarios. Su cita actual sigue "
                "reservada hasta que elija una nueva. Por ahora no tiene que hacer nada. Le "
                "enviaremos opciones por este medio {next_update}.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ cancel
    {
        "key": "cancel",
        "name": {"en": "Cancel", "es": "Cancelación de cita"},
        "likely_question": {
            "en": "I need to cancel my appointment on Friday. I'll call when I'm ready to rebook.",
            "es": "Necesito cancelar mi cita del viernes. Yo les llamo cuando pueda hacer otra.",
        },
        "verification_fields": ["full_name", "date_of_birth", "appointment_on_file"],
        "verification_checks": {
            "en": "Confirm which appointment to cancel: date, time, provider. Check whether it is "
            "an ordered follow-up or a time-sensitive visit, the late-cancellation policy, and "
            "whether the patient wants to rebook now.",
            "es": "Confirme qué cita se cancela: fecha, hora, proveedor. Revise si es un "
            "seguimiento indicado por el proveedor o una cita urgente, la política de "
            "cancelación tardía y si el paciente quiere otra cita ahora.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked to cancel the 5/18 2:00 PM visit with Dr. Lin (moving out of "
            "state). Identity confirmed (DOB + phone on file). Appointment cancelled and slot "
            "released; rebooking declined. No clinical topics; escalation: none. Nothing pending; "
            "item closed.",
            "es": "La paciente pidió cancelar su cita del 5/18 a las 2:00 p. m. con el Dr. Lin "
            "(se muda de estado). Identidad confirmada (fecha de nacimiento y teléfono). Cita "
            "cancelada y horario liberado; no quiso otra cita. Nada clínico; sin escalamiento. "
            "Sin pendientes; caso cerrado.",
        },
        "escalation_point": {
            "en": "The visit was an ordered follow-up the provider is watching, or the patient "
            "cancels because they feel worse: route to clinical before closing. Frustration with "
            "the practice as the reason goes to service recovery.",
            "es": "La cita era un seguimiento que el proveedor pidió, o el paciente cancela porque "
            "se siente peor: pase el caso al equipo clínico antes de cerrarlo. Si cancela por "
            "molestia con la clínica, va a atención de quejas.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 120,
        "rhythm_block": "morning",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your request to cancel your "
                "{appointment_date} visit. We're checking the schedule and removing it now. "
                "Nothing else is needed from you. We'll text you a confirmation {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su solicitud para "
                "cancelar su cita del {appointment_date}. Estamos revisando la agenda para "
                "quitarla. No tiene que hacer nada. Le confirmaremos por texto {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your request to cancel your {appointment_date} visit with "
                "{provider_name}. We're updating the schedule now. Nothing else is needed from "
                "you. We'll confirm here {next_update}.\n\n"
                "When you're ready for a new visit, call us at {practice_phone} or send a "
                "message here.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su solicitud para cancelar su cita del {appointment_date} con "
                "{provider_name}. Estamos actualizando la agenda. No tiene que hacer nada más. "
                "Le confirmaremos por este medio {next_update}.\n\n"
                "Cuando quiera una nueva cita, llámenos al {practice_phone} o escríbanos por "
                "aquí.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ appointment_time_question
    {
        "key": "appointment_time_question",
        "name": {"en": "Appointment time question", "es": "Pregunta sobre la cita"},
        "likely_question": {
            "en": "What time is my appointment tomorrow, and what do I need to bring?",
            "es": "¿A qué hora es mi cita mañana y qué tengo que llevar?",
        },
        "verification_fields": ["full_name", "date_of_birth", "appointment_on_file"],
        "verification_checks": {
            "en": "Verify identity before giving any detail. Then check the schedule: date, time, "
            "provider, location, in person or video. Check the standard written prep for the "
            "visit type and open items such as missing forms.",
            "es": "Verifique la identidad antes de dar cualquier dato. Luego revise la agenda: "
            "fecha, hora, proveedor, lugar, en persona o por video. Revise las instrucciones "
            "escritas para ese tipo de cita y los pendientes, como formularios.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked when tomorrow's visit is and what to bring. Identity confirmed "
            "(name + DOB). Told her 4/3 at 9:20 AM with Dr. Patel, Suite 210; bring photo ID and "
            "insurance card. No clinical questions; escalation: none. No further action; closed.",
            "es": "La paciente preguntó la hora de su cita de mañana. Identidad confirmada "
            "(nombre y fecha de nacimiento). Se le indicó 4/3 a las 9:20 a. m. con el Dr. Patel, "
            "consultorio 210; traer identificación y tarjeta del seguro. Nada clínico; sin "
            "escalamiento. No hay más pendientes; caso cerrado.",
        },
        "escalation_point": {
            "en": "The patient asks whether to still come because of a symptom, an illness or a "
            "positive test, or asks to change prep for their condition or medicines: route to "
            "clinical and do not answer it.",
            "es": "El paciente pregunta si todavía debe venir por un síntoma, una enfermedad o una "
            "prueba positiva, o pide adaptar las instrucciones a su condición o medicinas: pase "
            "el caso al equipo clínico y no lo conteste.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 60,
        "rhythm_block": "afternoon",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your question about your "
                "visit. We're checking the schedule now. Nothing is needed from you yet. We'll "
                "reply with the details {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su pregunta sobre su "
                "cita. Estamos revisando la agenda. Por ahora no tiene que hacer nada. Le "
                "mandaremos los detalles {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your question about your visit with {provider_name}. We're checking the "
                "schedule and the visit instructions now. Nothing is needed from you yet. We'll "
                "reply here with the details {next_update}.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su pregunta sobre su cita con {provider_name}. Estamos revisando la "
                "agenda y las instrucciones de la cita. Por ahora no tiene que hacer nada. Le "
                "responderemos por este medio {next_update}.\n\n"
                "Atentamente,\n{practice_name}",
            ),
            _t(
                "en",
                "sms",
                "confirmation_request",
                "{practice_name}: Visit with {provider_name} {appointment_date} at "
                "{appointment_time}. Reply C to confirm or R to reschedule. Questions? "
                "{practice_phone}",
            ),
            _t(
                "es",
                "sms",
                "confirmation_request",
                "{practice_name}: Cita con {provider_name} el {appointment_date} a las "
                "{appointment_time}. Responda C para confirmar o R para cambiarla. "
                "{practice_phone}",
            ),
            _t(
                "en",
                "sms",
                "reminder",
                "{practice_name}: Reminder: visit with {provider_name} {appointment_date} at "
                "{appointment_time}. Come 15 min early with ID and insurance card. "
                "{practice_phone}",
            ),
            _t(
                "es",
                "sms",
                "reminder",
                "{practice_name}: Recuerde su cita con {provider_name} el {appointment_date}, "
                "{appointment_time}. Venga 15 min antes con ID y tarjeta de seguro. "
                "{practice_phone}",
            ),
        ],
    },
    # ------------------------------------------------------------------ missed_call_callback
    {
        "key": "missed_call_callback",
        "name": {"en": "Missed-call callback", "es": "Devolución de llamada"},
        "likely_question": {
            "en": "Someone from your office called me. I'm returning the call. Can you call me "
            "back after work?",
            "es": "Me llamaron de la clínica y estoy devolviendo la llamada. ¿Me pueden llamar "
            "después del trabajo?",
        },
        "verification_fields": ["full_name", "date_of_birth", "phone_on_file"],
        "verification_checks": {
            "en": "Listen to the voicemail or read the message first. Note the reason, or 'reason "
            "not stated', and any red flag. Check the preferred contact window, the number on "
            "file, and whether the number is shared. Verify identity before any detail.",
            "es": "Primero escuche el recado o lea el mensaje. Anote el motivo, o 'motivo no "
            "indicado', y cualquier señal de alarma. Revise el horario preferido, el número "
            "registrado y si el número es compartido. Verifique la identidad antes de dar datos.",
        },
        "note_elements": [
            "request",
            "contact_attempt",
            "promised_follow_up",
            "escalation_status",
        ],
        "note_example": {
            "en": "Patient left VM 7:40 AM asking what time her appointment is. Return call "
            "9:50 AM: no answer, brief voicemail left with our number only (no details). Nothing "
            "clinical in her message; escalation: none. Next attempt today 1:30 PM.",
            "es": "La paciente dejó recado a las 8:15 a. m. sobre sus formularios. Llamada de "
            "regreso a las 11:40 a. m.: el buzón estaba lleno y no se pudo dejar recado; se le "
            "mandó un SMS. Nada clínico en su recado; sin escalamiento. Próximo intento hoy a "
            "las 4:00 p. m.",
        },
        "escalation_point": {
            "en": "The message mentions a symptom, a medicine or a result: route to clinical. A "
            "red flag goes to the urgent route at once, before any callback. An angry message "
            "goes to service recovery. After the set number of unanswered attempts, send the "
            "written fallback and hand the item back to the queue.",
            "es": "El mensaje menciona un síntoma, una medicina o un resultado: pase el caso al "
            "equipo clínico. Una señal de alarma va de inmediato a la ruta urgente, antes de "
            "llamar. Un mensaje molesto va a atención de quejas. Tras los intentos sin respuesta "
            "fijados, envíe el mensaje escrito de respaldo y devuelva el caso a la fila.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": True,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 60,
        "rhythm_block": "morning",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your message asking for a call "
                "back. We're looking into it now. Nothing is needed from you yet. We'll call you "
                "{next_update}. If another time works better, just reply.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su mensaje pidiendo que "
                "le llamemos. Ya lo estamos revisando. Por ahora no tiene que hacer nada. Le "
                "llamaremos {next_update}. Si prefiere otra hora, responda a este "
                "mensaje.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your message asking for a call back. We're looking into it now. Nothing "
                "is needed from you yet. We'll call you {next_update}.\n\n"
                "If another time works better, reply here with the best time to reach you.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su mensaje pidiendo que le llamemos. Ya lo estamos revisando. Por "
                "ahora no tiene que hacer nada. Le llamaremos {next_update}.\n\n"
                "Si le queda mejor otra hora, respóndanos por aquí con el mejor horario para "
                "llamarle.\n\n"
                "Atentamente,\n{practice_name}",
            ),
            _t(
                "en",
                "voice",
                "voicemail_script",
                "Hello, this message is for {first_name}. This is {practice_name} returning your "
                "call. Please call us back at {practice_phone}. We'll also try you again "
                "{callback_window}. Thank you.",
            ),
            _t(
                "es",
                "voice",
                "voicemail_script",
                "Hola, este mensaje es para {first_name}. Le llamamos de {practice_name} para "
                "devolverle su llamada. Por favor llámenos al {practice_phone}. También le "
                "volveremos a llamar {callback_window}. Gracias.",
            ),
            _t(
                "en",
                "sms",
                "callback_fallback",
                "{practice_name}: Hi {first_name}, we tried to call you but couldn't reach you. "
                "Please call us at {practice_phone} or reply with a good time to call.",
            ),
            _t(
                "es",
                "sms",
                "callback_fallback",
                "{practice_name}: Hola {first_name}, intentamos llamarle pero no pudimos "
                "comunicarnos. Llame al {practice_phone} o responda con la mejor hora para "
                "llamarle.",
            ),
        ],
    },
    # ------------------------------------------------------------------ referral_status
    {
        "key": "referral_status",
        "name": {"en": "Referral status", "es": "Estado del referido"},
        "likely_question": {
            "en": "Did you send my referral to the cardiologist? Nobody has called me yet.",
            "es": "¿Ya mandaron mi referido al especialista? Todavía no me ha llamado nadie.",
        },
        "verification_fields": ["full_name", "date_of_birth", "insurance_member_id"],
        "verification_checks": {
            "en": "Check the referral: where and when it was sent, and whether the receiving "
            "office acknowledged it. Check any pending authorization (payer, reference number). "
            "Tell the patient if we are waiting on a document, reviewing it, or ready to schedule.",
            "es": "Revise el referido: a dónde y cuándo se mandó, y si la otra oficina lo recibió. "
            "Revise si hay una autorización pendiente (aseguradora, número de referencia). Diga "
            "al paciente si esperamos un documento, lo estamos revisando o ya se puede agendar.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient checking on cardiology referral. Identity confirmed (name + DOB). "
            "Referral faxed to Lakeside Cardiology 5/2; called Lakeside 5/6, they received it "
            "5/3 and are about a week behind. Status shared with patient. No new symptoms "
            "mentioned; escalation: none. I'll call Lakeside 5/10 if she is still not booked.",
            "es": "La paciente preguntó por su referido a cardiología. Identidad confirmada "
            "(nombre y fecha de nacimiento). Referido enviado por fax a Lakeside Cardiology el "
            "5/2; llamé a Lakeside el 5/6 y lo recibieron el 5/3, van una semana atrasados. Se le "
            "informó a la paciente. Ningún síntoma nuevo; sin escalamiento. Llamaré a Lakeside el "
            "5/10 si aún no tiene cita.",
        },
        "escalation_point": {
            "en": "The patient reports new or worse symptoms while waiting, asks if the wait is "
            "safe, or the referral needs the provider to mark it urgent: route to clinical. A "
            "patient upset about a delay goes to service recovery. Never promise an authorization.",
            "es": "El paciente reporta síntomas nuevos o peores mientras espera, pregunta si es "
            "seguro esperar, o el proveedor debe marcar el referido como urgente: pase el caso al "
            "equipo clínico. Un paciente molesto por la demora va a atención de quejas. Nunca "
            "prometa una autorización.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 240,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your question about your "
                "referral. We're checking if we're waiting on a document, reviewing it, or ready "
                "to schedule. Nothing is needed from you yet. We'll update you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su pregunta sobre su "
                "referido. Estamos viendo si esperamos un documento, si lo estamos revisando o "
                "si ya se puede agendar. Por ahora no tiene que hacer nada. Le avisaremos "
                "{next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your question about your referral. We're checking where it stands: "
                "waiting on a document, under review, or ready to schedule. Nothing is needed "
                "from you yet. We'll update you here {next_update}.\n\n"
                "If your symptoms have changed while you wait, tell us in a reply. Our care team "
                "will review it.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su pregunta sobre su referido. Estamos revisando en qué va: si falta "
                "un documento, si está en revisión o si ya se puede agendar. Por ahora no tiene "
                "que hacer nada. Le avisaremos por este medio {next_update}.\n\n"
                "Si sus síntomas han cambiado mientras espera, díganos en su respuesta. Nuestro "
                "equipo médico lo revisará.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ form_reminder
    {
        "key": "form_reminder",
        "name": {"en": "Form reminder", "es": "Recordatorio de formularios"},
        "likely_question": {
            "en": "Which forms do I still need to fill out before my visit? I thought I did them.",
            "es": "¿Qué formularios me faltan antes de mi cita? Yo pensé que ya los había llenado.",
        },
        "verification_fields": ["full_name", "date_of_birth", "appointment_on_file"],
        "verification_checks": {
            "en": "Check which forms are open for the upcoming visit and exactly what is missing: "
            "a signature, a page, the insurance subscriber's date of birth. Check that the packet "
            "is linked to the right visit. For FMLA, disability or school forms, check status "
            "and turnaround.",
            "es": "Revise qué formularios faltan para la próxima cita y qué falta exactamente: una "
            "firma, una página, la fecha de nacimiento del titular del seguro. Revise que el "
            "paquete esté ligado a la cita correcta. Para formularios de FMLA, incapacidad o "
            "escuela, revise el estado y el tiempo de entrega.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked which intake items are still open for her 10/2 visit; prefers "
            "callback after 3 p.m. Identity confirmed (name + DOB). Intake link resent 9/28; "
            "insurance card still missing. No clinical questions raised; escalation: none. "
            "Second attempt scheduled 9/29 at 3:30 PM.",
            "es": "La paciente preguntó qué le falta de la admisión para su cita del 10/2; "
            "prefiere llamadas después de las 3 p. m. Identidad confirmada (nombre y fecha de "
            "nacimiento). Se reenvió el enlace de admisión el 9/28; todavía falta la tarjeta del "
            "seguro. Ninguna pregunta clínica; sin escalamiento. Próximo intento el 9/29 a las "
            "3:30 p. m.",
        },
        "escalation_point": {
            "en": "The form asks the provider for a new medical decision, such as time off work or "
            "a work restriction, or the patient asks a health question while filling it out: "
            "route to clinical.",
            "es": "El formulario pide al proveedor una nueva decisión médica, como días de "
            "incapacidad o una restricción de trabajo, o el paciente hace una pregunta de salud "
            "al llenarlo: pase el caso al equipo clínico.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 240,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your message about your forms. "
                "We checked your file, and we still need: {missing_items}. You can complete or "
                "upload them in the portal. We'll check again {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su mensaje sobre sus "
                "formularios. Revisamos su expediente y nos falta: {missing_items}. Puede "
                "completarlo o subirlo en el portal. Lo revisaremos de nuevo {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "Thank you for your message about your forms. We checked your file. We still "
                "need: {missing_items}.\n\n"
                "You can finish them in the portal, or bring them to your visit on "
                "{appointment_date}. We'll check again and update you {next_update}. If "
                "something in the form is unclear, call us at {practice_phone}.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n"
                "\n"
                "Gracias por su mensaje sobre sus formularios. Revisamos su expediente y nos "
                "falta lo siguiente: {missing_items}.\n"
                "\n"
                "Puede completarlo en el portal o traerlo a su cita del {appointment_date}. Lo "
                "revisaremos de nuevo y le avisaremos {next_update}. Si tiene dudas con el "
                "formulario, llámenos al {practice_phone}.\n"
                "\n"
                "Atentamente,\n"
                "{practice_name}",
            ),
            _t(
                "en",
                "sms",
                "form_reminder",
                "{practice_name}: Hi {first_name}, for your {appointment_date} visit we still "
                "need: {missing_items}. You can do this in the portal or call {practice_phone}.",
            ),
            _t(
                "es",
                "sms",
                "form_reminder",
                "{practice_name}: Hola {first_name}, para su cita del {appointment_date} nos "
                "falta: {missing_items}. Puede hacerlo en el portal o llamar al {practice_phone}.",
            ),
        ],
    },
    # ------------------------------------------------------------------ insurance_document
    {
        "key": "insurance_document",
        "name": {"en": "Insurance document", "es": "Documentos del seguro"},
        "likely_question": {
            "en": "I have new insurance. Where do I send my card? Do you take my plan?",
            "es": "Tengo seguro nuevo. ¿A dónde mando mi tarjeta? ¿Aceptan mi plan?",
        },
        "verification_fields": [
            "full_name",
            "date_of_birth",
            "address",
            "insurance_member_id",
        ],
        "verification_checks": {
            "en": "Check the coverage on file and the new card, front and back: subscriber name "
            "and date of birth. Check eligibility in the payer portal and whether the provider is "
            "in network. For letters, check what the insurer asked for and the visit dates.",
            "es": "Revise la cobertura registrada y la tarjeta nueva, por ambos lados: nombre y "
            "fecha de nacimiento del titular. Revise la elegibilidad en el portal de la "
            "aseguradora y si el proveedor está en la red. Para cartas, revise qué pidió la "
            "aseguradora y las fechas de las citas.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient uploaded new UHC Community Plan card in the portal. Identity confirmed "
            "(name + DOB). Member ID entered; payer portal shows coverage active since 1/1; "
            "Dr. Okafor in network. Subscriber DOB still missing; portal request sent 2/3. No "
            "clinical topics; escalation: none. I'll check for her reply 2/5 at 10 AM.",
            "es": "La paciente mandó foto de su tarjeta nueva de Health Net por el portal. "
            "Identidad confirmada (nombre y fecha de nacimiento). Tarjeta capturada; cobertura "
            "activa desde el 6/1. Nada clínico; sin escalamiento. Listo, sin pendientes; caso "
            "cerrado.",
        },
        "escalation_point": {
            "en": "Complex coverage questions, such as what a plan will pay, a denial or an "
            "authorization, go to billing on a live call. Never promise coverage. A clinical "
            "question goes to the clinical team.",
            "es": "Las preguntas complicadas de cobertura, como cuánto pagará el plan, un rechazo "
            "o una autorización, van a facturación por teléfono. Nunca prometa cobertura. Una "
            "pregunta clínica va al equipo clínico.",
        },
        "escalation_route": "billing",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 480,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your message about your "
                "insurance. We're checking it against your file. We still need: {missing_items}. "
                "Please upload it in the portal, not by text. We'll update you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su mensaje sobre su "
                "seguro. Lo estamos revisando con su expediente. Nos falta: {missing_items}. "
                "Puede subirlo al portal; por favor no lo mande por texto. Le avisaremos "
                "{next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "Thank you for your message about your insurance. We're checking it against "
                "what we have on file. We still need: {missing_items}.\n\n"
                "You can upload a photo of the front and back of your card here. We'll update "
                "you {next_update}. Questions about what your plan pays are best answered by "
                "your insurance company.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Gracias por su mensaje sobre su seguro. Lo estamos revisando con lo que tenemos "
                "en su expediente. Nos falta lo siguiente: {missing_items}.\n\n"
                "Puede subir aquí una foto de su tarjeta por ambos lados. Le avisaremos "
                "{next_update}. Para saber cuánto paga su plan, lo mejor es preguntar a "
                "su aseguradora.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ telehealth_prep
    {
        "key": "telehealth_prep",
        "name": {"en": "Telehealth preparation", "es": "Preparación para cita por video"},
        "likely_question": {
            "en": "How do I join my video visit? Do I need to download an app?",
            "es": "¿Cómo entro a mi cita por video? ¿Tengo que bajar una aplicación?",
        },
        "verification_fields": [
            "full_name",
            "date_of_birth",
            "phone_on_file",
            "appointment_on_file",
        ],
        "verification_checks": {
            "en": "Check the appointment: date, time, provider, video or phone. Check that the "
            "link on file is current and where to send it (text or email). Check the patient's "
            "device, open forms, and whether an interpreter is needed.",
            "es": "Revise la cita: fecha, hora, proveedor, por video o por teléfono. Revise que el "
            "enlace registrado esté vigente y a dónde mandarlo (texto o correo). Revise el "
            "dispositivo del paciente, los formularios pendientes y si necesita intérprete.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked how to join the 4/12 3:00 PM video visit with Dr. Lin. Identity "
            "confirmed (name + DOB). Link re-sent by text and email 4/11; told her a browser "
            "works, no app needed. No clinical questions; escalation: none. 1-hour link reminder "
            "set for 4/12 2:00 PM; closed.",
            "es": "El paciente preguntó cómo entrar a su cita por video del 4/12 a las 3:00 p. m. "
            "con la Dra. Lin. Identidad confirmada (nombre y fecha de nacimiento). Se reenvió el "
            "enlace por texto y correo el 4/11; se le explicó que funciona en el navegador. "
            "Nada clínico; sin escalamiento. Recordatorio con enlace el 4/12 a las 2:00 p. m.; "
            "caso cerrado.",
        },
        "escalation_point": {
            "en": "The patient asks whether their problem can be handled by video: route to "
            "clinical. A patient who needs an interpreter for the visit goes to the interpreter "
            "route. Identity that cannot be confirmed before the visit goes to a person by phone.",
            "es": "El paciente pregunta si su problema se puede atender por video: pase el caso al "
            "equipo clínico. Si necesita intérprete para la cita, va a la ruta de intérpretes. "
            "Si no se puede confirmar la identidad antes de la cita, páselo a una persona por "
            "teléfono.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 120,
        "rhythm_block": "afternoon",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your question about your video "
                "visit on {appointment_date}. We're checking your link now. Nothing is needed "
                "from you yet. We'll send the link and setup steps {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su pregunta sobre su "
                "cita por video del {appointment_date}. Estamos revisando su enlace. Por ahora no "
                "tiene que hacer nada. Le mandaremos el enlace y los pasos "
                "{next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your question about your video visit with {provider_name} on "
                "{appointment_date} at {appointment_time}. We're checking your link now. Nothing "
                "is needed from you yet. We'll send the link and setup steps {next_update}.\n\n"
                "To get ready:\n"
                "- Use a phone, tablet or computer with a camera.\n"
                "- Find a quiet, private place.\n"
                "- Join 10 minutes early.\n\n"
                "If the link does not work, call us at {practice_phone}.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su pregunta sobre su cita por video con {provider_name} el "
                "{appointment_date} a las {appointment_time}. Estamos revisando su enlace. Por "
                "ahora no tiene que hacer nada. Le mandaremos el enlace y los pasos "
                "{next_update}.\n\n"
                "Para prepararse:\n"
                "- Use un celular, tableta o computadora con cámara.\n"
                "- Busque un lugar tranquilo y privado.\n"
                "- Entre 10 minutos antes.\n\n"
                "Si el enlace no funciona, llámenos al {practice_phone}.\n\n"
                "Atentamente,\n{practice_name}",
            ),
            _t(
                "en",
                "sms",
                "telehealth_link",
                "{practice_name}: Your video visit with {provider_name} is at {appointment_time}. "
                "Join: {telehealth_link} Test your camera and sound first. Trouble? Call "
                "{practice_phone}",
            ),
            _t(
                "es",
                "sms",
                "telehealth_link",
                "{practice_name}: Su cita por video con {provider_name} es a las "
                "{appointment_time}. Entre con este enlace: {telehealth_link} Pruebe su video y "
                "sonido antes. Si hay problemas, llame al {practice_phone}",
            ),
        ],
    },
    # ------------------------------------------------------------- telehealth_connection_problem
    {
        "key": "telehealth_connection_problem",
        "name": {"en": "Telehealth connection problem", "es": "Problema de conexión por video"},
        "likely_question": {
            "en": "The link isn't working. I've been in the waiting room for 15 minutes.",
            "es": "El enlace no funciona. Llevo 15 minutos en la sala de espera.",
        },
        "verification_fields": ["full_name", "date_of_birth", "appointment_on_file"],
        "verification_checks": {
            "en": "Check the appointment and the link on file. Find which step fails: link, "
            "waiting room, audio or video. Get the best number to reach the patient right now. "
            "Tell the provider's team at once.",
            "es": "Revise la cita y el enlace registrado. Averigüe qué falla: el enlace, la sala "
            "de espera, el audio o el video. Pida el mejor número para llamarle ahora mismo. Avise "
            "de inmediato al equipo del proveedor.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient reported being stuck in the waiting room for the 3/9 10:00 AM video "
            "visit with Dr. Lin. Identity confirmed (name + DOB). Re-sent link 10:02 AM and "
            "messaged Dr. Lin's MA, who continued the visit by phone at 10:06. Patient raised "
            "nothing clinical with me; escalation: none. Resolved; nothing further.",
            "es": "El paciente reportó que el video se congeló en su cita del 3/9 a las 10:00 a. "
            "m. con el Dr. Lin. Identidad confirmada (nombre y fecha de nacimiento). Envié "
            "mensaje a la asistente del Dr. Lin, quien siguió la cita por teléfono a las 10:06. "
            "El paciente no mencionó nada clínico; sin escalamiento. Resuelto; nada pendiente.",
        },
        "escalation_point": {
            "en": "The provider's team cannot be reached in a few minutes, the visit cannot go on, "
            "or the patient mentions any symptom: hand to the clinical team now. A red flag goes "
            "to the urgent route.",
            "es": "No se localiza al equipo del proveedor en pocos minutos, la cita no puede "
            "seguir, o el paciente menciona algún síntoma: pase el caso al equipo clínico ya. "
            "Una señal de alarma va a la ruta urgente.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 5,
        "rhythm_block": "morning",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your message that you can't "
                "connect. We're contacting {provider_name}'s team now. Please reopen this link: "
                "{telehealth_link} and keep your phone close. We'll update you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su aviso de que no "
                "puede conectarse. Estamos contactando al equipo de {provider_name}. Por favor "
                "abra de nuevo este enlace: {telehealth_link} y tenga su teléfono cerca. Le "
                "avisaremos {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n"
                "\n"
                "We got your message that you can't connect to your video visit. We're contacting "
                "{provider_name}'s team now.\n"
                "\n"
                "Please close the visit and open this link again:\n"
                "{telehealth_link}\n"
                "\n"
                "Keep your phone close; the team may call you instead. We'll update you "
                "{next_update}.\n"
                "\n"
                "Thank you,\n"
                "{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n"
                "\n"
                "Recibimos su mensaje de que no puede conectarse a su cita por video. Estamos "
                "contactando al equipo de {provider_name}.\n"
                "\n"
                "Por favor cierre la cita y vuelva a abrir este enlace:\n"
                "{telehealth_link}\n"
                "\n"
                "Tenga su teléfono cerca, porque el equipo podría llamarle. Le avisaremos "
                "{next_update}.\n"
                "\n"
                "Atentamente,\n"
                "{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ no_show_recovery
    {
        "key": "no_show_recovery",
        "name": {"en": "No-show recovery", "es": "Cita perdida"},
        "likely_question": {
            "en": "I missed my appointment. Can I still be seen? Will I be charged for it?",
            "es": "Se me pasó la cita. ¿Me pueden dar otra? ¿Me van a cobrar?",
        },
        "verification_fields": [
            "full_name",
            "date_of_birth",
            "phone_on_file",
            "appointment_on_file",
        ],
        "verification_checks": {
            "en": "Check the missed appointment: date, time, provider, in person or video. Check "
            "past no-shows, the practice's no-show policy, the next openings, and open items such "
            "as forms or a referral. Do not quote fees in writing.",
            "es": "Revise la cita perdida: fecha, hora, proveedor, en persona o por video. Revise "
            "faltas anteriores, la política de citas perdidas, los próximos horarios y los "
            "pendientes, como formularios o un referido. No mencione cargos por escrito.",
        },
        "note_elements": list(NOTE_ELEMENTS),
        "note_example": {
            "en": "No-show outreach: missed 9/9 11:00 AM video visit with Dr. Lin (phone on file "
            "verified). 11:15 AM text with rebooking request sent; 11:30 AM call: no answer, "
            "voicemail left (no details). No clinical info available; escalation: none. Retry "
            "9/10 at 2 PM; missed-visit letter goes out if no contact by 9/12.",
            "es": "Faltó a su cita del 6/3 a las 8:00 a. m. con el Dr. Ruiz. Llamada de "
            "seguimiento el 6/3 a las 10:20 a. m.: contestó, identidad confirmada (nombre y fecha "
            "de nacimiento). Dijo que se quedó dormido. Se reagendó para el 6/10 a las 8:00 a. m. "
            "Nada clínico; sin escalamiento. Llamada de recordatorio el 6/9.",
        },
        "escalation_point": {
            "en": "The patient missed the visit because of a symptom, a hospital stay or a "
            "worsening condition, or the visit was a time-sensitive follow-up: route to clinical. "
            "Fee disputes go to billing. An upset patient goes to service recovery.",
            "es": "El paciente faltó por un síntoma, una hospitalización o porque empeoró, o la "
            "cita era un seguimiento urgente: pase el caso al equipo clínico. Las disputas por "
            "cargos van a facturación. Un paciente molesto va a atención de quejas.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 240,
        "rhythm_block": "afternoon",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We see you couldn't make your "
                "{appointment_date} visit, and we hope you're OK. We're checking new times for "
                "you. Please reply or call {practice_phone} to pick one. We'll follow up "
                "{next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. No le vimos en su cita del "
                "{appointment_date} y esperamos que esté bien. Estamos buscando nuevos horarios. "
                "Responda o llame al {practice_phone} para elegir uno. Si ya no necesita la cita, "
                "gracias por avisarnos. Le llamaremos {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n"
                "\n"
                "We see you couldn't make your {appointment_date} visit with {provider_name}. We "
                "hope everything is OK. We're checking new times for you now.\n"
                "\n"
                "Please reply here or call {practice_phone} to choose a time that works. If you "
                "no longer need the visit, just let us know. If we don't hear from you, we'll "
                "reach out again {next_update}.\n"
                "\n"
                "Thank you,\n"
                "{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n"
                "\n"
                "No le vimos en su cita del {appointment_date} con {provider_name}. Esperamos que "
                "todo esté bien. Estamos buscando nuevos horarios para usted.\n"
                "\n"
                "Responda por aquí o llame al {practice_phone} para elegir el horario que le "
                "convenga. Si ya no necesita la cita, gracias por avisarnos. Si no sabemos de "
                "usted, le volveremos a contactar {next_update}.\n"
                "\n"
                "Atentamente,\n"
                "{practice_name}",
            ),
            _t(
                "en",
                "voice",
                "voicemail_script",
                "Hello, this message is for {first_name}. This is {practice_name}. We missed you "
                "at your recent visit and would like to help you find a new time. Please call us "
                "at {practice_phone}. We'll also try you again {callback_window}. Thank you.",
            ),
            _t(
                "es",
                "voice",
                "voicemail_script",
                "Hola, este mensaje es para {first_name}. Le llamamos de {practice_name}. No le "
                "vimos en su cita reciente y queremos ayudarle a hacer una nueva. Por favor "
                "llámenos al {practice_phone}. También le volveremos a llamar {callback_window}. "
                "Gracias.",
            ),
        ],
    },
    # ------------------------------------------------------------------ post_visit_next_steps
    {
        "key": "post_visit_next_steps",
        "name": {"en": "Post-visit next steps", "es": "Pasos después de la cita"},
        "likely_question": {
            "en": "Where do I go for the labs the doctor ordered? Are my results back yet?",
            "es": "¿A dónde voy para los análisis que me pidió el doctor? ¿Ya salieron mis "
            "resultados?",
        },
        "verification_fields": ["full_name", "date_of_birth", "appointment_on_file"],
        "verification_checks": {
            "en": "Check the visit's orders: labs, imaging, referrals, follow-up interval. Check "
            "where and how each one is done, and whether results are in and reviewed by the "
            "provider. Never read or explain a result.",
            "es": "Revise las órdenes de la cita: análisis, estudios de imagen, referidos, plazo "
            "de seguimiento. Revise dónde y cómo se hace cada una, y si los resultados ya "
            "llegaron y el proveedor los revisó. Nunca lea ni explique un resultado.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked whether 10/3 labs are back. Identity confirmed (name + DOB). "
            "Resulted 10/5, awaiting Dr. Patel's review; values not discussed. Result question "
            "routed to Dr. Patel's RN 10/6 9 AM; patient told to expect a call by 10/7. I'll "
            "check 10/7 at 2 PM.",
            "es": "El paciente no sabía a dónde ir para los análisis que le ordenaron el 1/12. "
            "Identidad confirmada (nombre y fecha de nacimiento). Se le dio la dirección y el "
            "horario del laboratorio (sin cita, lunes a viernes de 7 a 4). Nada clínico; sin "
            "escalamiento. Asunto resuelto; caso cerrado.",
        },
        "escalation_point": {
            "en": "The patient asks what a result means, reports new or worse symptoms, or asks "
            "about medicines, wound care or activity after a procedure: route to clinical. Never "
            "discuss results; severe pain with fever after a procedure goes to the urgent route.",
            "es": "El paciente pregunta qué significa un resultado, reporta síntomas nuevos o "
            "peores, o pregunta sobre medicinas, cuidado de la herida o actividad después de un "
            "procedimiento: pase el caso al equipo clínico. Nunca hable de resultados; dolor "
            "fuerte con fiebre después de un procedimiento va a la ruta urgente.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 240,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your message about next steps "
                "after your visit. We're checking your visit orders now. Nothing is needed from "
                "you yet. We'll update you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su mensaje sobre los "
                "pasos después de su cita. Estamos revisando las indicaciones de su cita. Por "
                "ahora no tiene que hacer nada. Le avisaremos {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your message about next steps after your visit with {provider_name}. "
                "We're checking your visit orders now. Nothing is needed from you yet. We'll "
                "update you here {next_update}.\n\n"
                "Questions about results or your care go to our care team. They will review "
                "them and reply.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su mensaje sobre los pasos después de su cita con {provider_name}. "
                "Estamos revisando las órdenes de su cita. Por ahora no tiene que hacer nada. "
                "Le avisaremos por este medio {next_update}.\n\n"
                "Las preguntas sobre resultados o sobre su atención pasan a nuestro equipo "
                "médico. Ellos las revisarán y le responderán.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ billing_question
    {
        "key": "billing_question",
        "name": {"en": "Billing question", "es": "Pregunta de facturación"},
        "likely_question": {
            "en": "Why did I get this bill? I thought insurance paid it. Can I set up a payment "
            "plan?",
            "es": "¿Por qué me llegó esta cuenta? Pensé que el seguro la pagaba. ¿Puedo hacer un "
            "plan de pagos?",
        },
        "verification_fields": [
            "full_name",
            "date_of_birth",
            "address",
            "insurance_member_id",
        ],
        "verification_checks": {
            "en": "Check the statement and the date of service, the claim status and EOB, payments "
            "received, and payment plan options. Share amounts only after identity is verified, "
            "and never by text.",
            "es": "Revise el estado de cuenta y la fecha del servicio, el estado del reclamo y la "
            "explicación de beneficios (EOB), los pagos recibidos y las opciones de plan de "
            "pagos. Dé cantidades solo después de verificar la identidad, y nunca por texto.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient questioned a $45 charge from the 3/14 visit. Identity confirmed (name, "
            "DOB, address). EOB dated 4/2 shows a lab fee her plan doesn't cover; explained the "
            "charge and set up a $15/month plan starting 5/1. No clinical topics; escalation: "
            "none. Closed.",
            "es": "La paciente preguntó por un cargo de $45 de su cita del 3/14. Identidad "
            "confirmada (nombre, fecha de nacimiento, dirección). La EOB del 4/2 muestra un "
            "cargo de laboratorio que su plan no cubre; se le explicó y se hizo un plan de $15 "
            "al mes desde el 5/1. Nada clínico; sin escalamiento. Caso cerrado.",
        },
        "escalation_point": {
            "en": "Disputes, coverage questions, refunds and collections go to billing. A demand "
            "to remove a fee or a formal complaint goes to service recovery. Never promise "
            "coverage or a write-off.",
            "es": "Disputas, preguntas de cobertura, reembolsos y cobranzas van a facturación. "
            "Si exige que se quite un cargo o pone una queja formal, va a atención de quejas. "
            "Nunca prometa cobertura ni que se perdonará un cargo.",
        },
        "escalation_route": "billing",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 480,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your question about your bill. "
                "We're reviewing your account with our billing team. Nothing is needed from you "
                "yet. We'll update you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su pregunta sobre su "
                "cuenta. La estamos revisando con nuestro equipo de cobros. Por ahora no tiene "
                "que hacer nada. Le avisaremos {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your question about your bill. We're reviewing your account with our "
                "billing team now. Nothing is needed from you yet. We'll update you here "
                "{next_update}.\n\n"
                "Please don't send card numbers in a message. To pay by phone, call us at "
                "{practice_phone}.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su pregunta sobre su cuenta. La estamos revisando con nuestro equipo "
                "de facturación. Por ahora no tiene que hacer nada. Le avisaremos por este medio "
                "{next_update}.\n\n"
                "Por favor no mande números de tarjeta en un mensaje. Para pagar por teléfono, "
                "llámenos al {practice_phone}.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ records_request
    {
        "key": "records_request",
        "name": {"en": "Records request", "es": "Solicitud de expedientes"},
        "likely_question": {
            "en": "Can you send my records to my new doctor? I also need my vaccine record.",
            "es": "¿Me pueden mandar mi expediente a mi nuevo doctor? También necesito mi "
            "cartilla de vacunas.",
        },
        "verification_fields": [
            "full_name",
            "date_of_birth",
            "address",
            "guardian_or_proxy",
        ],
        "verification_checks": {
            "en": "Check what is asked for (which records, which dates) and where it goes: the "
            "patient, or another office with name and fax. Check for a signed release on file "
            "and who is asking: patient, guardian, proxy or personal representative.",
            "es": "Revise qué se pide (qué documentos, de qué fechas) y a dónde van: al paciente, "
            "o a otra oficina con nombre y fax. Revise si hay una autorización firmada y quién "
            "pide: el paciente, su tutor, un apoderado o un representante personal.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient wants records sent to Dr. Feldman at Northside Family Care. Identity "
            "confirmed (name + DOB); release e-signed 7/2. Faxed 7/3 (confirmation #5519). No "
            "clinical questions; escalation: none. I'll call Northside 7/7 to confirm they got "
            "it.",
            "es": "La paciente pidió que su expediente se mande al Dr. Feldman en Northside "
            "Family Care. Identidad confirmada (nombre y fecha de nacimiento); autorización "
            "firmada el 7/2. Enviado por fax el 7/3 (confirmación #5519). Nada clínico; sin "
            "escalamiento. Llamaré a Northside el 7/7 para confirmar que lo recibieron.",
        },
        "escalation_point": {
            "en": "The requester is not the patient and has no authorization on file, asks about a "
            "minor's confidential visit, or represents a deceased patient: hold and send for "
            "identity review. A question about what the records mean goes to clinical.",
            "es": "Quien pide no es el paciente y no tiene autorización registrada, pregunta por "
            "la cita confidencial de un menor, o representa a un paciente fallecido: detenga la "
            "solicitud y pásela a revisión de identidad. Una pregunta sobre qué significan los "
            "documentos va al equipo clínico.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 480,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your records request. We're "
                "checking what is needed to send them. If we need a signed release, we'll send "
                "you the form. We'll update you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su solicitud del "
                "expediente médico. Estamos revisando qué se necesita para enviarlo. Si "
                "necesitamos un permiso firmado, le mandaremos el formulario. Le avisaremos "
                "{next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your records request. We're checking which records you asked for and "
                "where they should go. If we need a signed release, we'll send you the form here. "
                "Otherwise, nothing is needed from you. We'll update you {next_update}.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n"
                "\n"
                "Recibimos su solicitud del expediente médico. Estamos revisando qué documentos "
                "pidió y a dónde hay que enviarlos. Si falta una autorización firmada, le "
                "mandaremos el formulario por aquí. Si no, no tiene que hacer nada. Le avisaremos "
                "{next_update}.\n"
                "\n"
                "Atentamente,\n"
                "{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ other_admin
    {
        "key": "other_admin",
        "name": {"en": "Other administrative message", "es": "Otro trámite"},
        "likely_question": {
            "en": "Can you update my address and change my pharmacy? Also, what are your hours?",
            "es": "¿Pueden cambiar mi dirección y mi farmacia? ¿Y cuál es su horario?",
        },
        "verification_fields": ["full_name", "date_of_birth", "phone_on_file"],
        "verification_checks": {
            "en": "Read the whole message. Check what it asks for: hours, an address or phone "
            "change, the pharmacy on file, portal access, an attendance note. Anything about "
            "medicines or symptoms is not administrative.",
            "es": "Lea todo el mensaje. Revise qué pide: horario, cambio de dirección o teléfono, "
            "la farmacia registrada, acceso al portal, una constancia de asistencia. Todo lo que "
            "trate de medicinas o síntomas no es un trámite administrativo.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "Patient asked to change her pharmacy to the Walgreens on Oak Ave. Identity "
            "confirmed (name + DOB). Chart updated 5/5. She did not ask for a refill; nothing "
            "clinical, no escalation. Closed.",
            "es": "El paciente pidió cambiar su dirección a 1420 Oak Ave, apto. 3. Identidad "
            "confirmada (nombre y fecha de nacimiento). Expediente actualizado el 5/5. Nada "
            "clínico; sin escalamiento. Caso cerrado.",
        },
        "escalation_point": {
            "en": "Refill, medicine or symptom questions go to clinical. A red flag goes to the "
            "urgent route now. A complaint goes to service recovery.",
            "es": "Las preguntas de resurtidos, medicinas o síntomas van al equipo clínico. Una "
            "señal de alarma va de inmediato a la ruta urgente. Una queja va a atención de "
            "quejas.",
        },
        "escalation_route": "clinical",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": False,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 240,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your message. We're reviewing "
                "it and getting it to the right person. Nothing is needed from you yet. We'll "
                "update you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su mensaje. Lo estamos "
                "revisando para pasarlo a la persona indicada. Por ahora no tiene que hacer nada. "
                "Le avisaremos {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "We got your message. We're reviewing it and getting it to the right person. "
                "Nothing is needed from you yet. We'll update you here {next_update}.\n\n"
                "If your message is about symptoms or medicines, our care team will review it. "
                "For an emergency, call 911.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Recibimos su mensaje. Lo estamos revisando para pasarlo a la persona indicada. "
                "Por ahora no tiene que hacer nada. Le avisaremos por este medio "
                "{next_update}.\n\n"
                "Si su mensaje es sobre síntomas o medicinas, nuestro equipo médico lo revisará. "
                "Si es una emergencia, llame al 911.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ bilingual_intake
    {
        "key": "bilingual_intake",
        "name": {"en": "Bilingual intake", "es": "Registro en su idioma"},
        "likely_question": {
            "en": "I'm a new patient and I'd rather do this in Spanish. Can someone help me?",
            "es": "Soy paciente nuevo y prefiero hacer esto en español. ¿Alguien me puede ayudar?",
        },
        "verification_fields": [
            "full_name",
            "date_of_birth",
            "phone_on_file",
            "address",
            "insurance_member_id",
        ],
        "verification_checks": {
            "en": "Record the preferred language for speaking and for reading. Check the "
            "new-patient details (address, insurance), intake forms in that language, bilingual "
            "staff coverage, and whether the visit needs a qualified interpreter.",
            "es": "Anote el idioma preferido para hablar y para leer. Revise los datos de paciente "
            "nuevo (dirección, seguro), los formularios de admisión en ese idioma, el personal "
            "bilingüe disponible y si la cita necesita un intérprete calificado.",
        },
        "note_elements": list(_STANDARD_NOTE),
        "note_example": {
            "en": "New patient asked for help in Spanish to register and book. Identity confirmed "
            "(name, DOB, address); Spanish recorded as preferred language for calls and writing. "
            "Spanish intake packet sent 3/4; insurance card still missing. Interpreter requested "
            "for the 3/12 9:00 AM visit with Dr. Ruiz. No clinical questions; escalation: none. "
            "Bilingual callback scheduled 3/6 at 10 AM.",
            "es": "Paciente nuevo pidió ayuda en español para registrarse. Identidad confirmada "
            "(nombre, fecha de nacimiento, dirección); español anotado como idioma preferido. Se "
            "envió el paquete de admisión en español el 3/4; falta la tarjeta del seguro. Se "
            "pidió intérprete para la cita del 3/12 a las 9:00 a. m. con el Dr. Ruiz. Nada "
            "clínico; sin escalamiento. Se le llamará en español el 3/6 a las 10 a. m.",
        },
        "escalation_point": {
            "en": "Any clinical explanation, consent or instruction that needs a qualified "
            "interpreter goes to the interpreter route; do not interpret clinical content "
            "yourself. Clinical questions go to the clinical team.",
            "es": "Toda explicación clínica, consentimiento o instrucción que necesite un "
            "intérprete calificado va a la ruta de intérpretes; no interprete usted el contenido "
            "clínico. Las preguntas clínicas van al equipo clínico.",
        },
        "escalation_route": "interpreter",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": True,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 120,
        "rhythm_block": "midday",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your new-patient request. We "
                "can help you in your preferred language. We're checking your details now. We "
                "still need: {missing_items}. We'll call you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su solicitud como "
                "paciente nuevo. Le podemos atender en español. Estamos revisando sus datos. Nos "
                "falta: {missing_items}. Le llamaremos {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n\n"
                "Welcome, and thank you for choosing {practice_name}. We got your new-patient "
                "request. We can help you in your preferred language, and an interpreter can "
                "join your visit.\n\n"
                "We're checking your details now. We still need: {missing_items}. We'll call you "
                "{next_update} to finish signing you up.\n\n"
                "Thank you,\n{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n\n"
                "Bienvenido a {practice_name} y gracias por elegirnos. Recibimos su solicitud "
                "como paciente nuevo. Le podemos atender en español, y un intérprete puede "
                "acompañarle en su cita.\n\n"
                "Estamos revisando sus datos. Nos falta lo siguiente: {missing_items}. Le "
                "llamaremos {next_update} para terminar su registro.\n\n"
                "Atentamente,\n{practice_name}",
            ),
        ],
    },
    # ------------------------------------------------------------------ service_recovery
    {
        "key": "service_recovery",
        "name": {"en": "Service recovery", "es": "Atención de quejas"},
        "likely_question": {
            "en": "I've called three times and nobody has called me back. This is ridiculous.",
            "es": "He llamado tres veces y nadie me regresa la llamada. Esto no puede ser.",
        },
        "verification_fields": ["full_name", "date_of_birth", "phone_on_file"],
        "verification_checks": {
            "en": "Check the history: earlier items, calls and notes on the same need, what was "
            "promised and missed. Check the current status of the underlying request. Write "
            "down the reason for the complaint in the patient's words.",
            "es": "Revise el historial: casos, llamadas y notas anteriores sobre lo mismo, qué se "
            "prometió y no se cumplió. Revise el estado actual de la solicitud. Anote el motivo "
            "de la queja con las palabras del paciente.",
        },
        "note_elements": list(NOTE_ELEMENTS),
        "note_example": {
            "en": "Patient upset: three unreturned calls about her referral to Lakeside Ortho. "
            "Identity confirmed (name + DOB). Called 6/3 11:00 AM and reached her; apologized. "
            "Checked referral: sent 5/20, Lakeside booking her 6/14. Complaint logged to practice "
            "manager 6/3 11:10 AM. Manager will call her by 6/4 noon; I'll confirm 6/4 2 PM.",
            "es": "Paciente molesto: pidió tres veces una cita de seguimiento y nadie le llamó. "
            "Identidad confirmada (nombre y fecha de nacimiento). Llamada el 6/3 a las 11:00 a. "
            "m.: contestó; se le ofreció una disculpa. Se agendó cita el 6/5 a las 9:00 a. m. "
            "Queja registrada para la gerente el 6/3 a las 11:10 a. m. La gerente le llamará el "
            "6/4 antes del mediodía; yo confirmaré el 6/4 a las 2 p. m.",
        },
        "escalation_point": {
            "en": "Every complaint goes to the complaints route (practice manager) with the "
            "reason. A demand for a refund or fee removal, or a threat of legal action, goes the "
            "same day. A clinical concern inside the complaint goes to clinical; a red flag goes "
            "to the urgent route first.",
            "es": "Toda queja va a la ruta de quejas (gerente de la clínica) con el motivo. Si "
            "pide un reembolso o que se quite un cargo, o amenaza con acción legal, va el mismo "
            "día. Una inquietud clínica dentro de la queja va al equipo clínico; una señal de "
            "alarma va primero a la ruta urgente.",
        },
        "escalation_route": "complaints",
        "allowed_channels": list(_ALL_CHANNELS),
        "live_call_required": True,
        "consent_required_channels": ["sms"],
        "first_response_minutes": 60,
        "rhythm_block": "morning",
        "delegated": True,
        "templates": [
            _t(
                "en",
                "sms",
                "first_response",
                "Hi {first_name}, this is {practice_name}. We got your message, and we're sorry "
                "for the trouble. Our practice manager is reviewing what happened. Nothing is "
                "needed from you now. We'll call you {next_update}.",
            ),
            _t(
                "es",
                "sms",
                "first_response",
                "Hola {first_name}, le escribe {practice_name}. Recibimos su mensaje y lamentamos "
                "mucho las molestias. Ya estamos revisando su caso con la gerencia. Por ahora no "
                "tiene que hacer nada. Le llamaremos {next_update}.",
            ),
            _t(
                "en",
                "portal",
                "first_response",
                "Hi {first_name},\n"
                "\n"
                "Thank you for your message, and we're sorry for the trouble. Our practice "
                "manager is reviewing what happened and where your request stands. Nothing is "
                "needed from you now. We'll call you {next_update}.\n"
                "\n"
                "If a better number or time works for you, reply here.\n"
                "\n"
                "Thank you,\n"
                "{practice_name}",
            ),
            _t(
                "es",
                "portal",
                "first_response",
                "Hola {first_name}:\n"
                "\n"
                "Gracias por su mensaje, y lamentamos mucho las molestias. Nuestra gerencia está "
                "revisando lo que pasó y en qué va su solicitud. Por ahora no tiene que hacer "
                "nada. Le llamaremos {next_update}.\n"
                "\n"
                "Si prefiere otro número u otra hora, respóndanos por aquí.\n"
                "\n"
                "Atentamente,\n"
                "{practice_name}",
            ),
            _t(
                "en",
                "voice",
                "voicemail_script",
                "Hello, this message is for {first_name}. This is {practice_name} calling about "
                "your recent message. We're sorry for the trouble, and we want to help. Please "
                "call us at {practice_phone}. We'll also try you again {callback_window}. "
                "Thank you.",
            ),
            _t(
                "es",
                "voice",
                "voicemail_script",
                "Hola, este mensaje es para {first_name}. Le llamamos de {practice_name} sobre su "
                "mensaje reciente. Lamentamos mucho las molestias y queremos ayudarle. Por favor "
                "llámenos al {practice_phone}. También le volveremos a llamar {callback_window}. "
                "Gracias.",
            ),
        ],
    },
]


MOMENT_KEYS = tuple(m["key"] for m in DEFAULT_MOMENTS)


def moment(key: str) -> dict:
    """The default moment with this key (KeyError if there is none)."""
    for item in DEFAULT_MOMENTS:
        if item["key"] == key:
            return item
    raise KeyError(key)
