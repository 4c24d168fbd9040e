"""Building the word table the lexical signals ship with (papercast/relevance/corpus.py): lab code, run by
`python bench/relevance.py --corpus`; the scorer only reads the table (`lexical.Corpus.shipped`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from papercast.relevance.lexical import Corpus, words


def corpus_of(abstracts: Sequence[str], titles: Sequence[str] = ()) -> Corpus:
    """The corpus of these papers (titles and abstracts)."""
    texts = [f"{t} {a}" for t, a in zip(titles, abstracts)] if titles else list(abstracts)
    frequency = Counter(word for text in texts for word in set(words(text)))
    average = sum(len(words(a)) for a in abstracts) / max(1, len(abstracts))
    return Corpus(len(texts), average, dict(frequency))


def module_text(corpus: Corpus, docstring: str, width: int = 118) -> str:
    """The table as `corpus.py` holds it: the docstring, then the counts as "word count" pairs."""
    lines, line = [], ""
    for pair in (f"{w} {c}" for w, c in sorted(corpus.frequency.items())):
        if line and len(line) + len(pair) + 1 > width:
            lines.append(line)
            line = ""
        line = f"{line} {pair}".strip()
    body = "\n".join([*lines, line])
    return (f'{docstring}\n\nDOCUMENTS = {corpus.documents}\nAVERAGE_LENGTH = {corpus.average_length:.2f}\n'
            f'FREQUENCY = """\n{body}\n"""\n')
