"""The sheet's own words and where each derivation goes on it.

Headings, labels, kernel rule names and the assignment's questions (with what
each asks) are read once from ``templates/words.toml``, in every language;
:func:`placement` puts a derivation under the question its tag names, in the
assignment's order. :data:`MARKS` are the status marks next to each step.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..kernel.errors import TranslationMissing
from ..record.verdicts import MARKS  # noqa: F401 - the sheets mark steps as the report does


@dataclass(frozen=True)
class Text:
    """Prose in every language of the sheets; ``get`` names a missing one.

    ``math`` holds the formulas the prose mentions, as SymPy objects: ``{name}`` in
    the text stands for ``math[name]``, printed by the sheet's one printer (so math
    in prose is never typed by hand).
    """

    en: str = ""
    zh: str = ""
    math: dict = field(default_factory=dict, compare=False, hash=False)

    def get(self, language: str, key: str) -> str:
        value = getattr(self, language, "")
        if not value:
            raise TranslationMissing(f"no {language!r} text for {key}")
        return value


TEMPLATES = Path(__file__).resolve().parent / "templates"


def load_words(path: Path = TEMPLATES / "words.toml") -> dict[str, dict[str, Text]]:
    """The sheet's own words (``templates/words.toml``): ``{table: {key: Text}}``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tables = ("ui", "rule", "question", "figure")
    words: dict[str, dict[str, Text]] = {table: {} for table in (*tables, "ask")}
    for table in tables:
        for key, entry in data.get(table, {}).items():
            words[table][key] = Text(en=entry.get("en", ""), zh=entry.get("zh", ""))
            if "ask" in entry:
                words["ask"][key] = Text(
                    en=entry["ask"].get("en", ""), zh=entry["ask"].get("zh", "")
                )
    return words


WORDS = load_words()
UI, RULE_NAMES, QUESTIONS = WORDS["ui"], WORDS["rule"], WORDS["question"]
#: The figures' axis labels and legends.
FIGURE_WORDS = WORDS["figure"]
#: The assignment's questions in its order; a derivation goes under the first one its tag names.
QUESTION_ORDER = list(QUESTIONS)


def placement(tag: str) -> tuple[float, str]:
    """(sort key, section) of a derivation tagged ``tag``.

    The tag is "Q1.2", "Q1.2 / Q3", "Q1 / Q2" or anything else.

    A tag whose first id is a question of the assignment goes in that question's
    section; a tag naming a whole question ("Q1 / Q2") gets its own section after
    that question's last part; anything else goes to a closing section.

    >>> placement("Q1.2 / Q3"), placement("Q1 / Q2"), placement("softmax")
    ((1.0, 'Q1.2'), (1.5, 'Q1 / Q2'), (7.0, 'extra'))
    """
    ids = re.findall(r"Q\d+(?:\.\d+)?", tag)
    if not ids:
        return float(len(QUESTION_ORDER)), "extra"
    if ids[0] in QUESTION_ORDER:
        return float(QUESTION_ORDER.index(ids[0])), ids[0]
    parts = [i for i, q in enumerate(QUESTION_ORDER) if q.startswith(ids[0] + ".")]
    if parts:
        return parts[-1] + 0.5, tag.strip()
    return float(len(QUESTION_ORDER)), "extra"
