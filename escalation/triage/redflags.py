"""Urgent red flags (README "urgent" row, R2-R4)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import (
    _CLEARED,
    _EARLIER,
    _HISTORY,
    _NEG_CUE,
    _SCOPE_BREAK,
    BREATH,
    CANT,
    CHEST,
    HEADACHE,
    N_WORD,
    PECHO,
    PROCEDURE,
    SELF,
    Hit,
    Message,
    Rule,
    W,
    _live,
    _rule,
    _rx,
    _sentence,
)

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


