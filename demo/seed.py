"""The demo practice group: deterministic, idempotent, and fast enough for a million items.

Everything random comes from one `random.Random(seed)` and every time is measured from a
fixed anchor day, so the same seed and anchor give the same rows. History is written with
bulk inserts, one week at a time, so memory stays flat whatever the volume.

Over 600 lines because about 200 of them are the demo's word lists (names, and what patients
write for each moment in English and Spanish); the code is the rest.
"""

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from escalation.models import Escalation
from escalation.services import ensure_default_routes
from notes.models import Note
from queue_app.access import grant_role
from queue_app.models import (
    Appointment,
    CallAttempt,
    CommunicationMoment,
    Consent,
    Message,
    Patient,
    Practice,
    PracticeNumber,
    Role,
    StaffProfile,
    WorkItem,
)
from templates_lib.models import ResponseTemplate
from templates_lib.services import install_default_playbook

DEMO_PASSWORD = "queue-demo-2026"  # noqa: S105 - printed for the demo, never used in production
BATCH = 5000

BUSINESS_HOURS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}

PRACTICE_SPECS = [
    ("lakeside", "Lakeside Family Medicine", "America/New_York", ["en", "es"], "+13055550100"),
    ("mesa", "Mesa Pediatrics", "America/Phoenix", ["en"], "+16025550100"),
]
EXTRA_ZONES = ["America/Chicago", "America/Puerto_Rico", "America/Los_Angeles", "America/Denver"]

FIRST_NAMES = {
    "en": [
        "Avery",
        "Jordan",
        "Taylor",
        "Morgan",
        "Casey",
        "Riley",
        "Quinn",
        "Harper",
        "Logan",
        "Parker",
        "Emerson",
        "Rowan",
        "Dana",
        "Jesse",
        "Skyler",
        "Blake",
    ],
    "es": [
        "María",
        "José",
        "Lucía",
        "Carmen",
        "Alejandro",
        "Sofía",
        "Javier",
        "Rosa",
        "Mateo",
        "Valentina",
        "Andrés",
        "Guadalupe",
        "Diego",
        "Isabel",
        "Raúl",
        "Elena",
    ],
}
LAST_NAMES = {
    "en": [
        "Smith",
        "Johnson",
        "Brooks",
        "Carter",
        "Nguyen",
        "Patel",
        "Reed",
        "Foster",
        "Hughes",
        "Price",
        "Bennett",
        "Ward",
        "Kim",
        "Lopez",
        "Murphy",
        "Stone",
    ],
    "es": [
        "García",
        "Hernández",
        "Martínez",
        "López",
        "González",
        "Rodríguez",
        "Pérez",
        "Sánchez",
        "Ramírez",
        "Torres",
        "Flores",
        "Rivera",
        "Gómez",
        "Díaz",
        "Cruz",
        "Morales",
    ],
}
PROVIDERS = ["Dr. Huang", "Dr. Okafor", "Dr. Ramírez", "Dr. Lindqvist", "NP Alvarez"]

# What patients write, per moment and language: enough variety for every screen to look real.
PATIENT_WORDS = {
    "appointment_request": {
        "en": [
            "Hi, can I get in to see someone this week for a physical?",
            "Need an appt for my son's sports check, any openings?",
        ],
        "es": [
            "Hola, quisiera una cita para un chequeo general, ¿tienen espacio?",
            "Necesito cita para mi hija, por favor.",
        ],
    },
    "reschedule": {
        "en": [
            "I need to move my Thursday appointment, work came up.",
            "can we switch my visit to a video visit instead?",
        ],
        "es": [
            "Necesito cambiar mi cita del jueves, ¿se puede otro día?",
            "¿Puedo mover mi cita a la tarde?",
        ],
    },
    "cancel": {
        "en": [
            "Please cancel my appointment tomorrow, I'm feeling better.",
            "Cancel my 3pm please, thank you",
        ],
        "es": ["Por favor cancelen mi cita de mañana.", "Ya no necesito la cita, gracias."],
    },
    "appointment_time_question": {
        "en": ["What time is my appointment on Monday?", "Where do I park for my visit?"],
        "es": ["¿A qué hora es mi cita el lunes?", "¿Tengo que llegar temprano a mi cita?"],
    },
    "missed_call_callback": {
        "en": [
            "Someone called me from this number, returning the call.",
            "I missed a call from the clinic, please call me back after 3.",
        ],
        "es": [
            "Me llamaron de la clínica, ¿me pueden regresar la llamada?",
            "Tengo una llamada perdida de ustedes.",
        ],
    },
    "referral_status": {
        "en": [
            "Any update on my referral to cardiology?",
            "Did the referral for physical therapy go through?",
        ],
        "es": ["¿Ya mandaron mi referido al especialista?", "¿Cómo va mi referencia?"],
    },
    "form_reminder": {
        "en": [
            "I got a text about forms, which ones do I still need?",
            "Where do I send the school form?",
        ],
        "es": ["¿Qué formularios me faltan?", "¿Dónde entrego el formulario de la escuela?"],
    },
    "insurance_document": {
        "en": ["I have a new insurance card, how do I send it?", "Do you take Aetna?"],
        "es": ["Tengo seguro nuevo, ¿cómo les mando la tarjeta?", "¿Aceptan Medicaid?"],
    },
    "telehealth_prep": {
        "en": ["How do I join my video visit tomorrow?", "Do I need an app for the video visit?"],
        "es": ["¿Cómo entro a mi cita por video?", "¿Necesito descargar una aplicación?"],
    },
    "telehealth_connection_problem": {
        "en": [
            "The video link isn't working, I'm stuck in the waiting room.",
            "No audio on my telehealth call",
        ],
        "es": ["El enlace no funciona, estoy esperando.", "No se escucha nada en la videollamada."],
    },
    "no_show_recovery": {
        "en": [
            "Sorry I missed my appointment, my car broke down. Can I rebook?",
            "I forgot my appointment yesterday, is there a fee?",
        ],
        "es": [
            "Perdón, no pude llegar a mi cita. ¿Puedo hacer otra?",
            "Se me olvidó la cita, ¿me cobran?",
        ],
    },
    "post_visit_next_steps": {
        "en": [
            "Where do I go for the bloodwork the doctor ordered?",
            "Are my lab results back yet?",
        ],
        "es": ["¿A dónde voy para los análisis que me ordenaron?", "¿Ya llegaron mis resultados?"],
    },
    "billing_question": {
        "en": [
            "I got a bill I don't understand, can someone explain?",
            "Can I set up a payment plan?",
        ],
        "es": ["Me llegó una factura, ¿me pueden explicar el cobro?", "¿Puedo pagar en partes?"],
    },
    "records_request": {
        "en": ["I need a copy of my vaccine records.", "Please send my records to my new doctor."],
        "es": ["Necesito copia de mis vacunas.", "Quiero mis expedientes para otro médico."],
    },
    "other_admin": {
        "en": ["What are your hours on Saturday?", "I changed my address, how do I update it?"],
        "es": ["¿Cuál es el horario del sábado?", "Cambié de dirección, ¿cómo la actualizo?"],
    },
    "bilingual_intake": {
        "en": [
            "I'm a new patient and prefer Spanish, can someone help?",
            "New patient, my mom only speaks Spanish.",
        ],
        "es": ["Soy paciente nuevo y prefiero español.", "Quiero registrarme como paciente nuevo."],
    },
    "service_recovery": {
        "en": [
            "I've called three times and nobody called back. This is ridiculous.",
            "I waited an hour past my appointment time. Not okay.",
        ],
        "es": [
            "Llevo tres días llamando y nadie me contesta.",
            "Esperé una hora y nadie me atendió, muy mal servicio.",
        ],
    },
}

MOMENT_WEIGHTS = {
    "appointment_request": 12,
    "reschedule": 10,
    "cancel": 6,
    "appointment_time_question": 10,
    "missed_call_callback": 9,
    "referral_status": 5,
    "form_reminder": 4,
    "insurance_document": 4,
    "telehealth_prep": 5,
    "telehealth_connection_problem": 3,
    "no_show_recovery": 5,
    "post_visit_next_steps": 9,
    "billing_question": 5,
    "records_request": 6,
    "other_admin": 10,
    "bilingual_intake": 2,
    "service_recovery": 2,
}
# What triage would have said, in the words the panel shows staff.
# Escalated demo items carry words that are the clinical team's to answer, so what the
# assistant reads matches the boundary shown beside it.
CLINICAL_WORDS = {
    "en": [
        "My blood pressure readings have been high all week, should I change my dose?",
        "The new pills make me dizzy in the morning, is that normal?",
        "My son's rash is spreading after the antibiotic, should he keep taking it?",
    ],
    "es": [
        "Mi presión ha estado alta toda la semana, ¿debo cambiar la dosis?",
        "Las pastillas nuevas me marean en la mañana, ¿es normal?",
        "A mi hijo le está saliendo más sarpullido con el antibiótico, ¿lo sigue tomando?",
    ],
}
DEMO_REASONS = {
    "clinical": ["The message describes symptoms: a question for the clinical team."],
    "complaint": ["The patient is unhappy with the service."],
}
CHANNEL_WEIGHTS = {"sms": 55, "portal": 25, "voicemail": 15, "manual": 5}


@dataclass
class SeedOptions:
    seed: int = 2026
    practices: int = 2
    patients_per_practice: int = 150
    weeks: int = 8
    items_per_week: int = 120
    anchor: date = field(default_factory=date.today)
    now: datetime = field(default_factory=timezone.now)


@dataclass
class PracticeWorld:
    practice: Practice
    tz: ZoneInfo
    moments: list[CommunicationMoment]
    weights: list[int]
    templates: dict[tuple[int, str, str], int]
    patient_ids: list[int]
    patient_langs: list[str]
    assistant_ids: list[int]
    routes: dict[str, int]


def demo_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def practice_specs(count: int) -> Iterator[tuple[str, str, str, list[str], str]]:
    yield from PRACTICE_SPECS[:count]
    for n in range(len(PRACTICE_SPECS), count):
        zone = EXTRA_ZONES[n % len(EXTRA_ZONES)]
        langs = ["en", "es"] if n % 2 == 0 else ["en"]
        yield f"clinic-{n + 1}", f"Demo Clinic {n + 1}", zone, langs, f"+1305555{n + 1:04d}"


def seed_demo(options: SeedOptions, log=print) -> bool:
    """Load the demo group. Returns False (and writes nothing) when it is already there."""
    slugs = [spec[0] for spec in practice_specs(options.practices)]
    if Practice.objects.filter(slug__in=slugs).exists():
        log("The demo is already loaded; nothing was changed.")
        return False
    rng = random.Random(options.seed)
    # Noon of the anchor day, but never later than now: an item received "in the future"
    # could never be resolved (resolved_at must not precede received_at).
    anchor = min(datetime.combine(options.anchor, time(12, 0), tzinfo=ZoneInfo("UTC")), options.now)
    shared = make_user("assistant.all", "Sam", "Shared-Assistant", ["en", "es"])
    worlds = []
    for spec in practice_specs(options.practices):
        with transaction.atomic():
            worlds.append(make_practice(spec, shared, rng, options, anchor))
    for week in range(options.weeks, -1, -1):
        for world in worlds:
            with transaction.atomic():
                make_week(world, rng, anchor - timedelta(weeks=week), options, anchor)
    return True


@cache
def demo_password_hash() -> str:
    # Hashing is deliberately slow; every demo user shares one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def make_user(username: str, first: str, last: str, languages: list[str]) -> User:
    user = User.objects.create(
        username=username,
        password=demo_password_hash(),
        first_name=first,
        last_name=last,
        email=f"{username}@demo.invalid",
    )
    StaffProfile.objects.create(user=user, languages=languages)
    return user


def make_practice(spec, shared: User, rng: random.Random, options: SeedOptions, anchor: datetime):
    slug, name, zone, languages, phone = spec
    practice = Practice.objects.create(
        slug=slug,
        name=name,
        timezone=zone,
        languages=languages,
        phone=phone,
        business_hours=BUSINESS_HOURS,
        emergency_script=(
            "If this is an emergency, hang up and call 911. For thoughts of suicide, call or "
            "text 988. Stay on the line while the urgent team is notified."
        ),
    )
    PracticeNumber.objects.create(practice=practice, number=phone)
    install_default_playbook(practice=practice, now=anchor - timedelta(weeks=options.weeks + 1))
    assistants = [shared]
    # Two admins: an edited template is approved by someone other than its author (four
    # eyes), so one admin alone could never publish a change.
    people = [(f"{role}.{slug}", role.title(), role) for role in Role.values]
    people.append((f"admin2.{slug}", "Second Admin", Role.ADMIN))
    for username, first, role in people:
        user = make_user(username, first, name.split()[0], languages)
        grant_role(user=user, practice=practice, role=role)
        if role in (Role.MANAGER, Role.ADMIN):
            # These roles must pass a second factor; `manage.py demo_code` shows their codes.
            TOTPDevice.objects.create(
                user=user,
                name="Demo authenticator",
                confirmed=True,
                key=f"{rng.getrandbits(160):040x}",
            )
        if role == Role.ASSISTANT:
            assistants.append(user)
    grant_role(user=shared, practice=practice, role=Role.ASSISTANT)
    moments = list(practice.moments.all())
    templates = {
        (t.moment_id, t.language, t.channel): t.pk
        for t in ResponseTemplate.objects.filter(practice=practice, purpose="first_response")
    }
    routes = {kind: route.pk for kind, route in ensure_default_routes(practice=practice).items()}
    patient_ids, patient_langs = make_patients(practice, rng, options, anchor)
    make_appointments(practice, patient_ids, rng, anchor)
    return PracticeWorld(
        practice=practice,
        tz=ZoneInfo(zone),
        moments=moments,
        weights=[MOMENT_WEIGHTS.get(m.key, 1) for m in moments],
        templates=templates,
        patient_ids=patient_ids,
        patient_langs=patient_langs,
        assistant_ids=[a.pk for a in assistants],
        routes=routes,
    )


def make_patients(practice: Practice, rng: random.Random, options: SeedOptions, anchor: datetime):
    patients = []
    spanish_share = 0.4 if "es" in practice.languages else 0.0
    for n in range(options.patients_per_practice):
        lang = "es" if rng.random() < spanish_share else "en"
        area = practice.phone[2:5]
        patients.append(
            Patient(
                code=demo_uuid(rng),
                practice=practice,
                first_name=rng.choice(FIRST_NAMES[lang]),
                last_name=rng.choice(LAST_NAMES[lang]),
                date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 80)),
                # 555-01xx numbers are reserved as fictional; a few households share one.
                phone=f"+1{area}555{100 + n % 200:04d}",
                preferred_language=lang,
                contact_window=rng.choice(["", "", "after 3 p.m.", "mornings", "before 10am"]),
                external_id=f"MRN-{practice.slug}-{n:06d}",
            )
        )
    created = Patient.objects.bulk_create(patients, batch_size=BATCH)
    Consent.objects.bulk_create(
        (
            Consent(
                patient=p,
                channel="sms",
                granted=True,
                source="intake form",
                recorded_at=anchor - timedelta(days=400),
            )
            for p in created
            if rng.random() < 0.85
        ),
        batch_size=BATCH,
    )
    return [p.pk for p in created], [p.preferred_language for p in created]


def make_appointments(practice: Practice, patient_ids: list[int], rng: random.Random, anchor):
    appointments = []
    for pid in patient_ids:
        for _ in range(rng.choice([0, 1, 1, 2])):
            start = anchor + timedelta(days=rng.randrange(-30, 21), hours=rng.randrange(-3, 5))
            start = start.replace(minute=rng.choice([0, 15, 30, 45]), second=0, microsecond=0)
            telehealth = rng.random() < 0.25
            past = start < anchor
            confirmation = rng.choice(["confirmed", "unconfirmed"])
            appointments.append(
                Appointment(
                    code=demo_uuid(rng),
                    practice=practice,
                    patient_id=pid,
                    provider_name=rng.choice(PROVIDERS),
                    starts_at=start,
                    ends_at=start + timedelta(minutes=30),
                    kind=Appointment.Kind.TELEHEALTH if telehealth else Appointment.Kind.IN_PERSON,
                    telehealth_link=f"https://visit.example.org/{rng.getrandbits(40):x}"
                    if telehealth
                    else "",
                    location="" if telehealth else "Suite 200",
                    status=rng.choice(["completed"] * 8 + ["no_show", "cancelled"])
                    if past
                    else "booked",
                    confirmation=confirmation,
                    confirmed_at=start - timedelta(hours=rng.randrange(20, 70))
                    if confirmation == "confirmed"
                    else None,
                    missing_forms=rng.choice(["", "", "insurance card (back)", "intake packet"]),
                )
            )
    Appointment.objects.bulk_create(appointments, batch_size=BATCH)


def make_week(world: PracticeWorld, rng, week_start: datetime, options: SeedOptions, anchor):
    """One week of a practice's history: items, their messages and call attempts."""
    items, inbound = [], []
    for _ in range(options.items_per_week):
        received = week_start - timedelta(minutes=rng.randrange(0, 7 * 24 * 60))
        if received > anchor:
            continue
        items.append(make_item(world, rng, received, anchor))
    insert_rows(WorkItem, items)
    outbound, attempts = [], []
    for item in items:
        inbound.append(
            Message(
                code=demo_uuid(rng),
                practice_id=world.practice.pk,
                item=item,
                patient_id=item.patient_id,
                direction="in",
                status="received",
                channel="portal" if item.channel == "portal" else "sms",
                body=item.patient_words,
                language=item.language,
                idempotency_key=f"demo-in-{item.code}",
                created=item.received_at,
            )
        )
        if item.first_response_at:
            channel = "portal" if item.channel == "portal" else "sms"
            outbound.append(
                Message(
                    code=demo_uuid(rng),
                    practice_id=world.practice.pk,
                    item=item,
                    patient_id=item.patient_id,
                    direction="out",
                    channel=channel,
                    body="(demo) approved first response",
                    language=item.language,
                    template_id=world.templates.get((item.moment_id, item.language, channel)),
                    sent_by_id=item.owner_id,
                    status="delivered",
                    idempotency_key=f"demo-out-{item.code}",
                    created=item.first_response_at,
                )
            )
        if item.channel == "voicemail":
            attempts.append(
                CallAttempt(
                    code=demo_uuid(rng),
                    item=item,
                    number=1,
                    attempted_at=item.first_response_at or item.received_at,
                    outcome=rng.choice(["reached", "voicemail", "no_answer"]),
                    by_id=item.owner_id,
                )
            )
    insert_rows(Message, inbound + outbound)
    insert_rows(Escalation, [make_escalation(world, rng, i) for i in items if escalated(i, rng)])
    recent = anchor - timedelta(weeks=4)
    insert_rows(
        Note,
        [
            make_note(world, rng, i)
            for i in items
            if i.status == "resolved" and i.received_at > recent
        ],
    )
    insert_rows(CallAttempt, attempts)


def insert_rows(model: type[models.Model], rows: list[models.Model]) -> None:
    """Bulk insert that sets each row's pk. PostgreSQL gets COPY: a million items in minutes."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for stamped in fields:
        if getattr(stamped, "auto_now", False) or getattr(stamped, "auto_now_add", False):
            for row in rows:
                setattr(row, stamped.attname, now)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    json.dumps(getattr(row, f.attname))
                    if f.attname in json_fields
                    else getattr(row, f.attname)
                    for f in fields
                ]
            )
    # Later rows refer to these by pk: read them back by their unique codes.
    ids = dict(model.objects.filter(code__in=[r.code for r in rows]).values_list("code", "pk"))
    for row in rows:
        row.pk = ids[row.code]


def escalated(item: WorkItem, rng: random.Random) -> bool:
    """Items open as escalated have an escalation; a few resolved ones had one too."""
    return item.status == "escalated" or (item.status == "resolved" and rng.random() < 0.05)


def make_escalation(world: PracticeWorld, rng: random.Random, item: WorkItem) -> Escalation:
    kind = "complaints" if item.boundary == "complaint" else "clinical"
    created = item.received_at + timedelta(minutes=rng.randrange(2, 40))
    done = item.status == "resolved"
    acknowledged = done or rng.random() < 0.6
    return Escalation(
        code=demo_uuid(rng),
        practice_id=world.practice.pk,
        item=item,
        route_id=world.routes[kind],
        reason="(demo) needs the clinical team's judgment",
        detected_by=rng.choice(["triage", "assistant"]),
        created_by_id=item.owner_id,
        status="resolved" if done else ("acknowledged" if acknowledged else "open"),
        created=created,
        ack_due_at=created + timedelta(minutes=60),
        acknowledged_at=created + timedelta(minutes=rng.randrange(5, 90)) if acknowledged else None,
        resolved_at=item.resolved_at if done else None,
        judged_appropriate=rng.random() < 0.85 if done else None,
    )


def make_note(world: PracticeWorld, rng: random.Random, item: WorkItem) -> Note:
    """The moment's own good example stands in for the assistant's note."""
    moment = next(m for m in world.moments if m.pk == item.moment_id)
    return Note(
        code=demo_uuid(rng),
        practice_id=world.practice.pk,
        item=item,
        author_id=item.owner_id,
        language="en",
        free_text=moment.text("note_example", "en"),
        label="actionable",
        missing=[],
        created=item.resolved_at,
    )


def make_item(world: PracticeWorld, rng: random.Random, received: datetime, anchor) -> WorkItem:
    index = rng.randrange(len(world.patient_ids))
    lang = world.patient_langs[index]
    moment = rng.choices(world.moments, world.weights)[0]
    channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
    age_days = (anchor - received).days
    status = pick_status(rng, age_days)
    owner = None if status == "new" else rng.choice(world.assistant_ids)
    response = received + timedelta(minutes=int(rng.lognormvariate(4.0, 0.9)))
    responded = status != "new" and response < anchor and rng.random() < 0.9
    resolved_at = None
    if status == "resolved":
        resolved_at = min(
            anchor, (response if responded else received) + timedelta(hours=rng.randrange(1, 72))
        )
    boundary = (
        "complaint"
        if moment.key == "service_recovery"
        else ("clinical" if status == "escalated" else "administrative")
    )
    return WorkItem(
        code=demo_uuid(rng),
        practice=world.practice,
        patient_id=world.patient_ids[index],
        moment=moment,
        channel=channel,
        patient_words=rng.choice(
            CLINICAL_WORDS[lang] if boundary == "clinical" else PATIENT_WORDS[moment.key][lang]
        ),
        language=lang,
        status=status,
        owner_id=owner,
        boundary=boundary,
        triage_reasons=DEMO_REASONS.get(boundary, []),
        received_at=received,
        due_at=received + timedelta(minutes=moment.first_response_minutes),
        first_response_at=response if responded else None,
        resolved_at=resolved_at,
        needed_from_patient=rng.choice(["", "", "", "insurance card photo", "date that works"]),
    )


def pick_status(rng: random.Random, age_days: int) -> str:
    if age_days > 10:
        return "resolved" if rng.random() < 0.97 else "waiting"
    if age_days > 2:
        return rng.choices(["resolved", "waiting", "assigned", "escalated"], [80, 8, 8, 4])[0]
    return rng.choices(
        ["new", "assigned", "waiting", "escalated", "resolved"], [30, 25, 10, 5, 30]
    )[0]
