"""Lint for approved response templates, in English and Spanish.

Each rule has a stable name (LintIssue.rule) so admin forms and tests can refer to it.
Phrase rules match on folded text: lowercase, accents removed, curly quotes made straight,
so "envíe" and "envie" or "it’s" and "it's" read the same. The phrase lists for both
languages apply to every template: a Spanish template that slips into English (or names an
English medication) is still caught, and the lists are distinctive enough not to collide.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from templates_lib.rendering import (
    LONGEST_VALUES,
    PLACEHOLDER_RE,
    find_placeholders,
    validate_template,
)
from templates_lib.segments import MAX_BODY_CHARS, SegmentInfo, count_segments

LANGUAGES = ("en", "es")
CHANNELS = ("sms", "portal", "email", "voice")
PURPOSES = (
    "first_response",
    "confirmation_request",
    "reminder",
    "telehealth_link",
    "form_reminder",
    "callback_fallback",
    "voicemail_script",
    "follow_up",
    "campaign",
)
# Reminders that ride the FCC healthcare exemption: they must name the practice and a
# callback number, and stay within one segment.
# A campaign (campaigns app) is an automated text too: it names the practice and its number.
IDENTITY_PURPOSES = (
    "confirmation_request",
    "reminder",
    "telehealth_link",
    "form_reminder",
    "campaign",
)
EXEMPT_BUDGET_PURPOSES = ("confirmation_request", "reminder")
MAX_SMS_SEGMENTS = 2


@dataclass(frozen=True)
class LintIssue:
    rule: str
    severity: str  # "error" or "warning"
    message: str


@dataclass(frozen=True)
class _Template:
    body: str
    folded: str
    language: str
    channel: str
    purpose: str


def _alternatives(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


# --- four_parts: what a useful first response says (DESIGN.md "A useful first response").
# Each part is a list of alternatives; any one of them is enough. Generous on purpose: the
# rule catches a missing part, not an unusual wording.
RECEIVED = _alternatives(
    r"\b(we|i)( have|'ve)? (received|got|saw|see)\b",
    r"\b(got|received|saw|(we|i) have) your\b",
    r"\bthanks?( you)? for (your|the|reaching|contacting|calling|writing|sending|letting)\b",
    r"\b(sorry )?(we|i) missed your call\b",
    r"\breturning your call\b",
    r"\babout your (message|request|call|question|referral|form)\b",
    r"\b(recibimos|recibi|hemos recibido|he recibido)\b",
    r"\bgracias por (su|tu|el|la|comunicarse|escribir|contactar|llamar|ponerse|enviar|avisar)",
    r"\b(tenemos|vimos) su\b",
    r"\b(perdimos|no pudimos contestar) su llamada\b",
    r"\bsobre su (mensaje|solicitud|llamada|pregunta|referido|formulario)\b",
)
CHECKING = _alternatives(
    r"\b(checking|reviewing|looking (into|at|for|over)|verifying|confirming|working on)\b",
    r"\b(following up|contacting|reaching out|asking|finding|requesting|coordinating)\b",
    r"\b(updating|preparing|gathering|processing|scheduling|searching)\b",
    r"\b(will|'ll|going to) (now )?(check|review|look (into|at|over)|verify|confirm)\b",
    r"\b(will|'ll|going to) (contact|call|ask|find|follow up|request|coordinate)\b",
    r"\bto (check|review|see if|see whether|verify|find out|look into)\b",
    r"\b(revisando|verificando|confirmando|buscando|consultando|averiguando|checando)\b",
    r"\b(trabajando en|coordinando|procesando|contactando|solicitando|pidiendo)\b",
    r"\b(actualizando|preparando|reuniendo|agendando)\b",
    r"\b(revis|verific|confirm|busc|consult|averigu|llam|contact)aremos\b",
    r"\b(vamos|voy|va|van) a (revisar|verificar|confirmar|buscar|consultar|averiguar|llamar)\b",
    r"\bpara (revisar|verificar|averiguar|ver si)\b",
)
NEEDED = _alternatives(
    r"[?¿]",
    r"\{missing_items\}",
    r"\b(please|we need|we'll need|we will need|we still need|need from you)\b",
    r"\b(send us|reply (with|yes|y|c|1|to)|text us|call us|give us a call|let us know)\b",
    r"\bhave (your|the|a) [\w ]{0,30}ready\b",
    r"\b(bring|upload|complete|fill out|fill in|sign) (your|the|a|it)\b",
    r"\b(nothing|no action)( else)?( is)? needed\b",
    r"\b(nothing( else)? (you need|for you) to do|(don't|do not) need to do anything)\b",
    r"\b(por favor|necesitamos|necesitaremos|nos falta|le falta)\b",
    r"\b(envie|envienos|mande|mandenos|responda|conteste|llamenos|avisenos|dejenos saber)\b",
    r"\b(tenga (listo|lista|listos|listas|a la mano)|traiga|suba|complete|llene|firme)\b",
    r"\bno (necesita|tiene que) hacer nada\b",
    r"\b(no hace falta|nada mas por ahora)\b",
)
WEEKDAYS = r"(monday|tuesday|wednesday|thursday|friday|lunes|martes|miercoles|jueves|viernes)"
CLOCK = r"\d{1,2}(:\d\d)? ?(am|pm|a\.m\.|p\.m\.)"
NEXT_UPDATE = _alternatives(
    r"\{(next_update|callback_window)\}",
    rf"\b(by|before|after|at|around) ({CLOCK}|noon|midday)",
    rf"\bby (tomorrow|tonight|the end of|end of|close of business|{WEEKDAYS})",
    r"\b(today|tonight|tomorrow|this (morning|afternoon|evening|week))\b",
    r"\b(end of (the )?(business )?day|next business day)\b",
    r"\bwithin (the hour|an hour|a day|\w+ (business )?(minutes?|hours?|days?))\b",
    r"\bin (the next )?\w+ (business )?(minutes|hours|days)\b",
    rf"\b(on )?{WEEKDAYS}\b",
    r"\bbefore (your|the) (appointment|visit)\b",
    r"\b(hoy|manana|pasado manana|esta (manana|tarde|noche|semana))\b",
    r"\b(antes de (las|la|el|su|que|mediodia)|antes del|a mas tardar)\b",
    r"\bdentro de (\d+|una|un|dos|tres|cuatro|la proxima|las proximas)\b",
    r"\ben (las proximas )?\w+ (horas|minutos|dias)\b",
    r"\b(proximo dia habil|(a|para) las \d)",
)
FOUR_PARTS = (
    ("what was received", RECEIVED, 'e.g. "We received your request" / "Recibimos su mensaje"'),
    ("what is being checked", CHECKING, 'e.g. "we are checking..." / "estamos revisando..."'),
    (
        "what is needed from the patient",
        NEEDED,
        'a question, "please send...", or "nothing needed from you" / "no necesita hacer nada"',
    ),
    ("when the next update comes", NEXT_UPDATE, '{next_update} or a time such as "by 3 PM"'),
)

# --- forbidden_promise: an assistant never promises coverage, gives clinical advice or
# guarantees a time (the practice workflow's boundary between admin and clinical work).
FORBIDDEN_PROMISES = (
    (
        "promises coverage or authorization, which only the insurer can decide",
        _alternatives(
            r"\b(your )?insurance (will|should|does|is going to) (cover|pay)\b",
            r"\b(is|are|will be|should be) (fully |100% )?covered\b",
            r"\b(approved|authorized) by your (insurance|insurer|plan)\b",
            r"\bwill (be|get) approved\b",
            r"\bno cost to you\b",
            r"\bsu (seguro|aseguradora|plan) (cubre|cubrira|va a cubrir|paga|pagara|va a pagar)\b",
            r"\b(esta|estan|sera|seran|queda|quedan) (totalmente )?cubiert[oa]s?\b",
            r"\baprobad[oa] por su (seguro|aseguradora|plan)\b",
            r"\b(sera|va a ser) aprobad[oa]\b",
        ),
    ),
    (
        "gives clinical advice, which belongs to the clinical team",
        _alternatives(
            r"\byou should (take|stop|start|skip|increase|decrease|double|keep)\b",
            r"\b(stop|keep|start) taking\b",
            r"\b(nothing|not) (serious|to worry about)\b",
            r"\b(is|are|looks|look|sounds|seems) (perfectly |completely )?normal\b",
            r"\byou (don't|do not) need to see (a|the|your) (doctor|provider)\b",
            r"\b(usted )?debe (tomar|dejar de tomar|suspender)\b",
            r"\b(deje|dejar) de tomar|siga tomando\b",
            r"\b(no es|nada) (grave|serio)\b",
            r"\bno hay (nada )?(de )?que preocuparse\b",
            r"\b(es|son|esta|estan|parece|salio|salieron) normal(es)?\b",
        ),
    ),
    (
        "guarantees an outcome or a time the practice cannot promise",
        _alternatives(
            r"\bguarantee",
            r"\bdefinitely (today|tomorrow|by|within)\b",
            r"\bfor sure (today|tomorrow|by)\b",
            r"\b(we|i) promise\b",
            r"\bgarantiz",
            r"\bsin falta\b",
            r"\bdefinitivamente (hoy|manana)\b",
            r"\b(le )?prometemos\b|\ble prometo\b",
        ),
    ),
)

# --- opt_out_command: carriers (and Twilio's default opt-out handling) unsubscribe a
# number that texts one of these words, so a template must never ask for one as an ordinary
# reply ("Reply CANCEL to cancel" unsubscribes the patient from every text).
OPT_OUT_WORD = (
    r"(stop ?all|stop|unsubscribe|cancelar|cancel|end|quit|revoke|opt[ -]?out"
    r"|parar|detener|baja|alto)"
)
REPLY_VERB = (
    r"(reply|respond|text|txt|send|type|msg|responda|responde|conteste|contesta|envie|envia"
    r"|mande|manda|escriba|escribe|textee)"
)
OPT_OUT_COMMAND = _alternatives(
    # A reply verb followed by the keyword: "reply cancel", "text back END", "responda BAJA".
    rf"(?i:\b{REPLY_VERB}(\s+(with|back|us|con|la palabra|the word))*\s*[:\"']?\s*"
    rf"(?P<after_verb>{OPT_OUT_WORD})\b)",
    # The keyword quoted or shouted anywhere: "...or 'CANCEL' to cancel", "or END to stop".
    rf"(?i:[\"'](?P<quoted>{OPT_OUT_WORD})[\"'])",
    r"\b(?P<shouted>STOP ?ALL|STOP|UNSUBSCRIBE|CANCELAR|CANCEL|END|QUIT|REVOKE|OPT[ -]?OUT"
    r"|PARAR|DETENER|BAJA|ALTO)\b",
)
# The standard notice ("Reply STOP to opt out") IS opting out, so it is allowed: a keyword
# followed by an opt-out purpose, or inside one ("to OPT OUT").
OPT_OUT_PURPOSE = (
    r"\b(to (opt[ -]?out|unsubscribe|stop\b|end (all )?(texts|messages)|be removed"
    r"|no longer receive)"
    r"|para (no recibir|dejar de recibir|darse de baja|dar de baja|desuscribirse|salir"
    r"|cancelar (la |su )?suscripcion|(detener|parar|cancelar) (los |estos |todos los )?"
    r"(mensajes|textos)))"
)
OPT_OUT_PURPOSE_ANYWHERE = re.compile(OPT_OUT_PURPOSE, re.IGNORECASE)
OPT_OUT_PURPOSE_NEXT = re.compile(r"[\"']?\s*,?\s*" + OPT_OUT_PURPOSE, re.IGNORECASE)

# --- sms_sensitive: SMS is not a secure channel (DESIGN.md "Channel rules"): no results,
# diagnoses, medication, dates of birth or insurance ids.
MEDICATIONS = (
    "metformin|lisinopril|atorvastatin|amlodipine|levothyroxine|metoprolol|losartan"
    "|simvastatin|omeprazole|pantoprazole|gabapentin|hydrochlorothiazide|furosemide"
    "|sertraline|zoloft|fluoxetine|prozac|escitalopram|citalopram|bupropion|trazodone"
    "|insulin|insulina|prednisone|prednisona|amoxicillin|amoxicilina|azithromycin"
    "|ibuprofen|ibuprofeno|acetaminophen|tylenol|advil|warfarin|eliquis|apixaban"
    "|oxycodone|hydrocodone|tramadol|alprazolam|xanax|lorazepam|clonazepam|adderall"
    "|ozempic|semaglutide|albuterol|montelukast"
)
SENSITIVE = _alternatives(
    r"(?<!as a )(?<!como )\b(results?|resultados?)\b",
    r"\b(diagnos\w*|biops(y|ia)|pathology|patologia)\b",
    r"\b(lab (results?|values?|work|reports?)|labs|blood ?work|a1c|cholesterol|colesterol)\b",
    r"\b(analisis|examen(es)?|valores) de (sangre|laboratorio)\b",
    r"\b(positive|negative|positiv[oa]s?|negativ[oa]s?)\b",
    r"\b\d*\s?(mg|mcg)\b",
    rf"\b({MEDICATIONS})\b",
    r"\b(date of birth|birth ?date|dob|fecha de nacimiento)\b",
    r"\b(member|subscriber|policy|group|insurance|medicare|medicaid) (id|number|no\.?|#)",
    r"\b(ssn|social security|seguro social|mrn|medical record number|numero de expediente)\b",
    r"\b(numero|id|identificacion) de (miembro|poliza|afiliado|grupo)\b",
    r"\b(hiv|vih|pregnan\w*|embaraz\w*)\b",
)

# --- reading_level: a simple heuristic, not a readability formula. Warns when sentences
# average more than 20 words, or when too many words have 4+ syllables. Plain admin text
# scores about 5% in English but 15-25% in Spanish, where everyday words run long
# ("recibimos", "información"), hence a threshold per language.
MAX_WORDS_PER_SENTENCE = 20
MAX_LONG_WORD_SHARE = {"en": 0.15, "es": 0.35}
MIN_LONG_WORDS = 3  # below this a short SMS would swing on a single word
WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
SENTENCE_END_RE = re.compile(r"[.!?¿¡\n]+")
URL_RE = re.compile(r"https?://\S+")

# --- links: carriers filter texts with public link shorteners as spam, and a patient cannot
# see where a shortened link leads; a link must show the practice's own domain.
SHORTENERS = (
    "bit.ly|tinyurl.com|t.co|goo.gl|ow.ly|is.gd|buff.ly|rebrand.ly|cutt.ly|shorturl.at"
    "|tiny.cc|lnkd.in|t.ly|rb.gy|bl.ink|short.io|s.id|v.gd|qr.ae|trib.al"
)
SHORTENER_RE = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.)?(" + SHORTENERS.replace(".", r"\.") + r")/\S*",
    re.IGNORECASE,
)
# --- punctuation: a doubled period ("a. m..") reads as a typo; an ellipsis is fine.
DOUBLE_PERIOD_RE = re.compile(r"(?<!\.)\.\s?\.(?!\.)")


def lint_template(body: str, *, language: str, channel: str, purpose: str) -> list[LintIssue]:
    """Every lint issue for one template body; an empty list means it may be approved."""
    _require(language, LANGUAGES, "language")
    _require(channel, CHANNELS, "channel")
    _require(purpose, PURPOSES, "purpose")
    template = _Template(body, _fold(body), language, channel, purpose)
    return [issue for rule in RULES for issue in rule(template)]


def has_errors(issues: Iterable[LintIssue]) -> bool:
    return any(issue.severity == "error" for issue in issues)


def _require(value: str, allowed: tuple[str, ...], what: str) -> None:
    # An unknown purpose would silently skip the rules meant for it.
    if value not in allowed:
        raise ValueError(f"Unknown {what} {value!r}; expected one of {', '.join(allowed)}")


def _fold(text: str) -> str:
    return _fold_keep_case(text).lower()


def _error(rule: str, message: str) -> LintIssue:
    return LintIssue(rule=rule, severity="error", message=message)


def _warning(rule: str, message: str) -> LintIssue:
    return LintIssue(rule=rule, severity="warning", message=message)


def _placeholders(template: _Template) -> list[LintIssue]:
    return [_error("placeholders", problem.message) for problem in validate_template(template.body)]


def _four_parts(template: _Template) -> list[LintIssue]:
    if template.purpose != "first_response":
        return []
    return [
        _error("four_parts", f"A first response must say {part}: {hint}")
        for part, pattern, hint in FOUR_PARTS
        if not pattern.search(template.folded)
    ]


def _forbidden_promise(template: _Template) -> list[LintIssue]:
    issues = []
    for reason, pattern in FORBIDDEN_PROMISES:
        for phrase in _distinct_matches(pattern, template.folded):
            issues.append(_error("forbidden_promise", f'"{phrase}" {reason}'))
    return issues


def _opt_out_command(template: _Template) -> list[LintIssue]:
    if template.channel != "sms":
        return []
    issues = []
    text = _fold_keep_case(template.body)
    notices = [notice.span() for notice in OPT_OUT_PURPOSE_ANYWHERE.finditer(text)]
    for match in OPT_OUT_COMMAND.finditer(text):
        inside_notice = any(start <= match.start() < end for start, end in notices)
        if inside_notice or OPT_OUT_PURPOSE_NEXT.match(text, match.end()):
            continue
        word = match.group("after_verb") or match.group("quoted") or match.group("shouted")
        issues.append(
            _error(
                "opt_out_command",
                f'"{match.group(0).strip()}": {word.upper()} is a carrier opt-out word, so a '
                "patient who sends it is unsubscribed from every text. Use another reply word "
                "(C, R, 1) and keep STOP only for opting out",
            )
        )
    return issues


def _sms_sensitive(template: _Template) -> list[LintIssue]:
    if template.channel != "sms":
        return []
    return [
        _error(
            "sms_sensitive",
            f'"{term}" does not belong in an SMS: it is not a secure channel (no results, '
            "diagnoses, medication, dates of birth or insurance ids)",
        )
        for term in _distinct_matches(SENSITIVE, template.folded)
    ]


def _sms_length(template: _Template) -> list[LintIssue]:
    if template.channel != "sms":
        return []
    rendered = _render_longest(template.body)
    info = count_segments(rendered)
    issues = []
    if info.segments > MAX_SMS_SEGMENTS:
        issues.append(
            _warning(
                "sms_length",
                f"With the longest values this is {_describe(info)}; keep SMS to "
                f"{MAX_SMS_SEGMENTS} segments or fewer",
            )
        )
    if len(rendered) > MAX_BODY_CHARS:
        issues.append(
            _error(
                "sms_length",
                f"With the longest values this is {len(rendered)} characters; Twilio refuses "
                f"bodies over {MAX_BODY_CHARS} (error 21617)",
            )
        )
    return issues


def _reminder_identity(template: _Template) -> list[LintIssue]:
    if template.channel != "sms" or template.purpose not in IDENTITY_PURPOSES:
        return []
    used = {name for _, name in find_placeholders(template.body)}
    return [
        _error(
            "reminder_identity",
            f"SMS reminders must include {{{name}}}: the FCC healthcare exemption requires the "
            "practice's name and a callback number",
        )
        for name in ("practice_name", "practice_phone")
        if name not in used
    ]


def _length_budget_exempt(template: _Template) -> list[LintIssue]:
    if template.channel != "sms" or template.purpose not in EXEMPT_BUDGET_PURPOSES:
        return []
    info = count_segments(_render_longest(template.body))
    if info.segments <= 1:
        return []
    return [
        _warning(
            "length_budget_exempt",
            f"Exempt reminders must fit one segment (160 GSM-7 or 70 UCS-2 characters); with "
            f"the longest values this is {_describe(info)}",
        )
    ]


def _reading_level(template: _Template) -> list[LintIssue]:
    text = PLACEHOLDER_RE.sub("x", URL_RE.sub(" ", template.body.lower()))
    sentences = [WORD_RE.findall(part) for part in SENTENCE_END_RE.split(text)]
    sentences = [words for words in sentences if words]
    words = [word for sentence in sentences for word in sentence]
    if not words:
        return []
    issues = []
    average = len(words) / len(sentences)
    if average > MAX_WORDS_PER_SENTENCE:
        issues.append(
            _warning(
                "reading_level",
                f"Sentences average {average:.0f} words; aim for {MAX_WORDS_PER_SENTENCE} or fewer",
            )
        )
    count = _syllables_es if template.language == "es" else _syllables_en
    long_words = [word for word in words if count(word) > 3]
    share = len(long_words) / len(words)
    if len(long_words) >= MIN_LONG_WORDS and share > MAX_LONG_WORD_SHARE[template.language]:
        issues.append(
            _warning(
                "reading_level",
                f"{share:.0%} of words have 4 or more syllables "
                f"({', '.join(dict.fromkeys(long_words))}); prefer shorter, plainer words",
            )
        )
    return issues


def _syllables_en(word: str) -> int:
    """Vowel groups, less a silent final e ("message" 2, "available" 4)."""
    groups = len(re.findall(r"[aeiouy]+", _fold(word)))
    if word.endswith("e") and not word.endswith("le") and groups > 1:
        groups -= 1
    return max(groups, 1)


def _syllables_es(word: str) -> int:
    """Vowel groups, plus one per hiatus: two strong vowels (a, e, o) or a stressed í/ú."""
    count = 0
    for group in re.findall(r"[aeiouáéíóúü]+", word):
        strong_pairs = sum(
            1 for a, b in zip(group, group[1:], strict=False) if a in "aeoáéó" and b in "aeoáéó"
        )
        stressed_weak = sum(1 for char in group if char in "íú") if len(group) > 1 else 0
        count += 1 + strong_pairs + stressed_weak
    return max(count, 1)


def _render_longest(body: str) -> str:
    # Unknown placeholders stay as written; the placeholders rule reports them.
    return PLACEHOLDER_RE.sub(
        lambda match: LONGEST_VALUES.get(match.group(1), match.group(0)), body
    )


def _links(template: _Template) -> list[LintIssue]:
    issues = [
        _error(
            "links",
            f'"{match.group(0)}": link shorteners are filtered as spam by carriers and hide '
            "where the link leads; use the practice's own full link",
        )
        for match in SHORTENER_RE.finditer(template.body)
    ]
    for url in URL_RE.findall(template.body):
        if url.lower().startswith("http://"):
            issues.append(_error("links", f'"{url}": links to patients must use https://'))
    return issues


def _punctuation(template: _Template) -> list[LintIssue]:
    text = PLACEHOLDER_RE.sub("x", template.body)
    if DOUBLE_PERIOD_RE.search(text):
        return [_error("punctuation", 'A doubled period (".." or ". .") reads as a typo')]
    return []


def _describe(info: SegmentInfo) -> str:
    text = f"{info.segments} segments ({info.encoding}, {info.units} units)"
    if info.non_gsm_chars:
        text += f"; UCS-2 is forced by {', '.join(repr(char) for char in info.non_gsm_chars)}"
    return text


def _distinct_matches(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(match.group(0).strip() for match in pattern.finditer(text)))


def _fold_keep_case(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


RULES: tuple[Callable[[_Template], list[LintIssue]], ...] = (
    _placeholders,
    _four_parts,
    _forbidden_promise,
    _opt_out_command,
    _sms_sensitive,
    _sms_length,
    _reminder_identity,
    _reading_level,
    _length_budget_exempt,
    _links,
    _punctuation,
)
