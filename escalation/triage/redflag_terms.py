"""Red-flag concepts of the README's urgent row, as tables of wording (EN, ES, Spanglish).

Each `Rule` names one emergency concept; its patterns are the ways patients say it. These
tables only *find* candidates: whether a candidate is current, negated, hypothetical, past or
over is decided in `redflags.py` with ConText, never by a pattern here.
"""

from __future__ import annotations

import re

from .text import BREATH, CANT, CHEST, HEADACHE, N_WORD, PECHO, PROCEDURE, SELF, Rule, W, _rule, _rx

# What was taken was money, not pills: "you took $200 twice", "took $85 from my card".
NO_MONEY = r"(?!\W*\$)"

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
        r"\b(?:deje|dejo)\W+(?:ya\W+)?(?:todo|todas\W+mis\W+cosas)\W+(?:\w+\W+)?(?:arreglad[oa]s?"
        r"|en\W+orden)\b",
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
        rf"\b(?:took|swallowed|ate|tome|trague|se\W+tomo|se\W+trago|se\W+comio){NO_MONEY}\b"
        r".{0,40}\b(?:[4-9]|\d\d"
        r"|four|five|six|seven|eight|nine|ten)\W+(?:of\W+(?:them|those|my|his|her|the)|pills|tablets"
        r"|pastillas)\b",
        # the same dose taken twice ("took my insulin twice")
        rf"\b(?:took|taken|injected|gave\W+(?:him|her)|tome|me\W+tome|se\W+tomo|inyecte){NO_MONEY}"
        rf"\W+{W}{{0,3}}?"
        r"(?:twice|two\W+times|double|dos\W+veces|doble)\b",
        rf"\b(?:took|taken|swallowed|downed|ate|tome|trague|tomo|trago|se\W+tomo|se\W+trago)\W+"
        rf"{W}{{0,2}}?(?:a\W+bunch|a\W+handful|a\W+lot|too\W+many|way\W+too\W+many|the\W+whole\W+bottle"
        r"|a\W+whole\W+bottle|un\W+monton|un\W+punado|todo\W+el\W+frasco|muchas|demasiadas)\W+"
        r"(?:of|de)\b",
        r"\boverdos\w*",
        # a count of pills taken ("took 20 of my xanax"), not a dose ("took 10 mg")
        rf"\b(?:took|taken|swallowed|tome|trague|se\W+tomo){NO_MONEY}\W+(?:like\W+|about\W+"
        r"|around\W+|maybe\W+"
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
        # an assault just suffered ("me ahorco anoche", "he strangled me"), or a promise to return
        r"\b(?:me|nos)\W+(?:ahorc|estrangul|apunal|acuchill)\w*|\b(?:strangled|stabbed|choked"
        r"|beat)\W+me\b(?!\W+(?:to|up\W+the))",
        r"\b(?:dice|dijo|says|said|told\W+me)\W+(?:que\W+)?(?:\w+\W+){0,3}?(?:regres|vuelv|volver"
        r"|come\W+back|coming\W+back)\w*.{0,40}\b(?:terminar|acabar|matar|finish|kill|hurt|get\W+me)",
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
