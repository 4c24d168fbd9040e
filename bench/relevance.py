"""Relevance benchmark: what a new user gets, measured on profiles that played no part in fitting.

    .venv/bin/python bench/relevance.py              # choosing-set table, lockbox, agreement, speed (about 5 min)
    .venv/bin/python bench/relevance.py --choosing   # only the choosing sets (what every choice was made on)
    .venv/bin/python bench/relevance.py --fit        # fit the shipped weights on the choosing sets, print them
    .venv/bin/python bench/relevance.py --reference  # recompute the typical paper (papercast/relevance/reference.py)
    .venv/bin/python bench/relevance.py --corpus     # recompute the word table (papercast/relevance/corpus.py)

Choosing table (round 3, the shipped scorer): leave one set out over the seven choosing sets
(sample, terse, chatty, mixed, practitioner, students, industry). Each held-out set is scored by
weights fitted on the other six, with papers cross-fitted: weights fitted on the dev papers score
the held-out set's test papers and the reverse, so every figure is on new profiles and new
papers. Lockboxes (crossfield, labmates: round 3's own, bench/data/lockbox3/; academics,
newcomers and watchers, niche, in lockbox4/ and lockbox5/, written after round 3 was frozen):
weights fitted on all seven choosing sets, papers cross-fitted. All at the shipped threshold.
Data: bench/relevance_data.py; recipe: bench/relevance_fit.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from papercast.relevance.embed import paper_vectors  # noqa: E402
from papercast.relevance.keywords import KeywordScorer  # noqa: E402

import relevance_data as data  # noqa: E402
from relevance_corpus import corpus_of, module_text  # noqa: E402
import relevance_fit as fitting  # noqa: E402
import relevance_metrics as metrics  # noqa: E402

THRESHOLD = 0.5  # the shipped default ([classify] threshold), decided before the lockbox was opened
REFERENCE = BENCH.parent / "papercast" / "relevance" / "reference.py"
CORPUS = BENCH.parent / "papercast" / "relevance" / "corpus.py"


def keyword_outcome(profile_set: data.ProfileSet, papers: data.Papers) -> fitting.Outcome:
    """The lexical baseline has nothing to fit: its scores on every paper."""
    rows = KeywordScorer().score(papers.papers, profile_set.profiles)
    s = np.array([[score.value for score in row] for row in rows])
    y = np.array([[p.id in profile_set.gold[paper.id] for p in profile_set.profiles] for paper in papers.papers],
                 dtype=float)
    return fitting.Outcome(profile_set.name, [p.id for p in profile_set.profiles], [p.id for p in papers.papers], s, y)


def print_row(label: str, outcomes: list, threshold: float = THRESHOLD) -> None:
    at = metrics.micro(outcomes, threshold)
    best_at, best_f1 = metrics.best_threshold(outcomes)
    low, high = metrics.interval(outcomes, threshold)
    print(f"  {label:34} F1 {at.f1:.3f} [{low:.3f}-{high:.3f}]  P {at.precision:.3f}  R {at.recall:.3f}  "
          f"(tp {at.tp} fp {at.fp} fn {at.fn}) | best threshold afterwards {best_at:.2f}: F1 {best_f1:.3f} "
          f"| pooled AP {metrics.average_precision(outcomes):.3f}")


def print_recalls(outcomes: list, threshold: float = THRESHOLD) -> None:
    rows = metrics.recalls(outcomes, threshold)
    for name in dict.fromkeys(r[0] for r in rows):
        cells = [f"{pid} {'n/a' if r is None else f'{r:.2f}'} ({n})" for s, pid, n, r in rows if s == name]
        print(f"    {name}: " + ", ".join(cells))
    low = [f"{s}/{pid}" for s, pid, n, r in rows if r is not None and r < 0.5]
    print(f"    profiles with recall under 0.5: {len(low)} of {sum(r is not None for *_, r in rows)}"
          + (f" ({', '.join(low)})" if low else ""))


def choosing_table(papers: data.Papers) -> None:
    """Leave one set out among the choosing sets: the figures every choice was made on."""
    sets = {name: data.load_set(name, papers) for name in data.CHOOSING}
    print(f"\nCHOOSING sets ({', '.join(data.CHOOSING)}): each held out in turn, fitted on the others, "
          f"papers cross-fitted; threshold {THRESHOLD}")
    outcomes = fitting.leave_one_set_out(data.CHOOSING, sets, papers)
    new = [o for o in outcomes if o.name in data.NEW_SETS]
    print_row(f"hybrid, the {len(new)} new-user sets", new)
    print_row(f"hybrid, all {len(outcomes)}", outcomes)
    for o in outcomes:
        print_row(f"  {o.name}", [o])
    print_recalls(new)
    print_row(f"keywords, the {len(new)} new-user sets", [keyword_outcome(sets[n], papers) for n in data.NEW_SETS])
    print_row("keywords, sample", [keyword_outcome(sets["sample"], papers)])


def lockbox_table(papers: data.Papers) -> None:
    """The lockbox sets scored by weights fitted on all the choosing sets (papers cross-fitted), once."""
    ready = [n for n in data.LOCKBOX if (data.FOLDERS[n] / f"labels-{n}.jsonl").exists()]
    if not ready:
        print("\nLOCKBOX: gold labels not there yet: not scored")
        return
    choosing = [data.load_set(n, papers) for n in data.CHOOSING]
    lockbox = {n: data.load_set(n, papers) for n in ready}
    outcomes = {n: fitting.cross_fitted(lockbox[n], choosing, papers) for n in ready}
    print(f"\nLOCKBOX: {' + '.join(ready)}, weights fitted on all {len(choosing)} choosing sets, papers cross-fitted")
    for group, names in data.LOCKBOX_GROUPS.items():
        if set(names) <= set(ready):
            print_row(f"hybrid, {group}", [outcomes[n] for n in names])
            for n in names:
                print_row(f"  {n}", [outcomes[n]])
            print_recalls([outcomes[n] for n in names])
            print_row(f"keywords, {group}", [keyword_outcome(lockbox[n], papers) for n in names])
    later = [n for n in data.LOCKBOX[2:] if n in ready]  # written after the shipped scorer was frozen
    if later:
        print_row("hybrid, lockbox4 + lockbox5", [outcomes[n] for n in later])
        print_recalls([outcomes[n] for n in later])
        print_row("keywords, lockbox4 + lockbox5", [keyword_outcome(lockbox[n], papers) for n in later])


def sample_table(papers: data.Papers) -> None:
    """Secondary: the sample profiles (seen in fitting) on the test papers, weights fitted on dev papers."""
    sets = {name: data.load_set(name, papers) for name in data.CHOOSING}
    base = fitting.scorer()
    weights = fitting.fit([fitting.design(base, papers.part("dev"), s) for s in sets.values()])
    test = papers.part("test")
    rows = fitting.scorer(weights).score(test, sets["sample"].profiles)
    ids = [p.id for p in test]
    y = np.array([[q.id in sets["sample"].gold[pid] for q in sets["sample"].profiles] for pid in ids], dtype=float)
    hybrid = fitting.Outcome("sample", [q.id for q in sets["sample"].profiles], ids,
                             np.array([[s.value for s in row] for row in rows]), y)
    keywords = keyword_outcome(sets["sample"], papers)
    keep = np.array([papers.split[pid] == "test" for pid in keywords.paper_ids])
    keywords = fitting.Outcome("sample", keywords.profile_ids, ids, keywords.s[keep], keywords.y[keep])
    print("\nSECONDARY: the sample profiles of config/ (tuned on dev in earlier rounds), 120 test papers, "
          f"weights fitted on the dev papers of all {len(sets)} choosing sets")
    print_row("hybrid", [hybrid])
    print_row("keywords", [keywords])


def agreement_table(papers: data.Papers, names) -> None:
    print("\nANNOTATOR agreement (micro-F1 of one labelling against another, 219 papers)")
    for name in names:
        gold = data.load_set(name, papers).gold
        others = {a: data.load_set(name, papers, a).gold for a in data.annotators(name)}
        cells = [f"{a} vs gold {metrics.agreement(labels, gold):.3f}" for a, labels in others.items()]
        if {"a", "b"} <= set(others):
            cells.insert(0, f"a vs b {metrics.agreement(others['a'], others['b']):.3f}")
        positives = sum(len(v) for v in gold.values())
        print(f"  {name:13} ({positives} positives): " + ", ".join(cells))


def speed_table() -> None:
    """Each configuration in a fresh process, so that its time and peak memory are its own."""
    print("\nSPEED: 2,000 new papers (2 cores), each run in a fresh process; peak = that process's max RSS")
    for profiles in (8, 50):
        for mode in ("cold", "cached"):
            out = subprocess.run([sys.executable, str(BENCH / "relevance_speed.py"), str(profiles), mode],
                                 capture_output=True, text=True, check=True).stdout
            r = json.loads(out.splitlines()[-1])
            print(f"  {profiles:2} profiles, {mode:6}: {r['seconds']:5.1f} s in all (model load {r['load']:.1f} s, "
                  f"embedding {r['embed']:.1f} s, scoring {r['score']:.1f} s); peak {r['peak_mb']:.0f} MB")


def write_reference(papers: data.Papers) -> None:
    """The mean of the papers' whole-text vectors, as the module the scorer loads."""
    scorer = fitting.scorer()
    mean = paper_vectors(scorer.embedder, papers.papers, None)[:, 0].mean(axis=0)
    template = REFERENCE.read_text(encoding="utf-8").split("MEAN = (")[0]
    numbers = ",\n".join("    " + ", ".join(f"{v:.6f}" for v in mean[i:i + 8]) for i in range(0, len(mean), 8))
    REFERENCE.write_text(template + f"MEAN = (\n{numbers},\n)\n# fmt: on\n", encoding="utf-8")
    print(f"wrote {REFERENCE} (mean of {len(papers.papers)} papers)")


def write_corpus(papers: data.Papers) -> None:
    """The word table of the 219 papers, as the module the lexical signals load."""
    docstring = CORPUS.read_text(encoding="utf-8").split('\n\nDOCUMENTS')[0]
    table = corpus_of([p.abstract for p in papers.papers], [p.title for p in papers.papers])
    CORPUS.write_text(module_text(table, docstring), encoding="utf-8")
    print(f"wrote {CORPUS} ({len(table.frequency)} words of {table.documents} papers)")


def print_fit(papers: data.Papers) -> None:
    base = fitting.scorer()
    designs = [fitting.design(base, papers.papers, data.load_set(n, papers)) for n in data.CHOOSING]
    print(fitting.fit(designs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choosing", action="store_true", help="only the choosing sets")
    parser.add_argument("--fit", action="store_true", help="fit the shipped weights on the choosing sets")
    parser.add_argument("--reference", action="store_true", help="recompute the typical paper")
    parser.add_argument("--corpus", action="store_true", help="recompute the word table")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    papers = data.load_papers()
    if args.reference:
        return write_reference(papers)
    if args.corpus:
        return write_corpus(papers)
    if args.fit:
        return print_fit(papers)
    choosing_table(papers)
    if args.choosing:
        return agreement_table(papers, data.CHOOSING)
    lockbox_table(papers)
    sample_table(papers)
    agreement_table(papers, data.CHOOSING + tuple(n for n in data.LOCKBOX
                                                  if (data.FOLDERS[n] / f"labels-{n}.jsonl").exists()))
    if not args.no_timing:
        speed_table()


if __name__ == "__main__":
    main()
