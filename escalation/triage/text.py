"""Text folding, matching helpers, shared fragments, negation and history (R3)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

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
    # The engine is not sure of the boundary: the assistant confirms it ("check the boundary").
    unsure: bool = False


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
    r"|post\W?op\w*|repair|replacement|transplant|reconstruction|placement"
    # a device put in: "port placed", "they put my port in", "me pusieron un puerto"
    r"|(?:port|line|drain|tube|pacemaker|picc|catheter)\W+(?:was\W+)?(?:placed|put\W+in|inserted)"
    r"|(?:put|placed|inserted|pusieron|colocaron)\W+(?:\w+\W+){0,2}?(?:port|drain|tube"
    r"|pacemaker|picc|catheter|puerto|sonda|dren)\b"
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
    # "could not see", "can not move", "not able to speak": inability, not a negation
    r"(?<!could )(?<!can )\b(?:no|not|never|without|denies|deny|denied|sin|nunca|ni|tampoco|nor"
    r"|neither"
    r"|negative\W+for|free\W+of|(?:is|are|was|were|do|does|did|have|has|had|would)n'?t"
    r"|dont|doesnt|didnt|havent|hasnt|isnt|arent|wasnt)\b"
    r"(?!\W+(?:idea|sure|doubt|only|matter|wonder|just|clue|know|tell|se|sabia|se\W+si|one|able)\b)"
    # "no (me) puedo acostar" is "can't lie down": inability, like "can't", is not a negation
    r"(?!\W+(?:(?:me|se|le|te)\W+)?(?:puedo|puede|pude|pudo|podia|podemos|pueden)\b)"
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
# Already looked at by a clinician: then the old episode is history, not a clinical question.
_EVALUATED = re.compile(
    r"\b(?:checked\W+out|got\W+checked|evaluated|er|emergency\W+room|urgent\W+care|hospital|cleared"
    r"\W+me|(?:dr|doctor|they)\W+said|urgencias|hospital|me\W+(?:revisaron|checaron|atendieron))\b"
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
        else:
            live.append(hit)
    return live
