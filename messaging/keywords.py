"""Inbound SMS keywords (carriers, FCC, Twilio) and free-text revocation of consent.

`classify_reply` is deliberately strict: only a whole message that is one keyword (or one of a
few fixed phrases) counts, the way carriers and Twilio match STOP. Everything else is NONE and
goes to a person. `looks_like_revocation` is deliberately broad: the FCC lets a patient revoke
consent "by any reasonable means", so plain-language requests to stop are flagged for review.
"""

import re
import unicodedata
from enum import StrEnum


class Keyword(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"
    CONFIRM = "confirm"
    RESCHEDULE = "reschedule"
    NONE = "none"


# Carrier/Twilio opt-out words (REVOKE and OPTOUT since the FCC's 2025 rule) and Spanish ones.
_OPT_OUT = {
    "stop",
    "stopall",
    "stop all",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "revoke",
    "optout",
    "opt out",
    "parar",
    "detener",
    "cancelar",
    "baja",
    "alto",
    "no mas",
}
# SUBSCRIBE/INICIAR/COMENZAR only reach Twilio as opt-in when Advanced Opt-Out lists them.
_OPT_IN = {"start", "unstop", "subscribe", "iniciar", "comenzar"}
# YES is also Twilio's re-opt-in word, but a patient answering a confirmation request with YES
# means "confirm"; a caller whose patient is opted out checks `is_opt_in_word` as well.
_CONFIRM = {
    "yes",
    "y",
    "c",
    "1",
    "ok",
    "okay",
    "si",
    "confirmo",
    "confirmar",
    "confirm",
    "confirmed",
    "yes please",
    "yes confirm",
    "ok thanks",
    "ok thank you",
    "yes thanks",
    "yes thank you",
    "confirm please",
    "confirmed thanks",
    "si confirmo",
    "si gracias",
    "ok gracias",
    "confirmo gracias",
    "si por favor",
}
_HELP = {"help", "info", "ayuda"}
_RESCHEDULE = {"r", "reschedule", "cambiar", "reprogramar", "change"}
# Twilio's platform itself re-subscribes a number on these words, whatever the app decides.
_TWILIO_OPT_IN = {"start", "unstop", "yes"}

_KEYWORDS: tuple[tuple[set[str], Keyword], ...] = (
    (_OPT_OUT, Keyword.OPT_OUT),
    (_OPT_IN, Keyword.OPT_IN),
    (_HELP, Keyword.HELP),
    (_CONFIRM, Keyword.CONFIRM),
    (_RESCHEDULE, Keyword.RESCHEDULE),
)
_THUMBS_UP = re.compile(r"(?:\U0001F44D[\U0001F3FB-\U0001F3FF]?\uFE0F?\s*)+")


def fold(body: str) -> str:
    """Casefolded, accent-free text with punctuation, symbols and emoji turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", body.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Apostrophes vanish so "don't" and "dont" read the same; "#" is how people write "number".
    plain = re.sub(r"['’‘`´]", "", plain).replace("#", " number ")
    plain = "".join(char if char.isalnum() else " " for char in plain)
    return " ".join(plain.split())


def classify_reply(body: str) -> Keyword:
    """The keyword a whole inbound message amounts to, or NONE (a person reads it)."""
    if _THUMBS_UP.fullmatch(body.strip()):
        return Keyword.CONFIRM
    text = fold(body)
    for words, keyword in _KEYWORDS:
        if text in words:
            return keyword
    return Keyword.NONE


def is_opt_in_word(body: str) -> bool:
    """True for START, UNSTOP and YES: the words on which Twilio lifts a number's opt-out."""
    return fold(body) in _TWILIO_OPT_IN


# Things a patient asks a practice to stop sending, in English and Spanish.
_MSG = (
    r"(?:texts?|texting|txts?|txting|msgs?|messages?|messaging|sms|reminders?|notifications?"
    r"|notifs?|alerts?|emails?|calls|robocalls?|robo calls?|spam)"
)
_MSG_ES = (
    r"(?:mensajes?|mensajitos|msjs?|mjs|textos?|sms|recordatorios?|notificaciones|alertas"
    r"|llamadas|correos)"
)
_FILLER = r"(?:(?:all|the|these|those|this|your|ur|my|any|more|automated|automatic|text|sms"
_FILLER += r"|appointment|appt|of|with|damn|stupid|annoying)\s+){0,3}"
_FILLER_ES = r"(?:(?:los|las|sus|tus|mis|estos|estas|esos|esas|mas|de|texto|tantos|tantas"
_FILLER_ES += r"|recibir|el|la)\s+){0,3}"
_POLITE = r"(?:\s+(?:please|pls|plz|now|thanks|thank you|ty|por favor|porfa|gracias))*"
_STOP_ONLY = re.compile(
    r"(?:(?:please|pls|plz|just|omg|ok|seriously|por favor|porfa|ya)\s+)*"
    r"(?:stop|stopall|basta|alto|parar|paren|para ya)(?:\s+(?:stop|it|now|already|all|ya|please"
    r"|pls|plz|thanks|thank you|ty|por favor|porfa|gracias|de una vez))*"
)
_ES_VERBS = (
    r"(?:manden|mande|mandes|envien|envie|envies|escriban|escriba|escribas|llamen|llame|llames"
    r"|contacten|contacte|molesten|moleste|textien|texteen|textees)"
)

_REVOCATIONS = tuple(
    re.compile(pattern)
    for pattern in (
        # English: stop/quit doing it, or stop the messages themselves.
        r"\b(?:stop|quit|cease)\s+(?:\w+\s+){0,2}(?:texting|txting|messaging|msging|emailing"
        r"|contacting|bothering|harassing|spamming|pestering|calling me|reaching out|mandando"
        r"|enviando)\b",
        r"\b" + _MSG + r"\s+(?:to\s+)?stop\b",
        # A bare "stop" closing a refusal, or opening a message that says who is not reached.
        r"\b(?:no thanks|no thank you|not interested|please|pls|plz|just|so|ok|okay)\s+stop"
        + _POLITE
        + r"$",
        r"^(?:please\s+)?stop\s+(?:this is not|this isnt|not|wrong|i am not|im not|i dont|who)\b",
        r"\b(?:stop|quit|cease|halt|discontinue|pause|turn off|disable|cancel|block)\s+"
        + _FILLER
        + _MSG
        + r"\b",
        r"\b(?:stop|quit)\s+(?:sending|getting|receiving)\s+(?:me\s+)?" + _FILLER + _MSG + r"\b",
        r"\bstop sending me\b",
        r"\b(?:dont|do not|never|pls dont|please dont)\s+(?:ever\s+)?(?:text|txt|message|msg|sms"
        r"|contact|email)\b(?!\s+(?:my|the|anyone|him|her|them|his|our)\b)",
        r"\b(?:dont|do not|never)\s+(?:ever\s+)?call\s+(?:me\s+)?(?:again|anymore|any more|ever"
        r"|or text)\b",
        r"\b(?:dont|do not)\s+send\s+me\s+(?:any\s+)?(?:more\s+)?(?:" + _MSG + r"|anything)\b",
        r"\bno (?:more|further)\s+" + _FILLER + _MSG + r"\b",
        r"^no\s+" + _MSG + _POLITE + r"$",
        r"\b(?:dont|do not|no longer|never)\s+(?:want|wish|need|like)\s+(?:to\s+(?:get|receive"
        r"|be sent)\s+)?" + _FILLER + _MSG + r"\b",
        r"\b(?:enough|sick of|tired of)\s+(?:with\s+)?" + _FILLER + _MSG + r"\b",
        # English: take me off the list, unsubscribe, opt out.
        r"\b(?:remove|take|delete|erase|drop)\s+"
        r"(?:(?:me|my number|my phone|my cell|this number)\s+)?"
        r"(?:off|from|out of)\s+(?:of\s+)?(?:your|the|this|ur|all|that)?\s*(?:(?:text|texting"
        r"|sms|messaging|mailing|call|calling|contact|distribution|reminder|automated|marketing)"
        r"\s+)?(?:list|lists|system|database|contacts)\b",
        r"\b(?:remove|delete|unsubscribe|take)\s+me(?:\s+off)?" + _POLITE + r"$",
        r"\b(?:remove|delete)\s+(?:this|my)\s+(?:phone\s+|cell\s+)?number" + _POLITE + r"$",
        r"\bunsub\w*",
        r"\bopt(?:ing|ed)?\s*(?:me\s+)?out\b",
        r"\b(?:revoke|withdraw|withdrawing|revoking|cancel)\s+(?:my\s+)?(?:consent|permission"
        r"|subscription)\b",
        r"\bdnc\b|\blose (?:my|this) number\b",
        r"\b(?:never|didnt|did not)\s+(?:gave|give)\s+(?:you\s+)?(?:my\s+)?"
        r"(?:permission|consent)\b",
        r"\bleave me alone\b",
        r"\b(?:i|ive|i have|i already)\s+(?:asked|told|said)\s+(?:you\s+)?(?:to\s+)?stop\b",
        r"\b(?:never|didnt|did not)\s+(?:sign|signed|opt|opted)\s+(?:up|in)\b",
        r"\b(?:who gave you|how did you get)\s+(?:my|this)\s+(?:number|phone|cell)\b",
        r"\bblock(?:ing|ed)?\s+(?:this|your|ur|the)\s+number\b",
        r"\b(?:this is|thats|its|this)\s+spam\b|\bspamm(?:ing|er)\b|^spam$",
        r"\bharass\w*\s+me\b|\bthis is harassment\b",
        # English: the wrong person is being texted.
        r"\bwrong (?:number|phone|cell)\b",
        r"\b(?:have|got|texting|texted|messaging|reached)\s+(?:the\s+)?wrong person\b",
        r"\b(?:im|i am)\s+not\s+(?:a|your)\s+patient\b|\bnever been a patient\b",
        r"\bno(?: one|body)\s+(?:here\s+)?(?:by|with|named)\s+that\s+name\b",
        # Spanish: don't send / write / call me.
        r"\bya no me " + _ES_VERBS + r"\b",
        r"\bno me (?:sigan|vuelvan|vuelva)\s+(?:a\s+)?(?:mandar|enviar|escribir|llamar|textear"
        r"|contactar|molestar|mandando|enviando|escribiendo|llamando|texteando|molestando)\b",
        r"\bno (?:quiero que )?me "
        + _ES_VERBS
        + r"(?:\s+(?:mas|nada|ya|nunca)\b|\s+"
        + _MSG_ES
        + r"\b|\s+(?:a|por)\s+este\s+numero\b|"
        + _POLITE
        + r"$)",
        r"\b(?:dejen|deje|deja|dejar|paren|pare|para|parar)\s+de\s+(?:mandar|enviar|escribir"
        r"|llamar|molestar|textear|contactar)(?:me|nos)?\b",
        r"\bno mas\s+" + _FILLER_ES + _MSG_ES + r"\b",
        r"\bno\s+(?:enviar|mandar|escribir|contactar)(?:me|nos)?\s+(?:mas\b|nada\b|"
        + _FILLER_ES
        + _MSG_ES
        + r"\b)",
        r"\bno me interesan\s+" + _FILLER_ES + _MSG_ES + r"\b",
        r"\b(?:no|ya no|nunca)\s+(?:quiero|deseo|necesito)\s+(?:mas\s+)?"
        + _FILLER_ES
        + _MSG_ES
        + r"\b",
        r"\b(?:basta|ya basta)\s+(?:de|con)\s+" + _FILLER_ES + _MSG_ES + r"\b",
        r"\b(?:cancel\w*|parar|paren|pare|detener|detengan|suspend\w*|desactiv\w*|apag\w*"
        r"|quit\w*|elimin\w*)\s+" + _FILLER_ES + _MSG_ES + r"\b",
        # Spanish: take me off the list, unsubscribe me.
        r"\b(?:quiten|quite|quita|quitar|saquen|saque|saca|sacar|borren|borre|borra|borrar"
        r"|eliminen|elimine|elimina|eliminar|remuevan)(?:me|nos)?\s+de\s+(?:la|su|sus|esta|esa"
        r"|todas las)?\s*(?:lista|listas|sistema|base)\b(?!\s+de\s+espera)",
        r"\b(?:quiten|borren|eliminen|borra|elimina|quita)\s+mi\s+(?:numero|telefono|celular)\b"
        r"(?!\s+(?:viejo|anterior|antiguo))",
        r"\b(?:dar|darme|darse|dame|denme|deme|den|doy)\s+de\s+baja\b",
        r"\bdej(?:en|e|a)me\s+(?:en paz|tranquil[oa])\b",
        r"\bno (?:autorizo|doy permiso|di permiso|di mi consentimiento|acepto mensajes)\b",
        r"\bnunca (?:me )?(?:inscribi|suscribi|registre|autorice)\b",
        r"\bbloque\w*\s+(?:este|su|el)\s+numero\b",
        # Spanish: wrong person.
        r"\bnumero equivocado\b|\bequivoc\w*\s+de\s+(?:numero|persona)\b",
        r"\bpersona equivocada\b|\bno es mi numero\b",
        r"\bno soy (?:su )?paciente\b(?!\s+nuev)|\bno conozco a (?:esa|esta|ninguna) persona\b",
    )
)
# Ordinary phrasings that would otherwise trip a pattern above; they are cut out of the text
# before matching, so the rest of the message is still read.
_NOT_REVOCATIONS = re.compile(
    # The patient's own mistake, or a third party's number, not the practice texting a stranger.
    r"\b(?:i|we)\s+(?:called|dialed|dialled|texted|messaged|gave you|put down|wrote down|entered"
    r"|listed)\s+(?:the\s+|a\s+)?wrong number\b|\bwrong number for\b"
    r"|\bnumero equivocado\s+(?:de|del|para)\b"
    # A timing preference or a habit, not a withdrawal of consent.
    r"|\b(?:dont|do not) (?:text|call|message|email) me (?:before|after|until|till|at work"
    r"|during|on weekends)\b|\bi (?:dont|do not) (?:text|email|message)\b"
    # Asking why reminders stopped is the opposite of asking them to stop.
    r"|\b(?:why|did|have)\s+(?:did\s+|have\s+)?(?:the|my|your)\s+" + _MSG + r"\s+stop\b"
)


def looks_like_revocation(body: str) -> bool:
    """True when the message may withdraw consent to be texted, for a person to review.

    A bare opt-out keyword counts too, so the caller can route on this one answer.
    """
    if classify_reply(body) is Keyword.OPT_OUT:
        return True
    text = _NOT_REVOCATIONS.sub(" ", fold(body)).strip()
    if _STOP_ONLY.fullmatch(text):
        return True
    return any(pattern.search(text) for pattern in _REVOCATIONS)
