"""Clinical needs (README "clinical" row, R5-R11)."""

from __future__ import annotations

import re

from .identity import TEEN_CONFIDENTIAL
from .text import PROCEDURE, Message, Rule, W, _live, _rule, _rx

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
    r"|potasio|hemoglobina|azucar|glucosa|tiroides|mamografia|ultrasonido|radiografia|inr"
    r"|patholog\w*|patologia|echo\w*|ecocardiograma|sleep\W+study|estudio\W+del\W+sueno)\b"
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
    # worry or comparison about it: "should I be worried", "is that worse than last year"
    r"\bshould\W+i\W+be\W+(?:worried|concerned|scared)|\bquiere\W+decir\b",
    r"\bis\W+(?:that|this|it)\W+(?:worse|better)\b|\bnecesito\W+(?:usar|tomar|hacer)\b",
)
# Standard written prep (R10): "how long do I fast before my blood test" is not about a result.
STANDARD_PREP = _rx(
    r"\bfast(?:ing|ed)?\b|\bayun\w*|\bno\W+(?:food|eating|comer)\b|\bwater\b|\bagua\b",
    r"\b(?:arrive|get\W+there|llegar)\W+(?:\w+\W+){0,2}?(?:early|temprano)\b",
)
# Returning a nurse's or provider's call about results is clinical (R9): the clinician called
# or left a message, or the patient returns or missed their call, in either word order and
# either language. "They will call me to set it up" is scheduling, not this.
CLINICIAN = r"\b(?:nurse|rn|doctor|dr|dra|provider|np|enfermer[ao]|doctora|medic[oa])\b"
CLINICIAN_CALL = _rx(
    rf"{CLINICIAN}[^.?!]{{0,60}}?\b(?:called|left|messaged|texted|llamo|dejo|marco|mando)\b",
    r"\b(?:return\w*|call\w*\W+(?:\w+\W+)?back|missed|devol\w*|devuel\w*|regres\w*|llamo|dejo|marco)"
    rf"\b[^.?!]{{0,60}}?{CLINICIAN}",
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
