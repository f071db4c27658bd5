"""Complaints (R12, R13)."""

from __future__ import annotations

from .text import N_WORD, Message, Rule, W, _rule

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
        # a demand said as a wish: "I want it waived", "quiero que me lo quiten"
        r"\b(?:want|need|expect)\W+(?:it|this|that|the\W+(?:\w+\W+)?(?:fee|charge|bill))\W+(?:waived"
        r"|removed|refunded|reversed|dropped|fixed)\b|\bquiero\W+que\W+(?:me\W+)?(?:lo\W+|la\W+)?"
        r"(?:quiten|devuelvan|arreglen|reembolsen)\b",
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
        # a count of the same failure: "3rd visit in a row", "4 calls", "tres llamadas"
        r"\bin\W+a\W+row\b|\bseguid[oa]s\b|\bevery\W+(?:visit|call|month|statement)\b",
        rf"\b(?:{N_WORD}|several|multiple)\W+(?:calls|messages|emails|tries|attempts|voicemails"
        r"|llamadas|mensajes|correos|intentos)\b",
    ),
    _rule(
        "a long wait for a simple thing",
        rf"\bllevo\W+(?:{N_WORD}|un|una|varias|muchas)\W+(?:dias|semanas|meses|mes|horas?)\b",
        rf"\b(?:for|over|almost|nearly)\W+(?:{N_WORD}|a|two)\W+(?:weeks|months|month)\W+(?:now\W+)?"
        r"(?:and|y)\b",
        r"\b(?:hasta\W+ahorita|hasta\W+ahora|todavia|still)\W+(?:nada|nothing|no\W+(?:me\W+)?"
        r"(?:llega|llego|han|has|have))",
    ),
    # leaving is a complaint only beside another sign of frustration (a transfer is not one)
    _rule(
        "takes their care elsewhere",
        r"\b(?:go|going|take\w*\W+my\W+(?:care|business|family)|find\w*\W+(?:care|a\W+(?:new\W+)?"
        r"(?:doctor|clinic|practice)))\W+(?:\w+\W+)?elsewhere\b|\b(?:find\w*|look\w*\W+for|switch\w*"
        r"\W+to)\W+(?:a\W+)?(?:new|another|different)\W+(?:doctor|clinic|practice|provider)\b",
        r"\bya\W+no\W+(?:vuelvo|regreso|voy\W+a\W+(?:volver|regresar))\b|\bme\W+(?:voy\W+a\W+)?cambi"
        r"\w*\W+de\W+(?:clinica|doctor\w*|medic\w*)|\b(?:busc\w*|irme\W+a)\W+otr[ao]\W+(?:clinica"
        r"|doctor\w*|medic\w*|lado)",
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
        # an ultimatum or being at the end of one's tether, with no threat in it
        r"\bone\W+more\W+time\W+and\b|\besto\W+no\W+puede\W+seguir|\b(?:lose|losing)\W+my\W+mind"
        r"|\bestoy\W+que\W+(?:exploto|reviento|me\W+muero)|\bes\W+tan\W+dificil\b"
        r"|\bdropping\W+the\W+ball\b|\bme\W+dan\W+ganas\W+de\b|\bque\W+paso\W+con\W+mi\W+dinero",
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
