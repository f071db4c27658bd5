"""Statements of self-harm found however they are spelled ("ya no kiero bibir").

People with little schooling write Spanish as it sounds: "k" for "qu", "b" for "v", "s" for
"c" and "z", no "h". A phrase table matches the spelling its author wrote, so the statements
assistants must never miss (R4) are also compared by sound: each word of the message and of
a short list of canonical statements is reduced to a Spanish phonetic key, and the sequences
of keys are compared. The list names the statement once; the key absorbs the spellings.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z]+")
# Spelling -> sound, in order (the text is already folded: lower case, no accents).
_SOUNDS = (
    (re.compile(r"qu(?=[ei])"), "k"),
    (re.compile(r"c(?=[ei])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"v"), "b"),
    (re.compile(r"ll"), "y"),
    (re.compile(r"(?<![cs])h"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
)

# (the red-flag concept, the canonical statement) — one line per statement, not per spelling.
STATEMENTS = (
    ("wish not to exist or not to wake up", "no quiero vivir"),
    ("wish not to exist or not to wake up", "no quiero despertar"),
    ("wish not to exist or not to wake up", "no me quiero despertar"),
    ("self-harm or suicide statement", "quiero morir"),
    ("self-harm or suicide statement", "quiero morirme"),
    ("self-harm or suicide statement", "me quiero morir"),
    ("self-harm or suicide statement", "me quiero matar"),
    ("self-harm or suicide statement", "quiero matarme"),
    ("self-harm or suicide statement", "quitarme la vida"),
    ("self-harm or suicide statement", "acabar con mi vida"),
    ("others better off without me", "mejor muerto"),
    ("others better off without me", "mejor muerta"),
    ("no point in living", "no vale la pena vivir"),
)


def key(word: str) -> str:
    for pattern, sound in _SOUNDS:
        word = pattern.sub(sound, word)
    return word


_KEYED = tuple((label, tuple(key(w) for w in phrase.split())) for label, phrase in STATEMENTS)


def statements(folded: str) -> list[tuple[str, tuple[int, int]]]:
    """(concept, span) of each canonical statement the folded text says, by sound."""
    words = [(key(m.group()), m.span()) for m in _WORD.finditer(folded)]
    sounds = [sound for sound, _ in words]
    found = []
    for label, phrase in _KEYED:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if tuple(sounds[start : start + size]) == phrase:
                found.append((label, (words[start][1][0], words[start + size - 1][1][1])))
    return found
