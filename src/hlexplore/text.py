"""Text helpers shared by every layer: folding for matching, cleaning for display."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (tab and newline excepted), and the bidirectional embeddings, overrides and
# isolates, which would reorder what the terminal shows around them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 CONTROL PICTURES: ␛ for ESC, ␀ for NUL
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def clean(text: str) -> str:
    """Return text safe to put on a terminal: control characters become visible symbols.

    Tabs and newlines survive; escape sequences lose their ESC and so are shown, never obeyed.
    """
    return _CONTROL.sub(_picture, text)


def fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _Folded(dict[int, str]):
    """Each character's fold, worked out the first time it is met (str.translate looks them up)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLDED = _Folded()


def fold(text: str) -> str:
    """Case- and accent-insensitive form of text, for matching."""
    if text.isascii():  # the common case, at C speed: nothing to decompose, and casefold is lower
        return text.lower()
    return text.translate(_FOLDED)


def fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """Fold text and return, for each folded character, the index of its source character; None when
    they are the same (ASCII text folds character for character)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        folded = fold_char(char)
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


_SEPARATORS = re.compile(r"[\s\-_.·/]+")


def compact(text: str) -> str:
    """Fold and drop separators: `My-SQL`, `my sql` and `mysql` compact alike."""
    return squeeze(fold(text))


def squeeze(folded: str) -> str:
    """compact for text already folded."""
    return _SEPARATORS.sub("", folded)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug or "entry"


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, most: float, width: int) -> str:
    """A horizontal bar of value against most, width cells at most, to an eighth of a cell."""
    if most <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(8 * width * min(value, most) / most))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def count(number: int, noun: str, plural: str = "") -> str:
    """`1 technology`, `2 technologies`, `0 companies`: a number and its noun, in the right form."""
    if number == 1:
        return f"{number:,} {noun}"
    if not plural:
        plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{number:,} {plural}"
