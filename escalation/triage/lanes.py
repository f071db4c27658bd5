"""Lanes (R17): the communication moment, chosen apart from the boundary."""

from __future__ import annotations

from .identity import WRONG_RECIPIENT
from .text import APPT, CANT, PROCEDURE, VIDEO, Hit, Message, Rule, W, _rule, _rx

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
