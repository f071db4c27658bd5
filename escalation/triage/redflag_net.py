"""Red-flag concepts in new wording: a vital area and an acute cue in one clause, and
statement families ("want to never wake up"). Like `redflag_terms.py`, these only find
candidates; `unless` marks a benign reading (a heavy heart, a garbled video call) that sends
the candidate to a clinician with "check the boundary" instead of the emergency route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import BREATH, CANT, CHEST, HEADACHE, PECHO, SELF, Rule, _rule, _rx

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

NET_GAP = 60


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
    # Three statements whose parts are a frame, not a phrase (cQ, cP first sight: cutting,
    # threats at staff and not waking up said in words no table held). Each needs two parts:
    # an act on oneself or on a person, and what makes it deliberate, intended or wished. A
    # benign reading in the clause (a kitchen knife, a baby's sleep) sends it to a clinician to
    # check instead, as with every net clause; a threat at a person is never judged (R4).
    _composite(
        "self-injury said to be deliberate",
        r"\b(?:cut|cutting|burn(?:ed|t|ing)?|carv\w*|scratch\w*)\W+(?:myself"
        r"|herself|himself|themselves)\b|\b(?:me|te|se)\W+(?:(?:volvi\w*|vuelto|he|ha|estoy|esta|sigo"
        r"|sigue|ando|anda)\W+(?:a\W+)?){0,2}(?:cort|quem|raj)\w*",
        r"\b(?:again|deeper|worse|on\W+purpose|a\W+proposito|otra\W+vez|de\W+nuevo|volvi|vuelto"
        r"|navaja|razor|blade|cuchilla|rastrillo|brazos?|munecas?|wrists?|arms?|thighs?|muslos?"
        r"|deserve|merezco|merecia|can'?t\W+stop|no\W+puedo\W+parar)\b",
        unless=r"\b(?:cook\w*|kitchen|chopp\w*|shav\w*|stove|oven|iron|cocin\w*|estufa|plancha"
        r"|afeit\w*|accident\w*|slipped|resbal\w*|garden\w*|yard|lawn|glass|vidrio|tool\w*"
        r"|herramienta\w*|dogs?|perros?|cats?|gatos?|work|trabaj\w*|fell|fall\w*|ca[iy]\w*|bike"
        r"|bici\w*|sun\w*|sol)\b",
    ),
    _composite(
        "threat of violence",
        r"\b(?:hurt|kill|shoot|stab|beat(?:\W+up)?|punch|smack|slap|choke|strangle|attack)\W+(?:whoever"
        r"|anyone|anybody|someone|somebody|everyone|everybody|him|her|them|you|y'?all|(?:the|that"
        r"|this|your|those|every|each)\W+(?:\w+\W+)?(?:lady|guy|man|woman|girl|dude|nurse|doctor|dr"
        r"|receptionist|people|staff|manager|person|one|idiot|bitch))\b|\b(?:romper\w*|partir\w*)\W+"
        r"(?:la\W+|el\W+)?(?:cara|madre|boca|hocico|alma)\b|\b(?:pegarle|pegarles|pegarte|madrear\w*"
        r"|golpear\w*|balacear\w*|matarl[oae]s?|matarte|apunalar\w*|acuchillar\w*)\b|\bdarle\W+(?:un"
        r"\W+tiro|una\W+paliza|unos\W+golpes|un\W+balazo)\b|\bva\W+a\W+ver\W+lo\W+que\W+le\W+pasa",
        r"\b(?:i'?m|im|i\W+am)\W+(?:going|gonna|coming|headed|heading|on\W+my\W+way)\b|\bi'?ll\b"
        r"|\bi\W+will\b|\bgonna\b|\b(?:voy|vamos)\W+(?:a|pa)\b|\b(?:le|lo|la|les|los)\W+voy\b"
        r"|\bwait(?:ing)?\W+for\W+(?:him|her|them|you)\b|\besperar\w*\W+en\b"
        r"|\bcoming\W+(?:down|over|back)\b",
    ),
    _composite(
        "going to sleep and never waking up",
        r"\b(?:sleep\w*|slept|asleep|bed|lie\W+down|dorm\w*|duerm\w*|acuest\w*|acost\w*|cama)\b",
        r"\b(?:not|never|no)\W+(?:me\W+)?(?:wake|waking|despert\w*|despiert\w*|amanec\w*)",
        unless=r"\b(?:until|till|hasta|alarm\w*|can'?t\W+sleep|insomni\w*|trouble\W+sleeping"
        r"|no\W+puedo\W+dormir|noise|ruido|baby|bebe|nap|siesta|sleep\W+study|apnea|cpap)\b",
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
