"""Offline checker for assistants' documentation notes (English and Spanish).

A note is "actionable" when it holds every element its lane requires (see the dataset
README, "Required elements by lane"), otherwise "vague". Each element has its own detector
built from small pattern tables. The detectors lean strict: a vague note passed as
actionable is the costly error, so anything doubtful counts as missing.

Standard library only, so the checker runs without Django (bench scripts, tests, workers).
Over 600 lines: the element detectors' pattern tables are one concept read together; they
are to be split by element, as triage was by concern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from notes import note_model
from queue_app.lanes import LANES, NOTE_ELEMENTS
from queue_app.lanes import required_elements as lanes_required

# The elements and the lanes' standards are the registry's (queue_app.lanes).
ELEMENTS = NOTE_ELEMENTS


def required_elements(lane: str) -> tuple[str, ...]:
    """Elements a note must hold for this lane; ValueError for an unknown lane."""
    if lane not in LANES:
        raise ValueError(f"unknown lane: {lane!r}")
    return lanes_required(lane)


@dataclass(frozen=True)
class NoteVerdict:
    label: str  # "actionable" | "vague"
    missing: tuple[str, ...]  # in ELEMENTS order, only elements required for the lane
    found: dict[str, str] = field(default_factory=dict)  # element -> words that satisfied it
    hints: dict[str, str] = field(default_factory=dict)  # element -> what to add
    # Missing elements the checker is not sure about: the note warns but may be saved.
    unsure: tuple[str, ...] = ()
    # Elements the item's own record supplied (a logged call, a sent message, an escalation).
    from_record: tuple[str, ...] = ()


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --- Normalization -------------------------------------------------------------------------
# Periods inside abbreviations would otherwise end a sentence ("Dr. Lin", "10 a. m.").
_NORMALIZE = (
    (re.compile(r"\b([apAP])\.\s?[mM]\.(?=\s+[A-ZÁÉÍÓÚÑ¿¡]|\s*$)"), r"\1m."),  # sentence end
    (_rx(r"\b([ap])\.\s?m\b\.?"), r"\1m"),
    (_rx(r"\b(Dr|Dra|Mr|Mrs|Ms|Sr|Sra|St|approx|vs|etc|Conf)\."), r"\1"),
    (re.compile(r"[\u2012-\u2015]"), " - "),
    (re.compile(r"[\u2018\u2019]"), "'"),
    (re.compile(r"[ \t]+"), " "),
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s*\|\s*")
_CLAUSE_END = re.compile(r"[,:()]|\s-\s|\s+/\s+")


def _normalize(text: str) -> str:
    for pattern, repl in _NORMALIZE:
        text = pattern.sub(repl, text)
    return text.strip()


def _sentences(text: str) -> list[str]:
    return [s.strip(" .!?;") for s in _SENTENCE_END.split(text) if s.strip(" .!?;")]


def _clauses(text: str) -> list[str]:
    return [c.strip() for s in _sentences(text) for c in _CLAUSE_END.split(s) if c.strip()]


# --- Shared time vocabulary ----------------------------------------------------------------
# Clock times as assistants type them: "2:15 PM", "14:30", "10a", "3pm", "a las 10".
_CLOCK = (
    r"(?:\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?(?:am|pm|a|p)\b)?"
    r"|\b(?:1[0-2]|0?[1-9])\s?(?:am|pm)\b|\b(?:1[0-2]|0?[1-9])[ap]\b"
    r"|\b(?:0\d|1\d|2[0-3])[0-5]\d\b(?!\s?(?:usd|d[óo]lares|pgs?|pages|days|d[ií]as))"
    r"|\bnoon\b|\bmediod[ií]a\b|\ba las \d{1,2}\b)"
)
# Calendar dates: "5/9", "5/9/25", "May 9", "9 de mayo".
_DATE = (
    r"(?:\b(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])(?:/\d{2,4})?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic)[a-z]*\b"
    r"|\b\d{1,2} de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre|octubre"
    r"|noviembre|diciembre)\b)"
)
# Short weekday forms only when capitalized, so "sat" or "sun" in prose don't count.
_WEEKDAY = (
    r"(?:\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes"
    r"|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\b"
    r"|\b(?-i:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b)"
)
# Relative days that still name one day or moment. "later", "this week", "soon" are left out
# on purpose, and "today" only counts with a clock time or part of the day.
_RELATIVE_DAY = (
    r"(?:\b(?:tomorrow|tmrw|tmr|tomorow|2morrow|tonight|eod|cob)\b"
    r"|\bthis (?:morning|afternoon|evening)\b|\bend of (?:the )?(?:day|business)\b"
    r"|\bpasado ma[ñn]ana\b|(?<!la )(?<!esta )(?<!de )\bma[ñn]ana\b"
    r"|\besta (?:tarde|noche)\b|\bthat (?:same )?(?:morning|afternoon|evening|day)\b"
    r"|\b(?:in|within|en) \d+\s?(?:min(?:ute)?s?|h|hrs?|hours?|d[ií]as|days|business days|horas)\b)"
)
_WHEN = _rx(f"{_CLOCK}|{_DATE}|{_WEEKDAY}|{_RELATIVE_DAY}")
_CLOCK_RX = _rx(_CLOCK)
# A date+time pinned to a visit ("for the 5/12 visit") is the appointment, not the follow-up.
# Tests and procedures are booked items too ("fasting before 5/5 labs").
_APPOINTMENT_AFTER = _rx(
    r"^\s*(?:\S+\s)?(?:appt|appointment|visit|vv|cita|consulta|labs?|lab work|bloodwork|blood draw"
    r"|mri|ct|scan|x-?ray|ultrasound|mammogram|colonoscopy|procedure|surgery|physical|estudios"
    r"|an[áa]lisis|cirug[íi]a)\b"
)

# --- request ------------------------------------------------------------------------------
# Need verbs name what the patient wants wherever they stand.
_NEED_VERB = _rx(
    r"\b(?:asked|asks|asking|requested|requests|requesting|wants|wanted|needs|needed|req'?d|reqs?"
    r"|would like|inquired|inquiring|wondering|wondered|questioned|disputes|disputed"
    r"|reported|reports|reporting|checking on|prefers|has questions?"
    r"|pidi[óo]|pregunt[óo]|preguntaba|quiere|quer[íi]a|necesita|necesitaba|solicit[óo]"
    r"|report[óo]|no sab[íi]a)\b"
)
# "asked pt to ..." is staff asking, not the patient's need.
_STAFF_ASKED = _rx(r"^\s*(?:the )?(?:pt|patient|her|him|them|paciente)\b")
_STAFF_SUBJECT = _rx(r"\b(?:i|we|staff|ma)\s+$")
# Weaker verbs only count right after the patient (or a family member) as subject.
_PATIENT_SAYS = _rx(
    r"\b(?:pt|patient|paciente|caller|mom|mother|dad|father|daughter|son|wife|husband|spouse"
    r"|guardian|parent|caregiver|she|he)(?:'s)?\s+(?:also\s+|just\s+|already\s+)?"
    r"(?:says|said|states|stated|mentioned|has no|had no|does not have|doesn'?t have"
    r"|(?:called|calling|messaged|wrote|left (?:a )?(?:vm|voicemail|message|msg))"
    r" (?:in |back )?(?:to|for|asking|about|re|regarding|that|saying)"
    r"|can'?t|cannot|couldn'?t|could not|unable|missed|no-?showed|forgot|sent|brought|bringing"
    r"|dropping off|dropping in|picking up|bringing in"
    r"|dropped off|changed|got|received|is moving|upset|angry|frustrated|irritated|annoyed"
    r"|unhappy|disappointed|confused|worried|concerned|not sure|unsure|complained|no longer"
    r"|yelled|upset|molest[oa]|enojad[oa]|frustrad[oa]|inconforme|preocupad[oa]"
    r"|didn'?t (?:know|receive|get)|never (?:got|received)|hasn'?t (?:received|heard|gotten)"
    r"|billed|charged|did|completed|submitted|paid|emailed|texted|faxed|uploaded|mailed"
    r"|cx'?d|cancell?ed|llam[óo]|dijo|mand[óo]|envi[óo]"
    r"|tiene|no puede|no pudo|cancel[óo]|falt[óo]"
    r"|(?:is |was )?running late|(?:is|was|will be) late|(?:had|has|having|reports?) (?:trouble"
    r"|issues?|problems?|difficulty)|is out of|ran out|lost|tuvo problemas?|no encontr[óo])\b"
)
_REQUEST_MARKERS = (
    # Explicit attribution: "per pt", "at pt's request".
    _rx(
        r"\bper (?:pt|patient|her|him|the patient|mom|dad|guardian)\b|\bat (?:the )?(?:pt|patient"
        r"|her|his)(?:'s)? request\b|\b(?:pt|patient)(?:'s)? request\b|\brequested by\b"
        r"|\bper (?:her |his |their |(?:the )?(?:pt|patient)'?s? )?request\b|\bas requested\b"
        r"|\ba (?:petici[óo]n|solicitud) de\b|\bseg[úu]n (?:el|la) paciente\b"
    ),
    # Why the contact happened: "re: bill", "VM about forms", "su recado era sobre".
    _rx(
        r"\bre:\s*\w|\bre\s(?=[a-z])"
        r"|\b(?:call|called|calling|vm|voicemail|message|msg|question|inquiry|recado|mensaje"
        r"|llamada|llam[óo])\b[^.;]{0,25}?\b(?:about|regarding|concerning|sobre|acerca de)\b"
    ),
    # The patient's own question or concern named as such.
    _rx(
        r"\b(?:pt|patient|paciente)(?:'s)? (?:question|concern|issue|problem|request)\b"
        r"|\b(?:por|sobre) su (?:pregunta|duda|consulta|recado|mensaje|solicitud)\b"
    ),
    # Missed calls with no stated reason still document the request.
    _rx(
        r"\breason\b[^.;]{0,15}?\b(?:not|wasn'?t|isn'?t) (?:stated|given|left|specified|clear)"
        r"|\bno reason (?:given|stated|left)"
        r"|\bdid(?: not|n'?t) (?:say|state|leave) (?:why|a reason)|\breason unknown"
        r"|\bsin (?:indicar )?motivo|\bno (?:dej[óo]|indic[óo]|dijo) (?:el )?motivo"
    ),
    # No-show outreach is its own reason.
    _rx(
        r"\bno[- ]?show(?:ed)?\b|\bmissed (?:her |his |the |their )?(?:\d{1,2}/\d{1,2}\b|appt"
        r"|appointment|visit|vv|follow)|\bdid(?: not|n'?t) (?:show|attend|come)\b|\bdnka\b"
        r"|\bfalt[óo] a\b|\bno (?:se present[óo]|asisti[óo]|lleg[óo])\b|\binasistencia\b"
    ),
    # Problem statements: "intake incomplete", "invalid link", "video froze".
    _rx(
        r"\bincomplete\b|\boutstanding\b|\bstill missing\b|\binvalid\b|\bexpired link\b"
        r"|\bfroze\b|\bfrozen\b|\berror\b|\bnot (?:working|loading)\b|\bwon'?t (?:load|work|open)"
        r"|\b(?:call|video|visit|vv|pt|patient) (?:got |was )?dropped\b|\blocked out\b"
        r"|\bstuck\b|\bwaiting room\b|\bblack screen\b|\bkicked (?:out|off)\b"
        r"|\b(?:audio|video|sound|mic|camera|link|app|connection) (?:failed|cut out|cutting out"
        r"|garbled|lagg\w+|dropped|died)\b"
        r"|\bnever joined\b|(?-i:\bNS\b)|\b(?:does|did)(?:n'?t| not) (?:work|load|open|connect)\b"
        r"|\b(?:couldn'?t|can'?t|could not|cannot|unable to) (?:hear|see|join|connect|log|access"
        r"|find|get|open)\b|\bno (?:audio|video|sound)\b|\bincomplet[oa]\b|\bno pod[íi]a\b"
    ),
)


def _find_request(text: str) -> str | None:
    for match in _NEED_VERB.finditer(text):
        before = text[max(0, match.start() - 6) : match.start()]
        if _STAFF_SUBJECT.search(before):
            continue
        if match.group(0).lower().startswith("ask") and _STAFF_ASKED.match(text[match.end() :]):
            continue
        return match.group(0)
    for pattern in (_PATIENT_SAYS, *_REQUEST_MARKERS):
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


# --- verified_details ---------------------------------------------------------------------
_VERIFIED_PATTERNS = (
    # Identity checks: "DOB verified", "identity confirmed", "guardian on file", "pt verified".
    _rx(
        r"\b(?:dob|date of birth|birth ?date|identity|id|identifiers?|name|guardian|proxy|poa"
        r"|phone|number|address|member id"
        r"|authori[sz]ation|hipaa|release|roi)\b[^.;]{0,25}?\b(?:verified|confirmed|checked"
        r"|validated|matched|matches|on file|in chart|ok|okay|correct|vfd|vf'?d|verif'?d|vrfd"
        r"|conf'?d)\b"
    ),
    _rx(
        r"\b(?:dob|fn|fdn|ins|insurance|addr|address|id)\b(?:\s?[/+&,]\s?\w+){0,3}\s?(?:vfd"
        r"|vf'?d|verif'?d|verified|verificad[ao]s?|confirmad[ao]s?)\b"
    ),
    _rx(
        r"\b(?:verified|confirmed|checked|validated)\b[^.;]{0,15}?\b(?:dob|identity|id|date of"
        r" birth|name|identifiers?)\b|\b(?:pt|patient|caller) (?:verified|identified|id'?d)\b"
        r"|\b(?:verified|identified) (?:the )?(?:pt|patient|caller)\b"
        r"|\bid'?d\b|\b(?:dob|identity|id|name)\s?(?:✓|✔|\(v\)|v'?d|verif'?d)"
    ),
    _rx(
        r"\b(?:identidad|fecha de nacimiento|fdn|fn|tutor[a]?|identificaci[óo]n|direcci[óo]n)\b"
        r"[^.;]{0,25}?"
        r"\b(?:confirmad[ao]|verificad[ao]|validad[ao]|en el expediente|registrad[ao])\b"
        r"|\b(?:verific[óo]|confirm[óo]|verifiqu[ée]|confirm[ée]|valid[óo])\b[^.;]{0,20}?"
        r"\b(?:identidad|fecha de nacimiento|fdn)\b|\bcon fecha de nacimiento\b"
    ),
    # Claim, case, auth or confirmation numbers; amounts; phone numbers.
    _rx(
        r"#\s?[a-z]{0,3}-?\d{3,}|\b(?:claim|case|auth(?:orization)?|confirmation|conf|ref"
        r"|reference|member id|policy|ticket|order|invoice|acct|account|tracking)\s?(?:#|no"
        r"|number|num)?\s?:?\s?[a-z]{0,3}-?\d{3,}\b"
    ),
    _rx(r"\$\s?\d|\b\d+(?:\.\d\d)? (?:d[óo]lares|usd)\b|\b\d{3}[-.]\d{4}\b"),
    # Callback preferences: "prefers callback after 3", "best number".
    _rx(
        r"\b(?:prefers?|preferred|best (?:time|number)|prefiere|mejor hora)\b"
        r"|\bcall(?:back)? (?:after|before|between) \d"
    ),
    # Status of a required document: "release signed", "card still missing", "card on file".
    _rx(
        r"\b(?:release|roi|forms?|card|consent|orders?|results?|report|packet|intake|paperwork|documents?|docs|eob"
        r"|letter|fmla|application|coverage|insurance|ins|policy|tarjeta|formulario|cobertura"
        r"|consentimiento|p[óo]liza|seguro)\b[^.;]{0,30}?\b(?:signed|e-?signed|received"
        r"|on file|in chart|missing|incomplete|complete|completed|uploaded|approved|denied"
        r"|active|inactive|expired|verified|scanned|not (?:yet )?(?:received|signed|on file)"
        r"|posted|resulted|not yet resulted|pending"
        r"|firmad[ao]|recibid[ao]|activ[ao]|vigente|capturad[ao]|en el expediente"
        r"|aprobad[ao]|incomplet[ao]|completad[ao])\b"
    ),
    # A named receiving office: "Lakeside Cardiology", "Valley Imaging".
    re.compile(
        r"\bDr\.? [A-Z][a-z]+(?:'s?)? (?:office|clinic|practice)\b"
        r"|\b[A-Z][A-Za-z'&]+(?: [A-Z][A-Za-z'&]+)* (?:Cardiology|Orthopa?edics|Imaging"
        r"|Radiology|Clinic|Medical|Family Care|Family Medicine|Health|Hospital|Care|Center"
        r"|Labs?|Dermatology|Pharmacy|Physical Therapy|Associates|Specialists|Group|Oncology"
        r"|Neurology|Pediatrics|Urgent Care)\b"
    ),
)
# An appointment counts when it has both a date and a clock time close together.
_DATE_THEN_TIME = _rx(f"{_DATE}(?:[^.;]{{0,20}}?){_CLOCK}")


# A date and time stamped on a call, text or next step is not a detail of the item.
_CONTACT_STAMP_BEFORE = _rx(
    r"\b(?:called|call|texted|text|sms|sent|lvm|vm|voicemail|attempt|outreach|tried|retry|try"
    r"|next|will|'ll|reminder|llam\w+|intento)\b[^.;]{0,20}$"
)


def _find_verified(text: str) -> str | None:
    for pattern in _VERIFIED_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    for match in _DATE_THEN_TIME.finditer(text):
        if not _CONTACT_STAMP_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            return match.group(0)
    return None


# --- action_taken -------------------------------------------------------------------------
# Completed staff steps. Contact alone ("called", "LVM", "spoke") is left out on purpose.
_ACTION_VERB = _rx(
    r"\b(?:booked|scheduled|sched'?d|rescheduled|r/s|moved|rebooked|cancell?ed|removed|added"
    r"|made (?:an |the )?appt|set up|resent|re-sent|sent|emailed|mailed|faxed|refaxed|texted"
    r"|submitted|resubmitted|uploaded|posted|updated|entered|changed|corrected|fixed|reset"
    r"|unlocked|linked|relinked|attached|scanned|printed|handed|gave|given|provided|shared"
    r"|told|informed|advised|explained|walked|reviewed|read|routed|forwarded|escalated"
    r"|messaged|notified|paged|transferred|logged|filed|placed|processed|applied|waived"
    r"|voided|refunded|adjusted|captured|activated|reconnected|troubleshot|helped|assisted"
    r"|guided|relayed|flagged|tasked|documented|issued|generated|created|requested records"
    r"|pinged|alerted|looped in"
    r"|(?:interpreter|transport\w*|records|auth\w*) requested (?:via|through|from|with)"
    r"|requested auth\w*|confirmed (?:the |her |his )?(?:appt|appointment|visit|time|date|receipt)"
    r"|(?:appt|appointment|visit) confirmed|text with|link (?:re)?sent|went (?:out |over )?to"
    r"|cx'?d|cxl'?d|canc'?d"
    r"|(?:completed|finished|filled out|went through) [^.;]{0,25}?(?:with (?:me|pt|patient|her"
    r"|him)|(?:over|on) the phone)"
    r"|checked (?:the )?(?:status|payer|portal|chart|with|eligibility|benefits|coverage)"
    r"|new (?:appt|appointment|time|date|slot)"
    r"|opened (?:a |an |the )?(?:[\w-]+ ){0,2}?(?:case|ticket|claim|request|inquiry|dispute|review)"
    r"|case [\w-]+ opened|marked (?:as )?(?:a )?(?:no-?show|complete|completed|done|received|paid)"
    r"|marked in (?:the )?chart"
    r"|left (?:it |them |the \w+ )?(?:at|with|in) (?:the )?(?:front desk|reception|portal|chart"
    r"|mailbox|pickup)|switched|converted|drafted|prepared|sched"
    # a step said as its outcome: "Confirmed Thu 3/13 8 AM", "payment taken", "held pending RN"
    r"|confirmed|quoted|(?:payment|pmt|copay) (?:taken|collected|received)|took (?:a |the )?payment"
    r"|held (?:pending|for)|on hold pending|done the"
    r")\b"
)
_ACTION_VERB_ES = _rx(
    r"\b(?:(?:se )?(?:le )?(?:reagend[óo]|reprogram[óo]|agend[óo]|cancel[óo]|envi[óo]|mand[óo]"
    r"|reenvi[óo]|dio|explic[óo]|inform[óo]|actualiz[óo]|captur[óo]|registr[óo]|pas[óo]"
    r"|indic[óo]|subi[óo]|cambi[óo]|program[óo]|elimin[óo]|ajust[óo]|canaliz[óo]|turn[óo]"
    r"|orient[óo]|ayud[óo]|ley[óo]|confirm[óo] la cita|movi[óo]|hizo|reserv[óo]|fij[óo])"
    # passive plural: "se subieron al portal", "se enviaron los estudios"
    r"|se (?:le |les )?(?:subieron|enviaron|mandaron|movieron|cancelaron|actualizaron|reagendaron"
    r"|agendaron|reenviaron|faxearon|entregaron|imprimieron)"
    r"|reagend[ée]|agend[ée]|cancel[ée]|envi[ée]|mand[ée]|reenvi[ée]|expliqu[ée]|inform[ée]"
    r"|actualic[ée]|captur[ée]|registr[ée]|pas[ée]|indiqu[ée]|sub[íi]|cambi[ée]|program[ée]"
    r"|(?:reagendad|reprogramad|agendad|cancelad|enviad|reenviad|actualizad|capturad"
    r"|registrad|cambiad)[oa]s?|qued[óo] (?:para )?el"
    # a new slot named as the outcome: "Nueva cita 3/10 a las 9"
    r"|nuev[oa] (?:cita|fecha|horario|hora))\b"
)
# Intentions and negations are not steps taken: "will send", "unable to fax".
_NOT_DONE_BEFORE = _rx(
    r"(?:\b(?:will|'ll|to|going to|plan to|need to|needs to|should|can|could|would|please|pls"
    r"|not|unable to|couldn'?t|didn'?t|va a|voy a|hay que|para)\s+(?:be\s+)?|n't\s+)$"
)
# The patient doing it ("pt sent a photo") is not a staff step; "pt informed" is passive and
# "she finished it on the phone with me" was done together.
_PATIENT_BEFORE = _rx(r"\b(?:pt|patient|she|he|they|caller|paciente)\s+(?:already\s+|also\s+)?$")
_PASSIVE_OK = _rx(r"^(?:informed|advised|notified|told|given)$|(?:with me|the phone)$")


# The patient's wish ("pt wants her imaging sent to X") names the request, not a step taken.
_WISHED_BEFORE = _rx(
    r"\b(?:wants?|wanted|needs?|needed|would like|asked (?:for|to have)|requested|quiere"
    r"|necesita|pidi[óo] que)\s+(?:[\w'-]+\s+){0,3}$"
)


def _find_action(text: str) -> str | None:
    for pattern in (_ACTION_VERB, _ACTION_VERB_ES):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 16) : match.start()]
            if _NOT_DONE_BEFORE.search(before):
                continue
            if _WISHED_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            if _PATIENT_BEFORE.search(before) and not _PASSIVE_OK.search(match.group(0)):
                continue
            return match.group(0)
    return None


# --- promised_follow_up -------------------------------------------------------------------
# Words that announce what happens next. Bare "scheduled" or "f/u" are left out: they usually
# name a booked visit ("scheduled 8/5", "booked 3-mo f/u 6/30"), not the next step.
_NEXT_STEP = _rx(
    r"(?:\bwill|'ll)(?!\s(?:be\s(?!(?:called|contacted|sent|texted|reminded|notified|rechecked)"
    r"\b)|arrive|come|bring|attend|see|need|have)\b)"
    r"|\b(?:second|2nd|third|3rd|another|final|last) (?:attempt|try|call|outreach|reminder|text)"
    r"|\bnext (?:[\w-]+ )?(?:attempt|try|call|outreach)"
    r"|\b(?:shall|going to|plan(?:ned|s)? to|planned|next (?:try|attempt|call|step|check"
    r"|contact|reminder)|call back|check back"
    r"|retry|re-?try|try(?:ing)? again|call(?:ing)? (?:back )?again|re-?check"
    r"|re-?verify|(?:follow[- ]?up|f/u) (?:call|check|on|with)|expect(?:ed|s)?|due(?! to)"
    r"|(?:attempt|call|callback|check|reminder) (?:scheduled|set|planned|booked)"
    r"|to (?:call|check|confirm|verify|text|send|follow|recheck|review)"
    r"|reminder(?: call| text| sms| msg)? (?:planned|set|on|for|goes out|going out)"
    r"|reminder(?: call| text| sms| msg)?(?= \d)"
    r"|(?:se )?(?:vuelve|volver[áa]|vuelvo|volver[ée]) a (?:intentar|llamar|marcar|revisar)"
    r"|pr[óo]ximo intento|siguiente intento|nuevo intento|recordatorio|va a|voy a"
    r"|(?:intent[oa]|llamo|marco|reviso) (?:de nuevo|otra vez)"
    # Spanish present tense used as a promise: "Llamo a la clínica el 2/9", "le confirmo el lunes".
    # Only sentence-first or after "le/les/yo": "la paciente llamo a las 9" is past, unaccented.
    r"|(?:^|(?<=\ble )|(?<=\bles )|(?<=\byo ))(?:llamo|reviso|confirmo|marco|verifico|aviso|checo"
    r"|escribo)"
    r"|(?!(?:ser|estar)[áé]n?\b)\w+(?:ar|er|ir)[áé]n?)\b|\b(?:plan|next|f/u|follow[- ]?up)\s?:"
)
_BY_WHEN = _rx(f"\\b(?:by|before|para|antes del?)\\s+(?:the |el )?(?:end of )?(?:{_WHEN.pattern})")
_CLOSURE_CLAUSE = _rx(
    r"^(?:(?:this|it|(?:the )?(?:item|issue|matter|request|task|ticket|case|question|problem)"
    r"|everything|all"
    r"|asunto|caso|tema)\s+(?:is\s+|now\s+|fully\s+)?)?(?:closed|closing|close|done|complete"
    r"|completed|resolved|finished|all set|listo|cerrad[oa]|resuelto|terminado|completad[oa]"
    r"|se resolvi[óo]|qued[óo] resuelto)"
    r"(?:\s+(?:on|in|during) (?:this|the|that) call|\s+now|\s+today|\s+for now"
    r"|\s+(?:the )?(?:item|ticket|task|case|loop|en la llamada))?$"
)
_CLOSURE_PHRASE = _rx(
    r"\bno (?:further|more|other|additional) (?:action|attempts?|steps?|calls?|follow[- ]?ups?"
    r"|f/u|outreach|contact)\b|\bnothing (?:further|pending|outstanding|left|else (?:needed"
    r"|pending|to do|required)|more (?:needed|to do))\b|\bno (?:f/u|follow[- ]?up) (?:needed"
    r"|required)\b|\bno (?:pending|open) (?:items?|tasks?|actions?)\b|\bsin pendientes\b"
    r"|\bno (?:hay|quedan) (?:m[áa]s )?pendientes\b|\bnada (?:m[áa]s )?pendiente\b"
    r"|\bno se (?:requiere|necesita) (?:nada )?(?:m[áa]s|otr[ao])\b"
    r"|\bnothing (?:else )?(?:needed|required)\b|\bno (?:further|more|other) (?:\w+ )?needed\b"
    r"|\bno (?:requiere|necesita) (?:m[áa]s )?seguimiento\b|\bcaso cerrado\b"
)


def _first_when(text: str, pattern: re.Pattern[str] = _WHEN) -> re.Match[str] | None:
    """The first day or time in `text` that isn't an appointment's ("before the 5/12 visit")."""
    for match in pattern.finditer(text):
        if not _APPOINTMENT_AFTER.match(text[match.end() :]):
            return match
    return None


def _find_follow_up(text: str) -> str | None:
    for clause in _clauses(text):
        if _CLOSURE_CLAUSE.match(clause):
            return clause
    closure = _CLOSURE_PHRASE.search(text) or _first_when(text, _BY_WHEN)
    if closure:
        return closure.group(0)
    for sentence in _sentences(text):
        for cue in _NEXT_STEP.finditer(sentence):
            # The day usually follows the cue; a day before it must share the cue's clause.
            when = _first_when(sentence[cue.start() : cue.start() + 70])
            if when is None:
                clause = next((c for c in _clauses(sentence) if cue.group(0) in c), "")
                when = _first_when(clause)
            if when:
                return f"{cue.group(0)} … {when.group(0)}"
    return None


# --- contact_attempt ----------------------------------------------------------------------
_ATTEMPT_WORD = _rx(
    r"\b(?:call(?:ed)?|callback|call-?back|return(?:ed)?|tried|attempt(?:ed)?|outreach|reached"
    r"|spoke|lvm|lm|vm left|left (?:a )?(?:vm|voicemail|message|msg)|text(?:ed)?|sms|dialed"
    r"|cb|c/b|cb'd"
    r"|phoned|no answer|no pickup|unanswered|rang|llam\w+|marqu[ée]|contest[óo]|intent[ée]"
    r"|intento)\b"
)
# Times introduced by these belong to the next attempt or to the missed visit.
_NOT_ATTEMPT_TIME = _rx(
    r"(?:\b(?:by|missed|no-?show(?:ed)?|for"
    r"|appt|appointment|visit|booked|rebooked|moved|rescheduled|scheduled|new|ma[ñn]ana"
    r"|vuelve|pr[óo]ximo|para|del|cita|agend\w+|reagend\w+)\b[^.;,]{0,12}"
    # a promised call ("vuelvo a llamar el jueves a las 11") is not the attempt made
    r"|\b(?:again|next|retry|will|'ll|tomorrow|tmrw|planned|vuelvo|volver\w*|siguiente"
    r"|nuevo intento|de nuevo|otra vez)\b"
    r"[^.;,]{0,25})$"
)
_OUTCOME_PATTERNS = (
    # Voicemail or message left by staff (the patient's own VM doesn't count).
    _rx(
        r"\b(?:lvm|lm|lmom|lmtcb|(?:vm|voicemail|vmail|message|msg|mensaje|recado) left"
        r"|left (?:a |an |my |our )?(?:[\w-]+ ){0,2}?(?:vm|voicemail|vmail|message|msg"
        r"|hours|info|information|details|instructions|callback number"
        r"|(?:callback|call back|cb) (?:#|number|no))"
        r"|(?:dej[ée]|se dej[óo]|se le dej[óo]) (?:un )?(?:mensaje|recado|buz[óo]n))(?!\w)"
    ),
    # Reached the patient.
    _rx(
        r"\b(?:reached|spoke (?:with|to|w/)|talked (?:to|with|w/)|answered|picked up"
        r"|connected with|contest[óo]|se habl[óo] con|habl[ée] con|se localiz[óo])(?!\w)"
    ),
    # Text or other written contact sent instead.
    _rx(
        r"\b(?:texted|text (?:sent|msg|message|with)|sms(?: sent)?"
        r"|sent (?:a |an )?(?:[\w-]+ )?(?:text|sms"
        r"|portal (?:message|msg)|email|letter)|(?:portal message|email|letter) sent"
        r"|(?:se le |le )?(?:mand[óoé]|envi[óoé]) (?:un )?(?:sms|mensaje de texto|texto|correo))\b"
    ),
)
# "no one answered", "not reached" are not outcomes; "pt left VM" is the patient's message.
_NOT_OUTCOME_BEFORE = _rx(
    r"(?:\b(?:not|no one|nobody|n't|never|unable to|couldn'?t|could not|didn'?t)\s+(?:\w+\s+)?"
    r"|\bno\s+)$"  # "no contestó" is no answer, not a reached patient
)
_PATIENT_LEFT_BEFORE = _rx(r"\b(?:pt|patient|she|he|caller|paciente)(?:'s)?\s+(?:\w+\s+)?$")


def _attempt_time(text: str) -> str | None:
    for sentence in _sentences(text):
        for clock in _CLOCK_RX.finditer(sentence):
            before = sentence[max(0, clock.start() - 40) : clock.start()]
            after = sentence[clock.end() : clock.end() + 25]
            if _NOT_ATTEMPT_TIME.search(before):
                continue
            if _ATTEMPT_WORD.search(before) or _ATTEMPT_WORD.search(after):
                return clock.group(0)
    return None


def _attempt_outcome(text: str) -> str | None:
    for index, pattern in enumerate(_OUTCOME_PATTERNS):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 20) : match.start()]
            if _NOT_OUTCOME_BEFORE.search(before):
                continue
            if index == 0 and _PATIENT_LEFT_BEFORE.search(before):
                continue
            return match.group(0)
    return None


def _find_contact_attempt(text: str) -> str | None:
    when, outcome = _attempt_time(text), _attempt_outcome(text)
    return f"{when} … {outcome}" if when and outcome else None


# --- escalation_status --------------------------------------------------------------------
# An explicit "nothing clinical" style statement.
_NO_ESCALATION = (
    _rx(
        r"\b(?:no|nothing|none|not any|without|denies|denied|raised nothing|mentioned nothing"
        r"|asked nothing|n/?a|did(?: not|n'?t) (?:raise|mention|ask|report|voice|have|bring up"
        r"|express))\b[^.;,]{0,25}?"
        r"\b(?:clinical|clinically|clin|medical|symptoms?|sx|escalat\w*|triage|urgent|red[- ]flags?"
        r"|interpretation|complaints?|med(?:ication)?s? (?:questions?|q'?s|concerns?|issues?)"
        r"|health(?:[- ]related)? (?:questions?|concerns?|issues?))\b"
    ),
    _rx(
        r"\b(?:escalation|esc|escal)\s?(?::|-|=)?\s?(?:none|n/?a|not (?:needed|required|indicated)"
        r"|no)\b"
        r"|\b(?:not|non)[- ]clinical\b|\b(?:purely|strictly|all|only) admin(?:istrative)?\b"
        r"|\badmin(?:istrative)? only\b"
    ),
    _rx(
        r"\b(?:nada|sin|ning[úu]n[ao]?|no|ni)\b[^.;,]{0,25}?\b(?:cl[íi]nic[oa]s?|m[ée]dic[oa]s?"
        r"|s[íi]ntomas?|escal\w*|urgen\w*|triaje|quejas?|salud|enfermer[íi]a)"
    ),
)
_ROUTE_VERB = (
    r"(?:routed|sent|forwarded|escalated|passed|transferred|handed(?: off)?|messaged|msg'?d"
    r"|notified|paged|tasked|flagged|referred|message|msg|task|(?:se )?(?:le )?(?:pas[óoé]"
    r"|envi[óoé]|mand[óoé]|turn[óoé]|canaliz[óoé]|escal[óoé]|notific[óoé]|avis[óoé]))"
)
# Routing to the clinical team is always an explicit escalation.
_TO_TARGET = r"(?:[^.;]{0,30}?\b(?:to|for|with|w/|a|al|a la)\s)?(?:[^\s.;]+\s){0,2}?"
# "RN visit", "Dr. Kim appt" name a booking, not a route.
_NOT_BOOKING = r"(?!\s(?:visit|appt|appointment|vv|cita|consulta)\b)"
_ROUTE_CLINICAL = _rx(
    rf"\b{_ROUTE_VERB}\s{_TO_TARGET}(?:rn|rns|nurse|nurses|nursing|triage|clinical (?:team"
    rf"|staff|pool|inbox)|on-?call|enfermer\w*|triaje)\b{_NOT_BOOKING}"
    r"|\b(?:rn|nurse|triage|enfermer[oa])\b[^.;]{0,15}?\b(?:notified|aware|messaged|paged"
    r"|alerted|avisad[oa]|notificad[oa])\b"
    r"|\b(?:rn|nurse|triage|nursing)\s(?:message|msg|task|note|referral)\s(?:sent|routed|created"
    r"|placed|entered)\b"
    r"|\b(?:told|advised|directed|instructed|sent|indic\w+)\b[^.;]{0,25}?\b(?:911|er|ed"
    r"|emergency|urgent care|urgencias)\b|\bcall(?:ed)? 911\b|\bllamar al 911\b"
)
# Routing to a provider only counts when the note names a clinical matter to route.
_ROUTE_PROVIDER = _rx(
    rf"\b{_ROUTE_VERB}\s{_TO_TARGET}(?:provider|pcp|md|doctor|dr|dra|physician"
    rf"|m[ée]dic[oa])\b{_NOT_BOOKING}"
)
_ROUTE_COMPLAINT = _rx(
    r"\b(?:complaint|grievance|concern|feedback|queja|reclamo|inconformidad)\b[^.;]{0,40}?"
    r"\b(?:logged|entered|filed|documented|submitted|routed|sent|forwarded|escalated|passed"
    r"|recorded|registrad[ao]|envi\w+|pas\w+|turnad[ao]|levantad[ao])\b"
    r"|\b(?:logged|entered|filed|documented|submitted|opened|registr\w+|levant\w+)\b[^.;]{0,20}?"
    r"\b(?:complaint|grievance|queja|reclamo)\b"
    rf"|\b{_ROUTE_VERB}\s{_TO_TARGET}(?:manager|supervisor|patient relations|service recovery"
    r"|patient advocate|practice administrator|gerente|supervisora?)\b"
    r"|\b(?:manager|supervisor|gerente)\b[^.;]{0,15}?\b(?:notified|aware|informed|avisad[oa])\b"
)
# Symptoms, medication needs and red flags: mentioning one means it must have been routed.
# Colds and flu given as a reason to move a visit are passing mentions and stay out.
_CLINICAL_FLAG = _rx(
    r"\b(?:chest (?:pain|pressure|tightness)|short(?:ness)? of breath|sob|(?:trouble|difficulty)"
    r" breathing|can'?t breathe|breathless|bleeding|faint(?:ed|ing)?|passed out|seizure|stroke"
    r"|slurred|numb(?:ness)?|suicid\w*|self[- ]harm|overdose|allergic reaction|swelling|swollen"
    r"|fever|vomit\w*|throwing up|nausea|diarrhea|dizz\w+|lightheaded|pain|painful|aches?"
    r"|aching|hurts?|headache|migraine|rash|hives|infect\w+|worse|worsening|severe|side effects?"
    r"|refills?|dose|dosage|prescription|rx|med(?:ication)?s? (?:question|change|issue|problem)"
    r"|cough\w*|sore throat|new symptoms?|symptoms?|fell(?! through)|a fall|injur\w+|confus\w+"
    r"|abnormal"
    r"|dolor|pecho|falta de aire|sangr\w+|desmay\w+|convulsi\w+|fiebre|v[óo]mit\w+|mareo\w*"
    r"|n[áa]useas?|sarpullido|ronchas|hinchaz[óo]n|hinchad[oa]|empeor\w+|peor|efectos? secundarios?"
    r"|resurtido|receta|medicamentos?|dosis|tos|s[íi]ntomas?|suicid\w+"
    # Named medications: any question about one needs clinical staff.
    r"|insulin|insulina|metformin\w*|warfarin|coumadin|eliquis|xarelto|ozempic|wegovy"
    r"|blood thinners?|anticoagul\w+|antibiotics?|antibi[óo]ticos?|inhaler|inhalador|prednisone"
    r"|gabapentin|oxycodone|opioids?|adderall|birth control|anticonceptiv\w+"
    r"|\w+(?:pril|olol|statin|sartan|dipine|prazole|cillin|mycin|oxetine|azepam|tidine))\b"
)
_UPSET_FLAG = _rx(
    r"\b(?:(?<!stomach )(?<!tummy )upset(?! stomach| tummy)|angry|mad|frustrated|frustration"
    r"|furious|irate|annoyed|unhappy|dissatisfied"
    r"|irritated|disappointed|not happy|fed up|livid|outraged|disgusted"
    r"|displeased|complain\w*|rude|yell\w*|cursing|threaten\w*|(?:wants|demanded|asked for)"
    r" (?:a |the |to speak to (?:a |the )?)?(?:manager|supervisor|refund)|molest[oa]|enojad[oa]"
    r"|enfadad[oa]|frustrad[oa]|inconforme|queja\w*|furios[oa]|grosero)\b"
)
_NEGATED_BEFORE = _rx(
    r"\b(?:no|not|denies|denied|without|sin|niega|nothing|never|ning[úu]n[ao]?|free of|nada|ni)\b"
    r"[^.;,]{0,25}$"
)


def _flag(pattern: re.Pattern[str], text: str) -> str | None:
    """First mention of a flag word that is not negated ("no new symptoms", "not upset")."""
    for match in pattern.finditer(text):
        if not _NEGATED_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            return match.group(0)
    return None


# A provider route covers the clinical matter only when its sentence names it or points at it
# ("sent the question to Dr. Park"); "labs sent to Dr. Park for review" routes a result.
_ROUTED_MATTER = _rx(
    r"\b(?:questions?|concerns?|symptoms?|issues?|complaints?|request|it|this|that|them|pregunta"
    r"|s[íi]ntomas?|consulta|mensaje del paciente)\b"
)


def _provider_route(text: str) -> re.Match[str] | None:
    for sentence in _sentences(text):
        route = _ROUTE_PROVIDER.search(sentence)
        if route and (_flag(_CLINICAL_FLAG, sentence) or _ROUTED_MATTER.search(sentence)):
            return route
    return None


def _find_escalation(text: str) -> str | None:
    clinical, upset = _flag(_CLINICAL_FLAG, text), _flag(_UPSET_FLAG, text)
    clinical_route = _ROUTE_CLINICAL.search(text) or (clinical and _provider_route(text))
    complaint_route = _ROUTE_COMPLAINT.search(text)
    if clinical and not clinical_route:
        return None
    if upset and not complaint_route:
        return None
    statement = clinical_route or complaint_route
    if statement is None:
        statement = next((m for p in _NO_ESCALATION if (m := p.search(text))), None)
    return statement.group(0) if statement else None


# --- Hints --------------------------------------------------------------------------------
_HINTS = {
    "en": {
        "request": "Say what the patient needed or why the contact happened, e.g. 'pt asked to"
        " move her 5/12 visit' or, for a missed call, 'reason not stated'.",
        "verified_details": "Record what you checked: 'DOB verified' and/or the concrete"
        " details (date and time, claim or auth #, amount, receiving office, document status).",
        "action_taken": "Say what you actually did, e.g. 'moved to 5/19 2 PM', 'link resent',"
        " 'faxed to Lakeside'. Calling or 'will send' is not a step taken.",
        "promised_follow_up": "Add what happens next and when, e.g. 'next attempt tomorrow"
        " 10 AM', 'I'll check Thu', or close it: 'no further action needed'.",
        "contact_attempt": "Give the attempt time and its outcome, e.g. 'called 2:15 PM, no"
        " answer, VM left' or 'mailbox full, SMS sent'.",
        "escalation_status": "Say whether anything clinical or a complaint came up and where it"
        " went, e.g. 'no clinical questions' or 'symptom question routed to RN 2:15 PM'.",
    },
    "es": {
        "request": "Indique qué necesitaba el paciente o el motivo del contacto, p. ej. 'pidió"
        " cambiar su cita del 5/12' o, si fue una llamada perdida, 'no indicó motivo'.",
        "verified_details": "Anote lo que verificó: 'se verificó fecha de nacimiento' y/o los"
        " datos concretos (fecha y hora, número de reclamo o autorización, monto, oficina).",
        "action_taken": "Indique qué hizo, p. ej. 'se reagendó al 5/19 a las 2 p. m.', 'se"
        " reenvió el enlace'. Llamar o 'voy a enviar' no cuenta como acción.",
        "promised_follow_up": "Agregue qué sigue y cuándo, p. ej. 'próximo intento mañana a las"
        " 10', o ciérrelo: 'sin pendientes'.",
        "contact_attempt": "Indique la hora del intento y el resultado, p. ej. 'llamé a las"
        " 2:15 p. m., no contestó, dejé mensaje de voz' o 'buzón lleno, se mandó SMS'.",
        "escalation_status": "Diga si surgió algo clínico o una queja y a dónde se envió, p. ej."
        " 'sin preguntas clínicas' o 'pregunta de síntomas enviada a enfermería 2:15 p. m.'.",
    },
}
_MISSED_CALL_HINTS = {
    "en": {
        "contact_attempt": "Give the callback time and the voicemail status, e.g. 'returned"
        " call 2:15 PM, no answer, VM left' or 'mailbox full, SMS sent'.",
        "promised_follow_up": "Give the next attempt's timing, e.g. 'next try tomorrow 10 AM',"
        " or say 'reached pt, no further attempts needed'.",
    },
    "es": {
        "contact_attempt": "Indique la hora de la llamada y si dejó mensaje, p. ej. 'llamé a"
        " las 2:15 p. m., dejé mensaje de voz' o 'buzón lleno, se mandó SMS'.",
        "promised_follow_up": "Indique cuándo es el próximo intento, p. ej. 'próximo intento"
        " mañana a las 10', o 'se habló con el paciente, no se requiere otra llamada'.",
    },
}

_DETECTORS: dict[str, Callable[[str], str | None]] = {
    "request": _find_request,
    "verified_details": _find_verified,
    "action_taken": _find_action,
    "promised_follow_up": _find_follow_up,
    "contact_attempt": _find_contact_attempt,
    "escalation_status": _find_escalation,
}


def _hint(element: str, lane: str, language: str) -> str:
    lang = "es" if language.lower().startswith("es") else "en"
    if lane == "missed_call_callback" and element in _MISSED_CALL_HINTS[lang]:
        return _MISSED_CALL_HINTS[lang][element]
    return _HINTS[lang][element]


def rule_evidence(text: str) -> dict[str, str]:
    """What the rule detectors found for every element, whatever the lane requires."""
    normalized = _normalize(text or "")
    found = {}
    for element, detector in _DETECTORS.items():
        evidence = detector(normalized)
        if evidence:
            found[element] = evidence
    return found


# A templated note's field left empty says the element is absent: "Action: / Next: ...",
# "Reason: N/A". The escalation field is left out: "Esc: none" and "Esc: N/A" state a status.
_TEMPLATE_FIELDS = {
    "request": r"reason|request|motivo|raz[óo]n",
    "verified_details": r"verified|verification|verif|id|identity|verificado|verificaci[óo]n",
    "action_taken": r"action(?: taken)?|actions|done|acci[óo]n|hecho",
    "promised_follow_up": r"next(?: step)?|follow[- ]?up|f/u|plan|seguimiento|siguiente",
    "contact_attempt": r"contact|attempt|attempts|intento|contacto",
}
_EMPTY_FIELD = {
    element: re.compile(
        rf"(?:^|\n|\s/\s|\|)\s*(?:{names})\s*:\s*(?:n/?a|none given|-+|\?+|tbd)?\s*(?=$|\n|/\s|\|)",
        re.IGNORECASE,
    )
    for element, names in _TEMPLATE_FIELDS.items()
}


# A plan: "need to call Aetna", "IT ticket to be opened", "will ask Dr.", "hay que llamar";
# the patient's own plans ("pt will call back", her words in quotes) are not the staff's.
_INTENTION = _rx(
    r"(?<!\bpt )(?<!\bpatient )(?<!\bshe )(?<!\bhe )(?<!\bthey )(?<!\bpaciente )"
    r"\b(?:will|'ll|need to|needs to|to be|going to|plan to|try again|pending|va a|voy a|hay que)\b"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


def rule_vetoes(text: str) -> frozenset[str]:
    """Elements the rules know are absent, whatever the learned layer reads.

    A symptom or an upset patient with no matching route is the most dangerous vague note
    (README): its escalation is missing even when the note also says "nothing clinical".
    A field of a templated note left empty is absent too, and so is the action of a note that
    states only plans: the learned layer reads "need to call Aetna" as a step taken.
    """
    normalized = _normalize(text or "")
    vetoed = {element for element, empty in _EMPTY_FIELD.items() if empty.search(text or "")}
    if _find_action(normalized) is None and _INTENTION.search(_QUOTED.sub(" ", normalized)):
        vetoed.add("action_taken")
    if _find_escalation(normalized) is None and (
        _flag(_CLINICAL_FLAG, normalized) or _flag(_UPSET_FLAG, normalized)
    ):
        vetoed.add("escalation_status")
    return frozenset(vetoed)


def rule_signals(text: str) -> frozenset[str]:
    """The rule detectors' findings plus their parts, as features for the learned layer.

    The parts matter where an element is a conjunction: an attempt time without an outcome,
    a symptom without a route, a next-step cue without a day.
    """
    normalized = _normalize(text or "")
    signals = set(rule_evidence(text))
    parts = {
        "attempt_time": _attempt_time(normalized),
        "attempt_outcome": _attempt_outcome(normalized),
        "clinical_flag": _flag(_CLINICAL_FLAG, normalized),
        "upset_flag": _flag(_UPSET_FLAG, normalized),
        "clinical_route": _ROUTE_CLINICAL.search(normalized),
        "complaint_route": _ROUTE_COMPLAINT.search(normalized),
        "no_escalation": any(p.search(normalized) for p in _NO_ESCALATION),
        "next_step": _NEXT_STEP.search(normalized),
        "when": _first_when(normalized),
        "clock": _CLOCK_RX.search(normalized),
        "closure": _CLOSURE_PHRASE.search(normalized),
        "need_verb": _NEED_VERB.search(normalized),
        "action_verb": _ACTION_VERB.search(normalized) or _ACTION_VERB_ES.search(normalized),
    }
    signals.update(name for name, hit in parts.items() if hit)
    return frozenset(signals)


# The learned layer decides presence: P(present) >= PRESENT counts the element as there. The
# rules are among its inputs, so it keeps what they know and adds the wordings they miss.
# A missing element is refused only below SURE_ABSENT (clearly absent); between the two the
# note is saved with a warning. Without a model, the rules decide and every miss is refused.
PRESENT = 0.5
SURE_ABSENT = 0.1
# Shown as the evidence when the learned layer, not a rule, found the element.
LEARNED_EVIDENCE = "(in the note's own wording)"


def check_note(
    text: str,
    lane: str,
    required: tuple[str, ...] | None = None,
    language: str = "en",
    model: dict | None | bool = True,
    known: dict[str, str] | None = None,
) -> NoteVerdict:
    """Judge one note against its lane's (or a practice's custom) required elements.

    `language` only chooses the language of the hints; notes are read in both languages.
    `model` is the per-element model (True: the shipped one, None/False: rules only).
    `known` maps elements to what the item's own record already shows (services.judge).
    """
    wanted = required_elements(lane) if required is None else tuple(required)
    unknown = [element for element in wanted if element not in ELEMENTS]
    if unknown:
        raise ValueError(f"unknown element(s): {', '.join(unknown)}")
    if model is True:
        model = note_model.load_model()
    rules = rule_evidence(text)
    probabilities = {}
    if model:
        vector = note_model.features(text or "", lane, rule_signals(text))
        probabilities = note_model.present_probabilities(vector, wanted, model)
    vetoes = rule_vetoes(text) if model else frozenset()
    found: dict[str, str] = {}
    missing: list[str] = []
    unsure: list[str] = []
    for element in (e for e in ELEMENTS if e in wanted):
        p = probabilities.get(element)
        if known and element in known:
            found[element] = known[element]
        elif element in vetoes:
            # Never passed, but refused only when the learned layer is sure too: the
            # rules' symptom words also fire on passing mentions, so the note warns.
            missing.append(element)
            if p is not None and p >= SURE_ABSENT:
                unsure.append(element)
        elif p is None and element in rules:
            found[element] = rules[element]
        elif p is not None and p >= PRESENT:
            found[element] = rules.get(element) or LEARNED_EVIDENCE
        else:
            missing.append(element)
            if p is not None and p >= SURE_ABSENT:
                unsure.append(element)
    hints = {element: _hint(element, lane, language) for element in missing}
    label = "vague" if missing else "actionable"
    from_record = tuple(e for e in ELEMENTS if e in wanted and known and e in known)
    return NoteVerdict(label, tuple(missing), found, hints, tuple(unsure), from_record)


def is_refused(verdict: NoteVerdict) -> bool:
    """Refuse only when sure: some required element is clearly absent."""
    return any(element not in verdict.unsure for element in verdict.missing)


# Function words that only one of the two languages uses; shorthand ("pt", "FN") counts too.
_SPANISH_WORDS = re.compile(
    r"\b(?:se|el|la|los|las|del|que|por|con|sin|una?|su|le|paciente|pte|cita|llam[éeó]"
    r"|verificad[ao]|fn|ma[ñn]ana|dej[éeó]|mensaje|cerrado|no contest[óo])\b",
    re.IGNORECASE,
)
_ENGLISH_WORDS = re.compile(
    r"\b(?:the|to|and|of|for|with|her|his|pt|patient|appt|called|asked|verified|dob|left"
    r"|no answer|closed|will|at|on|re)\b",
    re.IGNORECASE,
)


def note_language(text: str) -> str:
    """'es' or 'en', by which language's function words the note uses more."""
    spanish = len(_SPANISH_WORDS.findall(text))
    return "es" if spanish > len(_ENGLISH_WORDS.findall(text)) else "en"
