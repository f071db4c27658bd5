"""Offline rule-based triage of inbound patient messages (EN, ES, Spanglish).

Pipeline for one message (see docs/TRIAGE.md):

1. Fold the text: lowercase, accents removed, curly quotes straightened. Folding is done
   character by character, so a match in the folded text quotes the original text verbatim.
2. Detect each boundary class independently with pattern tables grouped by concept:
   urgent red flags, clinical needs, complaint cues, identity cues.  Red flags and symptoms
   pass a negation check (NegEx-style: a cue such as "no", "sin", "denies" at most three
   words before the term, inside the same clause) and a history check ("in 2019",
   "years ago"), so "no chest pain" or "heart attack in 2019" are set aside (rule R3).
   When no red-flag table fires, a safety net looks for new wording: a vital area and an
   acute cue in one clause ("ticker" + "squeezed"), or a whole statement family ("want to
   never wake up"), with the same negation, history and chronic checks.
3. Pick the highest boundary that fired, in README precedence (R1).
4. Pick the lane independently: the earliest-mentioned workflow moment wins, with a few
   dominance pairs (a no-show beats its fee, an in-visit problem beats setup), then
   generic appointment questions, then the `other_admin` catch-all (R17).

Every decision adds a human-readable reason quoting the words that triggered it.
Standard library only: this module must stay importable without Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

LANES: tuple[str, ...] = (
    "appointment_request",
    "reschedule",
    "cancel",
    "appointment_time_question",
    "missed_call_callback",
    "referral_status",
    "form_reminder",
    "insurance_document",
    "telehealth_prep",
    "telehealth_connection_problem",
    "no_show_recovery",
    "post_visit_next_steps",
    "billing_question",
    "records_request",
    "other_admin",
)

# Precedence order (R1): the first boundary that fires wins.
BOUNDARIES: tuple[str, ...] = (
    "urgent",
    "clinical",
    "complaint",
    "identity_unclear",
    "administrative",
)


@dataclass(frozen=True)
class TriageResult:
    lane: str
    boundary: str
    reasons: tuple[str, ...]


# --------------------------------------------------------------------------------------
# Text folding and matching helpers
# --------------------------------------------------------------------------------------

_QUOTES = {"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"'}


@lru_cache(maxsize=4096)  # few distinct characters; normalizing each one is the slow part
def _fold_char(char: str) -> str:
    """One output character per input character, so match offsets stay valid."""
    if char in _QUOTES:
        return _QUOTES[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    base = base.lower()
    return base if len(base) == 1 else char.lower()[:1] or " "


def fold(text: str) -> str:
    """Lowercase and strip accents ("Mañana" -> "manana") keeping the length unchanged."""
    return "".join(_fold_char(char) for char in text)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.DOTALL)


@dataclass(frozen=True)
class Rule:
    """A named concept and the compiled alternatives that express it."""

    label: str
    regex: re.Pattern[str]


def _rule(label: str, *patterns: str) -> Rule:
    return Rule(label, _rx(*patterns))


@dataclass(frozen=True)
class Hit:
    label: str
    start: int
    end: int
    quote: str  # original (unfolded) wording


@dataclass
class Message:
    """The original text, its folded twin, and notes about what was set aside."""

    text: str
    folded: str
    notes: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)  # red flags weeks ago, since cleared

    def quote(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())

    def hits(self, rules: tuple[Rule, ...]) -> list[Hit]:
        found = []
        for rule in rules:
            for match in rule.regex.finditer(self.folded):
                found.append(
                    Hit(
                        rule.label,
                        match.start(),
                        match.end(),
                        self.quote(match.start(), match.end()),
                    )
                )
        return sorted(found, key=lambda hit: hit.start)

    def first(self, rules: tuple[Rule, ...]) -> Hit | None:
        found = self.hits(rules)
        return found[0] if found else None

    def has(self, regex: re.Pattern[str]) -> bool:
        return regex.search(self.folded) is not None


# Shared fragments.  Texting drops apostrophes, so "cant" and "can't" both match.
CANT = r"(?:can'?t|cannot|can not|could\s?n'?t|unable to|not able to|cant|cnt|cn'?t)"
# Misspelling-tolerant stems for red-flag nouns texted in a hurry: "chst", "chesst",
# "brething", "breth", "hedache".
CHEST = r"(?:ch(?:e+|ea)?s+t|breast\W?bone|sternum)"
PECHO = r"pe(?:ch|x|sh)o"  # "pexo" is a common phonetic spelling
# someone's own self, as object of a self-harm verb ("kill himself", "hurt themselves")
SELF = r"(?:my|me|him|her|them|your|our)\W*sel(?:f|ves)|themself"
BREATH = r"br[ea]{1,3}th\w*"
HEADACHE = r"(?:he?a?d+\W?a(?:ch|k)e?s?|migraines?|dolor\W+de\W+cabeza)"
APPT = r"(?:appt|appointment|apt|appoint\w*|cita|visit|consulta)\b"
W = r"(?:\w+\W+)"  # one filler word; used as {W}{{0,n}}?
VIDEO = r"(?:video\w*|visit|call|zoom|link|app|virtual|tele\w+|meeting|session|waiting\W+room)\b"
PROCEDURE = (
    r"(?:surgery|procedure|operation|c\W?section|biopsy|colonoscopy|endoscopy|insertion"
    r"|removal|extraction|implant|vasectomy|excision|cirugia|operacion|operaron|cesarea"
    r"|procedimiento|biopsia|colonoscopia|extraccion|\w+ectomy|\w+otomy|\w+oscopy|\w+plasty"
    r"|\w+ectomia|\w+oscopia|ablation|stent|cath(?:eterization)?|d\W?&\W?c|iud"
    r"|post\W?op\w*|repair|replacement|transplant|reconstruction"
    # a lesion taken off in the office ("where they took the mole off")
    r"|(?:took|cut|burned|froze|removed)\W+(?:the|my|a|that|his|her)\W+(?:\w+\W+)?(?:mole|cyst|lump|wart"
    r"|skin\W+tag|lesion|spot)\W+(?:off|out)"
    # an organ taken out ("had my gallbladder out", "me sacaron la vesicula")
    r"|(?:gallbladder|appendix|tonsils|wisdom\W+teeth|uterus|spleen|thyroid|kidney\W+stones?|cyst)"
    r"\W+(?:\w+\W+)?(?:out|removed)|(?:sacaron|quitaron|operaron\W+de)\W+(?:la|el|las|los)\W+"
    r"(?:vesicula|apendice|amigdalas|muelas|matriz|tiroides|quiste))"
)
N_WORD = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|un|una|dos|tres|cuatro"
    r"|cinco|seis|siete|ocho|nueve|diez)"
)
REL_ADULT = (
    r"(?:wife|husband|hubby|spouse|partner|boyfriend|girlfriend|fiancee?|mom|moms|mother|mum"
    r"|mama|mommy|dad|father|papa|daddy|parents?|brother|sister|grandma|grandmother|grandpa"
    r"|grandfather|granny|grandson|granddaughter|aunt|auntie|uncle|cousin|niece|nephew|friend"
    r"|roommate|neighbou?r|coworker|boss|employee|(?:\w+-)?in-law|esposo|esposa|marido|pareja"
    r"|novio|novia|madre|mami|padre|papi|hermano|hermana|abuel[oa]|abuelit[oa]|niet[oa]|tia|tio"
    r"|prim[oa]|sobrin[oa]|amig[oa]|vecin[oa]|suegr[oa]|cunad[oa]|jef[ea]|companer[oa])"
)
REL_CHILD = (
    r"(?:son|daughter|kid|kids|child|children|baby|toddler|infant|teen|teenager|stepson"
    r"|stepdaughter|hij[oa]s?|nin[oa]s?|bebe|nene|nena|hijastr[oa])"
)
REL_PARENT = (
    r"(?:mom|mother|mum|mama|mommy|dad|father|papa|daddy|parents?|guardian|madre|padre"
    r"|mami|papi)"
)
CARE_ROLE = (
    r"(?:caregiver|caretaker|care giver|home health aide|aide|cuidador[a]?|attorney|lawyer"
    r"|abogad[oa]|employer|teacher|maestr[oa]|case manager|social worker|pastor|priest|chaplain"
    r"|school\W+nurse|coach|counselor|principal|enfermera\W+de\W+la\W+escuela|consejer[oa])"
)


# --------------------------------------------------------------------------------------
# Negation and history (R3)
# --------------------------------------------------------------------------------------

# A negation cue; "no idea", "not sure", "don't know" are pseudo-negations and don't count.
_NEG_CUE = re.compile(
    r"\b(?:no|not|never|without|denies|deny|denied|sin|nunca|ni|tampoco|nor|neither"
    r"|negative\W+for|free\W+of|(?:is|are|was|were|do|does|did|have|has|had|would)n'?t"
    r"|dont|doesnt|didnt|havent|hasnt|isnt|arent|wasnt)\b"
    r"(?!\W+(?:idea|sure|doubt|only|matter|wonder|just|clue|know|tell|se|sabia|se\W+si|one)\b)"
)
# A negation stops at punctuation or at a clause connective: "not suicidal but chest pain".
_SCOPE_BREAK = re.compile(
    r"[.;:!?\n,]|\b(?:but|pero|however|though|although|aunque|except|just|only|solo|because"
    r"|bc|cuz|since|porque|pq|xq|so|and|y|now|ahora|still|anyway|sino|then|luego)\b"
)
_HISTORY = re.compile(
    r"\b(?:19|20)\d\d\b|\byears?\W+ago\b|\blast\W+year\b|\bhistory\W+of\b|\bhx\W+of\b"
    r"|\bas\W+a\W+(?:kid|child|teen)\b|\bwhen\W+i\W+was\W+(?:a\W+)?(?:kid|young|little|\d)"
    r"|\bhace\W+(?:\d+|unos|varios|muchos|dos|tres)\W+anos\b|\bel\W+ano\W+pasado\b|\bback\W+in\b"
)
# An episode weeks ago that has since cleared up ("fainted last week, fine now") is not
# happening now; it is set aside as a red flag and judged as an ordinary symptom (R2, R3).
_EARLIER = re.compile(
    r"\blast\W+(?:week|month|weekend)\b|\b(?:a|one|two|three|few|couple\W+(?:of\W+)?)\W*"
    r"(?:weeks?|months?)\W+ago\b|\bthe\W+other\W+week\b|\bla\W+semana\W+pasada\b"
    r"|\bel\W+mes\W+pasado\b|\bhace\W+(?:una|un|dos|tres|unas|\d+)\W+(?:semanas?|mes|meses)\b"
)
_CLEARED = re.compile(
    r"\b(?:(?:it'?s|its|is|was)\W+)?gone\W+now\b|\bwent\W+away\b|\b(?:feel\w*|doing|i'?m|im"
    r"|been)\W+(?:\w+\W+)?(?:fine|ok|okay|good|great|normal)\W+(?:now|since)\b|\ball\W+good\W+now"
    r"|\bresolved\b|\bback\W+to\W+normal\b|\bhasn'?t\W+(?:happened|come\W+back)\W+since\b"
    r"|\bya\W+(?:se\W+)?(?:me\W+|le\W+)?(?:quito|paso)\b|\bya\W+(?:estoy|esta|me\W+siento)\W+bien\b"
)
# Already looked at by a clinician: then the old episode is history, not a clinical question.
_EVALUATED = re.compile(
    r"\b(?:checked\W+out|got\W+checked|evaluated|er|emergency\W+room|urgent\W+care|hospital|cleared"
    r"\W+me|(?:dr|doctor|they)\W+said|urgencias|hospital|me\W+(?:revisaron|checaron|atendieron))\b"
)
# The same symptom for a year, unchanged, is a clinical question, not an emergency (R2);
# anything new, worse or sudden keeps it urgent.
_LONGSTANDING = re.compile(
    r"\b(?:been\W+)?like\W+(?:that|this)\W+for\W+(?:a\W+|one\W+|two\W+|several\W+|many\W+|\d+\W+)?"
    r"(?:years?|months)\b|\bfor\W+(?:years|(?:a|one|two|several|many|\d+)\W+years?)\b"
    r"|\bfor\W+(?:a\W+few\W+|several\W+|many\W+)?months\b"
    r"|\bhace\W+(?:anos|(?:un|dos|varios|\d+)\W+anos?)\b"
)
_ACUTE = re.compile(
    r"\b(?:worse|worsening|sudden\w*|today|tonight|right\W+now|rn|new|different|peor|de\W+repente"
    r"|hoy|ahora|empeor\w*|can'?t\W+(?:breathe|talk|speak))\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _negation_cue(msg: Message, hit: Hit) -> str | None:
    """The cue negating a hit: before it (window of 3 words) or inside it ("chest doesn't hurt").

    The first word of the hit is skipped, so terms that are negative themselves ("not
    breathing", "no puedo respirar") still count.
    """
    inside = _NEG_CUE.search(msg.folded, hit.start, hit.end)
    first_word = re.match(r"\W*\w+", msg.folded[hit.start : hit.end])
    if inside and first_word and inside.start() >= hit.start + first_word.end():
        return inside.group()
    prefix = msg.folded[: hit.start]
    breaks = list(_SCOPE_BREAK.finditer(prefix))
    clause = prefix[breaks[-1].end() :] if breaks else prefix
    cues = list(_NEG_CUE.finditer(clause))
    if not cues or len(clause[cues[-1].end() :].split()) > 3:
        return None
    return cues[-1].group()


def _sentence(msg: Message, hit: Hit) -> str:
    before = [m.end() for m in _SENTENCE_END.finditer(msg.folded, 0, hit.start)]
    after = _SENTENCE_END.search(msg.folded, hit.end)
    return msg.folded[before[-1] if before else 0 : after.start() if after else len(msg.folded)]


def _live(msg: Message, hits: list[Hit], what: str) -> list[Hit]:
    """Drop negated or historical hits, noting each one that was set aside."""
    live = []
    for hit in hits:
        cue = _negation_cue(msg, hit)
        if cue:
            msg.notes.append(f'set aside: "{hit.quote}" ({what} negated by "{cue}", R3)')
        elif _HISTORY.search(_sentence(msg, hit)):
            msg.notes.append(f'set aside: "{hit.quote}" ({what} described as past history, R3)')
        elif (
            what == "red flag"
            and _LONGSTANDING.search(msg.folded)
            and not _ACUTE.search(msg.folded)
        ):
            msg.notes.append(f'set aside: "{hit.quote}" (long-standing, not new or worse, R2)')
        elif what == "red flag" and _EARLIER.search(msg.folded) and _CLEARED.search(msg.folded):
            msg.notes.append(f'set aside: "{hit.quote}" (red flag weeks ago, since cleared, R2)')
            msg.cleared.append(hit.quote)
        else:
            live.append(hit)
    return live


# --------------------------------------------------------------------------------------
# Urgent red flags (README "urgent" row, R2-R4)
# --------------------------------------------------------------------------------------

RED_FLAGS: tuple[Rule, ...] = (
    _rule(
        "chest pain or pressure",
        rf"\b{CHEST}\W+{W}{{0,3}}?(?:pain\w*|hurt\w*|tight\w*|pressure|heav\w+|squeez\w*|discomfort"
        rf"|crush\w*|ach\w*|killing)",
        rf"\b(?:pain|pressure|tightness|heaviness|squeezing|discomfort)\W+(?:in|on|across)\W+(?:my"
        rf"|the|his|her)\W+{CHEST}\b",
        rf"\b(?:dolor|presion|opresion|punzadas?|apreton)\W+{W}{{0,4}}?{PECHO}\b",
        rf"\bduele\W+{W}{{0,2}}?{PECHO}\b",
        rf"\b{PECHO}\W+{W}{{0,2}}?(?:apretado|duele|dolor|presion)",
        # a squeezing feeling in lay words: "my chest feels like someone is squeezing it",
        # "mi pecho se siente como si me lo apretaran", "crushing feeling behind my breastbone"
        rf"\b(?:{CHEST}|{PECHO})\W+{W}{{0,6}}?(?:apret\w*|aprie\w*|squeez\w*|crush\w*|elephant"
        r"|sitting\W+on)",
        rf"\b(?:crush\w*|squeez\w*|heavy|pressure)\W+{W}{{0,3}}?(?:behind|in|on|across)\W+(?:my|the|his"
        rf"|her)\W+{CHEST}",
        rf"\b(?:having|think\W+{W}{{0,2}}?|is\W+this|like)\W*an?\W+heart\W+attack",
        r"\b(?:infarto|ataque\W+al\W+corazon)",
    ),
    _rule(
        "trouble breathing",
        # "can't breathe from laughing" is an idiom, not a symptom
        rf"\b{CANT}\W+{W}?(?:{BREATH}\b(?!\W+(?:from|bc|because|cuz|of)\W+(?:\w+\W+)?laugh)"
        rf"|catch\W+(?:my|his|her)\W+{BREATH}|l[iay]+(?:e|ing)?\W+(?:down\W+)?flat"
        r"|talk\W+in\W+full)",
        rf"\b(?:trouble|difficulty|hard|struggling|struggle|hard\W+time)\W+(?:to\W+)?{BREATH}",
        rf"\bshort(?:ness)?\W+(?:of\W+)?{BREATH}",
        # orthopnea in lay words: "feel like I'm drowning", "suffocating"
        r"\bfeel\w*\W+like\W+(?:i'?m\W+|im\W+|i\W+am\W+)?(?:drowning|suffocating|choking)",
        r"\bsuffocat\w*",
        # too breathless to talk: "can barely talk", "can't finish a sentence", asthma attack
        rf"\bcan\W+(?:barely|hardly)\W+(?:{BREATH}|talk|speak|get\W+(?:the\W+|any\W+)?(?:air|words\W+out))",
        rf"\b{CANT}\W+(?:finish|complete|get\W+through)\W+(?:a|my|one)\W+sentence",
        r"\b(?:so|really|very|completely)\W+out\W+of\W+breath|\bcan'?t\W+get\W+(?:enough\W+)?air",
        r"\basthma\W+attack|\binhaler\W+(?:\w+\W+){0,2}?(?:not|isn'?t|doesn'?t|won'?t|no)\W+"
        r"(?:help\w*|work\w*|ayuda)",
        r"\bbreathless",
        r"\bgasping",
        r"\bturn\w*\W+(?:blue|purple|gr[ae]y)\b|\bse\W+(?:esta\W+)?(?:puso|poniendo)\W+(?:todo\W+|toda\W+)?"
        r"(?:azul|morad[oa])",
        r"\blabou?red\W+breath\w*|\bbreathing\W+(?:is\W+)?(?:really\W+|very\W+)?labou?red"
        r"|\brespira\w*\W+con\W+(?:mucha\W+)?dificultad",
        r"\bnot\W+breathing",
        r"\bstopped\W+breathing",
        rf"\b(?:lips?|fingers?|face)\W+{W}{{0,2}}?(?:blue|bluish|purple)",
        rf"\bbreathing\W+{W}{{0,2}}?(?:fast|rapid)",
        rf"\bribs?\W+{W}{{0,2}}?(?:pulling|sucking|caving)",
        r"\bno\W+(?:puedo|puede|podia|pude)\W+respirar",
        r"\bno\W+(?:respira|respiro|respiraba)\W+(?:bien|normal)",
        r"\b(?:me|le)\W+cuesta\W+(?:mucho\W+)?respirar",
        r"\b(?:not|isn'?t|wasn'?t)\W+breathing\W+(?:right|well|normal\w*)",
        r"\b(?:me|le)\W+falta\W+(?:el\W+)?aire",
        r"\bno\W+(?:me|le)\W+(?:alcanza|entra|llega)\W+(?:el\W+)?aire",
        r"\bataque\W+de\W+asma|\bno\W+(?:puedo|puede)\W+acostar\w*",
        r"\bfalta\W+de\W+aire",
        r"\b(?:me|se|le)\W+ahog\w*",
        r"\b(?:ando|estoy|esta|anda|se\W+siente)\W+(?:bien\W+|muy\W+|super\W+)?agitad[oa]",
        r"\b(?:dificultad|problemas?|trabajo)\W+(?:para|al)\W+respirar",
        rf"\brespira\w*\W+{W}{{0,2}}?(?:rapid\w*|agitad\w*)",
        rf"\blabios\W+{W}{{0,2}}?(?:morad|azul)\w*",
        r"\bcostillas\W+(?:se\W+)?(?:le\W+)?hund\w*",
        r"\bse\W+le\W+hunden",
        r"\b(?:se\W+le\W+)?(?:marcan|hunden|jalan|meten|sumen)\W+(?:las\W+)?costillas",
    ),
    _rule(
        "stroke sign",
        rf"\b(?:face|mouth|smile|cara|boca)\W+{W}{{0,3}}?(?:droop\w*|numb\w*|crooked|uneven|lopsided|sagg\w*"
        r"|dormid\w*|caid\w*|chuec\w*|torcid\w*|paraliz\w*)",
        r"\bdroop\w*",
        r"\bslurr\w*",
        # word-finding trouble and a heavy or dead limb
        rf"\b{CANT}\W+(?:find|get\W+out|say)\W+(?:\w+\W+)?words|\bno\W+(?:encuentra|encuentro|le\W+salen"
        r"|me\W+salen)\W+(?:las\W+)?palabras",
        rf"\b(?:arm|leg|hand|brazo|pierna|mano)\W+{W}{{0,2}}?(?:dead|limp|useless|muert[oa])\b",
        r"\bheavy\W+on\W+(?:one|the\W+(?:left|right))\W+side|\bpesad[oa]\W+de\W+un\W+lado",
        rf"\bdropping\W+things\W+{W}{{0,3}}?(?:left|right|one)\b",
        r"\bgarbled",
        # half the body gone numb or weak: "se me durmio medio cuerpo", "half my face is numb"
        rf"\bhalf\W+(?:of\W+)?(?:my|his|her|the)\W+(?:body|face)\W+{W}{{0,3}}?(?:numb|weak|droop|dead"
        r"|tingl|paraly|asleep)\w*",
        rf"\b(?:se\W+)?(?:me|le)\W+(?:durmio|entumio|paralizo|adormecio)\W+{W}{{0,2}}?(?:medio|la"
        r"\W+mitad|un\W+lado|el\W+lado|la\W+cara)\b",
        rf"\b(?:medio|mitad\W+del?)\W+(?:cuerpo|cara)\W+{W}{{0,2}}?(?:dormid|entumid|paraliz|adormecid)",
        rf"\b(?:speech|talking|words)\W+{W}{{0,3}}?(?:off|weird|wrong|strange|funny|jumbled|scrambled"
        r"|mixed\W+up|nonsense|gibberish"
        r"|not\W+right|don'?t\W+make\W+sense)",
        rf"\b{CANT}\W+(?:talk|speak)\W+(?:properly|clearly|straight|normal\w*)",
        rf"\b(?:one|left|right)\W+side\W+{W}{{0,4}}?(?:numb\w*|weak\w*|droop\w*|tingl\w*|paraly\w*"
        r"|dead)",
        rf"\b(?:numb\w*|weak\w*|paraly\w*)\W+{W}{{0,4}}?(?:left|right|one)\W+(?:side|arm|leg|hand)",
        rf"\b{CANT}\W+(?:lift|move|raise)\W+(?:my|his|her)\W+(?:left\W+|right\W+)?(?:arm|leg|hand)",
        rf"\b(?:left|right)\W+(?:arm|leg|hand)\W+{W}{{0,3}}?(?:numb\w*|weak\w*|dead|limp)",
        rf"\bsudden\w*\W+{W}{{0,3}}?(?:blind\w*|vision|confus\w*|can'?t\W+see)",
        rf"\b(?:lost|losing|loss\W+of)\W+{W}{{0,2}}?(?:vision|sight)",
        r"\bwent\W+blind",
        rf"\b{CANT}\W+feel\W+{W}{{0,3}}?(?:left|right|one)\W+(?:side|arm|leg|hand)",
        rf"\b(?:vision|sight|eye)\W+{W}{{0,4}}?(?:went|turned|going|gone)\W+(?:black|dark|dim|out|gr[ae]y)",
        rf"\b(?:vision|vista)\W+{W}{{0,5}}?(?:sudden\w*|de\W+repente)",
        r"\bse\W+me\W+(?:nublo|fue)\W+la\W+vista",
        rf"\b{CANT}\W+see\W+(?:out\W+of|from)\W+(?:my|one|his|her)",
        r"\b(?:having|had|has|is\W+having)\W+an?\W+(?:\w+\W+)?stroke\b",
        rf"\b(?:habla|hablando)\W+{W}{{0,2}}?(?:raro|rara|extrano|enredad\w*|arrastrad\w*|chistoso)",
        r"\barrastra\w*\W+(?:las\W+)?palabras",
        r"\bno\W+(?:puede|podia)\W+hablar",
        r"\bno\W+(?:puedo|puede|podia)\W+(?:mover|levantar)\W+(?:el|la|mi|su)\W+(?:brazo|pierna|mano)",
        rf"\b(?:brazo|pierna|mano|lado)\W+{W}{{0,3}}?(?:izquierd\w*|derech\w*)\W+{W}{{0,2}}?(?:dormid"
        r"\w*|debil\w*|entumid\w*|paraliz\w*)",
        rf"\bun\W+lado\W+{W}{{0,3}}?(?:dormid\w*|entumid\w*|debil|paraliz\w*)",
        r"\b(?:derrame|embolia)\b",
        r"\bperd\w+\W+(?:la\W+)?vista\b",
        rf"\bno\W+(?:veo|ve|puedo\W+ver|puede\W+ver)\W+{W}{{0,2}}?(?:del?|con|por)\W+(?:un|el|mi|su)?\W*ojo",
        # sudden confusion in lay words: doesn't recognize family, talking nonsense
        r"\b(?:doesn'?t|does\W+not|didn'?t|can'?t|won'?t)\W+recogni[sz]e\W+(?:any\W+of\W+)?(?:me|us|anyone"
        r"|her|him|his"
        r"|my|where)\b|\bno\W+(?:me|nos|lo|la|los)\W+reconoce",
        r"\b(?:doesn'?t|does\W+not)\W+know\W+where\W+(?:she|he|they)\W+(?:is|are)\b"
        r"|\bno\W+sabe\W+(?:donde|quien)\W+(?:esta|es)\b",
        # "sin sentido" sits in a lookahead so the negation check doesn't read "sin" as a negation
        rf"\b(?:diciendo|dice|habla|hablando|says|saying|talking)\W+{W}{{0,2}}?(?:incoheren\w*|nonsense"
        r"|gibberish|(?=sin\W+sentido))",
        rf"\b(?:face|cara)\W+{W}{{0,3}}?(?:weird|funny|strange|heavy|rara|extrana)\W+(?:on|de|del)\W+"
        r"(?:the\W+|un\W+|el\W+)?(?:left|right|one|lado)",
        r"\b(?:suddenly|very|really|is|seems|acting|became|got|and|very)\W+(?:so\W+|very\W+)?"
        r"confused\b(?!\W+(?:about|by|with|on|why|what|how|if|as|because|bc|regarding))",
        r"\b(?:esta|anda|muy|y|se\W+puso)\W+(?:muy\W+)?(?:confundid[oa]|desorientad[oa])\b"
        r"(?!\W+(?:con|sobre|por|de)\b)",
        r"\bdisoriented\b",
    ),
    _rule(
        "self-harm or suicide statement",
        rf"\bkill\w*\W+(?:{SELF})",
        # goodbye as a last message
        r"\b(?:last|final)\W+(?:message|text)\W+(?:\w+\W+){0,2}?(?:you'?ll|you\W+will|from\W+me)|\bultimo\W+mensaje\b"
        r"|\bwon'?t\W+hear\W+from\W+me\W+(?:again|anymore)",
        r"\b(?:thinking\W+(?:of|about)|want\W+to|going\W+to|gonna|ready\W+to|plan\w*\W+(?:on|to))\W+"
        r"end(?:ing)?\W+(?:things|everything|it(?:\W+all)?)\b(?!\W+with)",
        r"(?<!\d)(?<!\d\s)\bkms\b",
        r"\bunaliv\w*",
        r"\bsuicid\w*",
        r"\bself\W*harm\w*",
        rf"\b(?:want|wanna|wanted|going|gonna|thinking|thoughts?|thought|urges?|plan\w*|might"
        rf"|to)\W+{W}{{0,2}}?(?:hurt|harm|cut|off)\w*\W+(?:{SELF})",
        rf"\b(?:hurting|harming|cutting|burning)\W+(?:{SELF})",
        r"\b(?:end|ending|take|taking)\W+(?:my|it)\W+(?:own\W+)?(?:life|all)\b",
        r"\b(?:gonna|going\W+to|want\W+to|wanna|will|plan\w*\W+to|ready\W+to)\W+end\W+it\b",
        r"\b(?:want|wanna|wanted|ready)\W+(?:to\W+)?(?:die|be\W+dead)\b",
        rf"\bwish\W+i\W+{W}{{0,2}}?(?:dead|die|died|never\W+woke)",
        # lookahead keeps "without"/"sin" out of the hit, so the negation check doesn't fire
        r"\bbetter\W+off(?=\W+(?:dead|without\W+(?:me|us)|if\W+i\W+(?:was|were|wasn'?t|weren'?t"
        r"|didn'?t)\W+(?:\w+\W+)?(?:gone|dead|here|around|exist|alive)))",
        r"\b(?:estarian|estarin|estaria|estan|vivirian)\W+mejor(?=\W+sin\W+mi\b)",
        r"\bdon'?t\W+want\W+to\W+(?:live|be\W+alive|be\W+here\W+anymore|wake\W+up|exist)",
        r"\bno\W+reason\W+to\W+live",
        rf"\b(?:made|making)\W+{W}{{0,2}}?arrangements",
        # putting affairs in order: giving away pets or belongings, writing goodbye letters
        rf"\b(?:gave|given|giving|give)\W+(?:away\W+)?(?:all\W+)?(?:of\W+)?(?:my|his|her)\W+{W}?"
        r"(?:dog|cat|pets?|things|stuff|belongings|possessions|guns?)\b(?!\W+(?:food|meds|medicine"
        r"|shots?|vaccines?|records?))",
        rf"\b(?:wrote|writing|written|left)\W+{W}?(?:goodbye\W+)?(?:letters|notes)\W+(?:to|for)\W+"
        r"(?:everyone|everybody|my\W+family|my\W+kids|all)",
        rf"\b(?:hice|hecho|haciendo|tengo|deje)\W+{W}?(?:mis|todos\W+mis)\W+arreglos\b",
        r"\bregal\w+\W+(?:todas\W+)?(?:mis|sus)\W+(?:cosas|perros?|gatos?|mascotas?)",
        r"\b(?:adios|me\W+despido)\W+(?:a\W+todos|de\W+todos|para\W+siempre)",
        r"\b(?:this\W+is|saying)\W+(?:my\W+)?goodbye",
        r"\bgoodbye\W+(?:everyone|forever|for\W+good)",
        r"\bwon'?t\W+be\W+(?:around|here)\W+(?:much\W+longer|anymore|tomorrow)",
        r"\b(?:nothing|no\W+one|nobody)\W+to\W+live\W+for|\b(?:no|what'?s\W+the)\W+point\W+(?:in\W+)?living",
        r"\bdisappear\W+forever|\b(?:ganas\W+de|quiero)\W+desaparecer",
        r"\bno\W+(?:le\W+)?(?:encuentro|veo|tiene)\W+sentido\W+(?:a\W+)?(?:nada|la\W+vida|vivir|seguir)",
        rf"\b(?:took|taken|swallowed|downed|tome|trague)\W+{W}{{0,2}}?(?:whole|entire|all|too\W+many"
        r"|extra|a\W+bunch|a\W+handful|way\W+too\W+many|\d{2,}|todas|muchas|demasiadas|un\W+monton"
        rf"|el\W+frasco)\W+{W}{{0,4}}?(?:pills?|meds|tablets|bottle|pastillas|pildoras|medicinas?"
        r"|tabletas|frasco)\b",
        # a container swallowed ("me trague un frasco de pastillas", "took a bottle of advil")
        rf"\b(?:took|swallowed|downed|drank|tome|trague|se\W+tomo|se\W+trago|me\W+tome)\W+{W}{{0,2}}?"
        r"(?:frasco|bote|botella|caja|bottle|pack|blister)\b",
        # someone else's pills swallowed, or a count "like 8 of them"
        r"\b(?:swallowed|ate|got\W+into|drank|se\W+comio|se\W+trago)\W+(?:some\W+of\W+)?(?:her|his|my|the)?"
        r"\W*\w+'s\W+(?:\w+\W+){0,2}?(?:pills?|meds|medicine|tablets|gummies|vitamins)",
        r"\b(?:took|swallowed|ate|tome|trague|se\W+tomo|se\W+trago|se\W+comio)\b.{0,40}\b(?:[4-9]|\d\d"
        r"|four|five|six|seven|eight|nine|ten)\W+(?:of\W+(?:them|those|my|his|her|the)|pills|tablets"
        r"|pastillas)\b",
        # the same dose taken twice ("took my insulin twice")
        rf"\b(?:took|taken|injected|gave\W+(?:him|her)|tome|me\W+tome|se\W+tomo|inyecte)\W+{W}{{0,3}}?"
        r"(?:twice|two\W+times|double|dos\W+veces|doble)\b",
        rf"\b(?:took|taken|swallowed|downed|ate|tome|trague|tomo|trago|se\W+tomo|se\W+trago)\W+"
        rf"{W}{{0,2}}?(?:a\W+bunch|a\W+handful|a\W+lot|too\W+many|way\W+too\W+many|the\W+whole\W+bottle"
        r"|a\W+whole\W+bottle|un\W+monton|un\W+punado|todo\W+el\W+frasco|muchas|demasiadas)\W+"
        r"(?:of|de)\b",
        r"\boverdos\w*",
        # a count of pills taken ("took 20 of my xanax"), not a dose ("took 10 mg")
        r"\b(?:took|taken|swallowed|tome|trague|se\W+tomo)\W+(?:like\W+|about\W+|around\W+|maybe\W+"
        r"|como\W+)?(?:[1-9]\d|twenty|thirty|fifteen|forty|fifty|a\W+dozen|veinte|treinta|quince)\b"
        r"(?!\W*(?:mg|mcg|ml|cc|units?|min\w*|hours?|hrs?|days?|am|pm|years?|weeks?|dias|semanas))",
        # pills mixed with alcohol
        r"\b(?:pills|meds|xanax|opioids?|oxy\w*|percocet|sleeping\W+pills)\b.{0,60}\b(?:alcohol|vodka"
        r"|liquor|booze|whiske?y|tequila)\b|\b(?:alcohol|vodka|liquor|booze|whiske?y|tequila)\b.{0,60}"
        r"\b(?:took|taking|with|and)\W+(?:\w+\W+){0,2}?(?:pills|meds|xanax|opioids?|pastillas)\b",
        rf"\b(?:took|taken|take|tome|tomo)\W+(?:a\W+)?(?:double|triple|twice|two|2x|3x)\W+{W}{{0,2}}?"
        r"(?:dose|doses|my|of\W+my|the|his|her|pills|dosis)\b",
        r"\bgot\W+into\W+(?:the|my|his|her|our|grandma'?s|a)\W+(?:\w+\W+)?(?:pills?|meds|medicine"
        r"|medication|bottle|cabinet)",
        r"\b(?:not\W+sure|no\W+idea|don'?t\W+know|idk|no\W+se)\W+(?:how\W+many|cuantas)\W+(?:\w+\W+)?"
        r"(?:he|she|they|i|se)?\W*(?:ate|took|swallowed|had|tomo|trago|comio)",
        r"\bod'?d\b",
        rf"\bpills\W+{W}{{0,1}}saved",
        r"\b(?:stockpil|sav)\w+\W+pills",
        # done with life / goodbye before "going away"
        r"\b(?:done|finished)\W+with\W+(?:life|living|being\W+alive|it\W+all)\b",
        r"\btired\W+of\W+(?:living|life|being\W+alive)\b|\bcansad[oa]\W+de\W+vivir",
        rf"\b{CANT}\W+go\W+on\W+(?:like\W+this|living|anymore)",
        r"\bwon'?t\W+need\W+(?:\w+\W+){0,2}?where\W+i'?m\W+going",
        r"\bif\W+i\W+(?:was|were)\W+(?:gone|dead)\b|\bif\W+i\W+(?:died|disappeared)\b",
        r"\bno\W+quiero\W+(?:despertar|amanecer|existir)",
        r"\bmejor\W+me\W+muero|\bojala\W+me\W+muera|\bquisiera\W+(?:estar\W+)?muert[oa]",
        r"\bme\W+quiero\W+ir\W+de\W+este\W+mundo",
        r"\bdesp[ei]d\w+\W+de\W+(?:mis|todos|mi\W+familia|ustedes)\b",
        r"\bmatarme\b",
        r"\bme\W+(?:quiero|voy\W+a)\W+matar",
        r"\bquitarme\W+la\W+vida",
        # named methods: "hang myself", "jump off a bridge", "tirarme del puente", "pegarme un tiro"
        rf"\b(?:hang|shoot|drown|poison|stab)\w*\W+(?:{SELF})",
        r"\bjump\w*\W+(?:off|in\W+front\W+of)\W+(?:a|the|my)\W+(?:\w+\W+)?(?:bridge|building|roof|train"
        r"|balcony|cliff|car|truck)",
        r"\b(?:tirarme|aventarme|colgarme|ahorcarme|envenenarme)\b|\bpegarme\W+un\W+tiro",
        r"\bsewerslide|\bkys\W+myself",
        # all of one's own supply swallowed ("took all my xanax")
        r"\b(?:took|swallowed|downed|tome|trague|se\W+tomo|se\W+trago)\W+(?:all|todas|todos)\W+(?:of\W+)?"
        r"(?:my|his|her|mis|sus|las|los)\W+(?!money|stuff|things|cosas)\w+",
        r"\b(?:quiero|quisiera|ganas\W+de)\W+morir\w*",
        r"\bme\W+quiero\W+morir",
        r"\bno\W+quiero\W+(?:seguir\W+)?(?:vivir|estar\W+aqui)",
        rf"\bhacerme\W+{W}?dano",
        r"\blastimarme\b",
        r"\bcortarme\b",
        r"\bsobredosis\b",
        r"\bdespedirme\W+de",
        # cutting as self-harm (not "cutting back on salt"), ES wrists and "end it all"
        r"\bcutting\W+(?:again|myself|herself|himself)\b|\bslit\W+(?:my|his|her)\W+wrists?",
        r"\b(?:been|started|start|keeps?|kept|back\W+to|relaps\w*\W+(?:on|into))\W+cutting\b"
        r"(?!\W+(?:back|down|out|off|up|the|coupons|carbs|sugar|my\W+hair))",
        r"\bcut\w*\W+(?:my|his|her|their)\W+wrists?",
        r"\b(?:se|me)\W+(?:corto|corte|cortaba|cortando|esta\W+cortando|quemo|queme)\W+(?:las|los|la"
        r"|el|sus|mis)\W+(?:munecas?|brazos?|piernas?|venas)",
        r"\b(?:lastim|cort|quem)\w+\W+a\W+proposito|\bcortandose\b",
        r"\b(?:quiero|voy\W+a|ganas\W+de|pienso|quisiera)\W+(?:terminar|acabar)\W+con\W+(?:todo|mi\W+vida)",
        r"\b(?:terminar|acabar)\W+con\W+mi\W+vida",
    ),
    _rule(
        "severe bleeding",
        rf"\bbleed\w*\W+{W}{{0,3}}?(?:a\W+lot|heavily|heavy|badly|won'?t\W+stop|wont\W+stop|nonstop"
        r"|non\W+stop|through|thru|everywhere|like\W+crazy|for\W+(?:an|over\W+an|\d+|two|three)"
        r"\W+hours?)",
        rf"\b(?:heavy|heavily|severe|uncontrolled|lots\W+of|a\W+lot\W+of)\W+{W}?bleed\w*",
        rf"\bsoak\w*\W+{W}{{0,3}}?(?:pads?|dressing|bandage|towel|gauze)",
        rf"\b(?:pads?|dressing|bandage|gauze|gasas?|vendas?|toallas?)\W+{W}{{0,3}}?(?:soak\w*|empap\w*)",
        r"\bsoak(?:ed|ing|s)\W+(?:through|thru)\b",
        # under an hour only: "a pad every 3 hours" is heavy but not urgent
        rf"\b(?:pads?|tampons?|dressing|bandage)\W+{W}{{0,2}}?(?:every|in)\W+(?:\d+\W+min\w*|(?:an|one|1|half"
        r"\W+an?)\W+(?:hour|hr)|hour|hr)\b",
        rf"\b(?:vomit\w*|throw\w*\W+up|threw\W+up|cough\w*\W+up|puking)\W+{W}?blood",
        r"\bblood\W+(?:won'?t|will\W+not|doesn'?t)\W+stop",
        r"\b(?:won'?t|will\W+not|doesn'?t|can'?t\W+get\W+(?:it|him|her)\W+to)\W+stop\W+bleeding",
        r"\bblood\W+in\W+(?:my\W+|his\W+|her\W+|the\W+)?(?:vomit|throw\W?up|puke)|\bvomitos?\W+(?:con|de)"
        r"\W+sangre",
        r"\b(?:passing|big|large|huge|giant)\W+(?:blood\W+)?clots\b|\bcoagulos\W+(?:muy\W+)?(?:grandes"
        r"|enormes)",
        # volume words: gushing, pouring, "a lot of blood", bleeding for 30+ minutes
        rf"\b(?:gush\w*|pour\w*|spurt\w*)\W+{W}?blood|\bblood\W+{W}{{0,2}}?(?:gush\w*|pour\w*|spurt\w*)",
        r"\b(?:a\W+lot\W+of|lots\W+of|so\W+much|tons\W+of|too\W+much)\W+blood|\bblood\W+(?:\w+\W+){0,3}?(?:a\W+lot"
        r"\W+of\W+it|everywhere|clots)",
        rf"\bbleed\w*\W+{W}{{0,3}}?for\W+(?:[3-9]\d|forty|fifty|thirty)\W+min",
        rf"\bsangr\w+\W+{W}{{0,2}}?(?:mucho|muchisimo|demasiado|sin\W+parar|bastante|a\W+chorros)",
        r"\b(?:much\w*|bastante|demasiada)\W+sangre",
        r"\b(?:tirando|echando|arrojando|botando)\W+(?:mucha\W+)?sangre|\bsangre\W+por\W+la\W+boca",
        r"\bno\W+(?:para|deja)\W+de\W+sangrar",
        rf"\b(?:vomit\w*|tosiendo|escupiendo)\W+{W}?sangre",
        rf"\bempap\w+\W+{W}{{0,3}}?(?:toallas?|gasas?|vendas?|panal)",
        r"\bhemorragia",
        r"\bsangrado\W+(?:muy\W+)?(?:abundante|fuerte|excesivo|intenso)",
        rf"\b(?:llen|empap)\w*\W+{W}{{0,3}}?(?:toallas?|gasas?|vendas?|panal\w*|pads?)",
        r"\b(?:llena|llenan|empapa|empapan)\W+de\W+sangre",
        r"\b(?:fills?|filling|filled|soaks?|soaking)\W+(?:up\W+)?with\W+blood",
        rf"\b(?:went|going|gone|goes|filled|filling|fill)\W+(?:through|thru)?\W*{W}{{0,2}}?(?:pads?"
        r"|dressings?|bandages?|gauze)\b\W+(?:\w+\W+){0,2}?(?:in|every|an|per)\b",
    ),
    _rule(
        "severe allergic reaction",
        rf"\b(?:throat|tongue|lips?|garganta|lengua|labios)\W+{W}{{0,3}}?(?:swell\w*|swollen|puff\w*"
        r"|closing|closed|tight\w*|thick|hinchad\w*|hinch[oa]\w*|cerrando|cerrad[oa])"
        # swollen glands (a cold), a cold sore or chapped lips are not anaphylaxis
        r"(?!\W+(?:glands?|tonsils?|lymph|nodes|ganglios|anginas))"
        r"(?!\W+(?:\w+\W+){0,3}?(?:cold\W+sores?|chapp\w*|fever\W+blisters?|dentist|fillers?))",
        r"\bse\W+(?:me|le)\W+(?:esta\W+)?cerr\w*\W+la\W+garganta",
        rf"\bhinch\w+\W+{W}{{0,2}}?(?:garganta|lengua|labios)",
        # "can't swallow pills" is a dosage-form question, not a closing throat
        r"\b(?:hard|trouble|difficult\w*|can'?t|cannot|cant|unable|barely|hardly)\W+(?:to\W+)?swallow\w*"
        r"(?!\W+(?:(?:big|large|the|my|these|those)\W+)?(?:pills?|tablets?|capsules?|vitamins?))",
        r"\bno\W+(?:puedo|puede)\W+tragar",
        r"\bdificultad\W+para\W+tragar",
        r"\banaphyla\w*",
        r"\b(?:used|use|gave|give|had\W+to\W+use)\W+(?:my|his|her|the|an?)\W+epi\W?pen",
        r"\bsevere\W+allergic",
    ),
    _rule(
        "fainting, unresponsive or seizure",
        r"\bfaint(?:ed|ing)\b",
        r"\bpass(?:ed|ing)?\W+out\b(?!\W+(?:on\W+the\W+(?:couch|sofa)|in\W+bed|early|asleep|watching"
        r"|from\W+(?:the\W+)?(?:shock|surprise|price|bill|laugh\w*|embarrassment))\b)",
        r"\bblack(?:ed)?\W+out\b",
        r"\blost\W+consciousness",
        r"\bunconscious",
        # lay words for collapsing: "out cold", "keeled over", "se privo", "se desvanecio"
        r"\bout\W+cold\b|\bkeeled\W+over|\bknocked\W+(?:out|unconscious)\b"
        r"|\b(?:he|she|i|mom|dad|grandma|grandpa)\W+(?:just\W+)?fell\W+out\b(?!\W+of)",
        r"\bse\W+(?:me\W+|le\W+)?priv[oa]\b|\bdesvaneci\w*|\bse\W+(?:quedo|queda)\W+(?:como\W+)?ido\b",
        r"\bunresponsive",
        r"\b(?:won'?t|can'?t|not)\W+(?:wake\W+(?:him|her|them)\W+up|waking\W+up|wake\W+up)",
        r"\b(?:having|had|has|is\W+having|just\W+had)\W+an?\W+(?:\w+\W+)?seizure",
        r"\bseizing\b",
        r"\bcollaps(?:ed|ing)\b",
        r"\bbarely\W+(?:awake|conscious|responsive|responding)\b|\bmuy\W+somnolient[oa]\b",
        # lookahead keeps the "not" out of the hit, so the negation check doesn't drop it
        r"\b(?:he|she|they|him|her)\b(?=\W+(?:\w+\W+){0,3}?(?:not|won'?t|isn'?t|doesn'?t|can'?t)\W+"
        r"(?:respond\w*|react\w*)\b)|\bnot\W+responding\W+to\W+(?:me|us|anything)",
        r"\b(?:won'?t|can'?t|hard\W+to|difficult\W+to)\W+(?:stay\W+awake|wake\W+(?:him|her|them|up))",
        r"\bshaking\W+all\W+over|\b(?:jerking|twitching)\W+(?:\w+\W+){0,2}?(?:won'?t\W+stop|all\W+over)",
        r"\bconvuls\w*",
        r"\bhaving\W+(?:a\W+)?fits?\b|\bfoam\w*\W+at\W+the\W+mouth|\bespuma\W+(?:por|en)\W+la\W+boca",
        r"\bdesmay\w*",
        r"\bperdi\w*\W+(?:el\W+)?(?:conocimiento|sentido)",
        r"\binconsciente",
        r"\bno\W+(?:reacciona|despierta)\b",
        r"\bataque\W+(?:epileptico|de\W+epilepsia)",
        # "le dio un ataque" is a fit; "ataque de tos / risa / nervios" is not
        r"\b(?:le|me)\W+(?:dio|dieron|esta\W+dando|da)\W+(?:un\W+|otro\W+)?ataque\b(?!\W+de\W+"
        r"(?:tos|risa|panico|ansiedad|nervios|celos|hambre|sueno|llanto|asma))",
        r"\bse\W+(?:puso|quedo)\W+(?:ties[oa]|rigid[oa])|\bojos\W+en\W+blanco|\beyes\W+rolled\W+back",
        r"\bno\W+(?:responde|reacciona|despierta)\b(?!\W+(?:a\W+)?(?:los|mis|sus|el|mi|su)?\W*"
        r"(?:mensajes?|llamadas?|correos?|textos?|emails?|telefono))",
    ),
    _rule(
        "worst headache of life",
        rf"\bworst\W+{W}?{HEADACHE}",
        rf"\b{HEADACHE}\W+{W}{{0,8}}?(?:the\W+|el\W+)?(?:worst|peor|mas\W+fuerte|most\W+painful)\W+"
        rf"{W}{{0,3}}?(?:of\W+my\W+life|ever|de\W+mi\W+vida|que\W+(?:he|haya)\W+(?:tenido|sentido))",
        # "never had one like it" is the worst-ever headache in other words
        # (a lookahead, so the negation check doesn't read "never" as negating the headache)
        rf"\b{HEADACHE}\b(?=.{{0,80}}\b(?:never|nunca)\W+(?:had|felt|tenido|sentido|he\W+tenido)\W+"
        r"(?:one|anything|a\W+\w+|algo|uno|nada)\W+(?:like|this|asi|igual|parecido))",
        rf"\b(?:sudden\w*|de\W+repente|de\W+golpe)\W+{W}{{0,2}}?(?:severe|terrible|horrible|awful"
        rf"|excruciating|explosive|horrendous|fuertisimo)\W+{HEADACHE}",
        rf"\b{HEADACHE}\W+{W}{{0,3}}?(?:horrible|terrible|fuertisimo|insoportable|atroz)\W+{W}{{0,2}}?"
        r"(?:de\W+repente|de\W+golpe|out\w*\W+(?:of\W+)?nowhere)",
        r"\bthunderclap",
        r"\bpeor\W+dolor\W+de\W+cabeza",
        rf"\bsudden\w*\W+(?:severe|terrible|explosive)\W+{HEADACHE}",
    ),
    _rule(
        "threat of violence",
        rf"\b(?:threaten\w*|said\W+(?:he|she)\W*(?:'d|would|will|is\W+going\W+to|was\W+going\W+to))\W+"
        rf"{W}?(?:kill|hurt|shoot|stab)\W+(?:me|us|him|her|them|someone|somebody|everyone|my)\b",
        # "gonna kill me if I miss another day" is an idiom about consequences, not a threat
        rf"\b(?:going\W+to|gonna|wants?\W+to)\W+{W}?(?:kill|hurt|shoot|stab)\W+(?:me|us|him|her|them"
        r"|someone|somebody|everyone|my)\b(?!\W+(?:if|when|lol|lmao|haha|jk|for))",
        # a named person as the target: "going to hurt the front desk lady"
        rf"\b(?:going\W+to|gonna|threaten\w*\W+to)\W+(?:kill|hurt|shoot|stab|attack)\W+(?:the|that|this"
        rf"|your|a)\W+{W}{{0,2}}?(?:lady|guy|man|woman|nurse|doctor|dr|staff|receptionist|people"
        r"|kids?|baby|family|teacher|neighbou?r)\b",
        rf"\b(?:amenaz|apunt)\w+\W+{W}{{0,3}}?(?:cuchillo|pistola|arma|navaja)",
        r"\b(?:tiene|trae|saco|agarro)\W+(?:un\W+|una\W+)?(?:arma|pistola|cuchillo|navaja)\b",
        r"\bamenazando\W+(?:a\W+)?(?:todos|todo\W+el\W+mundo|nosotros|mi\b|me\b)",
        r"\b(?:has|with|pulled|holding|got)\W+an?\W+(?:gun|knife|weapon)",
        r"\b(?:someone|somebody|a\W+man|a\W+guy|he|she)\W+(?:is\W+|'s\W+)?(?:breaking|broke|trying\W+to\W+break)"
        r"\W+in(?:to)?\b",
        r"\bme\W+(?:quiere|va\W+a)\W+(?:matar|pegar)",
        rf"\bamenaz\w+\W+{W}?(?:matar|pegar)",
        r"\b(?:is|keeps|he'?s|she'?s)\W+(?:hitting|beating|choking)\W+me\b",
    ),
)

# Red flags made of two parts that must both be present and current.
COMBO_FLAGS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "head injury with vomiting or confusion",
        _rx(
            rf"\b(?:hit|bump\w*|bonk\w*|bang\w*|smack\w*|whack\w*|knock\w*|struck|slam\w*)\W+{W}?"
            r"(?:head|noggin|skull)\b",
            rf"\b(?:pegu\w*|pego|golpe\w*)\W+{W}{{0,3}}?cabeza",
            r"\bhead\W+injur\w*",
            rf"\bfell\W+{W}{{0,3}}?head",
            r"\bconcussion",
            rf"\bgolpe\w*\W+{W}{{0,3}}?cabeza",
            rf"\bse\W+(?:pego|cayo)\W+{W}{{0,3}}?cabeza",
        ),
        _rx(
            r"\b(?:vomit\w*|throw\w*\W+up|threw\W+up|thrown\W+up|puk\w*|confus\w*|confundid\w*|drowsy"
            r"|sleepy|won'?t\W+stay\W+awake|somnolient\w*|out\W+of\W+it|asking\W+the\W+same|repeat\w*"
            r"\W+(?:him|her|my)sel|not\W+making\W+sense|no\W+sabe|(?:veo|ve)\W+(?:borroso|doble)"
            r"|blurry|double\W+vision)"
        ),
    ),
    (
        "fever in a baby under 3 months",
        _rx(
            r"\bnewborn|\brecien\W+nacid\w*",
            rf"\b{N_WORD}[\s-]*(?:days?|weeks?|wks?)[\s-]*old\b",
            r"\b(?:1|2|one|two)[\s-]*(?:months?|mos?)[\s-]*old\b",
            rf"\b(?:bebe|nin[oa]|hij[oa]|niet[oa])\W+de\W+{N_WORD}\W+(?:dias|semanas)\b",
            r"\b(?:bebe|nin[oa]|hij[oa])\W+de\W+(?:1|un|2|dos)\W+mes(?:es)?\b",
            rf"\b(?:baby|newborn|infant|bebe|son|daughter|he|she)\W+(?:is|'s|s|just|only|turned"
            rf"|tiene|apenas)\W+(?:just\W+|only\W+)?(?:{N_WORD}\W+(?:days?|weeks?|wks?|dias|semanas)"
            r"|(?:1|2|one|two|un|dos)\W+(?:months?|mos?|mes|meses))\b",
        ),
        _rx(
            r"\bfever\w*|\bcalentura|\bfiebre|\btemperatura|\btemp\W+(?:of\W+)?\d|\b10[0-4](?:\.\d)?\b",
            # feels hot / spelled-out readings in voicemail transcripts
            r"\btemp\w*\b|\b(?:feels?|felt|is|so|really|very)\W+(?:really\W+|very\W+|so\W+)?hot\b"
            r"|\bburning\W+up|\bone\W+hundred|\bcaliente|\bardiendo|\b3[89](?:[.,]\d)?\W*(?:c\b|grados)"
            r"|\b3[89][.,]\d\b|\b(?:feels?|felt|is|so|really|very)\W+(?:really\W+|very\W+|so\W+)?warm\b",
        ),
    ),
    (
        "severe pain with fever after a procedure",
        _rx(rf"\b{PROCEDURE}\b"),
        _rx(
            r"\A(?=.*\b(?:fever\w*|calentura|fiebre|10[1-5](?:\.\d)?)\b)(?=.*(?:\b(?:severe|terrible"
            r"|horrible|unbearable|excruciating|worst|intense|so\W+much)\W+(?:\w+\W+)?(?:pain|hurt\w*|dolor)"
            r"|\b(?:pain|dolor)\W+(?:\w+\W+){0,2}?(?:muy\W+)?(?:severe|terrible|horrible|unbearable"
            r"|excruciating|fuerte|insoportable)|\bmucho\W+dolor|\b(?:pain|hurt\w*)\W+(?:\w+\W+){0,2}?"
            r"(?:really|so|very|super|too)\W+(?:bad|much)|\b(?:really|very|so)\W+bad\W+pain"
            r"|\bduele\W+(?:\w+\W+){0,2}?(?:mucho|muchisimo|horrible)|\bon\W+fire\b|\bkilling\W+me\b"
            r"|\bcan'?t\W+(?:move|walk|stand)\b|\bcan\W+barely\W+(?:move|walk|stand)\b"
            r"|\bno\W+(?:puedo|aguanto)\W+(?:el\W+dolor|moverme|caminar)))"
        ),
    ),
    (
        "bleeding during pregnancy",
        _rx(
            r"\bpregnan\w*|\bembarazad\w*|\bweeks?\W+along",
            r"\b(?:tengo|estoy\W+de|i'?m|im|at)\W+(?:[2-4]\d)\W+(?:semanas|weeks|wks)\b",
            r"\b(?:[4-9]|four|five|six|seven|eight|nine|cuatro|cinco|seis|siete|ocho|nueve)\W+(?:months?"
            r"|meses)\W+(?:along|pregnant|de\W+embarazo)\b|\b(?:third|3rd|tercer)\W+trimest\w*",
        ),
        # an "analisis de sangre" or "blood test" is not bleeding
        _rx(
            r"\bbleed\w*|(?<!analisis de )(?<!prueba de )(?<!examen de )\bsangr\w*"
            r"|\bblood\b(?!\W*(?:test|work|draw|pressure|sugar|type|count|panel|results?|labs?))"
            r"|\b(?:water|fluid|discharge|liquid|agua|fuente|flujo|liquido)\W+(?:\w+\W+){0,6}?(?:red"
            r"|bloody|pink|roj[oa]|con\W+sangre)\b"
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Safety net (round 4): emergencies in wording the red-flag tables don't list
# --------------------------------------------------------------------------------------
# The tables above are vocabulary-bound: every fresh batch found emergencies in new words.
# The net runs only when no table fired.  It has two kinds of rules:
#   * composites: a vital area (chest, breathing, one side of the body, speech, vision,
#     airway, blood...) and an acute cue (squeezing, can't, sudden, blue, spurting...) that
#     meet in one clause, at most NET_GAP characters apart;
#   * families: whole statements no single table word captures (wishing not to wake up,
#     driving into a tree, swallowing a sleeve of pills, hitting the floor).
# A net hit is set aside when it is negated, in a past-history sentence, described as
# chronic or already resolved, or part of an episode weeks ago that has cleared (R2, R3).

NET_GAP = 60
# A clause ends at sentence punctuation or at a contrast ("but", "pero").
_NET_CLAUSE_BREAK = re.compile(r"[.!?;\n]|\b(?:but|pero|though|although|aunque|however)\b")
# Long-standing or intermittent: "for months", "off and on", "like always".
_CHRONIC = re.compile(
    r"\bfor\W+(?:a\W+few\W+|a\W+couple\W+(?:of\W+)?|several\W+|many\W+|\d+\W+|two\W+|three\W+)?"
    r"(?:weeks|months|years)\b|\b(?:off\W+and\W+on|on\W+and\W+off|comes\W+and\W+goes|sometimes"
    r"|every\W+(?:morning|night|time\W+i)|a\W+veces|de\W+vez\W+en\W+cuando|como\W+siempre|like\W+always"
    r"|usual|hace\W+(?:meses|anos|semanas)|since\W+(?:i\W+was|childhood|birth)|slept\W+on\W+it"
    r"|when\W+i\W+(?:read|sleep|slept|wake\W+up))\b"
)
# Already over: "it stopped", "fine now", "ya se me pasó".
_RESOLVED = re.compile(
    r"\b(?:it|that|bleeding|which)\W+(?:\w+\W+)?stopped\b|\bstopped\W+(?:after|on\W+its\W+own|by\W+itself)"
    r"|\b(?:fine|ok|okay|better|normal)\W+now\b|\bwent\W+away\b|\bresolved\b|\bpassed\W+(?:after|in)\b"
    r"|\bya\W+(?:se\W+)?(?:me\W+|le\W+)?(?:paso|quito)\b|\bya\W+(?:estoy|esta)\W+bien\b"
)


@dataclass(frozen=True)
class Composite:
    """A vital area and an acute cue meeting in one clause.

    `context` must also appear somewhere in the message (e.g. an allergen for a swollen
    face); `unless` is a benign explanation that cancels the clause (e.g. swollen glands).
    """

    label: str
    area: re.Pattern[str]
    cue: re.Pattern[str]
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    gap: int = NET_GAP


def _composite(
    label: str, area: str, cue: str, context: str = "", unless: str = "", gap: int = NET_GAP
) -> Composite:
    return Composite(
        label,
        _rx(area),
        _rx(cue),
        _rx(context) if context else None,
        _rx(unless) if unless else None,
        gap,
    )


# Acute-onset cue shared by several composites.
SUDDEN = (
    r"\b(?:sudden\w*|all\W+of\W+a\W+sudden|out\W+of\W+(?:nowhere|the\W+blue)|de\W+repente"
    r"|de\W+(?:la\W+)?nada|de\W+golpe|came\W+on\W+(?:fast|quick\w*|all\W+at\W+once|in\W+(?:seconds"
    r"|a\W+second))|just\W+(?:now|started|happened)|started\W+(?:like\W+|about\W+)?(?:\d+|a\W+few|an?"
    r"|one|two|ten|fifteen|twenty)\W+(?:min\w*|hours?|hrs?)\W+ago|for\W+the\W+(?:past|last)\W+"
    r"(?:\d+|few|ten|twenty|thirty)\W+min\w*|hace\W+(?:un\W+rato|media\W+hora|\d+\W+minutos))"
)
CANT_OR_BARELY = rf"(?:{CANT}|can\W+(?:barely|hardly)|barely|hardly|no\W+(?:puedo|puede|pude|pudo))"
# Whose body: left/right or "one side" next to a body part, in either order.
SIDE_PART = (
    r"(?:left|right|izquierd[oa]|derech[oa])\W+(?:arm|leg|hand|side|face|cheek|half|brazo|pierna"
    r"|mano|lado)|(?:arm|leg|hand|face|cheek|brazo|pierna|mano|lado|cara)\W+(?:\w+\W+)?(?:left|right"
    r"|izquierd[oa]|derech[oa])\b(?!\W+(?:now|away|after|before|there|here|ahora))"
    r"|\b(?:one|that|the\W+other)\W+(?:side|corner|half)|half\W+(?:of\W+)?(?:my|his|her)\W+(?:face|body)"
    r"|\bde\W+un\W+lado|\bun\W+solo\W+lado|\bmedio\W+cuerpo|\bla\W+mitad\W+de"
)
LIMB_WRONG = (
    r"\b(?:numb\w*|weak\w*|limp|dead|heavy|crooked|droop\w*|sag\w*|novocaine|asleep|tingl\w*"
    r"|(?:wouldn'?t|won'?t|doesn'?t|didn'?t)\W+(?:cooperate|work|move|listen|respond)|useless|clumsy"
    r"|drool\w*|twitch\w*|paraly\w*|(?:fell|fallen|falling)\W+(?:down|off)?|cayo|caida|entum\w*"
    r"|melt\w*|slid\w*|sliding|slipping|hanging|sunk\w*|frozen|baba|cae|cayendo"
    r"|(?:can'?t|cannot|no\W+(?:puedo|puede))\W+(?:\w+\W+)?mov\w*"
    r"|dormid[oa]|durmio|no\W+(?:siento|siente)|can'?t\W+feel|flojo|floja|chuec[oa]|torcid[oa]"
    r"|pesad[oa]|weird|funny)\b"
)
# Purple from a bruise or nail polish is not cyanosis; a sore throat is not anaphylaxis.
NOT_CYANOSIS = (
    r"\b(?:bruis\w*|moret\w*|polish|esmalte|paint\w*|dye|marker|makeup|lipstick|tattoo|raynaud)"
)
SORE_THROAT = (
    r"\b(?:sore|strep|glands?|tonsils?|lymph|nodes|ganglios|anginas|cold|gripa|gripe|resfri\w*"
    r"|cough\w*|tos|dolor\W+de\W+garganta)\b"
)
ALLERGEN = (
    r"\b(?:ate|eaten|eating|sting|stung|bee|wasp|hornet|peanuts?|nuts?|cacahuates?|mani|shrimp"
    r"|shellfish|mariscos|camaron\w*|new\W+(?:med\w*|antibiotic|pill|cream|lotion|drug)|started\W+"
    r"(?:the|a|my|taking)|after\W+(?:the|that|my|a)\W+(?:\w+\W+)?(?:shot|injection|vaccine|med\w*"
    r"|pill|cream|dose)|hives|ronchas|wheez\w*|allerg\w*|reaction|reaccion|inyeccion|vacuna"
    r"|picadura|pico|se\W+comio|comi|comio)\b"
)
# Idioms that borrow vital words: "my head exploded when I saw the bill".
PAPERWORK = (
    r"\b(?:bill\w*|charge\w*|price|cost|paperwork|forms?|insurance|news|email|cuenta|factura"
    r"|papeleo|tramites?|portal|app|website)\b"
)
CALLS = (
    r"\b(?:phone|calls?|call(?:ed|ing)|texts?|messages?|emails?|portal|office|clinic|front\W+desk"
    r"|llamad\w*|telefono|mensajes?|correo|video|audio|link|zoom|mic|connection)\b"
)

NET_COMPOSITES: tuple[Composite, ...] = (
    _composite(
        "chest or heart squeezed, crushed or weighed down",
        rf"\b(?:{CHEST}|{PECHO}|heart|corazon|ticker|ribs|rib\W+cage|costillas)\b",
        r"\b(?:pressure|squeez\w*|crush\w*|weight|heavy|heaviness|tight\w*|band|belt|cinch\w*|vi[sc]e"
        r"|fist|elephant|clamp\w*|strap\w*|sweat\w*|clammy|encog\w*|apret\w*|aprieta\w*|opresion"
        r"|wrung|wring\w*|twist\w*|grip\w*|clench\w*|knot\w*|truck|brick|boulder|ladrillo|costal"
        r"|punzada\w*|fierro|plancha|piedra|plomo|peso|sudando|sudor\w*|severe|intense|horrible"
        # no onset words here: a heart that suddenly races is palpitations, a clinical question
        r"|unbearable|excruciating|terrible|fuerte|insoportable|getting\W+worse\W+fast|worse\W+by"
        r"\W+the\W+minute)\b",
        unless=r"\bheavy\W+heart\b|\b(?:congest\w*|mucus|phlegm|flema|rash|acne|x\W?ray|tattoo|binder"
        r"|bench\w*|push\W?ups?|workout|gym|lifting)\b",
    ),
    _composite(
        "pressure with sweating or a gray color",
        r"\b(?:sweat\w*|clammy|sudad[oa]|sudando|sudor\w*|gr[ae]y|ashen|palid[oa])\b",
        r"\b(?:pressure|squeez\w*|crush\w*|aprieta\w*|apret\w*|opresion|heavy|heaviness|weight"
        r"|tight\w*|vi[sc]e|clench\w*)\b",
        unless=r"\b(?:workout|gym|run\w*|exercis\w*|fever|chills|flu|gripa)\b",
    ),
    _composite(
        "chest ache with an arm, jaw or breathing sign",
        rf"\b(?:{CHEST}|{PECHO})\b",
        r"\b(?:ache|aching|hurt\w*|pain\w*|discomfort|indigestion|burn\w*|dolor|molestia|ardor)\b",
        context=r"\b(?:arm|jaw|neck|shoulder|brazo|quijada|mandibula|cuello|hombro)\W+(?:\w+\W+)?"
        r"(?:is\W+|are\W+|feels?\W+)?(?:numb\w*|tingl\w*|ach\w*|hurt\w*|dormid\w*|entum\w*)"
        r"|\b(?:clammy|sweat\w*|sudor\w*|short\W+of\W+breath|falta\W+(?:el\W+)?aire)\b",
        unless=r"\b(?:cough\w*|congest\w*|tos|bench\w*|workout|gym|lifting|push\W?ups?)\b",
    ),
    _composite(
        "pain spreading to the jaw or left arm with a cardiac sign",
        r"\b(?:jaw|quijada|mandibula|left\W+(?:arm|shoulder)|brazo\W+izquierdo|hombro\W+izquierdo"
        r"|lado\W+izquierdo)\b",
        r"\b(?:spread\w*|radiat\w*|shoot\w*|going\W+(?:down|up|into)|into\W+my|down\W+my|up\W+my|hasta"
        r"|baja\w*|sube|crush\w*|clammy|sweat\w*|tingl\w*|numb\w*|arde|ardor|dolor|ache|aching|hurt\w*"
        r"|pain\w*)\b",
        context=rf"\b(?:{CHEST}|{PECHO}|heart|corazon|ribs|costillas|crush\w*|pressure|clammy|sweat\w*"
        r"|sudor\w*|sudando|short\W+of\W+breath|nause\w*|heavy|tight\w*|cinch\w*|squeez\w*)\b",
    ),
    _composite(
        "breathing failing (air hunger, retractions, color change)",
        rf"\b(?:{BREATH}|breathe|air(?!\W*(?:condition\w*|filter|travel|port|line|bnb|pods|fryer"
        r"|plane|purifier))|aire|respir\w*|inhal\w*|lungs?|pulmon\w*|oxygen|oxigeno|wheez\w*)\b",
        rf"\b(?:{CANT_OR_BARELY}|struggl\w*|fight\w*|gasp\w*|straw|underwater|drown\w*|chok\w*"
        r"|smother\w*|suffocat\w*|sucking|pull\w*\W+in|caving|grunt\w*|ribs|costillas|hunde\w*"
        r"|blue|bluish|dusky|purpl\w*|gr[ae]y|morad[oa]s?|azul\w*|like\W+crazy|fast|rapid\w*|rapido"
        r"|silb\w*|full\W+(?:breath|sentence)|did\W+nothing|panza|belly|tummy|stomach|nostrils?|flar\w*"
        r"|aleteo|elephant|weight|heavy|crush\w*|sipping|gulping|hungry|starv\w*|panting|jadea\w*"
        r"|(?:isn'?t|not|no)\W+(?:helping|working"
        r"|ayuda|sirve)|getting\W+worse\W+fast|worse\W+by\W+the\W+minute)\b",
        unless=r"\b(?:bad\W+breath|breath\W+(?:test|mint)|laugh\w*|risa|breathing\W+treatment"
        r"|deep\W+breath)",
    ),
    _composite(
        "can't lie down without choking or drowning feeling",
        r"\b(?:l[iay]+(?:e|ing)?\W+(?:down|back|flat)|acost\w*)\b",
        r"\b(?:underwater|drown\w*|chok\w*|smother\w*|gasp\w*|suffocat\w*|for\W+air|ahog\w*)\b",
    ),
    _composite(
        "lips, face or nails turning blue or gray",
        r"\b(?:lips?|labios?|(?:finger|toe)?nails|unas|fingertips|fingers|dedos|face|cara|mouth|boca"
        r"|skin|piel)\b",
        r"\b(?:blue\w*|bluish|dusky|purpl\w*|gr[ae]y(?:ish)?|ashen|morad[oa]s?|azul\w*)\b",
        unless=NOT_CYANOSIS + r"|\b(?:cold|frio|bruise)\b",
    ),
    _composite(
        "one side of the body weak, numb or drooping",
        SIDE_PART,
        LIMB_WRONG,
        unless=r"\b(?:carpal|tunnel|shot|vaccine|vacuna|injection|cramp\w*|workout|gym|tattoo)\b",
    ),
    _composite(
        "speech suddenly garbled or wrong words",
        r"\b(?:words?|speech|speak\w*|talk\w*|habla\w*|palabras|lo\W+que\W+dice|voice)\b",
        r"\b(?:wrong|mushy|mumbl\w*|slur\w*|garbl\w*|jumbl\w*|nonsense|gibberish|(?:like|como)\W+(?:a\W+)?"
        r"(?:drunk|borrach[oa])|no\W+(?:le|se\W+le)\W+entiend\w*|can'?t\W+understand\W+(?:him|her"
        r"|them|a\W+word)|(?:doesn'?t|don'?t)\W+make\W+(?:any\W+)?sense|not\W+making\W+(?:any\W+)?sense"
        r"|mixed\W+up|backwards)\b",
        unless=CALLS
        + r"|\b(?:accent|acento|english|ingles|spanish|espanol|interpret\w*|bill|letter"
        r"|form|doctor|dr|nurse|enfermera)\b",
    ),
    _composite(
        "vision suddenly dark, curtained or doubled",
        r"\b(?:vision|sight|vista|eyes?|ojos?|everything|todo)\b",
        r"\b(?:went\W+(?:dark|black|dim|out|white)|going\W+(?:dark|black|dim)|turned\W+(?:dark|black)"
        r"|curtain|shade|two\W+of\W+everything|sideways|tilted|upside\W+down"
        r"|double(?!\W+(?:book\w*|charg\w*|bill\w*|check\w*|dose|shift))|doble|se\W+(?:me|le)"
        r"\W+(?:nublo|fue|apago))\b",
        unless=r"\b(?:black\W+eye|book\w*|charg\w*|appointment|appt|cita)\b",
    ),
    _composite(
        "sudden neurological change",
        r"\b(?:face|arm|leg|hand|side|speech|words|talk\w*|speak\w*|vision|sight|eyes?|balance"
        r"|walk\w*|confus\w*|numb\w*|weak\w*|tingl\w*|cara|brazo|pierna|mano|lado|habla\w*|vista"
        r"|ojos?|equilibrio|caminar|confundid[oa]|entumi\w*|dormid[oa])\b"
        r"|\b(?:know|knows|sabe|recogni[sz]e|reconoce)\W+(?:who|where|what|quien|donde|me|us|nos"
        r"|a\W+nadie)\b",
        SUDDEN,
        unless=r"\b(?:rash|hives|itch\w*|bite|bruis\w*|scrap\w*|sunburn|cramp\w*|charley)\b|"
        + PAPERWORK,
        gap=160,
    ),
    _composite(
        "can't do a vital act right now",
        rf"\b{CANT_OR_BARELY}\W+(?:\w+\W+)?(?:wake\W+(?:him|her|them|up)|stay\W+awake|open\W+(?:his"
        r"|her|my|their)\W+eyes|keep\W+(?:his|her|my|their)\W+(?:balance|eyes\W+open|head\W+up)"
        r"|lift\W+(?:his|her|my)\W+(?:arm|leg|head)|move\W+(?:his|her|my)\W+(?:arm|leg|hand|face|side)"
        r"|feel\W+(?:his|her|my)\W+(?:face|arm|leg|hand|side)|walk\W+straight|despertar\w*|abrir\W+los"
        r"\W+ojos|sostenerse|mantenerse\W+en\W+pie)",
        rf"{SUDDEN}|\b(?:right\W+now|now|rn|ahora|ahorita|tonight|today|hoy|this\W+morning"
        r"|esta\W+manana|anymore|at\W+all)\b",
    ),
    _composite(
        "throat swelling or closing",
        r"\b(?:throat|garganta)\b",
        r"\b(?:swell\w*|swollen|puff\w*|tight\w*|clos\w*|cierr\w*|cerr\w*|hinch\w*|thick)\b",
        unless=SORE_THROAT,
    ),
    _composite(
        "tongue, lips or mouth swelling",
        r"\b(?:tongue|lips?|mouth|boca|lengua|labios?)\b",
        r"\b(?:swell\w*|swollen|puff\w*|balloon\w*|too\W+(?:big|thick)|huge|thick|tight\w*|clos\w*"
        r"|cierr\w*|cerr\w*|hinch\w*|inflam\w*|like\W+a\W+duck|blowfish|puffer\w*|fish|balloon"
        r"|globo|sausages?|salchichas?|gord[oa]|enorme|fat)\b",
        # a cold sore, chapped lips or dental numbing is not an allergic reaction
        unless=r"\b(?:cold\W+sores?|chapp\w*|fever\W+blisters?|herpes|dentist\w*|dental|filling"
        r"|novocaine|numbing|fillers?|bit\W+my|from\W+the\W+cold)\b",
    ),
    _composite(
        "face or eyes swelling after an allergen",
        r"\b(?:face|cara|eyes?|ojos|eyelids?|parpados)\b",
        r"\b(?:swell\w*|swollen|puff\w*|balloon\w*|shut|hinch\w*|inflam\w*|cerrad[oa]s?|globo)\b",
        context=ALLERGEN,
    ),
    _composite(
        "blood in volume (pouring, spurting, won't stop)",
        r"\b(?:blood(?!\W*(?:test|work|draw|pressure|sugar|type|count|panel|results?|labs?|thinner\w*))"
        r"|bleed\w*|sangr\w*|hemorrhag\w*)\b",
        r"\b(?:running\W+down|pour\w*|gush\w*|spurt\w*|stream\w*|everywhere|all\W+over|won'?t\W+stop"
        r"|nonstop|non\W+stop|keeps?\W+coming|soak\w*|totally\W+red|spoonful\w*|cups?|cupful|clots?"
        r"|chorros?|a\W+chorro|no\W+(?:para|se\W+(?:detiene|para|quita))|bright\W+red|bright"
        r"|mouthful\w*|handful\w*|spitting\W+(?:out|up)|escupiendo)\b",
    ),
    _composite(
        "blood or fluid from an ear after a blow or fall",
        r"\b(?:blood(?!\W*(?:test|work|draw|pressure|sugar))|bleed\w*|fluid|sangr\w*|liquido)\b",
        r"\b(?:ears?|oidos?|orejas?)\b",
        context=r"\b(?:fell|fall\w*|hit|crash\w*|accident|golpe\w*|cai\w*|cay\w*|ladder|escalera)\b",
    ),
    _composite(
        "wound spurting or soaking through",
        r"\b(?:cut|gash\w*|wound|herida|cortada|corte|laceration|sliced|slashed|stabbed|puncture)\b",
        r"\b(?:spurt\w*|gush\w*|pour\w*|won'?t\W+stop|soak\w*|totally\W+red|through\W+(?:the|a|my)\W+"
        r"(?:towel|bandage|gauze|shirt)|chorros?|no\W+(?:para|se\W+detiene|deja\W+de))\b",
    ),
    _composite(
        "black, tarry stool with faintness",
        r"\b(?:black|tarry|tar|maroon|jelly|negr[oa]s?|chapopote)\W+(?:\w+\W+)?(?:stool|poop|poo|popo"
        r"|heces"
        r"|excremento|caca)|\b(?:stool|poop|popo|caca|heces)\W+(?:\w+\W+){0,2}?(?:black|tarry|tar|maroon"
        r"|negr[oa]s?)\b",
        r"\b(?:faint\w*|pass\w*\W+out|dizz\w*|lightheaded|weak|pale|mare\w*|debil|desmay\w*)\b",
    ),
    _composite(
        "seizure-like movements with no response",
        r"\b(?:jerk\w*|twitch\w*|shak\w*|convuls\w*|stiff|rigid|ties[oa]|staring|eyes\W+roll\w*"
        r"|drool\w*|temblando|sacudi\w*)\b",
        r"\b(?:not\W+(?:answering|responding|reacting)|won'?t\W+(?:respond|answer|react|wake|stop)"
        r"|(?:isn'?t|doesn'?t)\W+(?:responding|answering|respond|answer|react)|no\W+(?:responde"
        r"|contesta|reacciona)|can'?t\W+get\W+(?:him|her|them)\W+to\W+(?:talk|respond|answer|stop)"
        r"|out\W+of\W+it|unresponsive|for\W+(?:like\W+|about\W+|over\W+)?(?:\d+|two|three|five|ten"
        r"|a\W+few)\W+min\w*)\b",
        unless=CALLS + r"|\b(?:anyone|nobody|no\W+one|chills|cold|nervous|nervios)\b",
    ),
    _composite(
        "cancelling all care because they won't be around",
        r"\b(?:cancel\w*|cancela\w*)\W+(?:\w+\W+)?(?:all|every|everything|todas|todo)\b",
        r"\b(?:(?:not|never)\W+(?:gonna|going\W+to)\W+be\W+(?:around|here|alive)|won'?t\W+be\W+(?:around"
        r"|here|alive)|won'?t\W+need\W+(?:them|any|it)|no\W+(?:voy\W+a\W+)?(?:estar|las\W+voy\W+a"
        r"\W+necesitar))\b",
        unless=r"\b(?:mov\w*|relocat\w*|travel\w*|trip|vacation|out\W+of\W+(?:town|state|the\W+country)"
        r"|deploy\w*|college|new\W+(?:doctor|insurance|job)|mud\w*|viaj\w*|switch\w*)\b",
        gap=100,
    ),
    _composite(
        "head pain like an explosion or a blow",
        rf"\b(?:head|cabeza|{HEADACHE})\b",
        r"\b(?:explod\w*|explosion|baseball\W+bat|bat|hammer|lightning|thunder\w*|struck|split\w*"
        r"|crack\w*|burst\w*|worst\W+(?:pain"
        r"|ever)|never\W+(?:felt|had|experienced)\W+(?:anything|something|one|pain)\W+like|peor\W+dolor"
        r"|martillazo|bala|rayo|estall\w*|revent\w*|revienta)\b",
        unless=PAPERWORK,
    ),
)

# Filler between a wish and its object: "want to (just) not exist", "wish I could disappear".
_WISH_FILL = (
    r"(?:(?:to|just|i|could|can|would|like|really|kinda|simply|honestly|so|que|solo|ya)\W+){0,3}"
)
_NOT_BE = (
    r"(?:not|never)\W+(?:exist|be\W+(?:here|around|alive|on\W+this\W+earth)|wake\W+(?:up|again)?"
    r"|come\W+back|see\W+tomorrow)"
)
NET_FAMILIES: tuple[Rule, ...] = (
    _rule(
        "wish not to exist or not to wake up",
        # a wish ("want", "quiero", "ganas de") before not existing, not waking, disappearing
        r"\b(?:want|wanna|wish|wishing|rather|tempted|thinking\W+(?:of|about)|quiero|quisiera"
        rf"|ganas\W+de|pensando\W+en|prefiero)\W+{_WISH_FILL}(?:{_NOT_BE}|disappear\w*|vanish"
        r"|sleep\W+forever|go\W+to\W+sleep\W+(?:and|&)\W+(?:not|never)|be\W+gone\W+(?:forever|for\W+good)"
        r"|stop\W+existing|dormir(?:me)?\W+(?:y\W+no\W+despertar|para\W+siempre)|no\W+(?:despertar"
        r"|existir|amanecer)|dejar\W+de\W+existir|desaparecer|irme\W+para\W+siempre|morirme)\b",
        # an intent ("gonna", "voy a") before never waking up
        r"\b(?:gonna|going\W+to|ready\W+to|plan\w*\W+(?:to|on)|voy\W+a)\W+(?:just\W+)?(?:go\W+to\W+)?"
        r"sleep\W+(?:forever|and\W+(?:not|never)\W+wake)|\bdormirme\W+y\W+no\W+despertar",
    ),
    _rule(
        "someone else wants to die",
        r"\b(?:wants|wanted|quiere|queria|quisiera|quieren)\W+(?:to\W+)?(?:die|be\W+dead|morir\w*)\b",
        r"\bno\W+quiero\W+seguir\W+(?:aqui|en\W+este\W+mundo|viviendo|con\W+vida)\b",
    ),
    _rule(
        "planning a lethal amount",
        r"\bhow\W+many\W+(?:\w+\W+){0,4}?(?:would|it\W+would|does\W+it|it\W+takes?|to)\W+(?:\w+\W+)?"
        r"(?:take|kill|be\W+(?:lethal|fatal|enough)|die|od)\b",
        r"\bcuant[oa]s\W+(?:\w+\W+){0,3}?(?:para\W+(?:morir|no\W+despertar|matarme)|son\W+mortales)",
    ),
    _rule(
        "no point in living",
        r"\b(?:no|the|any|what'?s\W+the|whats\W+the|(?:don'?t|dont|can'?t|cant)\W+see\W+(?:the|any))"
        r"\W+point\W+(?:of|in|to)\W+(?:\w+\W+)?(?:living|life|waking\W+up|going\W+on|being\W+(?:here"
        r"|alive|around)|anything\W+anymore|trying\W+anymore|getting\W+up\W+(?:anymore|tomorrow))",
        r"\bpara\W+que\W+(?:seguir|vivir|despertar)\b",
    ),
    _rule(
        "others better off without me",
        r"\bbetter\W+off\b.{0,30}\bif\W+i\W+(?:\w+\W+)?(?:was|were|wasn'?t|wasnt|weren'?t|didn'?t"
        r"|disappeared|died|left\W+for\W+good)\b",
        r"\b(?:nobody|no\W+one)\W+would\W+(?:even\W+)?(?:miss|notice|care)\W+if\W+i\b",
        r"\b(?:better|happier|easier|lighter|mejor|felices|tranquil[oa]s)\W+(?:\w+\W+){0,2}?(?:without\W+me"
        r"|sin\W+mi)\b",
    ),
    _rule(
        "self-harm method named",
        rf"\b(?:yeet|throw|launch|fling|hurl)\w*\W+(?:{SELF})\W+(?:off|out\W+of|in\W+front\W+of|into"
        r"|under)\b",
        r"\b(?:driv\w+|drove|crash\w*|steer\w*|swerv\w*)\W+(?:my\W+car\W+|myself\W+|the\W+car\W+)?"
        r"(?:into|off)\W+(?:a|the|some|oncoming)\W+(?:tree|wall|pole|bridge|river|lake|traffic|truck"
        r"|cliff|ditch|overpass)",
        r"\bstep\w*\W+in\W+front\W+of\W+(?:a|the)\W+(?:bus|train|car|truck)",
        r"\b(?:pistola|arma|gun|pills|pastillas|cuchillo|knife|soga|cuerda|rope|navaja)\b.{0,60}"
        r"\b(?:usar\w*\W+conmigo|conmigo\W+mism[oa]|on\W+myself|use\W+(?:it|them)\W+on\W+me)\b",
        r"\bquitar\w*\W+la\W+vida\b",
        # at the place or with the means: on a bridge or ledge, a rope just bought
        r"\b(?:standing|sitting|up|parad[oa]|sentad[oa])\W+(?:on|at|en|sobre)\W+(?:the|a|el|la|un|una)\W+"
        r"(?:edge\W+of\W+(?:the|a)\W+)?(?:bridge|ledge|roof|rooftop|overpass|railing|cliff|puente|azotea"
        r"|barandal)\b",
        r"\b(?:bought|got|buying|compre|consegui)\W+(?:a\W+|some\W+|una\W+)?(?:rope|noose|razor\W+blades"
        r"|soga)\b(?!\W+(?:for|to|para)\b)",
    ),
    _rule(
        "goodbye message or affairs put in order",
        r"\b(?:mensaje|carta|nota|message|text|letter|note|video)s?\W+de\W+despedida\b",
        r"\bgoodbye\W+(?:message|text|letter|note|video)s?\b",
        r"\bse\W+(?:esta\W+)?despid\w+\W+de\W+(?:todos|nosotros|mi|su)\b",
        r"\b(?:put|putting|got|getting)\W+(?:all\W+)?(?:my|his|her)\W+affairs\W+in\W+order\b",
        r"\b(?:this\W+is|this'?ll\W+be|here'?s)\W+my\W+(?:last|final)\W+(?:message|text|note|goodbye)"
        r"|\bmy\W+(?:last|final)\W+words\b",
        r"\b(?:said|say|saying|dije|diciendo|despidiendo)\W+(?:goodbye|adios|bye)\W+(?:a\W+|to\W+)?(?:my|mis"
        r"|all|everyone|todos|mi)\b",
    ),
    _rule(
        "pills stockpiled, taken in bulk or someone else's",
        r"\b(?:sav|stockpil|hoard|stash|junt|guard)\w*\W+(?:up\W+)?(?:(?!money|cash|dinero)\w+\W+){0,2}?"
        r"(?:pills|meds|tablets|pastillas|medicinas)\b",
        r"\b(?:took|swallowed|downed|ate|tome|trague|me\W+tome|se\W+tomo)\W+(?:\w+\W+){0,3}?(?:sleeve"
        r"|strip|box|packet|pack|caja|sobre|tira|blister|bottle|frasco|bote)\W+(?:of|de)\b",
        r"\b(?:got\W+into|chewed|swallowed|se\W+comio|se\W+trago)\W+(?:\w+\W+){0,5}?(?:pills?|meds"
        r"|patch\w*|parches?|fentanyl"
        r"|medicine|medication|tablets?|gummies|vitamins|pastillas|medicina\w*|(?:detergent|laundry)"
        r"\W+pods?|bleach|cloro|batter(?:y|ies)|pilas|magnets?|imanes)\b",
        r"\b(?:ate|took|eaten|taken|tomo|comio)\W+(?:some|a\W+few|a\W+handful|several|unas?|algunas)"
        r"\W+(?:of\W+)?(?:\w+'?s|her|his|their|de\W+(?:su|la|el|mi))\W+(?:\w+\W+){0,2}?(?:pills?|meds"
        r"|medicine|tablets?|gummies|vitamins|pastillas|medicina\w*)\b",
        r"\b(?:took|taken|tome|me\W+tome|se\W+tomo|gave\W+(?:him|her))\W+(?:\w+\W+){0,4}?(?:pills?|meds?"
        r"|dose|insulin|pastillas?|medicina|dosis)\W+(?:\w+\W+){0,2}?(?:three|four|five|3|4|5|tres"
        r"|cuatro|cinco)\W*(?:times|x|veces)\b",
        # a double dose given to someone ("le di el doble de jarabe")
        r"\b(?:gave|give|di|dio|le\W+di|le\W+dio|le\W+dimos)\W+(?:\w+\W+){0,3}?(?:double|twice|doble"
        r"|dos\W+veces|too\W+much|demasiad[oa])\b(?=.{0,40}\b(?:dose|dosis|jarabe|syrup|medicine"
        r"|medicina|tylenol|motrin|pills?|pastillas?|insulin\w*|mg|ml)\b)",
    ),
    _rule(
        "collapse or unresponsiveness in lay words",
        r"\bblack(?:ing|s)?\W+out\b|\bhit\W+the\W+(?:floor|ground|deck)\b|\bslumped\b",
        r"\bwent\W+down\W+(?:hard|twice|again|on\W+the\W+(?:floor|ground)|to\W+the\W+(?:floor|ground))",
        r"\bbarely\W+(?:opens?|opening|keeps?|keeping)\W+(?:his|her|their|my)\W+eyes\b|\bfloppy\b",
        r"\b(?:respond|answer|react)\w*\W+to\W+(?:his|her|their)\W+(?:own\W+)?name\b",
        r"\b(?:went|gone|goes|going)\W+(?:all\W+)?limp\b|\bse\W+(?:puso|quedo)\W+(?:todo\W+|toda\W+)?"
        r"(?:flojit?[oa]|aguad[oa]|guang[oa])\b|\bse\W+fue\W+de\W+lado\b",
        # no reaction when spoken to or shaken (an unanswered phone is not this)
        r"\bnot\W+(?:reacting|responding|answering|waking)\W+(?:\w+\W+)?(?:when|if|to)\W+(?:i|we|you"
        r"|someone)\b(?!\W+(?:\w+\W+)?(?:call|text|phone|ring|message|email|llam))",
        r"\bno\W+(?:me|nos)\W+(?:contesta|responde|hace\W+caso)\W+cuando\W+(?:le\W+)?(?:hablo|hablamos"
        r"|grito|gritamos|muevo|movemos|sacudo)\b",
        r"\bfell\W+(?:\w+\W+){0,4}?(?:can'?t|cannot|unable\W+to)\W+get\W+(?:him|her|them)?\W*(?:back\W+)?up\b"
        r"|\bse\W+cayo\W+y\W+no\W+(?:se\W+)?puede\W+(?:levantar|parar)",
    ),
    _rule(
        "oxygen saturation below 92",
        r"\b(?:oxygen|o2|sats?|saturation|pulse\W?ox\w*|oximeter|oxigeno|saturacion)\W+(?:\w+\W+){0,5}?"
        r"(?:[5-8]\d|9[01])\b(?!\W*(?:years?|yo|min\w*|bpm|lbs?|dollars))",
    ),
    _rule(
        "too breathless to talk",
        r"\bcan\W+only\W+(?:say|get\W+out|speak|manage)\W+(?:like\W+|about\W+)?(?:\d|one|two|three|a\W+few"
        r"|a\W+couple)\W+(?:\w+\W+)?words",
        r"\b(?:each|every)\W+word\W+(?:is\W+)?(?:a\W+)?(?:struggle|effort|fight)|\bbetween\W+(?:every"
        r"|each)\W+word\b|\bno\W+puedo\W+ni\W+hablar\b",
        r"\b(?:huffing|panting)\W+(?:and\W+puffing\W+)?(?:\w+\W+)?(?:sitting|resting|lying|at\W+rest"
        r"|doing\W+nothing)",
    ),
    _rule(
        "vomiting what looks like coffee grounds",
        r"\b(?:vomit\w*|throw\w*\W+up|threw\W+up|puk\w*)\W+(?:\w+\W+){0,5}?(?:coffee\W+grounds?|cafe"
        r"\W+molido|como\W+(?:cafe|asientos))",
    ),
    _rule(
        "threat of harm from a named person",
        r"\b(?:said|says|saying|told\W+me|yelling|screaming|texting|threaten\w*)\W+(?:that\W+)?(?:he"
        r"|she|they)(?:'?ll|\W+will|\W+would|'?d|\W+is\W+(?:going|gonna)\W+to|\W+gonna|\W+was\W+going"
        r"\W+to)\W+(?:\w+\W+)?(?:hurt|kill|shoot|stab|beat|strangle|choke)\W+(?:me|us|my|the\W+kids|our)\b",
        r"\b(?:says|said|told\W+me|dice|dijo)\W+(?:that\W+)?(?:i'?m|im|i\W+am|soy)\W+next\b",
        r"\b(?:locked|hiding|hid|barricaded|encerrad[oa]|escondid[oa]|me\W+encerre|me\W+escondi)\W+"
        r"(?:myself\W+)?(?:in|inside|en)\W+(?:the|my|a|el|la|mi)\W+(?:bathroom|closet|room|bedroom|bano"
        r"|cuarto|recamara)\b",
        r"\b(?:outside|at)\W+(?:my|the|our)\W+(?:door|apartment|house|window|work|car)\b.{0,40}"
        r"\b(?:banging|pounding|won'?t\W+leave|threaten\w*|with\W+a\W+(?:gun|knife|bat))",
    ),
    _rule(
        "later pregnancy with bleeding or no movement",
        r"\b(?:[5-9]|five|six|seven|eight|nine|cinco|seis|siete|ocho|nueve)\W+(?:months?|meses)\W+"
        r"(?:along|pregnant|de\W+embarazo)\b(?=.{0,80}\b(?:blood|bleed\w*|sangr\w*|hemorrhag\w*"
        r"|(?:not|no|hasn'?t|isn'?t|stopped)\W+(?:\w+\W+)?(?:mov|kick|mueve|patea)\w*))",
        r"\b(?:third|3rd|tercer)\W+trimest\w*(?=.{0,80}\b(?:blood|bleed\w*|sangr\w*"
        r"|(?:not|no|hasn'?t|isn'?t|stopped)\W+(?:\w+\W+)?(?:mov|kick|mueve|patea)\w*))",
        r"\b(?:baby|bebe)\b(?=\W+(?:\w+\W+)?(?:hasn'?t|has\W+not|isn'?t|not|stopped|no\W+se|no\W+ha)\W+"
        r"(?:\w+\W+)?(?:mov|kick|mueve|movido|patea)\w*)(?=.{0,120}\b(?:pregnan\w*|embarazad\w*|weeks"
        r"|semanas|months|meses|along))",
    ),
)


def _prefix_negation(msg: Message, start: int) -> str | None:
    """A negation cue at most three words before `start`, within the same clause."""
    prefix = msg.folded[:start]
    breaks = list(_SCOPE_BREAK.finditer(prefix))
    clause = prefix[breaks[-1].end() :] if breaks else prefix
    cues = list(_NEG_CUE.finditer(clause))
    if not cues or len(clause[cues[-1].end() :].split()) > 3:
        return None
    return cues[-1].group()


def _net_clause(msg: Message, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in _NET_CLAUSE_BREAK.finditer(msg.folded, 0, start)]
    after = _NET_CLAUSE_BREAK.search(msg.folded, end)
    return (before[-1] if before else 0, after.start() if after else len(msg.folded))


def _net_blocked(msg: Message, start: int, end: int, own: list[tuple[int, int]]) -> str | None:
    """Why a net hit over [start, end) doesn't count, or None if it is live.

    A negation inside the span counts unless it belongs to one of the `own` matches
    ("can't" in "can't get a full breath", "wouldn't" in "wouldn't cooperate").
    """
    cue = _prefix_negation(msg, start)
    for inner in _NEG_CUE.finditer(msg.folded, start, end):
        if not any(a <= inner.start() < b for a, b in own):
            cue = cue or inner.group()
    if cue:
        return f'negated by "{cue}"'
    c_start, c_end = _net_clause(msg, start, end)
    clause = msg.folded[c_start:c_end]
    sentence = _sentence(msg, Hit("", start, end, ""))
    if _HISTORY.search(sentence):
        return "past history"
    if _CHRONIC.search(clause) or _RESOLVED.search(clause):
        return "chronic or already resolved"
    if _EARLIER.search(msg.folded) and _CLEARED.search(msg.folded):
        return "an episode weeks ago, since cleared"
    return None


def _composite_hit(msg: Message, comp: Composite) -> tuple[str, str | None] | None:
    """(quote, why it was set aside or None) for the first area + cue pair in one clause."""
    if comp.context and not msg.has(comp.context):
        return None
    blocked = None
    for area in comp.area.finditer(msg.folded):
        c_start, c_end = _net_clause(msg, area.start(), area.end())
        if comp.unless and comp.unless.search(msg.folded, c_start, c_end):
            continue
        for cue in comp.cue.finditer(msg.folded, c_start, c_end):
            if max(cue.start() - area.end(), area.start() - cue.end()) > comp.gap:
                continue
            start, end = min(area.start(), cue.start()), max(area.end(), cue.end())
            why = _net_blocked(msg, start, end, [area.span(), cue.span()])
            quote = f'"{msg.quote(*area.span())}" + "{msg.quote(*cue.span())}"'
            if why is None:
                return quote, None
            blocked = blocked or (quote, why)
    return blocked


def _safety_net(msg: Message) -> list[str]:
    """Urgent reasons from the net; set-aside candidates are noted, never silently dropped."""
    reasons = []
    for comp in NET_COMPOSITES:
        found = _composite_hit(msg, comp)
        if found and found[1] is None:
            reasons.append(
                f"urgent (safety net): {found[0]} ({comp.label}: vital area + acute cue in one"
                " clause, R2/R18)"
            )
        elif found:
            msg.notes.append(f"safety net set aside: {found[0]} ({comp.label}; {found[1]}, R3)")
    for hit in msg.hits(NET_FAMILIES):
        why = _net_blocked(msg, hit.start, hit.end, [(hit.start, hit.end)])
        if why is None:
            reasons.append(f'urgent (safety net): "{hit.quote}" ({hit.label}, R2/R4/R18)')
        else:
            msg.notes.append(f'safety net set aside: "{hit.quote}" ({hit.label}; {why}, R3)')
    return reasons


def _urgent(msg: Message) -> list[str]:
    reasons = [
        f'urgent: "{hit.quote}" ({hit.label}, current and not negated)'
        for hit in _live(msg, msg.hits(RED_FLAGS), "red flag")
    ]
    for label, first, second in COMBO_FLAGS:
        part_a = _live(msg, msg.hits((Rule(label, first),)), "red flag")
        part_b = _live(msg, msg.hits((Rule(label, second),)), "red flag")
        if part_a and part_b:
            reasons.append(f'urgent: "{part_a[0].quote}" + "{part_b[0].quote}" ({label})')
    # The tables are vocabulary-bound; the net catches new wording for the same emergencies.
    return reasons or _safety_net(msg)


# --------------------------------------------------------------------------------------
# Clinical needs (README "clinical" row, R5-R11)
# --------------------------------------------------------------------------------------

# Any mention of a medication, refill or dose is clinical (R8).
MEDICATION: tuple[Rule, ...] = (
    _rule(
        "medication or refill",
        r"\b(?:refill\w*|re-fill\w*|rx|prescri\w+|meds?|medications?|medicines?|pills?|capsules?"
        r"|dos(?:e|es|age|ing)|inhaler|insulin|antibiotics?|taper\w*|mg|milligrams?"
        r"|birth\W+control|contracepti\w+|ointment|(?:eye|ear|nose|nasal)\W?drops|injections?"
        r"|blood\W+thinners?|steroids?|vitamins?|supplements?|iron\W+pills?|statins?|diuretics?"
        r"|water\W+pills?|creams?)\b",
        # drug classes: antidepressant, antihistamine, antiviral, anti-inflammatory...
        r"\banti\W?(?:depressant|histamine|viral|fungal|biotic|inflammator|psychotic|convulsant"
        r"|nausea|anxiety|coagulant|seizure)\w*",
        r"\b(?:receta\w*|resurt\w*|surt\w*|medicin\w+|medicament\w+|pastill\w*|pildora\w*|capsula\w*"
        r"|dosis|inhalador|insulina|antibiotic\w*|gotas|jarabe|pomada|inyecci\w+|vitamina\w*"
        r"|hierro|suplemento\w*|anticonceptiv\w*|antidepresiv\w*|crema)\b",
    ),
    _rule(
        "named drug",
        r"\b(?:metformin\w*|sertralin\w*|zoloft|prozac|fluoxetin\w*|lexapro|escitalopram|citalopram"
        r"|wellbutrin|bupropion|lisinopril|losartan|amlodipin\w*|metoprolol|atenolol|hctz"
        r"|hydrochlorothiazide|furosemid\w*|lasix|atorvastatin\w*|simvastatin\w*|rosuvastatin|lipitor"
        r"|crestor|statins?|levothyroxin\w*|levotiroxin\w*|synthroid|prednison\w*|amoxicil+in\w*"
        r"|augmentin|azithromycin|z\W?pak|cipro\w*|doxycyclin\w*|keflex|cephalexin|ibuprofen\w*"
        r"|advil|motrin|aleve|naproxen\w*|tylenol|acetaminophen|paracetamol|aspirin\w*|warfarin"
        r"|coumadin|eliquis|xarelto|plavix|clopidogrel|omeprazol\w*|pantoprazol\w*|prilosec|nexium"
        r"|gabapentin\w*|tramadol|oxycodone|hydrocodone|norco|percocet|adderall|ritalin|albuterol"
        r"|ventolin|flonase|zyrtec|claritin|benadryl|allegra|ozempic|wegovy|mounjaro|jardiance"
        r"|januvia|glipizid\w*|trulicity|xanax|alprazolam|ativan|lorazepam|klonopin|clonazepam"
        r"|trazodone|ambien|melatonin\w*|keppra|lamictal|depakote|lithium|seroquel|abilify"
        r"|suboxone|methadone|estradiol|progesterone|montelukast|singulair|symbicort|advair"
        r"|valtrex|tamiflu|paxlovid|diflucan|flagyl|metronidazol\w*|bactrim|macrobid|hydroxyzine"
        r"|flexeril|meloxicam|methotrexate|humira|epipen)\b",
    ),
)
# Medication words that are logistics, not a medication question (R8, R10).
MEDICATION_LOGISTICS = _rx(
    r"\b(?:medication|med|medicine)s?\W+list\b",
    r"\blist\W+of\W+(?:\w+\W+)?(?:medications|meds)",
    r"\blista\W+de\W+(?:medicamentos|medicinas)",
    rf"\b(?:bring|brought|traer|llevar|traigo|llevo)\W+{W}{{0,3}}?(?:meds|medications?|medicines?"
    r"|pill\W+bottles|bottles|medicamentos|medicinas|pastillas)\b",
    r"\b(?:medication|pill)\W+bottles",
)

SYMPTOMS: tuple[Rule, ...] = (
    _rule(
        "symptom",
        r"\b(?:pain\w*|hurts?|hurting|\w*aches?|achy|migraine|sore|fever\w*|chills"
        r"|cough\w*|congest\w*|runny\W+nose|rash|hives|itch\w*|diarrh?(?:o)?ea|vomit\w*"
        r"|throwing\W+up|threw\W+up|nause\w*|dizz\w*|lightheaded|infect\w*|swollen|swelling"
        r"|(?:nose)?bleed\w*|spotting|discharge|ooz\w*|pus|drainage|numb(?!er)\w*|tingl\w*|fatigue"
        r"|exhausted|discomfort|throw\W+up|tired|wiped\W+out|worn\W+out|drained"
        r"|insomnia|anxi\w+|depress\w+|panic|flu(?!\W+(?:shot|vaccine|season))|covid|strep|uti"
        r"|sick|ill|unwell|lump|bump|pink\W+eye|conjunctivitis|sunburn|bite|tick|wart|mole"
        r"|bruis\w*|burning|cramp\w*|constipat\w*|heartburn|wheez\w*|palpitations|racing\W+heart"
        r"|sprain\w*|fractur\w*|injur\w*|blister\w*|red\W+and\W+puffy|puffy|forgetful|memory\W+loss"
        r"|palpitat\w*|hiccups?|hipo|sore\w*|goose\W+egg|chichon|watery\W+eyes?|red\W+eye|ojo\W+rojo"
        r"|lagrime\w*|falls?\W+asleep)\b",
        r"\bblood\b(?!\W*(?:test|work|draw|pressure|sugar|type|count|panel|results?|labs?|thinner\w*"
        r"|bank|donation|drive))",
        # heart racing, heavy periods: common lay complaints without a classic symptom noun
        rf"\bheart\w*\W+{W}{{0,3}}?(?:racing|pounding|fluttering|flip\W?flop\w*)|\bcorazon\W+{W}{{0,3}}?"
        r"(?:acelerado|agitado|late\W+(?:muy\W+)?(?:rapido|fuerte))",
        rf"\b(?:heavy|heavier)\W+(?:period|bleeding|flow)|\bperiods?\W+{W}{{0,3}}?(?:heavy|heavier)\b"
        r"|\b(?:regla|menstruacion)\W+(?:muy\W+)?abundante",
        r"\b(?:a|my|the|bad|head)\W+cold\b",
        # a flare of a known condition, blood where it shouldn't be
        r"\b(?:asthma|eczema|psoriasis|gout|arthritis|reflux|gerd|hemorrhoids?|sciatica|shingles"
        r"|pneumonia|bronchitis|sinusitis|sinus\W+infection|stiff\W+neck|asma|gota|artritis|reflujo)\b",
        r"\bblood\W+in\W+(?:my\W+|his\W+|her\W+|the\W+)?(?:urine|pee|stool|poop|spit|mucus|phlegm)"
        r"|\bsangre\W+en\W+(?:la\W+|el\W+|mi\W+)?(?:orina|popo|heces|excremento|flema)",
        # wound or incision signs ("incision looks red", "yellow stuff coming out")
        rf"\b(?:incision|wound|cut|site|stitches|herida|puntos)\W+{W}{{0,3}}?(?:red|hot|warm|open\w*"
        r"|leak\w*|drain\w*|smell\w*|roj[oa]|caliente|abiert[oa])\b",
        rf"\b(?:yellow|green|white|stuff|liquid|fluid|gunk)\W+{W}{{0,2}}?(?:coming\W+out|leak\w*|drain\w*)",
        # can't hold down food or fluids (dehydration risk)
        rf"\bcan'?t\W+(?:keep|hold)\W+{W}{{0,3}}?down\b|\bno\W+retengo|\bdehydrat\w*|\bdeshidrat\w*",
        # a home reading reported by the patient ("bp 160/100", "sugar in the 300s")
        rf"\b(?:bps?|blood\W+pressures?|presion|sugars?|glucose|azucar|glucosa|oxygen|oxigeno|readings?)\W+{W}{{0,5}}?"
        r"\d{2,3}s?\b",
        r"\b(?:not|don'?t)\W+feel\w*\W+(?:well|good|right)|\bfeel\w*\W+(?:bad|awful|terrible"
        r"|worse|sick|off|weak)\b",
        r"\b(?:dolor\w*|duele\w*|adolorid\w*|fiebre|calentura|escalofrios|tos|gripe|gripa|resfri\w+"
        r"|catarro|mocos|sarpullido|ronchas|comezon|picazon|diarrea|vomit\w*|nausea\w*|mare\w+"
        r"|infecci\w+|infectad\w*|hinchad\w*|hinchazon|sangr\w+|pus|supura\w*|entumid\w*"
        r"|hormigueo|ansiedad|deprimid\w*|depresion|enferm[oa]|malestar|colicos|estrenid\w*"
        r"|agruras|ardor|granos?)\b",
        r"\bme\W+siento\W+(?:muy\W+)?(?:mal|enferm\w*|debil)",
        # low mood and sleep loss without self-harm words
        r"\bfeel\w*\W+(?:\w+\W+)?(?:down|low|hopeless|empty|blah)\b|\b(?:not|can'?t|cant)\W+sleep\w*"
        r"|\btrouble\W+sleeping",
        r"\b(?:triste|desanimad[oa]|sin\W+ganas\W+de\W+nada|cansad[oa]|agotad[oa]|no\W+duermo"
        r"|no\W+puedo\W+dormir)\b",
    ),
)
SEVERE_OR_WORSE = _rx(
    # signs of a wound infection are a change, never a passing mention
    rf"\b(?:incision|wound|site|stitches|herida|puntos)\W+{W}{{0,3}}?(?:red|hot|warm|open\w*|leak\w*"
    r"|drain\w*|smell\w*|roj[oa]|caliente|abiert[oa])\b",
    rf"\b(?:yellow|green|stuff|liquid|fluid|gunk|pus)\W+{W}{{0,2}}?(?:coming\W+out|leak\w*|drain\w*)",
    rf"\bcan'?t\W+(?:keep|hold)\W+{W}{{0,3}}?down\b|\bdehydrat\w*|\bdeshidrat\w*",
    r"\bspreading\b|\b(?:has|have|is|it'?s)\W+spread\b|\bspread\w*\W+(?:to|up|down|across|over|all)\b",
    r"\bgetting\W+(?:bigger|larger|worse)\b|\bgrowing\b",
    r"\b(?:worse|worsening|severe|severely|unbearable|excruciating|intense"
    r"|really\W+bad|so\W+bad|terrible|horrible)\b",
    rf"\bcan'?t\W+keep\W+{W}{{0,2}}?down",
    r"\bcan'?t\W+(?:eat|sleep|walk|stand)\b",
    r"\bhigh\W+fever",
    r"\b10[3-5](?:\.\d)?\b",
    r"\b(?:peor|empeor\w*|insoportable|muy\W+fuerte|fiebre\W+alta|mucho\W+dolor)\b",
    r"\bcada\W+vez\W+(?:peor|mas)",
    r"\bme\W+duele\W+(?:\w+\W+){0,3}?(?:mucho|demasiado)",
    r"\bno\W+retengo",
)
PROLONGED = _rx(
    r"\b(?:won'?t|isn'?t|not)\W+(?:go(?:ing)?\W+away|getting\W+better|improving)\b",
    r"\bno\W+(?:se\W+(?:me|le)\W+)?quita\b",
    r"\bno\W+(?:ha\W+)?mejora\w*",
    r"\b(?:for|x|since|hace|desde\W+hace|por|llevo|lleva|over|more\W+than|mas\W+de)\W+(?:about\W+|over"
    r"\W+|almost\W+|casi\W+)?(?:[4-9]|\d\d|four|five|six|seven|eight|nine|ten|several|cuatro|cinco|seis"
    r"|siete|ocho|nueve|diez|varios|muchos)\W+(?:days?|dias)\b",
    r"\b(?:for|hace|desde\W+hace|over|more\W+than|mas\W+de)\W+(?:a|an|one|two|three|\d+|several|un"
    r"|una|dos|tres|varias|unas)?\W*(?:weeks?|wks?|months?|semanas?|mes|meses)\b",
)
IMPROVING = _rx(
    r"\b(?:is|are|'s|s)\W+gone\b",
    r"\bwent\W+away",
    r"\b(?:feel\w*|doing|getting)\W+(?:much\W+|a\W+lot"
    r"\W+)?better",
    r"\ball\W+good\W+now",
    r"\bresolved",
    r"\brecovered",
    r"\bya\W+(?:me\W+)?(?:siento|estoy)\W+(?:mejor|bien)",
    r"\bse\W+(?:me|le)\W+quito",
    r"\bya\W+(?:se\W+)?(?:me\W+)?(?:paso|curo|alivio)",
)
# "Should I be seen / do we bring him in?" is a clinical question even without a named symptom.
SEEN_QUESTION = _rx(
    r"\b(?:should|do|would|does)\W+(?:i|we|he|she|they)\W+(?:need\W+to\W+)?(?:be\W+seen|come\W+in"
    r"|go\W+in|bring\W+(?:him|her|them)\W+in)\b(?!\W+(?:to|for)\W+(?:sign|pick|drop|fill|pay|get|the"
    r"\W+form|my\W+(?:labs?|blood|shot|vaccine|form|paperwork|appointment|appt)))",
    r"\bsomething\W+i\W+should\W+come\W+in\W+for",
    r"\b(?:lo|la)\W+(?:llevo|traigo)\b|\bque\W+me\W+vean\b|\bme\W+deben\W+ver\b",
    r"\bnecesit\w+\W+(?:una\W+)?(?:cita|consulta)\W*\?",
    r"\bshould\W+(?:i|we|he|she|they)\W+(?:see|talk\W+to)\W+(?:someone|somebody|a\W+doctor"
    r"|a\W+specialist)",
    # "or get seen sooner", "should someone look at it"
    r"\b(?:or|should\W+i)\W+get\W+(?:it\W+)?(?:seen|checked)\b",
    r"\bshould\W+(?:someone|somebody|a\W+doctor|the\W+doctor|a\W+nurse)\W+(?:look\W+at|check|see)\b",
)
# A question about the patient's condition or care (not about logistics).
CARE_QUESTION = _rx(
    r"\b(?:should|does|do)\W+(?:i|we|he|she|they)\W+(?:need\W+to\W+)?(?:be\W+)?(?:worried|concerned"
    r"|worry|seen)",
    r"\b(?:do|should|would)\W+(?:i|we)\W+(?:need\W+to\W+)?(?:be\W+seen|come\W+in|go\W+in"
    r"|bring\W+(?:him|her|them)\W+in|go\W+to\W+"
    r"(?:the\W+)?(?:er|urgent\W+care|emergency))\b(?!\W+(?:to|for)\W+(?:sign|pick|drop|fill|pay|get))",
    r"\b(?:is|are)\W+(?:this|that|it|these|they)\W+(?:\w+\W+)?(?:normal|serious|bad|dangerous"
    r"|concerning|contagious|infected|something)\b",
    r"\bwhat\W+(?:should|do|can)\W+(?:i|we)\W+(?:do|take|use)\b",
    r"\bwhat\W+now\b",
    r"\bis\W+(?:it|this|that)\W+(?:still\W+)?(?:ok|okay|safe|fine|alright)\W+to\b",
    r"\b(?:can|should|may)\W+(?:i|we|he|she)\W+(?:still\W+)?(?:take|stop|keep\W+taking|continue|start"
    r"|skip|mix|drink|eat|exercise|shower|bathe|swim|lift|drive|go\W+back)\b",
    r"\bkeep\W+(?:taking|using)\b",
    r"\b(?:for\W+)?how\W+long\W+(?:should|do|until|will\W+it|for)\b",
    r"\bfor\W+how\W+long\b",
    r"\bdo\W+i\W+(?:keep|leave|change|remove|cover)\b",
    r"\bsomething\W+(?:to\W+worry|i\W+should\W+(?:worry|come\W+in))",
    # bare follow-up questions: "normal?", "Ice ok?", "can I ice it?"
    r"\b(?:normal|ok|okay|fine|serious|grave)\W*\?",
    r"\b(?:can|should|may)\W+i\W+(?:ice|heat|wrap|elevate|put\W+(?:ice|heat|something))\b",
    r"\bes\W+normal",
    r"\bque\W+(?:hago|debo\W+hacer|tengo\W+que\W+hacer|me\W+recomienda\w*)\b",
    r"\b(?:lo|la)\W+(?:llevo|traigo)\b",
    r"\b(?:debo|tengo\W+que)\W+(?:preocuparme|ver\W+al\W+doctor)",
    r"\bque\W+me\W+vean\b",
    r"\bes\W+(?:grave|malo|peligroso|serio)\b",
    r"\b(?:puedo|debo)\W+(?:seguir|tomar|dejar|usar|comer|banarme|hacer\W+ejercicio|manejar)\b",
    r"\bsigo\W+(?:con|tomando)\b",
    r"\b(?:la|lo)\W+dejo\b",
    r"\bme\W+(?:tomo|pongo|aplico)\b",
    r"\bsera\W+(?:normal|grave|algo)\b",
    r"\bme\W+preocupa\b",
)
# "Should I still come / keep my appointment?" (R6) - clinical only with an illness.
ATTENDANCE_QUESTION = _rx(
    r"\bshould\W+(?:i|we)\W+(?:still\W+)?(?:come|go|keep|cancel|show\W+up)\b",
    r"\b(?:still|even)\W+(?:want\W+to\W+|planning\W+(?:to|on)\W+)?(?:come|go|coming|going)\b",
    r"\bcan\W+i\W+still\W+(?:come|go)\b",
    r"\b(?:still\W+)?(?:go|goes|going)\W+through\W+with\W+(?:it|the)\b",
    r"\bkeep\W+(?:my|the|his|her)\W+(?:appt|appointment)",
    r"\bis\W+it\W+(?:ok|okay|fine|alright|safe)\W+to\W+(?:wait|come|go|keep)",
    r"\bcome\W+in\W+(?:sooner|earlier)",
    r"\bmake\W+(?:everyone|people|others|anyone)\W+sick",
    r"\bcontagi\w+",
    r"\bvoy\W+o\b",
    r"\bme\W+quedo\W+en\W+casa",
    r"\b(?:debo|puedo|tengo\W+que)\W+(?:ir|venir|asistir)\b",
    r"\btodavia\W+(?:voy|vengo|asisto|puedo\W+(?:ir|venir)|tengo\W+que\W+(?:ir|venir))\b",
    r"\b(?:sigo|mantengo|conservo)\W+(?:con\W+)?(?:la|mi)\W+cita\b",
)
POSITIVE_TEST = _rx(
    r"\b(?:tested|test\w*|came\W+back|sali\w*|dio)\W+positiv\w*",
    r"\bpositive\W+(?:for|covid|test)",
    r"\bcovid\W+positive",
)
RESULT_NOUN = _rx(
    r"\b(?:results?|ldl|hdl|labs?|lab\W+work|blood\W*work|blood\W+test|tests?|pap|mammogram\w*|mri|x\W?rays?"
    r"|ct|scan|ultrasound|biopsy|ekg|ecg|a1c|cholesterol|potassium|hemoglobin|glucose|sugar"
    r"|thyroid|tsh|psa|urine|culture|resultados?|analisis|estudios|examen\w*|laboratorio|colesterol"
    r"|potasio|hemoglobina|azucar|glucosa|tiroides|mamografia|ultrasonido|radiografia)\b"
)
# What a result means (R9); "are my results back?" is status and stays administrative.
RESULT_MEANING = _rx(
    rf"\b(?:is|are|was|were)\W+(?:my|the|these|those)\W+{W}{{0,3}}?(?:normal|high|low|bad|good|ok|okay|serious|dangerous|cancer"
    r"|elevated|abnormal)\b",
    rf"\bwhat\W+(?:does|do|did)\W+{W}{{1,5}}?mean",
    r"\b(?:does|do)\W+(?:that|this|it|they)\W+mean",
    r"\bmeaning\W+of",
    rf"\bis\W+(?:that|this|it|\d+(?:\.\d+)?)\W+{W}?(?:normal|high|low|bad|good|ok|okay|serious"
    r"|dangerous|cancer|elevated|abnormal)",
    r"\bis\W+(?:that|this|it)\W+(?:a\W+|an\W+)?(?:cancer|anemia|diabetes|infection|problem)",
    r"\b\d+(?:\.\d+)?\W+with\W+an?\W+(?:h|l)\b",
    r"\bflagged\b",
    r"\b(?:es|esta|sale|salio)\W+(?:\w+\W+)?(?:normal|alt[oa]|baj[oa]|grave)\b",
    r"\beso\W+es\W+\w+\W*\?",
    r"\bsignifica\b",
    # "did they come out good or bad", "salieron bien o mal"
    r"\b(?:bien|buen[oa]s?|good|normal)\W+o\W+(?:mal|mal[oa]s?|no)\b|\bgood\W+or\W+bad\b|\bnormal\W+or\W+not\b",
    r"\bque\W+(?:tengo|debo)\W+que\W+hacer",
)
# Standard written prep (R10): "how long do I fast before my blood test" is not about a result.
STANDARD_PREP = _rx(
    r"\bfast(?:ing|ed)?\b|\bayun\w*|\bno\W+(?:food|eating|comer)\b|\bwater\b|\bagua\b",
    r"\b(?:arrive|get\W+there|llegar)\W+(?:\w+\W+){0,2}?(?:early|temprano)\b",
)
# Returning a nurse's or provider's call about results is clinical (R9).
CLINICIAN_CALL = _rx(
    rf"\b(?:return\w*|call\w*\W+back|missed|devol\w*|devuel\w*|regres\w*)\W+{W}{{0,4}}?(?:nurse|doctor"
    r"|dr|provider|enfermera"
    r"|doctora)\b",
    rf"\b(?:nurse|doctor|dr|provider|enfermera|doctora)\W+{W}{{0,3}}?(?:called|llamo|left)",
)
# A new medical determination: time off work, a work restriction (R11).
DETERMINATION = _rx(
    r"\b(?:note|letter|form)\b.{0,60}\b(?:can'?t|cannot|no|not|unable\W+to)\W+(?:lift|stand|work|drive"
    r"|bend|walk)\b",
    r"\b(?:note|letter|excuse|form)\b.{0,40}\b(?:time\W+off|days?\W+off|off\W+work|out\W+of\W+work"
    r"|miss\w*\W+work|excused|stay\W+home)",
    r"\b(?:time\W+off|days?\W+off|off\W+work|out\W+of\W+work)\W+(?:\w+\W+){0,6}?(?:note|letter"
    r"|excuse|doctor|dr)\b",
    r"\b(?:note|letter|excuse)\b.{0,60}\b(?:be|stay|keep\W+me|remain)\W+(?:off|out|home)\b",
    r"\b(?:note|letter|clearance|form)\b.{0,60}\b(?:return|go\W+back|back)\W+to\W+(?:work|school"
    r"|sports|play)\b",
    r"\bwork\W+restrictions?",
    r"\b(?:light|modified)\W+duty",
    r"\bexcused?\W+from\W+(?:work|pe|gym)",
    # a note covering sick days already missed ("work note, missed 2 days")
    r"\b(?:work|school)\W+(?:note|excuse|letter)\b.{0,60}\bmiss\w*\W+(?:\d+|a|two|three|several|some)"
    r"\W+days?\b",
    r"\bincapacidad",
    rf"\b(?:restricci\w+|permiso)\W+{W}?(?:trabajo|medic\w*)",
    r"\brestricci\w+\b.{0,80}\btrabajo\b|\btrabajo\b.{0,80}\brestricci\w+",
    r"\b(?:nota|carta|constancia)\b.{0,60}\b(?:no\W+(?:puedo|pueda)\W+(?:trabajar|cargar|levantar)"
    r"|dias\W+(?:libres|de\W+descanso)|descanso\W+medico|faltar\W+al\W+trabajo)",
    r"\b(?:cleared|clearance)\W+(?:to|for)\W+(?:return|work|play|sports)",
)
VACCINE_QUESTION = _rx(
    r"\A(?=.*\b(?:vaccin\w*|vaccine|shot|booster|vacuna\w*|vacunar\w*)\b)(?=.*\b(?:safe|ok|okay"
    r"|should\W+i|pregnan\w*|embaraz\w*|breastfeed\w*|lactan\w*|allerg\w*|alergi\w*|reaction"
    r"|reaccion|side\W+effects?|efectos|es\W+normal|runny|cold|sick|fever|cough|enferm[oa]|gripa"
    r"|if\W+(?:i|he|she|they|we|my\W+\w+)\W+(?:has|have|is|am|are|tiene))\b)"
)
AFTER_PROCEDURE = _rx(
    rf"\b(?:after|since|post|despues\W+de|desde)\W+{W}{{0,3}}?{PROCEDURE}\b",
    r"\b(?:stitches|sutures|staples|incision|wound|dressing|drain|puntos|herida|vendaje)\b",
)
# Follow-up the provider already ordered (R7): persistence alone isn't new information.
ORDERED_FOLLOW_UP = _rx(
    r"\b(?:dr|doctor|provider|she|he)\W+(?:said|told\W+me)\W+.{0,60}\b(?:come\W+back|follow\W?up"
    r"|recheck|return|book|schedule)",
)


def _symptom_reasons(msg: Message, admin_request: bool, ordered_follow_up: bool) -> list[str]:
    """Symptoms are clinical unless they are a passing mention (R5) or already handled (R7)."""
    symptoms = _live(msg, msg.hits(SYMPTOMS), "symptom")
    if not symptoms:
        return []
    said = f'"{symptoms[0].quote}"'
    severe = SEVERE_OR_WORSE.search(msg.folded)
    if severe:
        return [f'clinical: {said} with "{msg.quote(*severe.span())}" (severe or worsening, R5c)']
    if msg.has(ATTENDANCE_QUESTION):
        return [f"clinical: {said} + asks whether to keep or attend the appointment (R6)"]
    if msg.has(CARE_QUESTION):
        return [f"clinical: {said} + a question about the condition or care"]
    prolonged = PROLONGED.search(msg.folded)
    if prolonged and not ordered_follow_up:
        return [f'clinical: {said} lasting "{msg.quote(*prolonged.span())}" (prolonged, R5c)']
    if msg.has(IMPROVING):
        msg.notes.append(f"set aside: {said} (getting better, given as a reason, R5)")
        return []
    if admin_request or ordered_follow_up:
        msg.notes.append(f"set aside: {said} (passing mention behind an admin request, R5)")
        return []
    return [f"clinical: {said} (symptom with no admin request around it, R17/R18)"]


def _blank(regex: re.Pattern[str], text: str) -> str:
    return regex.sub(lambda match: " " * len(match.group()), text)


def _medication_reasons(msg: Message) -> list[str]:
    folded = _blank(MEDICATION_LOGISTICS, msg.folded)
    if msg.has(TEEN_CONFIDENTIAL):  # a parent asking about a teen's confidential care: R14
        return []
    screened = Message(msg.text, folded)
    hit = screened.first(MEDICATION)
    if hit is None:
        return []
    return [f'clinical: "{hit.quote}" ({hit.label}: any medication question or refill, R8)']


def _clinical(msg: Message, admin_request: bool) -> list[str]:
    reasons = _medication_reasons(msg)
    if msg.cleared and not _EVALUATED.search(msg.folded):
        reasons.append(
            f'clinical: "{msg.cleared[0]}" weeks ago, cleared but never evaluated (R3, R18)'
        )
    results = msg.has(RESULT_NOUN)
    care_question = msg.has(CARE_QUESTION) and not msg.has(STANDARD_PREP)
    if results and (msg.has(RESULT_MEANING) or care_question):
        reasons.append("clinical: asks what a test result means (R9)")
    if results and msg.has(CLINICIAN_CALL):
        reasons.append("clinical: returning a nurse's or provider's call about results (R9)")
    if msg.has(ATTENDANCE_QUESTION) and msg.has(POSITIVE_TEST):
        reasons.append("clinical: positive test + asks whether to attend (R6)")
    determination = DETERMINATION.search(msg.folded)
    if determination:
        reasons.append(
            f'clinical: "{msg.quote(*determination.span())}" (new medical '
            "determination for work, R11)"
        )
    if msg.has(SEEN_QUESTION):
        reasons.append("clinical: asks whether to be seen")
    if msg.has(AFTER_PROCEDURE) and msg.has(CARE_QUESTION):
        reasons.append("clinical: adapting post-procedure or wound-care instructions (R10)")
    if msg.has(VACCINE_QUESTION):
        reasons.append("clinical: asks whether a vaccine is OK or about its reaction")
    reasons += _symptom_reasons(msg, admin_request, msg.has(ORDERED_FOLLOW_UP))
    return reasons


# --------------------------------------------------------------------------------------
# Complaints (R12, R13)
# --------------------------------------------------------------------------------------

# Redress demands and explicit dissatisfaction: one is enough.
COMPLAINT_STRONG: tuple[Rule, ...] = (
    _rule(
        "demands redress",
        # "my manager" at work is not a demand for the clinic's manager
        r"(?<!my\s)(?<!his\s)(?<!her\s)(?<!our\s)(?<!mi\s)(?<!su\s)\b(?:manager|supervisor|gerente"
        r"|encargad[oa]|patient\W+advocate)\b",
        r"\b(?:refund|reembolso|devuelvan)\b|\b(?:money|dinero)\W+(?:\w+\W+)?(?:back|de\W+vuelta)\b",
        r"\b(?:whoever|someone|somebody|person|alguien)\W+(?:\w+\W+)?in\W+charge\b",
        r"\b(?:formal\W+)?complain\w*|\bqueja\w*|\bquejarme\b",
        r"\b(?:fix|resolve)\W+(?:this|it)\b|\bwant\W+(?:this|it)\W+(?:resolved|fixed)",
        r"\barregl(?:en|ar)\W+(?:esto|esto\W+ya)\b",
        r"\b(?:remove|waive|take\W+off|reverse)\W+(?:the|this|that)\W+(?:\w+\W+){0,2}?(?:fee|charge)",
        r"\bquit(?:en|ar)\W+(?:el\W+)?(?:cargo|cobro)",
        # "remove it" / "take it off" when the message is about a fee or charge
        r"\A(?=.*\b(?:fees?|charged?|charges|cargos?|cobros?|multa)\b).*\b(?:remove|waive|reverse"
        r"|drop|take\W+(?:it|that)\W+off|quit(?:en|enme)|borr(?:en|enlo))\W+(?:it|that|this|them|lo"
        r"|la|eso|ese)?\b",
        r"\A(?=.*\b(?:fees?|charged?|charges|cargos?|cobros?|multa)\b).*\btake\W+(?:it|that|them)\W+off\b",
        r"\bspeak\W+(?:with|to)\W+(?:someone|somebody)\W+about\W+(?:this|what)",
        r"\breport\W+(?:this|you|her|him|them)\b",
        r"\b(?:bad|1\W+star|one\W+star)\W+review",
    ),
    _rule(
        "explicit dissatisfaction",
        r"\brude\w*|\bgroser\w*|\bmal\W+educad\w*|\bunprofessional|\bdisrespect\w*"
        r"|\bfalta\W+de\W+respeto|\bme\W+trataron\W+mal|\btreated\W+(?:\w+\W+)?(?:badly|poorly|rudely)",
        r"\bridicul\w*|\babsurd\w*|\bunacceptable|\binaceptable|\bfrustrat\w+|\bfrustrad[oa]",
        r"\b(?:mal|mala|pesim[oa])\W+(?:servicio|atencion)\b",
        r"\b(?:terrible|horrible|awful|worst|pesim[oa])\W+(?:\w+\W+)?(?:service|servicio|experience"
        r"|experiencia|staff|clinic|clinica|office|atencion|customer)",
        r"\b(?:so|really|very|extremely|super)\W+(?:mad|angry|upset|annoyed|pissed)\b"
        r"|\b(?:enojad[oa]|molest[oa]|enfadad[oa])\b",
        r"\bfed\W+up\b|\bhart[oa]s?\b|\b(?:tired|sick|cansad[oa])\W+(?:of|de)\W+(?:waiting|calling"
        r"|esperar|llamar)",
        r"\bthis\W+is\W+the\W+last\W+time\b|\bnever\W+(?:coming|come)\W+back\b",
        r"(?:^|[.!?]\s*)not\W+ok(?:ay)?\b|\b(?:that|this|it)\W*(?:'s|is|was)\W+not\W+(?:ok|okay"
        r"|acceptable)",
        r"\brushed\W+(?:me|us|her|him)\b|\bbarely\W+(?:looked|listened|talked|examined)"
        r"|\bdidn'?t\W+(?:listen|care)\b|\bno\W+me\W+(?:escucho|hizo\W+caso)",
        r"\bdidn'?t\W+even\W+(?:examine|look\W+at|check|listen|touch)|\bni\W+(?:me\W+)?(?:reviso|examino"
        r"|miro|escucho|reviso)\b",
        # sarcasm: praise for a failure ("amazing work as always", "thanks for billing me twice")
        r"\b(?:amazing|great|awesome|fantastic|stellar|wonderful|excellent|nice|brilliant)\W+(?:work"
        r"|job|system|service)\b",
        r"\bthanks?\W+(?:a\W+lot\W+|so\W+much\W+)?for\W+(?:\w+ing|\w+ing\W+me)\W+(?:\w+\W+){0,4}?"
        r"(?:twice|again|double|two\W+times|three\W+times)\b",
        r"\b(?:love|loving)\W+(?:how|that)\W+(?:you|y'?all|your|nobody|no\W+one|i\W+(?:have|keep))",
        r"\b(?:oh|wow)\W+(?:cool|great|nice|wonderful)\b|\bgreat\W+(?:system|service|job)"
        r"|\bthanks\W+for\W+nothing|\bwhat\W+a\W+joke|\bunbelievable|\bunreal\b|\bes\W+el\W+colmo",
    ),
    _rule(
        "disputes a charge",
        r"\bi\W+(?:already\W+|did\W+)?call\w*\W+(?:to|and)\W+cancel",
        r"\b(?:i\W+have|got)\W+(?:the\W+)?(?:call\W+log|proof|receipt)",
        r"\bshould(?:n'?t|\W+not)\W+(?:be|have\W+been)\W+(?:charged|billed)",
        r"\bstill\W+(?:got|get|was|were|been|being)\W+(?:charged|billed)",
        r"\bnot\W+(?:going\W+to|gonna)\W+pay",
        r"\bi\W+never\W+(?:got|received|had)\W+(?:a|the|any)\W+(?:bill|statement|notice|visit)",
        r"\bnunca\W+tuve\b",
        r"\bfor\W+a\W+visit\W+i\W+never\W+had",
    ),
)
# Frustration markers that count only when two of them appear (R12 threshold).
COMPLAINT_WEAK: tuple[Rule, ...] = (
    _rule(
        "repeated failure",
        r"\bagain\b|\botra\W+vez\b|\bde\W+nuevo\b|\bevery\W+time\b|\bcada\W+vez\W+que\b",
        rf"\b(?:{N_WORD}|several|multiple|many)\W+times\b|\b(?:dos|tres|varias|muchas)\W+veces\b",
        r"\b(?:second|third|fourth|segunda|tercera|cuarta|\d+(?:st|nd|rd|th|a|o))\W+(?:time|vez)\b",
        r"\bya\W+van\b|\bstill\W+(?:waiting|haven'?t|nothing|no)\b|\bon\W+hold\b",
        r"\bas\W+(?:always|usual)\b|\bcomo\W+siempre\b|\btwice\b|\bdouble\W?(?:billed|charged)\b",
    ),
    _rule(
        "nobody responds",
        r"\b(?:nobody|no\W+one|no\W+body)\W+(?:\w+\W+)?(?:answers|answered|calls|called|picks"
        r"|responds|replied|got\W+back)",
        r"\bnadie\W+(?:me\W+)?(?:contesta|llama|dijo|responde|regresa)",
        r"\bnunca\W+(?:me\W+)?(?:llaman|contestan|llamaron|contestaron|regresaron)",
        r"\bnever\W+(?:called|call|answer\w*|got\W+back)\b",
    ),
    _rule(
        "failure caused by the clinic",
        rf"\b(?:you|you\W+guys|y'?all|your\W+office|they)\W+{W}?(?:billed|charged|lost|forgot|messed|gave"
        r"|cancell?ed|double\W?booked|overcharged|sent\W+(?:it|them)\W+to\W+the\W+wrong)\b",
    ),
    _rule(
        "exasperated tone",
        r"\?\?|!!",
        r"\bseriously\b|\babsolutely\W+not\b",
        r"\bwhy\W+(?:did|was|am|do)\W+i\W+(?:get|got|getting|charged"
        r"|billed|being)\b",
        r"\bpara\W+(?:que|q)\W+tienen\b",
        r"\bwhat'?s\W+the\W+point\b",
        r"\bsin\W+avisar\w*",
    ),
)


def _complaint(msg: Message) -> list[str]:
    strong = msg.first(COMPLAINT_STRONG)
    if strong:
        return [f'complaint: "{strong.quote}" ({strong.label}, R12)']
    weak = msg.hits(COMPLAINT_WEAK)
    if len(weak) >= 2:
        cues = ", ".join(f'"{hit.quote}"' for hit in weak[:3])
        return [f"complaint: {cues} (repeated-failure frustration, R12)"]
    return []


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


# --------------------------------------------------------------------------------------
# Lanes (R17)
# --------------------------------------------------------------------------------------


def _lane_rule(lane: str, label: str, *patterns: str) -> tuple[str, Rule]:
    return lane, _rule(label, *patterns)


# Explicit workflow moments; the earliest mention wins (R17: act on the first request).
LANE_RULES: tuple[tuple[str, Rule], ...] = (
    ("other_admin", WRONG_RECIPIENT),  # reminders sent to the wrong person belong to no workflow
    _lane_rule(
        "no_show_recovery",
        "missed appointment or no-show fee",
        r"\bno\W?show",
        rf"\bmissed\W+(?:my|the|our|his|her|mi|la)\W+{W}{{0,2}}?{APPT}",
        rf"\bforgot\w*\W+(?:about\W+)?(?:my|the|mi)\W+{W}?{APPT}",
        r"\bslept\W+(?:through|thru|in)\b",
        rf"\bdidn'?t\W+(?:make\W+it|show(?:\W+up)?|go)\W+(?:to\W+)?(?:my|the)\W+{W}?{APPT}",
        r"\bse\W+me\W+(?:paso|olvido)\W+(?:la|mi)\W+cita",
        r"\bfalte\W+a\W+(?:la|mi)\W+cita",
        r"\bno\W+(?:fui|llegue|pude\W+ir)\W+a\W+(?:la|mi)\W+cita",
    ),
    _lane_rule(
        "telehealth_connection_problem",
        "trouble joining or during a video visit",
        rf"\b{CANT}\W+{W}?(?:connect|join)\b",
        rf"\b{CANT}\W+{W}?(?:get\W+(?:in|on|into)|log\W*in|load|open)\W+{W}{{0,3}}?{VIDEO}",
        rf"\b{CANT}\W+(?:hear|see)\W+(?:the\W+(?:doctor|dr|provider|nurse)|you|anything\W+on)",
        r"\b(?:invalid|broken|expired|dead)\W+link",
        rf"\blink\W+{W}?(?:doesn'?t|does\W+not|isn'?t|is\W+not|won'?t|not)\W+(?:work|open|load)",
        r"\bnever\W+(?:got|get|made\W+it)\W+(?:in|on|through)\b",
        rf"\b(?:says|saying|shows|showing|dice|sale|aparece)\W+{W}{{0,3}}?(?:invalid|expired|error|not\W+found"
        r"|unavailable|ended|expirad[oa]|invalid[oa]|vencid[oa])",
        r"\b(?:link|enlace)\W+(?:is\W+|has\W+|esta\W+)?(?:expired|vencido|expirado)",
        r"\b(?:screen|video|picture|audio|sound|call|zoom|app|connection|stream)\W+(?:is\W+|keeps\W+"
        r"|went\W+|goes\W+|turned\W+)?"
        r"(?:frozen|froze|freez\w*|black|cutting\W+out|dropp\w*|lagg\w*|glitch\w*)",
        r"\bno\W+(?:audio|sound|picture)\b",
        r"\b(?:got|been|was|keep\w*|get)\W+(?:\w+\W+)?"
        r"(?:kicked|dropped|disconnected|booted)\b",
        r"\bvirtual\W+waiting\W+room",
        r"\bwaiting\W+room\W+.{0,30}(?:video|link|app|virtual|online|screen)",
        r"\b(?:video|virtual|online|zoom|telehealth)\W+(?:waiting\W+room|lobby)\b",
        rf"\b(?:doctor|dr|provider|nobody|no\W+one)\W+{W}?(?:never\W+|hasn'?t\W+|didn'?t\W+)?"
        r"(?:joined|showed(?:\W+up)?|logged\W+on)\b",
        r"\blate\W+(?:to|for)\W+(?:the|my)\W+(?:video|virtual"
        r"|telehealth|zoom)",
        r"\btrying\W+to\W+(?:get\W+on|join|connect|log\W*in)",
        r"\b(?:visit|call|video|session|meeting)\W+(?:\w+\W+)?(?:never|didn'?t|did\W+not|won'?t)\W+"
        r"(?:start|begin|load|connect|open)\w*",
        r"\bwaiting\W+for\W+(?:the\W+)?(?:host|provider|doctor|dr)\b",
        r"\b(?:i'?m|we'?re|i\W+am)\W+(?:on|in)\W+the\W+(?:video|virtual|zoom|telehealth)\b",
        rf"\b(?:camera|mic|microphone|audio|sound|speaker)\W+{W}?(?:isn'?t|is\W+not|not|won'?t"
        r"|doesn'?t|stopped)\W+work\w*\W+(?:\w+\W+){0,3}?(?:right\W+now|during|in\W+the|mid)",
        rf"\b(?:in|on|during)\W+(?:the|my)\W+(?:video|virtual|telehealth)\W+{W}{{1,3}}?but\b",
        r"\bno\W+se\W+(?:escucha|oye|ve)\b",
        r"\bno\W+(?:me|la|lo|le)\W+(?:oye|escucha|veo|oigo)\b(?!\W+(?:sentido|caso|salida|fin))",
        # "se cayo" is also a person falling: require the call, video or connection nearby
        r"\bse\W+(?:me\W+)?(?:congelo|trabo|corto|cayo|colgo|desconecto)\W+(?:\w+\W+){0,2}?(?:llamada"
        r"|video\w*|conexion|pantalla|imagen|audio|app|zoom|consulta|cita|senal|internet|link)",
        r"\b(?:llamada|video\w*|conexion|pantalla|imagen|audio|app|zoom|internet|senal)\W+(?:\w+\W+)"
        r"{0,3}?se\W+(?:me\W+)?(?:congelo|trabo|corto|cayo|colgo|desconecto|congela|traba|corta)\b",
        r"\bno\W+(?:puedo|pude)\W+(?:entrar|conectar\w*|unirme)",
        r"\b(?:link|enlace)\W+no\W+(?:abre|funciona|sirve)",
    ),
    _lane_rule(
        "missed_call_callback",
        "returning or asking about the clinic's call",
        r"\breturn\w*\W+(?:[\w.']+\W+){0,4}?call\b",
        rf"\bmissed\W+(?:your|ur|u|a|the)\W+{W}?call",
        r"\bmissed\W+call",
        r"\b(?:who|someone|somebody|you|you\W+guys|y'?all|the\W+clinic"
        r"|your\W+office)\W+(?:just\W+)?called\b(?!\W+to)",
        r"\b(?:got|received|have)\W+a\W+(?:call|voicemail|vm|message|msg)\W+from",
        r"\b(?:message|voicemail|vm)\W+(?:you|someone|u)\W+left",
        r"\bleft\W+(?:me\W+)?a\W+(?:message|voicemail|vm)",
        r"\bme\W+(?:llamaron|marcaron)\b",
        r"\bllamada\W+perdida",
        r"\b(?:devol|devuel|regres)\w*\W+(?:la\W+|su\W+)?llamada",
        # a clinician's call being returned: "the nurse called me", "la enfermera me llamo"
        r"\b(?:nurse|doctor|dr|provider|enfermera|doctora|medico)\W+(?:just\W+|already\W+|ya\W+)?(?:called"
        r"|llamo|left)\b",
        r"\b(?:nurse|doctor|dr|provider|enfermera|doctora|medico)\W+me\W+(?:llamo|marco|dejo)\b",
        r"\bcall\w*\W+(?:her|him|them|you|u)\W+back\b",
        r"\bme\W+dejaron\W+(?:un\W+)?(?:mensaje|recado)",
    ),
    _lane_rule(
        "referral_status",
        "referral or authorization",
        r"\breferr?al\w*|\breferred\b|\brefer\W+me\b|\breferencia\w*|\breferid[oa]\b",
        r"\bprior\W+auth\w*|\bpre\W?auth\w*|\bautoriza\w*",
        r"\b(?:insurance|seguro|plan)\W+(?:\w+\W+){0,2}?(?:approv\w*|authoriz\w*|denied|aprob\w*|nego)\b",
        r"\bhear\w*\W+(?:back\W+)?from\W+(?:the\W+)?(?:\w+ology|specialist|\w+ist)\b",
        r"\bspecialist\b|\bespecialista\b",
    ),
    _lane_rule(
        "records_request",
        "copy or transfer of records",
        r"\bcop(?:y|ies)\b|\bcopia\w*",
        r"\brecords\b|\brecord\W+(?:for|of|de)\b|\bregistro\W+de\W+vacunas",
        r"\b(?:medical|shot|vaccine|vaccination|immunization|health)\W+record\b",
        r"\bregistros?\W+medicos?|\bexpediente|\bhistorial\b|\bcartilla\b|\bvacc\w+\W+card\b|\bimmunization",
        r"\bafter\W?visit\W+summary|\bvisit\W+(?:notes|summary)",
        rf"\b(?:send|sent|email|e-mail|fax|mail|upload|forward|transfer|release|mand|envi)\w*\W+"
        rf"{W}{{0,3}}?(?:results|resultados|records|labs|estudios|images|imaging|notes|x-?rays?"
        r"|report)\b",
    ),
    _lane_rule(
        "billing_question",
        "bill, charge or payment",
        r"\bbill\w*\b|\bstatement|(?<!in\s)\bcharge[sd]?\b|\bcharging\b|\bco\W?pays?\b|\bcopago|\bbalance",
        r"\bover\W?charg\w*|\bdouble\W?(?:billed|charged)",
        r"\bpayment\w*|\bpay\b|\bpaying\b|\bpaid\b|\bowe\b|\bfee\b",
        r"\bself\W?pay|\bout\W+of\W+pocket|\bdeductible|\binvoice|\bcollections?\b",
        r"\bhow\W+much\W+(?:is|does|will|would|do)\b|\bprices?\b|\bcosts?\b|\$\s?\d",
        r"\bcobr\w+|\bfactura\w*|\bcuanto\W+(?:debo|cuesta|cobran|sale)\b|\bpag(?:ar|o|ue|os)\b",
        r"\bdeducible|\breembolso|\bestado\W+de\W+cuenta",
    ),
    _lane_rule(
        "insurance_document",
        "insurance coverage or card",
        r"\binsur\w+|\bmedicaid|\bmedicare|\bmedi\W?cal\b|\bcoverage|\bcovered\b|\bin\W?network",
        r"\bdo\W+you\W+(?:take|accept)\b|\baceptan\b|\baseguranza",
        r"\b(?:mi|el|tengo|nuevo|un|del|de\W+mi)\W+seguro\b",
        r"\bseguro\W+(?:medico|nuevo|de\W+salud)",
    ),
    _lane_rule(
        "form_reminder",
        "form or paperwork",
        r"\b(?:the|my|this|these|those|that|his|her|our|your|intake|consent|fmla|disability"
        r"|school|sports?|camp|parking|handicap|registration|patient|pre\W?visit|medical|release"
        r"|work|dmv|daycare|physical|immigration|job|employment|travel|pre\W?op|clearance|health"
        r"|vaccine|immunization|court|housing|benefits)\W+forms?\b",
        # handling any form: sign, fill out, drop off, pick up, "form signed / ready"
        rf"\b(?:sign|fill\w*(?:\W+out)?|complete|submit|drop\w*(?:\W+off)?|pick\w*(?:\W+up)?|turn\W+in"
        r"|fax|return|send)\W+(?:the|my|this|these|that|those|a|an|his|her|our|your|el|la|mi|su)\W+"
        rf"{W}{{0,2}}?forms?\b",
        rf"\bforms?\W+{W}{{0,2}}?(?:signed|filled|completed|done|ready|back)\b",
        r"\b(?:driving|dmv|license|jury|passport|adoption|tb|wic|life\W+insurance|camp|gym)\W+forms?\b",
        r"\bintake\b|\bconsent\b|\bincapacidad|\bdisability\b",
        r"\bpaperwork|\bpacket|\bquestionnaire|\bformulario\w*|\bpapeles|\bpapeleo|\bcuestionario"
        r"|\bplanilla|\bfmla\b",
    ),
    _lane_rule(
        "telehealth_prep",
        "before a video or phone visit",
        r"\b(?:video|virtual|online|zoom|phone|telephone)\W+(?:visit|appointment|appt|call\W+visit"
        r"|consult\w*|cita|consulta)",
        r"\btele\W?(?:health|medicine|visit)|\btelemedicina",
        r"\bvideo\W?llamada|\bvideo\W?consulta",
        r"\b(?:cita|consulta)\W+(?:en|por)\W+(?:video|linea"
        r"|zoom)",
        r"\b(?:cita|consulta)\W+virtual",
    ),
    _lane_rule(
        "post_visit_next_steps",
        "after-visit orders, results or instructions",
        r"\bresults?\b|\bresultados?\b",
        r"\bcame\W+back\b",
        rf"\b(?:labs?|blood\W*work|tests?|pap|mammogram|mri|x-?ray|scan|biopsy|estudios"
        rf"|analisis)\W+{W}?(?:back|in|ready|listos?|salieron)\b",
        r"\bme\W+sali\w+\W+(?:el|la|los|las|mi|mis)\b",
        r"\bwhat\W+does\W+(?:it|that|this)\W+mean\b",
        r"\bwhat\W+(?:does|do)\W+(?:\w+\W+){0,5}?(?:ekg|ecg|mri|scan|x\W?ray|results?|labs?|tests?|a1c"
        r"|levels?|report|pap|biopsy)\W+(?:\w+\W+)?mean\b",
        r"\bmy\W+(?:labs?|tests?|thyroid|cholesterol|ldl|a1c|potassium|psa|tsh|iron|vitamin\W+d"
        r"|hemoglobin)\W+(?:levels?\W+)?(?:is|was|were|are|came|results?)\b",
        r"\b(?:stitches|sutures|staples|incision|wound|dressing|puntos|herida)\b",
        r"\bpost\W?op\b|\bpost\W+(?:procedure|surgery|surgical)\b",
        rf"\b(?:had|got|tuve|me\W+hicieron)\W+{W}{{0,2}}?{PROCEDURE}",
        rf"\b(?:where|since|after)\W+(?:they|the\W+(?:doctor|dr|surgeon))\W+{PROCEDURE}",
        rf"\b(?:my|mis|mi)\W+{W}{{0,2}}?(?:numbers|levels|values|counts?|niveles|valores)\b",
        rf"\b(?:after|since|desde|despues\W+de)\W+{W}{{0,3}}?(?:visit|appointment|appt"
        rf"|shot|vaccine|vacuna|injection|inyeccion|infusion|{PROCEDURE})\b",
        rf"\b(?:doctor|dr|provider|nurse|\w+ologist|surgeon)\W+{W}?(?:said|told|ordered|wants"
        r"|recommended|sent|spent|barely)\b",
        r"\b(?:el|la)\W+(?:doctor|doctora|dr|medico|medica|enfermera)\W+(?:me\W+)?(?:dijo|mando"
        r"|ordeno|pidio|indico)\b",
        r"\bme\W+(?:mandaron|ordenaron|pidieron)\W+(?:hacer|hacerme)",
        rf"\b(?:schedule|book|make|set\W+up|need|get)\W+{W}{{0,2}}?follow\W?up\b",
        r"\bfollow\W?up\W+(?:\w+\W+)?(?:in|after)\b|\bseguimiento\b",
        r"\bordered\b|\b(?:lab|test|imaging)\W+orders?\b",
        rf"\b(?:report|results?|labs?|scan|x\W?ray|mri)\W+{W}?(?:says|said|shows|showed|dice|salio)\b",
        r"\bwhat\W+(?:the|my)\W+plan\W+is\b|\bnext\W+steps?\b",
        r"\bwhat\W+did\W+(?:they|the\W+\w+|he|she|dr\W+\w+)\W+(?:prescribe|say|find|tell|recommend)",
        rf"\bwhat\W+(?:my|his|her|the)\W+{W}{{0,2}}?(?:tests?|results?|labs?|mri|scan|x\W?rays?|biopsy"
        r"|bloodwork)\W+(?:showed|shows|said|says|found)\b",
        rf"\b(?:look\w*|read|review\w*)\W+(?:at\W+)?(?:my|the)\W+{W}?(?:x\W?rays?|results?|labs?|scan"
        r"|mri|ct|imaging|tests?|blood\W*work)\b",
        r"\bwhen\W+will\W+(?:someone|somebody|the\W+(?:dr|doctor|nurse)|you|they)\W+call\b",
        r"\b(?:at|during)\W+(?:his|her|my)\W+(?:last\W+)?visit\b",
        r"\b(?:me|le)\W+pusieron\W+(?:la|el|una|un)\W+(?:vacuna|inyeccion)",
    ),
    _lane_rule(
        "cancel",
        "cancel without rebooking",
        r"\bcancel\w*\W+(?:my|the|it|this|that|our|his|her|appt|appointment|for|mi|la|\w+day"
        r"|tomorrow|today|tmrw|\d+)\b",
        r"\b(?:please|pls|plz|want\W+to|wanna|need\W+to|have\W+to"
        r"|gotta|going\W+to|gonna|like\W+to|can\W+(?:you|u|i))\W+cancel",
        r"^\W*cancel\b",
        r"\bcancel(?:ar|e|en|arla|ala)\b",
        rf"\b(?:won'?t|will\W+not|{CANT}|not\W+going\W+to)\W+(?:be\W+able\W+to\W+)?(?:make\W+it"
        r"|come(?:\W+in)?|attend|be\W+there)\b(?!\W+(?:sooner|earlier|with|to\W+the\W+phone))",
        r"\bno\W+(?:voy|vamos|va)\W+a\W+(?:poder\W+)?(?:ir|llegar|asistir)",
        r"\bno\W+(?:puedo|podre)\W+(?:ir|llegar|asistir)",
    ),
    _lane_rule(
        "reschedule",
        "move an existing appointment",
        r"\breschedul\w*|\bre\W?book\w*|\breprogram\w*|\bre\W?agend\w*",
        # bringing an existing visit forward: "la puedo adelantar", "move it up"
        r"\badelant\w+\W+(?:la|mi|su)?\W*(?:cita|consulta)?|\b(?:la|lo)\W+(?:puedo|pueden|podemos)"
        r"\W+adelantar|\bmove\W+(?:it|my\W+\w+)\W+up\b",
        r"\b(?:sooner|earlier)\W+(?:appt|appointment|time|slot|date|cita|opening)",
        # a possessive day counts as one word: "move tmrw's video visit"
        r"\b(?:move|moving|push|pushing|switch|switching|change|changing|bump)\W+(?:\w+(?:'s)?\W+)"
        r"{0,2}?(?:appt|appointment|apt|cita|visit|time|follow\W?up|date|day|physical|check\W?up|exam"
        r"|procedure|surgery|mri|labs?|colonoscopy|screening|mammogram)\b",
        # "it" is too vague alone ("changing it" can be a medication): needs a target time
        r"\b(?:move|moving|push|pushing|bump|bumping)\W+it\b",
        r"\b(?:switch|switching|change|changing)\W+it\W+(?:to|for)\W+(?:\w+day|tomorrow|next|later"
        r"|earlier|another|a\W+different|the\W+\d|\d|morning|afternoon|evening|video|virtual|phone)",
        # moving to another day: "move my thursday 10am to next week", "can we do monday"
        r"\b(?:move|moving|push|pushing|bump)\W+(?:\w+\W+){0,4}?(?:to|until|till)\W+(?:\w+day|tomorrow"
        r"|next|later|earlier|another|a\W+different|sometime|the\W+\d|\d|the\W+(?:morning|afternoon"
        r"|evening))",
        r"\b(?:can|could)\W+(?:we|i|you|u)\W+(?:do|try|make\W+it|go\W+with|switch\W+to)\W+(?:\w+day"
        r"|tomorrow|next\W+\w+|another\W+day|later|the\W+\d)",
        # in-person <-> video: "can I do video instead"
        r"\b(?:do|make\W+it|switch\W+to|change\W+to|have|be)\W+(?:a\W+|it\W+)?(?:video|virtual"
        r"|telehealth|phone|in\W?person)\W+(?:\w+\W+)?instead\b",
        r"\b(?:por|en)\W+video\W+(?:mejor|en\W+vez|en\W+lugar)|\bmejor\W+(?:por|en)\W+video\b",
        rf"\b(?:gave|given|giving)\W+(?:my|our|her|his)\W+{W}?(?:appt|appointment|slot|spot)\W+"
        r"(?:to|away)\b",
        rf"\b(?:switch|change|convert)\w*\W+{W}{{0,3}}?(?:in\W?person|presencial)",
        rf"\b(?:appt|appointment|cita)\W+{W}?(?:moved|changed|rescheduled)",
        r"(?<!miss\s)(?<!missed\s)(?<!missing\s)\b(?:another|different|other)\W+(?:day|date|time|slot)",
        rf"\b(?:cambiar|mover|pasar|recorrer)\w*\W+{W}?(?:mi|la|su|de)\W+(?:cita|fecha|hora|consulta)",
        r"\b(?:otro|otra)\W+(?:dia|fecha|hora)\b",
        rf"\b(?:you|they|you\W+guys|y'?all|clinic|office)\W+{W}?(?:cancell?ed|moved|changed"
        r"|rescheduled)\W+(?:on\W+)?(?:me|my)\b",
        r"\bme\W+(?:cambi|cancel|mov|muev)\w*\W+(?:la|mi)\W+cita",
    ),
    _lane_rule(
        "appointment_request",
        "new appointment or whether to be seen",
        rf"\b(?:make|book|schedule|get|set\W+up)\W+{W}{{0,5}}?(?:appt|appointment|apt|visit"
        r"|physical|check\W?up|consult\w*|exam|well\W?child|intake)\b(?!\W+(?:forms?|paperwork))",
        # booking with no noun: "can i book for today", "can we get in tomorrow"
        r"\b(?:can|could)\W+(?:i|we)\W+(?:book|schedule|get\W+in)\W+(?:for\W+)?(?:today|tomorrow|tmrw"
        r"|this\W+\w+|asap|now|soon)\b",
        r"\bshould\W+(?:someone|somebody|a\W+doctor|the\W+doctor)\W+(?:look\W+at|check|see)\b",
        rf"\b(?:make|book|schedule|set\W+up)\W+{W}{{0,5}}?(?:shots?|vaccines?|vaccinations?)\b"
        r"(?!\W+(?:cards?|records?|history))",
        rf"\b(?:need|want|like)\W+(?:to\W+(?:make|book|schedule|get|see)\W+)?(?:an?|another|new)\W+"
        rf"{W}?(?:appt|appointment|apt|visit|physical|check\W?up)\b",
        r"\b(?:any|have|got)\W+(?:\w+\W+)?(?:openings?|availability|slots?|spots?)\b",
        r"\bearliest\W+(?:available|appointment|opening)",
        r"\b(?:anything|something)\W+(?:open|available)\W+(?:today|tomorrow|tmrw|this|next|soon)",
        r"\bshould\W+(?:i|we|he|she|they)\W+(?:see|talk\W+to)\W+(?:someone|somebody|a\W+doctor"
        r"|a\W+specialist)",
        r"\bwalk\W?in",
        r"\bnew\W+patient\b",
        r"\b(?:should|do|would|does)\W+(?:i|we|he|she|they)\W+(?:need\W+to\W+)?(?:be\W+seen|come\W+in"
        r"|bring\W+(?:him|her|them))\b(?!\W+(?:sooner|earlier))",
        r"\bdo\W+(?:i|we)\W+need\W+an?\W+appointment",
        r"\b(?:lo|la|me|nos|los|las)\W+(?:pueden|podrian|puede|podria)\W+(?:ver|atender|revisar|checar)\b",
        r"\bsomething\W+i\W+should\W+come\W+in\W+for",
        r"\bcan\W+(?:i|we|he|she)\W+(?:come|get)\W+in\W+(?:today|now|tomorrow|tmrw|this|asap)",
        r"\b(?:get|be)\W+seen\W+(?:today|now|tomorrow|tmrw|asap|this|soon|sooner)",
        rf"\b(?:hacer|sacar|agendar|programar|pedir|quiero|necesito|ocupo)\W+{W}?(?:una\W+)?"
        r"(?:nueva\W+)?(?:cita|consulta)\b",
        r"\btienen\W+(?:algo|espacio|citas|lugar|disponib\w*)",
        r"\bhay\W+(?:citas|espacio|lugar)\b",
        r"\b(?:dar|darme|dan|den|conseguir|consiga|conseguirle|sacarle)\W+(?:una\W+)?cita\b",
        r"\bsin\W+cita\b",
        r"\b(?:lo|la|los|las)\W+(?:llevo|traigo)\b",
        r"\bque\W+me\W+vean\b",
        r"\bme\W+(?:pueden|podrian)\W+ver\b",
    ),
)
# Generic moments, used when no specific one was found; the earliest wins here too.
FALLBACK_RULES: tuple[tuple[str, Rule], ...] = (
    _lane_rule(
        "other_admin",
        "address, phone or name change",
        rf"\b(?:change|update|changed|updating|new|cambi\w+|actualiz\w+|nuev[oa])\W+{W}?(?:address"
        r"|phone\W+number|number|name|email|direccion|domicilio|nombre|correo|telefono|numero)\b",
    ),
    _lane_rule(
        "other_admin",
        "preferred pharmacy",
        rf"\b(?:switch\w*|chang\w*|new|update|cambi\w*)\W+{W}{{0,2}}?(?:pharmac\w+|farmacia)",
        r"\b(?:pharmacy|farmacia)\W+on\W+(?:my\W+)?file",
    ),
    _lane_rule(
        "other_admin",
        "attendance note",
        rf"\bproof\W+{W}{{0,3}}?(?:i\W+was|of\W+(?:attendance|visit|appointment))",
        rf"\b(?:confirm|verify|proof)\W+{W}{{0,3}}?(?:was|were|attended|came|estuvo|vino)\W+(?:at|to|in"
        r"|en)\b",
        rf"\b(?:note|letter|excuse)\W+{W}{{0,3}}?(?:that|saying|showing)\W+i\W+(?:was|had|came)",
        r"\bconstancia|\bcomprobante|\bjustificante",
        r"\b(?:school|work|excuse|attendance)\W+(?:excuse\W+)?(?:note|letter|slip)\b",
    ),
    _lane_rule(
        "other_admin",
        "hours or location",
        r"\b(?:office|clinic|business|opening|your)\W+hours\b|\bwhat\W+time\W+do\W+you\W+(?:open|close)",
        r"\bare\W+you\W+open\b|\bhorario|\babren\b|\bcierran\b",
    ),
    _lane_rule(
        "other_admin",
        "portal access",
        rf"\b(?:log\W*in|sign\W*in|password|username|activation|locked\W+out)\W+{W}{{0,3}}?(?:portal"
        r"|mychart|account)",
        rf"\bportal\W+{W}{{0,3}}?(?:password|login|log\W*in|locked|activation)",
        rf"\b(?:contrasena|acceso)\W+{W}{{0,3}}?portal",
    ),
    _lane_rule(
        "other_admin",
        "language or accessibility",
        r"\binterpret\w*|\btranslat\w*",
        rf"\b(?:someone|anyone|somebody|staff|alguien|quien)\W+{W}{{0,2}}?(?:speaks?"
        r"|hable|habla)\W+(?:spanish|espanol|english|ingles)\b",
        r"\bhablan\W+(?:espanol|ingles)\b",
        r"\bwheelchair|\bsilla\W+de\W+ruedas|\baccessib\w*",
    ),
    _lane_rule(
        "other_admin",
        "communication preference",
        r"\b(?:text|email|call)\W+me\W+instead|\bprefer\W+(?:\w+\W+)?(?:texts?|emails?|calls?)\b",
        r"\bstop\W+(?:texting|calling|sending)|\bunsubscribe|\bopt\W+out",
    ),
    _lane_rule(
        "appointment_time_question",
        "question about an existing appointment",
        r"\bwhat\W+time\W+(?:is|was|'s)\W+(?:my|his|her|the|our)\b",
        rf"\bwhen\W*(?:'s|is|was)\W+(?:my|his|her|the|our)\W+{W}?(?:appt|appointment|apt|visit|cita"
        r"|follow\W?up|check\W?up|physical|exam|procedure|surgery)",
        r"\bwhat\W+time\b",
        r"\b(?:appt|appointment|cita)s?\W+(?:time|date|detail)s?\b",
        r"\b(?:come|coming|bring|bringing)\W+(?:with\W+me|someone|a\W+friend)\b",
        rf"\b(?:my|his|her)\W+{W}?(?:appt|appointment|apt)\W+(?:is|was|got|has|on|at|this|tomorrow|today|tmrw"
        r"|next|\w+day)\b",
        rf"\b(?:have|got)\W+(?:my|an|a)\W+{W}?(?:appt|appointment|apt)\W+(?:this|tomorrow|today"
        r"|tmrw|on|at|next|\w+day)\b",
        r"\ba\W+(?:q|que)\W+hora\b",
        r"\b(?:mi|su|la)\W+cita\W+(?:es|de\W+(?:hoy|manana)|manana|hoy|el)\b",
        r"\b(?:manana|hoy)\W+(?:es|tengo)\W+(?:mi\W+)?cita",
        rf"\bcita\W+{W}{{0,7}}?es\W+(?:manana|hoy|a\W+las|el|de\W+(?:cual|quien))\b",
        r"\b(?:cuando|donde|a\W+que\W+hora)\W+es\W+(?:mi|su|la)\W+(?:proxima\W+|siguiente\W+)?cita\b",
        rf"\bsi\W+(?:ir|voy|vengo|asistir|llevarlo|llevarla)\W+{W}{{0,2}}?a\W+(?:la|mi|su)\W+cita\b",
        r"\b(?:debo|puedo|tengo\W+que)\W+(?:ir|venir|asistir)\W+a\W+(?:la|mi|su)\W+cita\b",
        rf"\b(?:my|the|mi|la|el)\W+{W}?(?:{PROCEDURE}|surgery|labs?|mri|scan|mammogram|cirugia)\W+(?:is"
        r"|'s|es)\W+(?:on\W+|el\W+)?(?:\w+day|tomorrow|tmrw|next|this|manana|lunes|martes|miercoles"
        r"|jueves|viernes|sabado)\b",
        r"\btodavia\W+(?:voy|vengo|asisto)\b|\b(?:sigo|mantengo)\W+(?:con\W+)?(?:la|mi)\W+cita\b",
        r"\bcome\W+in\W+(?:sooner|earlier)\b",
        # an upcoming procedure or test the patient already has ("I have my colonoscopy friday")
        rf"\b(?:i\W+have|i'?ve\W+got|got|tengo)\W+(?:my|a|an|the|mi|la|el|una|un)\W+{W}?(?:{PROCEDURE}"
        r"|surgery|labs?|blood\W+(?:work|test|draw)|mri|ct|scan|ultrasound|mammogram|cirugia"
        r"|estudios|analisis)\W+(?:\w+\W+)?(?:\w+day|tomorrow|tmrw|next|this|on|manana|el)\b",
        r"\btengo\W+(?:mi\W+|una\W+)?cita\b",
        r"\bwhere\W+(?:do|should|can)\W+(?:i|we)\W+(?:park|go|check\W+in)\b",
        r"\b(?:what|which)\W+(?:address|location|building|floor|suite|entrance)\b|\bparking\b",
        rf"\b(?:running|i'?ll\W+be|gonna\W+be|i'?m)\W+{W}{{0,3}}?late\b",
        r"\brunning\W+behind\b|\bbe\W+there\W+in\W+(?:\d+|a\W+few|five|ten|fifteen)\b",
        rf"\b(?:voy|llego|vamos)\W+(?:a\W+llegar\W+)?{W}?tarde\b",
        r"\bhow\W+long\W+(?:will|is|does)\W+(?:the|my|it)\b",
        r"\bwhat\W+(?:should|do)\W+i\W+(?:need\W+to\W+)?bring\b",
        r"\b(?:do|should)\W+(?:i|we)\W+(?:need\W+to\W+)?bring\b",
        r"\b(?:can|may|should)\W+i\W+bring\b",
        r"\bque\W+(?:tengo|debo|necesito)\W+(?:que\W+)?(?:llevar|traer)\b",
        r"\bconfirm\w*|\bconfirmar\w*|\breminder\w*|\brecordatorio\w*",
        r"\bfasting\b|\bfast\W+(?:before|for|after)\b|\bno\W+(?:food|eating)\b|\bayun\w*",
        r"\bprep\b|\bpreparation\b|\bpreparacion\b|\b(?:day|night|morning)\W+before\b",
        r"\bwater\W+(?:is\W+)?(?:ok|okay|allowed)\b",
        rf"\b(?:morning|night|day)\W+(?:of|before)\W+(?:my|the)\W+{W}?(?:test|labs?|blood\W+work"
        r"|procedure|appt|appointment|surgery|colonoscopy|visit)\b",
        rf"\b(?:for|before)\W+(?:my|the)\W+{W}?(?:labs?|blood\W+(?:test|work|draw)|{PROCEDURE}"
        r"|surgery|mri|ct|ultrasound)\b",
        rf"\btengo\W+{W}{{0,2}}?(?:estudios|analisis|laboratorio\w*|examen\w*)\W+{W}{{0,2}}?(?:manana"
        r"|hoy|el)\b",
        r"\bshould\W+i\W+still\W+(?:come|go)|\bvoy\W+o\b",
        r"\bstill\W+(?:want\W+to\W+|planning\W+(?:to|on)\W+)?(?:come|go|coming|going)\b",
        r"\bkeep\W+(?:my|the)\W+(?:appt|appointment)|\bis\W+it\W+(?:ok|okay|fine|alright)\W+to\W+wait",
        rf"\b(?:waited|espere|esperamos)\W+{W}{{0,4}}?(?:hours?|horas|minutes|min)\b",
        r"\bwaiting\W+room\b|\bhow\W+much\W+longer\b|\bsala\W+de\W+espera\b",
        r"\bwith\W+whom\b|\bwho\W+(?:am\W+i|will\W+i\W+be)\W+seeing\b|\bcon\W+quien\b",
    ),
    _lane_rule(
        "missed_call_callback",
        "asks for a callback",
        r"\bcall\W+(?:me|us)\W+back\b|\bcallback\b|\bllam(?:en|eme|ame)\w*",
    ),
    _lane_rule(
        "telehealth_prep",
        "video visit setup",
        r"\blink\b|\benlace\b|\bapp\b|\bcamera|\bcamara|\bwebcam|\bsmartphone",
    ),
)
# When two moments co-occur, the first one named here wins regardless of order.
DOMINATES: dict[str, frozenset[str]] = {
    "no_show_recovery": frozenset(
        {"billing_question", "reschedule", "appointment_request", "cancel"}
    ),
    "telehealth_connection_problem": frozenset({"telehealth_prep"}),
    "reschedule": frozenset({"cancel", "appointment_request"}),
    "records_request": frozenset(
        {"post_visit_next_steps", "billing_question", "insurance_document"}
    ),
    "referral_status": frozenset({"insurance_document"}),
}


def _lane_hits(msg: Message, rules: tuple[tuple[str, Rule], ...]) -> dict[str, Hit]:
    """Earliest hit per lane."""
    earliest: dict[str, Hit] = {}
    for lane, rule in rules:
        match = rule.regex.search(msg.folded)
        if match and (lane not in earliest or match.start() < earliest[lane].start):
            earliest[lane] = Hit(
                rule.label, match.start(), match.end(), msg.quote(match.start(), match.end())
            )
    return earliest


# "Cancel, I'll call to rebook later": rebooking is deferred, so the moment is a cancel.
DEFERRED_REBOOK = _rx(
    r"\b(?:rebook|reschedule|book|reagend\w*|hacer\W+otra\W+cita)\W+(?:\w+\W+){0,2}?(?:later|another"
    r"\W+time|when|once|after|myself|luego|despues|mas\W+adelante|cuando)\b",
    r"\b(?:later|luego|despues)\W+(?:\w+\W+){0,3}?(?:to\W+|para\W+)?(?:rebook|reschedule|reagend\w*)",
)


# "Can't come thurs, next week pls": a cancel that proposes a new time is a reschedule.
PROPOSES_NEW_TIME = _rx(
    r"\b(?:next|following)\W+(?:week|month)\b|\banother\W+(?:day|time)|\binstead\b",
    r"\b(?:can|could)\W+(?:we|i|you|u)\W+(?:do|try|make\W+it)\W+(?:\w+day|tomorrow|next)",
    r"\b(?:what|how)\W+about\W+(?:\w+day|tomorrow|next)|\bany\W*(?:time|thing)\W+(?:next|later|else)",
    r"\bla\W+(?:semana|otra\W+semana)\W+(?:que\W+(?:viene|entra)|proxima)|\botro\W+dia\b|\bmejor\W+el\b",
)


def _choose_lane(msg: Message) -> tuple[str, str, bool]:
    """(lane, reason, whether an administrative request was found)."""
    found = _lane_hits(msg, LANE_RULES)
    if "cancel" in found and msg.has(DEFERRED_REBOOK):
        found.pop("reschedule", None)
    elif "cancel" in found and "reschedule" not in found and msg.has(PROPOSES_NEW_TIME):
        found["reschedule"] = found.pop("cancel")
    beaten = {loser for winner in found for loser in DOMINATES.get(winner, ())}
    candidates = {lane: hit for lane, hit in found.items() if lane not in beaten}
    if candidates:
        lane, hit = min(candidates.items(), key=lambda item: item[1].start)
        why = "first workflow moment mentioned" if len(found) > 1 else "workflow moment"
        return lane, f'lane {lane}: "{hit.quote}" ({hit.label}; {why}, R17)', True
    fallback = _lane_hits(msg, FALLBACK_RULES)
    if fallback:
        lane, hit = min(fallback.items(), key=lambda item: item[1].start)
        reason = f'lane {lane}: "{hit.quote}" ({hit.label}, R17)'
        return lane, reason, lane != "missed_call_callback"  # a bare callback isn't a request
    return "other_admin", "lane other_admin: no workflow context found (catch-all, R17)", False


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


# Speech-to-text fillers ("um", "uh") break multi-word patterns; blanking keeps offsets intact.
_FILLER = re.compile(r"\b(?:u+[hm]+|u+h+m+|h+m+|e+h+|a+h+|e+m+)\b")


def triage(text: str, language: str | None = None, channel: str | None = None) -> TriageResult:
    """Label one inbound message with a lane and a boundary, explaining both.

    `language` and `channel` are accepted for callers that have them, but the rules don't
    depend on them: Spanglish mixes both languages, and red flags matter on every channel.
    """
    msg = Message(text, _blank(_FILLER, fold(text)))
    lane, lane_reason, admin_request = _choose_lane(msg)
    fired = {
        "urgent": _urgent(msg),
        "clinical": _clinical(msg, admin_request),
        "complaint": _complaint(msg),
        "identity_unclear": _identity(msg),
    }
    boundary = next((name for name in BOUNDARIES[:-1] if fired[name]), "administrative")
    reasons = [reason for name in BOUNDARIES[:-1] for reason in fired[name]]
    if boundary == "administrative":
        reasons.append("administrative: no urgent, clinical, complaint or identity cue")
    else:
        lower = [name for name in BOUNDARIES[:-1] if fired[name] and name != boundary]
        if lower:
            reasons.append(f"boundary {boundary} outranks {', '.join(lower)} (precedence, R1)")
    return TriageResult(lane, boundary, tuple(reasons + msg.notes + [lane_reason]))
