"""Identity (R14-R16): the sender may not be the patient."""

from __future__ import annotations

from .text import CARE_ROLE, REL_ADULT, REL_CHILD, REL_PARENT, Message, Rule, W, _rule, _rx

# --------------------------------------------------------------------------------------
# Identity (R14-R16)
# --------------------------------------------------------------------------------------

WRONG_RECIPIENT = _rule(
    "wrong recipient",
    r"\bwrong\W+(?:number|person)\b",
    r"\bnot\W+me\b",
    r"\bno\W+soy\W+(?:yo|ella|el|esa\W+persona)\b|\bi'?m\W+not\W+(?:her|him|that\W+person)\b",
    r"\b(?:mensajes|textos|recordatorios|llamadas)\W+(?:\w+\W+){0,2}?(?:de|para)\W+(?:una|un)\W+tal\b",
    r"\b(?:aren'?t|are\W+not|isn'?t|is\W+not|not)\W+for\W+me\b",
    r"\bno\W+(?:son|es)\W+(?:para\W+mi|mi\W+cita)",
    r"\bnumero\W+equivocado",
    r"\bequivocad[oa]s?\W+de\W+(?:numero|persona)",
    r"\bnever\W+been\W+(?:a\W+patient|there)",
    r"\bno\W+conozco\W+a",
    r"\bkeep\W+getting\W+(?:\w+\W+)?(?:texts|reminders|messages|calls)\W+for",
    r"\bpara\W+otra\W+persona\b",
    r"\b(?:cita|mensaje|recordatorio|llamada|texto)\W+(?:\w+\W+){0,3}?que\W+no\W+es\W+(?:mia|para\W+mi)",
    r"\b(?:appt|appointment|reminder|message|text)\W+(?:\w+\W+){0,2}?(?:that'?s|that\W+is|is)\W+not\W+mine",
    r"\bsomeone\W+else'?s\W+(?:appt|appointment|reminder)",
)
# The sender's role towards the patient; a parent is handled apart (minor or adult child).
SENDER_ROLE = rf"(?!{REL_PARENT}\b)(?:{REL_ADULT}|{REL_CHILD}|{CARE_ROLE})"
IDENTITY_DIRECT: tuple[Rule, ...] = (
    WRONG_RECIPIENT,
    _rule(
        "someone else's phone or account",
        rf"\b(?:this\W+is|es\W+el|using|on|from|in|into|to|through|via|under|logged\W+in\W+as)\W+"
        rf"(?:my\W+)?{REL_ADULT}'?s\W+(?:phone|cell|number|portal|account|login|mychart)",
        rf"\b(?:portal|account|cuenta|celular|telefono)\W+(?:of|de)\W+(?:my|mi)\W+{REL_ADULT}",
        r"\b(?:borrowed|friend'?s|someone\W+else'?s)\W+(?:phone|cell|account|portal)",
        r"\b(?:telefono|celular|cel)\W+prestado",
        r"\bnew\W+(?:phone|number)\W+who\b",
        r"\bwho\W+(?:dis|dat)\b",
        r"\b(?:texting|writing|messaging)\W+(?:you\W+)?(?:from|on)\W+(?:a\W+)?(?:new|different)\W+(?:phone"
        r"|number)",
    ),
    _rule(
        "same-name confusion",
        r"\bsame\W+name\b",
        r"\bmismo\W+nombre\b",
        r"\b(?:both|ambos)\W+(?:named|called|go\W+by|se\W+llaman)\b|\bshare\W+(?:a|the)\W+name\b",
        # "two Jose Martinez in our house", "dos Maria Lopez en la casa"
        r"\b(?:two|dos)\W+(?:[a-z]+\W+){1,3}?(?:in|at|en)\W+(?:our|my|the|la|mi|nuestra)\W+"
        r"(?:house|home|household|family|casa|familia)\b",
        r"\b(?:jr|sr|junior|senior)\b.{0,60}\b(?:mix\w*|confus\w*|mine|not\W+mine)\b",
    ),
    _rule(
        "deceased patient",
        r"\bpassed\W+away\b",
        r"\bdeceased\b",
        r"\bfalleci\w+",
        r"\bmurio\b",
        r"\bexecutor\b",
        r"\balbacea\b",
        r"\bestate\W+of\b",
        rf"\b(?:my|mi)\W+{W}?{REL_ADULT}\W+{W}{{0,2}}?died\b",
    ),
    _rule(
        "acting for the patient",
        r"\b(?:hablo|llamo|escribo|calling|writing)\W+(?:por|for)\W+(?:mi|my)\W+\w+",
        r"\bon\W+behalf\W+of\b",
        r"\bde\W+parte\W+de\b",
        r"\ben\W+nombre\W+de\b",
        r"\bcalling\W+(?:for|about)\W+(?:my|mr|mrs|ms)\b",
        r"\bour\W+(?:resident|client|employee|student|member|parishioner)s?\b|\bone\W+of\W+our\W+\w+",
        rf"\b(?:from|at|de)\W+{W}{{0,3}}?(?:church|iglesia|parish|shelter|agency|agencia)\b",
        rf"\b(?:calling|writing|llamo|llamando)\W+(?:from|de|desde)\W+{W}{{0,4}}?(?:assisted\W+living"
        r"|senior\W+(?:living|center|care|home)|group\W+home|care\W+home|memory\W+care"
        r"|nursing|rehab|facility|home\W+health|hospice|school|escuela|asilo|residencia|law|employer"
        r"|company|hr)\b",
        rf"\b(?:i'?m|i\W+am|this\W+is|soy)\W+(?:\w+'s|his|her|their|su)\W+{W}?{SENDER_ROLE}\b",
        rf"\b\w+'s\W+{SENDER_ROLE}\b(?!'s)",
        rf"\b(?:soy|habla|le\W+habla)\W+(?:el|la)\W+{SENDER_ROLE}\W+de\b",
        rf"\b(?:i'?m|i\W+am)\W+the\W+{SENDER_ROLE}\W+of\b",
        rf"\b(?:this\W+is|i'?m|i\W+am|soy|le\W+habla|habla)\W+(?:the|a|his|her|their|la|el|su)\W+"
        rf"{W}?{CARE_ROLE}\b",
    ),
)
# "My wife needs..." counts only when the third party is the subject of the request.
THIRD_PARTY_ADULT = _rx(rf"\b(?:my|mi|mis)\W+{W}{{0,3}}?{REL_ADULT}\b")
THIRD_PARTY_CHILD = _rx(
    rf"\b(?:my|mi|mis|a\W+mi)\W+{W}{{0,3}}?{REL_CHILD}\b",
    rf"\b(?:i'?m|i\W+am|this\W+is|soy|habla)\W+(?:\w+'s|his|her|their|su|el|la)\W+{REL_PARENT}\b",
)
ACTING_SIGNS = _rx(
    r"\b(?:he|she|he'?s|she'?s|his|her|him|ella|su|sus)\b",
    r"\b(?:needs|wants|asked|would\W+like|necesita|quiere|pide|pidio)\b",
    r"\ble\W+(?:consiga|saque|haga|cambie|cancele|mande|den)\b|\bpara\W+(?:el|ella)\b",
    rf"\bfor\W+my\W+{W}?(?:{REL_ADULT}|{REL_CHILD})\b",
)
SELF_AS_PATIENT = _rx(
    r"\b(?:my|mi|mis)\W+(?:next\W+)?(?:appt|appointment|apt|cita|records|results|refill|meds"
    r"|medication|prescription|labs|bill|referral|video\W+visit|follow\W?up|estudios|resultados"
    r"|receta)\b",
    r"\b(?:drive|driving|drives|bring|bringing|take|taking|pick\w*\W+up|come\w*\W+with)\W+me\b",
    r"\bme\W+(?:lleva|trae|acompana|recoge)\b|\bconmigo\b",
)
ADULT_AGE = _rx(
    r"\b(?:1[89]|[2-9]\d)\W*(?:yo|y/o|years?|yrs?|anos)\b",
    r"(?:'s|is|esta|tiene)\W+(?:1[89]|[2-9]\d)\b",
    r"\((?:1[89]|[2-9]\d)\)",
    r"\b(?:adult|grown|college|university|universidad|married|casad[oa])\b",
    r"\bmayor\W+de\W+edad\b",
    r"\bover\W+18\b",
)
CONFIDENTIAL_TOPIC = (
    r"\b(?:birth\W+control|contracepti\w*|std|sti|sexual\w*|pregnancy\W+test"
    r"|planned\W+parenthood|anticonceptiv\w*|confidential|what\W+(?:he|she)\W+"
    r"(?:said|told|talked|discussed)|what\W+was\W+discussed)\b"
)
TEEN_CONFIDENTIAL = _rx(
    r"\A(?=.*(?:\b1[3-7]\W*(?:yo|y/o|years?|anos)\b|\bteen\w*|\badolescent\w*|\bhigh\W+school"
    rf"|(?:'s|is)\W+1[3-7]\b|\(1[3-7]\)))(?=.*{CONFIDENTIAL_TOPIC})"
)


# A new or changed phone number is identity_unclear only when no identifier comes with it.
NEW_NUMBER = _rx(
    r"\b(?:new|different|another)\W+(?:phone|number|cell|#)",
    r"\b(?:got|have)\W+a\W+new\W+(?:phone|cell)\b",
    r"\b(?:nuevo|otro)\W+(?:numero|telefono|celular|cel)\b|\bcambie\W+de\W+(?:numero|telefono|cel)",
)
IDENTIFIERS = _rx(
    r"\bdob\b|\bborn\b|\bbirth\w*|\bnacimiento\b|\bnaci\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    r"\b(?:this\W+is|it'?s|my\W+name\W+is|soy|habla|me\W+llamo|le\W+habla)\W+"
    r"(?!(?:the|my|his|her|a|an|your|not|new|about|from|mi|el|la|su|un|una)\b)[a-z]{3,}",
)
# Just giving the new number for the chart is an ordinary update (other_admin).
NUMBER_UPDATE_ONLY = _rx(
    r"\A(?=[^?]*\d{3}\W?\d{4})(?=[^?]*\b(?:update|actualic|actualiz|change|cambi|is\b|es\b))[^?]*\Z"
)


def _new_number_without_identifiers(msg: Message) -> list[str]:
    cue = NEW_NUMBER.search(msg.folded)
    if cue is None or msg.has(IDENTIFIERS) or msg.has(NUMBER_UPDATE_ONLY):
        return []
    return [f'identity_unclear: "{msg.quote(*cue.span())}" with no identifiers (R14)']


def _identity(msg: Message) -> list[str]:
    direct = msg.first(IDENTITY_DIRECT)
    if direct:
        return [f'identity_unclear: "{direct.quote}" ({direct.label}, R14)']
    new_number = _new_number_without_identifiers(msg)
    if new_number:
        return new_number
    if msg.has(TEEN_CONFIDENTIAL):
        return ["identity_unclear: parent asking about an adolescent's confidential visit (R14)"]
    if not msg.has(ACTING_SIGNS) or msg.has(SELF_AS_PATIENT):
        return []
    adult = THIRD_PARTY_ADULT.search(msg.folded)
    if adult:
        who = msg.quote(*adult.span())
        return [f'identity_unclear: "{who}" is acting for an adult patient (R14)']
    child = THIRD_PARTY_CHILD.search(msg.folded)
    if child and msg.has(ADULT_AGE):
        return [f'identity_unclear: "{msg.quote(*child.span())}" is an adult child (18+, R14)']
    if child:
        msg.notes.append(
            f'note: "{msg.quote(*child.span())}" is a minor; the parent is treated as '
            "the patient (R15)"
        )
    return []
