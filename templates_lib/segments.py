"""SMS segment calculator, following Twilio's message-segment-calculator.

A body is sent as GSM-7 when every character is in the GSM 03.38 basic table or its
extension table, and as UCS-2 otherwise. One segment holds 140 octets: 160 septets or 70
UTF-16 code units. A multipart message spends 6 octets per segment on the user data header,
leaving 153 septets or 67 code units, and a character is never split across segments (an
escape sequence, a surrogate pair, an emoji sequence).

Two choices follow the calculator rather than intuition: characters are grouped into
user-perceived characters (graphemes) first, and any grapheme longer than one UTF-16 code
unit forces UCS-2; CR LF is two characters, not one grapheme.
"""

import unicodedata
from dataclasses import dataclass

# Twilio error 21617: the API refuses bodies longer than this.
MAX_BODY_CHARS = 1600

SEGMENT_BITS = 1120  # 140 octets
UDH_BITS = 48  # user data header in each part of a multipart message

# GSM 03.38 basic table, as Unicode (the calculator's UnicodeToGsm map, 1 septet each).
# "ñ", "é", "Ñ", "É", "¿" and "¡" are here; "á", "í", "ó", "ú" and "Á" are not.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: sent as ESC + code, so 2 septets each.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

ZWJ = "\u200d"


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    non_gsm_chars: tuple[str, ...]  # distinct, in order of first appearance


def count_segments(body: str) -> SegmentInfo:
    """Encoding, size and segment count of an SMS body, as Twilio bills it."""
    graphemes = _graphemes(body)
    non_gsm = tuple(dict.fromkeys(g for g in graphemes if not _is_gsm7(g)))
    if non_gsm:
        encoding, unit_bits = "UCS-2", 16
        sizes = [1 if _is_gsm7(g) else _utf16_len(g) for g in graphemes]
    else:
        encoding, unit_bits = "GSM-7", 7
        sizes = [2 if g in GSM7_EXTENSION else 1 for g in graphemes]
    return SegmentInfo(
        encoding=encoding,
        units=sum(sizes),
        segments=_pack(sizes, unit_bits),
        non_gsm_chars=non_gsm,
    )


def _pack(sizes: list[int], unit_bits: int) -> int:
    """Number of segments needed when no character may straddle two segments."""
    if sum(sizes) * unit_bits <= SEGMENT_BITS:
        return 1
    capacity = SEGMENT_BITS - UDH_BITS
    segments, used = 1, 0
    for size in sizes:
        bits = size * unit_bits
        if used and used + bits > capacity:
            segments, used = segments + 1, 0
        used += bits
    return segments


def _is_gsm7(grapheme: str) -> bool:
    return grapheme in GSM7_BASIC or grapheme in GSM7_EXTENSION


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _graphemes(text: str) -> list[str]:
    """Approximate extended grapheme clusters with the standard library.

    Covers what appears in SMS: combining accents, variation selectors, emoji modifiers,
    ZWJ sequences, keycaps, tag sequences (subdivision flags) and regional-indicator flags.
    """
    clusters: list[str] = []
    joined = False  # previous code point was a ZWJ: the next one belongs to the same cluster
    for char in text:
        if clusters and (joined or _extends(char) or _pairs_flag(clusters[-1], char)):
            clusters[-1] += char
        else:
            clusters.append(char)
        joined = char == ZWJ
    return clusters


def _extends(char: str) -> bool:
    code = ord(char)
    return (
        char == ZWJ
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _pairs_flag(cluster: str, char: str) -> bool:
    """Two regional indicators make one flag; a third starts a new one."""
    return _is_regional_indicator(char) and len(cluster) == 1 and _is_regional_indicator(cluster)
