"""The labelled relevance data: 219 real papers, their dev/test split, and profile sets with gold labels.

Papers: the unique papers of ../shared/digests (never copied into the repository). Profile sets:

- `sample`: the 8 profiles of config/papercast.toml, labels in data/relevance_labels.jsonl; their
  keywords were widened on the dev papers in earlier rounds, so they only ever serve for fitting;
- `terse`, `chatty`, `mixed`, `practitioner`: profiles written as new users write them, in
  data/heldout/profiles-<set>.toml, gold labels in data/heldout/labels-<set>.jsonl (two
  annotators, `-a` and `-b`, and an adjudicator where they disagreed; see heldout/RULEBOOK.md);
- `students`, `industry` (round 2's lockbox): the same layout in data/lockbox2/;
- `crossfield`, `labmates` (round 3's lockbox): the same layout in data/lockbox3/;
- `academics`, `newcomers` (round 4's lockbox): the same layout in data/lockbox4/;
- `watchers`, `niche` (written after round 4 was frozen, a second lockbox for it): data/lockbox5/.

CHOOSING sets chose every method, feature and constant of the shipped scorer (round 3: the seven
sets read before it; round 4 chose on nine, and was withdrawn); the LOCKBOX sets are scored once, after everything was frozen
and committed (bench/RESULTS-relevance.md).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from papercast.config import load_settings

from papercast.settings import Profile
from papercast.identity import normalize_title
from papercast.models import StoredPaper
from papercast.sources import parse_input

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "bench" / "data"
HELDOUT = DATA / "heldout"
DIGESTS = PROJECT.parent / "shared" / "digests"
CONFIG = PROJECT / "config" / "papercast.toml"
AS_OF = dt.date(2026, 11, 23)
CHOOSING = ("sample", "terse", "chatty", "mixed", "practitioner", "students", "industry")
NEW_SETS = CHOOSING[1:]  # the choosing sets written as new users write
LOCKBOX_GROUPS = {"lockbox3": ("crossfield", "labmates"),   # round 3's own lockbox
                  "lockbox4": ("academics", "newcomers"),   # written after round 3 was frozen
                  "lockbox5": ("watchers", "niche")}        # written after round 4 was frozen
LOCKBOX = tuple(name for group in LOCKBOX_GROUPS.values() for name in group)
FOLDERS = {"students": DATA / "lockbox2", "industry": DATA / "lockbox2",
           **{name: DATA / group for group, names in LOCKBOX_GROUPS.items() for name in names}}  # else HELDOUT

Labels = dict[str, set[str]]  # paper id -> profile ids


@dataclass
class ProfileSet:
    name: str
    profiles: list[Profile]
    gold: Labels


@dataclass
class Papers:
    papers: list[StoredPaper]
    split: dict[str, str]       # paper id -> "dev" | "test"
    by_title: dict[str, str]    # normalized title -> paper id

    def part(self, name: str) -> list[StoredPaper]:
        return [p for p in self.papers if self.split[p.id] == name]


def digest_papers(folder: Path = DIGESTS) -> list:
    """Every paper entry of every digest, in file order (repeats included)."""
    entries = []
    for path in sorted(folder.glob("*.txt")):
        entries += parse_input(path.read_bytes(), path.name, AS_OF).papers
    return entries


def stored(paper, source: str = "bench") -> StoredPaper:
    return StoredPaper(paper.id, paper.title, paper.abstract, AS_OF, source)


def load_papers() -> Papers:
    """The 219 labelled papers in label-file order, with their split."""
    by_key = {normalize_title(p.title): p for p in digest_papers()}
    papers, split = [], {}
    for record in read_jsonl(DATA / "relevance_labels.jsonl"):
        paper = stored(by_key[normalize_title(record["title"])])
        papers.append(paper)
        split[paper.id] = record["split"]
    return Papers(papers, split, {normalize_title(p.title): p.id for p in papers})


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_labels(path: Path, papers: Papers) -> Labels:
    """{paper id: profile ids}; every labelled paper must be one of ours."""
    return {papers.by_title[normalize_title(r["title"])]: set(r["labels"]) for r in read_jsonl(path)}


def load_set(name: str, papers: Papers, annotator: str = "") -> ProfileSet:
    """A profile set with its gold labels (or one annotator's: "a", "b"; sample: "b", "c")."""
    if name == "sample":
        profiles = list(load_settings(CONFIG).profiles)
        path = DATA / ("relevance_labels.jsonl" if not annotator else f"relevance_labels_{annotator}.jsonl")
    else:
        folder = FOLDERS.get(name, HELDOUT)
        table = tomllib.loads((folder / f"profiles-{name}.toml").read_text(encoding="utf-8"))
        profiles = [Profile(**entry) for entry in table["profiles"]]
        path = folder / (f"labels-{name}.jsonl" if not annotator else f"labels-{name}-{annotator}.jsonl")
    return ProfileSet(name, profiles, read_labels(path, papers))


def annotators(name: str) -> list[str]:
    """The further annotators of a set, by suffix."""
    if name == "sample":
        return sorted(p.stem.removeprefix("relevance_labels_") for p in DATA.glob("relevance_labels_*.jsonl"))
    folder = FOLDERS.get(name, HELDOUT)
    return sorted(p.stem.removeprefix(f"labels-{name}-") for p in folder.glob(f"labels-{name}-*.jsonl"))
