"""Reader feedback, simulated on the labelled papers: do a reader's votes improve their next week's picks?

    .venv/bin/python bench/feedback.py             # the tables (4 to 6 minutes on 2 shared cores)
    .venv/bin/python bench/feedback.py --choose    # the grid the method was chosen on (about 2 minutes)

Each labelled profile is one reader. Weeks: the papers first seen in the Mar 12 and Mar 14
captures are the earlier weeks, those first seen in the May 7 capture the following week (the
"primary" split; `--choose` also pools an "adjacent" split, Mar 12 -> Mar 14). In each earlier
week the reader got the 10 best-scored papers (max_papers = 10; a second table shows only those
at or above 0.5, as papercast sends today). They vote on k of the papers they were shown, as the
gold labels say: "more like this" on relevant ones, "not for me" on the rest, ceil(k/2) likes
where enough relevant papers were shown, the other kind making up any shortfall; nobody votes on
a paper they were not shown. Then the following week: micro-F1 at 0.5 over every (paper,
profile), and precision@10 over the profiles with a relevant paper that week, with and without
the votes, averaged over SEEDS draws of the votes; 95 % bootstrap intervals resample profiles and
papers (P@10: profiles), seeded, and a gain's interval is paired.

Base scores: each set is scored by relevance weights fitted as shipped (bench/relevance_fit.py's
recipe, relevance's choosing sets) without that set, so its profiles are new to them. Round 2
chose the method and its constants on sample, terse and chatty; rounds 3 and 4 read eight more
sets once each as held-out groups and found no clear F1 gain, the second time under a looser
relevance decision that the like weight had not been chosen for (bench/RESULTS-feedback.md). Round
5 chooses the constants again under the shipped relevance scorer, on all eleven sets read so far,
and its primary figure is a fresh group: watchers and niche, written blind for round 5.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from papercast.relevance.embed import paper_vectors  # noqa: E402
from bench.feedback_nearest import (DEFAULT_FEEDBACK, FeedbackWeights, Vote, adjust,  # noqa: E402
                                          feedback_vectors, logit, sigmoid)
from papercast.sources import parse_input  # noqa: E402

import relevance_data as data  # noqa: E402
import relevance_fit as fitting  # noqa: E402

CAPTURES = ("001_0b28249de3011a72.txt", "003_4cebbeaa4a958479.txt", "000_78a9b9aaee6fab8d.txt")  # Mar 12, 14, May 7
SPLITS = {"primary": ((0, 1), 2), "adjacent": ((0,), 1)}  # earlier captures -> following capture
KS = (3, 5, 10)
SEEDS = 20
SHOWN = 10        # papers a week in a newsletter
THRESHOLD = 0.5
RESAMPLES = 2000
# Round 5: the constants are chosen on every set earlier rounds have read (round 2 chose on the first
# three alone; rounds 3 and 4 read the next eight once each as held-out groups); the fresh group is
# two sets written blind for round 5, never read before the constants were committed.
CHOOSING = ("sample", "terse", "chatty", "mixed", "practitioner", "students", "industry", "crossfield", "labmates",
            "academics", "newcomers")
FRESH = ("watchers", "niche")


@dataclass
class World:
    """The labelled papers, the capture each was first seen in, and their vectors."""

    papers: list
    week: np.ndarray
    raw: np.ndarray        # (papers, 2, DIM) as the store keeps them
    centred: np.ndarray    # (papers, DIM) what feedback compares
    by_id: dict[str, np.ndarray]


@dataclass
class Reader:
    """One profile read as one reader: its base scores and gold labels on every paper."""

    group: str
    profile: object
    base: np.ndarray
    gold: np.ndarray
    scorer: object


@dataclass(frozen=True)
class Condition:
    k: int = 0              # votes per reader
    flip: bool = False      # one vote of k given the wrong way round
    shuffle: bool = False   # placebo: the kinds of the k votes shuffled among them
    policy: str = "top"     # "top": the best 10 a week; "threshold": only those at 0.5 or above



def load_world(papers: data.Papers) -> World:
    first: dict[str, int] = {}
    for week, name in enumerate(CAPTURES):
        for p in parse_input((data.DIGESTS / name).read_bytes(), name, data.AS_OF).papers:
            first.setdefault(p.id, week)
    raw = paper_vectors(fitting.scorer().embedder, papers.papers, fitting._CACHE)
    return World(papers.papers, np.array([first[p.id] for p in papers.papers]), raw, feedback_vectors(raw),
                 {p.id: raw[i] for i, p in enumerate(papers.papers)})


def load_readers(papers: data.Papers, names) -> list[Reader]:
    sets = {name: data.load_set(name, papers) for name in dict.fromkeys(data.CHOOSING + tuple(names))}
    readers = []
    for name in names:
        scorer = new_profiles_scorer(name, sets, papers)
        rows = scorer.score(papers.papers, sets[name].profiles)
        base = np.array([[s.value for s in row] for row in rows])
        for j, profile in enumerate(sets[name].profiles):
            gold = np.array([profile.id in sets[name].gold[p.id] for p in papers.papers])
            readers.append(Reader(name, profile, base[:, j], gold, scorer))
    return readers


def new_profiles_scorer(name: str, sets: dict, papers: data.Papers):
    """Relevance weights fitted as shipped (on relevance's choosing sets) but without this set, so that
    its profiles are new to them."""
    designs = [fitting.design(fitting.scorer(), papers.papers, sets[n]) for n in data.CHOOSING if n != name]
    return fitting.scorer(fitting.fit(designs))



def shown(world: World, reader: Reader, weeks, policy: str) -> np.ndarray:
    """The papers of the reader's newsletters in the earlier weeks."""
    picked = []
    for week in weeks:
        ids = np.where(world.week == week)[0]
        order = ids[np.argsort(-reader.base[ids], kind="stable")]
        if policy == "threshold":
            order = order[reader.base[order] >= THRESHOLD]
        picked += list(order[:SHOWN])
    return np.array(picked, dtype=int)


def draw(shown_papers: np.ndarray, gold: np.ndarray, condition: Condition, rng) -> list[tuple[int, bool]]:
    """k votes on shown papers, ceil(k/2) likes where there are enough relevant ones."""
    relevant = [i for i in shown_papers if gold[i]]
    other = [i for i in shown_papers if not gold[i]]
    for kind in (relevant, other):
        rng.shuffle(kind)
    likes = min(len(relevant), math.ceil(condition.k / 2))
    dislikes = min(len(other), condition.k - likes)
    likes = min(len(relevant), condition.k - dislikes)
    votes = [(i, True) for i in relevant[:likes]] + [(i, False) for i in other[:dislikes]]
    if condition.flip and votes:
        at = int(rng.integers(len(votes)))
        votes[at] = (votes[at][0], not votes[at][1])
    if condition.shuffle:
        kinds = [liked for _, liked in votes]
        rng.shuffle(kinds)
        votes = [(i, liked) for (i, _), liked in zip(votes, kinds)]
    return votes


Method = Callable[[World, Reader, list, np.ndarray], np.ndarray]


def shipped(weights: FeedbackWeights = DEFAULT_FEEDBACK) -> Method:
    """papercast.relevance.feedback: the closest liked / disliked paper moves the logit."""
    def method(world, reader, votes, targets):
        pid = reader.profile.id
        base = {(world.papers[i].id, pid): float(reader.base[i]) for i in targets}
        cast = [Vote(world.papers[i].id, pid, liked) for i, liked in votes]
        out = adjust(base, world.by_id, cast, weights=weights)
        return np.array([out[world.papers[i].id, pid].value for i in targets])
    return method


def rocchio(beta: float, gamma: float) -> Method:
    """The profile moved toward the liked papers' mean vector and away from the disliked papers'."""
    def method(world, reader, votes, targets):
        z = logit(reader.base[targets])
        for kind, weight in ((True, beta), (False, -gamma)):
            rows = [i for i, liked in votes if liked == kind]
            if rows:
                mean = world.centred[rows].mean(axis=0)
                z += weight * (world.centred[targets] @ mean) / max(float(np.linalg.norm(mean)), 1e-12)
        return keep_excluded(reader.base[targets], z)
    return method


def per_reader_logistic(bias_sd: float, weight_sd: float) -> Method:
    """Logistic on paper vectors, the profile's logit as offset, Gaussian priors on bias and weights; MAP
    in kernel form: a vote moves papers like it by how much it surprised the base score."""
    def method(world, reader, votes, targets):
        rows = np.array([i for i, _ in votes])
        y = np.array([liked for _, liked in votes], dtype=float)
        kernel = bias_sd ** 2 + weight_sd ** 2 * (world.centred[rows] @ world.centred[rows].T)
        surprise = map_surprise(logit(reader.base[rows]), kernel, y)
        cross = bias_sd ** 2 + weight_sd ** 2 * (world.centred[targets] @ world.centred[rows].T)
        return keep_excluded(reader.base[targets], logit(reader.base[targets]) + cross @ surprise)
    return method


def map_surprise(offset: np.ndarray, kernel: np.ndarray, y: np.ndarray, steps: int = 30) -> np.ndarray:
    """y - p at the posterior mode of f ~ N(0, kernel), y ~ Bernoulli(sigmoid(offset + f))."""
    f = np.zeros(len(y))
    for _ in range(steps):
        p = sigmoid(offset + f)
        w = p * (1 - p)
        f = kernel @ np.linalg.solve(np.eye(len(y)) + w[:, None] * kernel, w * f + (y - p))
    return y - sigmoid(offset + f)


def as_examples(world, reader, votes, targets):
    """Votes as the reader's own copy of the profile's examples / counter-examples, rescored by the scorer."""
    profile = reader.profile.model_copy(update={
        "examples": list(reader.profile.examples) + [world.papers[i].title for i, liked in votes if liked],
        "counter_examples": list(reader.profile.counter_examples)
        + [world.papers[i].title for i, liked in votes if not liked]})
    rows = reader.scorer.score([world.papers[i] for i in targets], [profile])
    return np.array([row[0].value for row in rows])


def keep_excluded(base: np.ndarray, z: np.ndarray) -> np.ndarray:
    return np.where(base <= 0, 0.0, sigmoid(z))


@dataclass
class Outcome:
    """One method under one condition, for a group of readers, averaged over the vote draws."""

    counts: np.ndarray   # (readers, following papers, 3): tp, fp, fn
    hits: np.ndarray     # (readers,): relevant papers among the reader's 10 best of the following week
    wanted: np.ndarray   # (readers,) bool: the reader has a relevant paper that week
    likes: float = 0.0   # votes per reader, of each kind
    dislikes: float = 0.0


def simulate(world: World, readers: list[Reader], method: Method, condition: Condition,
             split: str = "primary") -> Outcome:
    earlier, following = SPLITS[split]
    targets = np.where(world.week == following)[0]
    counts, hits, kinds = np.zeros((len(readers), len(targets), 3)), np.zeros(len(readers)), np.zeros(2)
    draws = SEEDS if condition.k else 1
    for r, reader in enumerate(readers):
        papers = shown(world, reader, earlier, condition.policy)
        for seed in range(draws):
            rng = np.random.default_rng([seed, zlib.crc32(f"{reader.group}/{reader.profile.id}".encode())])
            votes = draw(papers, reader.gold, condition, rng) if condition.k else []
            scores = method(world, reader, votes, targets) if votes else reader.base[targets]
            counts[r] += tally(scores, reader.gold[targets]) / draws
            hits[r] += reader.gold[targets][np.argsort(-scores, kind="stable")[:10]].sum() / draws
            kinds += [sum(liked for _, liked in votes) / draws, sum(not liked for _, liked in votes) / draws]
    return Outcome(counts, hits, np.array([reader.gold[targets].any() for reader in readers]), *(kinds / len(readers)))


def tally(scores: np.ndarray, gold: np.ndarray) -> np.ndarray:
    return np.stack([(scores >= THRESHOLD) & gold, (scores >= THRESHOLD) & ~gold, (scores < THRESHOLD) & gold], 1) * 1.0


def f1(counts: np.ndarray) -> np.ndarray:
    """Micro-F1 of (..., 3) tp/fp/fn totals."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    return 2 * tp / np.maximum(2 * tp + fp + fn, 1e-12)


@dataclass
class Resamples:
    """Seeded bootstrap weights, shared by every condition of a group so that gains are paired."""

    readers: np.ndarray  # (RESAMPLES, readers) how often each reader is drawn
    papers: np.ndarray   # (RESAMPLES, papers)
    wanted: np.ndarray   # (RESAMPLES, readers) draws among the readers with a relevant paper

    @classmethod
    def of(cls, outcome: Outcome, seed: int = 0) -> "Resamples":
        rng = np.random.default_rng(seed)
        n, m = outcome.counts.shape[:2]
        wanted = np.flatnonzero(outcome.wanted)
        return cls(counts_of(rng.integers(0, n, (RESAMPLES, n)), n), counts_of(rng.integers(0, m, (RESAMPLES, m)), m),
                   counts_of(wanted[rng.integers(0, len(wanted), (RESAMPLES, len(wanted)))], n))


def counts_of(draws: np.ndarray, size: int) -> np.ndarray:
    return np.stack([np.bincount(row, minlength=size) for row in draws]).astype(float)


def figures(outcome: Outcome, samples: Resamples) -> tuple[float, np.ndarray, float, np.ndarray]:
    """Micro-F1 and P@10, each with its bootstrap draws."""
    draws = np.einsum("rpc,bp,br->bc", outcome.counts, samples.papers, samples.readers, optimize=True)
    precision = outcome.hits / 10
    p10 = precision[outcome.wanted].mean() if outcome.wanted.any() else 0.0
    p10_draws = samples.wanted @ precision / np.maximum(samples.wanted.sum(axis=1), 1)
    return float(f1(outcome.counts.sum(axis=(0, 1)))), f1(draws), float(p10), p10_draws


def interval(draws: np.ndarray) -> str:
    return "[{:.3f}, {:.3f}]".format(*np.percentile(draws, [2.5, 97.5]))


def row_text(label: str, outcome: Outcome, none: Outcome, samples: Resamples) -> str:
    value, draws, p10, p10_draws = figures(outcome, samples)
    base, base_draws, base_p10, base_p10_draws = figures(none, samples)
    votes = f"{outcome.likes:.1f}/{outcome.dislikes:.1f}" if outcome is not none else "-"
    gain = f"{value - base:+.3f} {interval(draws - base_draws)}" if outcome is not none else ""
    p10_gain = f"{p10 - base_p10:+.3f} {interval(p10_draws - base_p10_draws)}" if outcome is not none else ""
    return (f"    {label:24} {votes:>9}  {value:.3f} {interval(draws):14}  {gain:24}  "
            f"{p10:.3f} {interval(p10_draws)}  {p10_gain}")


CONDITIONS = {"no feedback": Condition(), **{f"k={k}": Condition(k) for k in KS},
              "k=5, one vote flipped": Condition(5, flip=True), "k=5, kinds shuffled": Condition(5, shuffle=True)}
HEADER = f"    {'':24} {'like/not':>9}  {'micro-F1 [95 %]':20}  {'gain [95 %]':24}  {'P@10 [95 %]':19}  gain [95 %]"
POOLED = {"choosing sets (eleven)": CHOOSING, "FRESH (round 5's primary): watchers+niche": FRESH}
CHOSEN = {  # the shipped constants; the others as round 2's `--choose` picked them (round 5's grid: Rocchio 2, 2)
    "closest voted paper (shipped)": shipped(),
    "Rocchio": rocchio(4.0, 2.0),
    "per-reader logistic, profile as offset": per_reader_logistic(1.0, 1.0),
    "votes as the profile's examples": as_examples}


def merge(outcomes: list[Outcome]) -> Outcome:
    n = np.array([len(o.wanted) for o in outcomes]) / sum(len(o.wanted) for o in outcomes)
    return Outcome(np.concatenate([o.counts for o in outcomes]), np.concatenate([o.hits for o in outcomes]),
                   np.concatenate([o.wanted for o in outcomes]),
                   float(n @ [o.likes for o in outcomes]), float(n @ [o.dislikes for o in outcomes]))


def print_block(title: str, rows: dict[str, Outcome]) -> None:
    none, samples = rows["no feedback"], Resamples.of(rows["no feedback"])
    print(f"\n  {title}: {len(none.wanted)} profiles, {int(none.counts[..., [0, 2]].sum())} relevant (paper, profile) "
          f"pairs in the following week, {int(none.wanted.sum())} profiles with any")
    print(HEADER)
    for label, outcome in rows.items():
        print(row_text(label, outcome, none, samples))


def set_tables(world: World, readers: list[Reader], method: Method, policy: str, names, conditions=CONDITIONS) -> None:
    per_set = {name: {label: simulate(world, [r for r in readers if r.group == name], method,
                                      replace(condition, policy=policy))
                      for label, condition in conditions.items()} for name in names}
    for name in names:
        print_block(name, per_set[name])
    for title, members in POOLED.items():
        if set(members) <= set(names):
            print_block(title, {label: merge([per_set[n][label] for n in members]) for label in conditions})


def methods_table(world: World, readers: list[Reader]) -> None:
    chosen = [r for r in readers if r.group in CHOOSING]
    none = simulate(world, chosen, shipped(), Condition())
    samples = Resamples.of(none)  # the same resamples for every method: gains are paired
    print("\nMETHODS, choosing sets only (pooled), the best 10 a week shown:")
    print(HEADER)
    print(row_text("no feedback", none, none, samples))
    for name, method in CHOSEN.items():
        print(f"  {name}")
        for label, condition in list(CONDITIONS.items())[1:]:
            print(row_text(label, simulate(world, chosen, method, condition), none, samples))


def grids() -> dict[str, dict[str, Method]]:
    closest = {f"like {a}, dislike {a * r:g}, floor {f}": shipped(FeedbackWeights(a, a * r, f))
               for a in (1.0, 2.0, 3.0, 4.0, 6.0, 8.0) for r in (0.25, 0.5, 1.0) for f in (0.0, 0.1, 0.2)}
    return {"closest voted paper": closest,
            "Rocchio": {f"beta {b}, gamma {g}": rocchio(b, g) for b in (2.0, 4.0, 6.0) for g in (b / 2, b)},
            "per-reader logistic": {f"bias sd {b}, weight sd {w}": per_reader_logistic(b, w)
                                    for b in (0.0, 0.5, 1.0) for w in (1.0, 2.0, 3.0)}}


def choose(world: World, readers: list[Reader]) -> None:
    """The rule: the family and constants with the best F1 gain averaged over both splits and k = 3, 5,
    10; among those within 0.002 of it, the one whose flipped vote (k = 5) costs least on its worse
    split. Also shown: the placebo (the 5 votes' kinds shuffled): what a method gains from votes
    that say nothing, i.e. from loosening or tightening alone. Round 5 ships the rule's choice
    within the closest-voted-paper family: across families the rule picks the per-reader logistic,
    whose placebo gains as much as it does (bench/RESULTS-feedback.md)."""
    checks = [Condition(k) for k in KS] + [Condition(5, flip=True), Condition(5, shuffle=True)]
    base = {split: f1(simulate(world, readers, shipped(), Condition(), split).counts.sum((0, 1))) for split in SPLITS}
    print("CHOOSING sets only; no feedback: " + ", ".join(f"{s} split F1 {v:.3f}" for s, v in base.items()))
    rows = []
    for family, grid in grids().items():
        print(f"\n  {family}: mean gain | per split ({', '.join(SPLITS)}): k=3, 5, 10, one flipped, shuffled")
        for label, method in grid.items():
            got = [[f1(simulate(world, readers, method, c, split).counts.sum((0, 1))) - base[split] for c in checks]
                   for split in SPLITS]
            rows.append((float(np.mean([g[:3] for g in got])), min(g[3] for g in got), f"{family}: {label}"))
            print(f"    {rows[-1][0]:+.4f}  {label:32} " + " | ".join(" ".join(f"{v:+.3f}" for v in g) for g in got))
    for label, among in (("every family", rows), ("the closest voted paper (shipped)",
                                                   [r for r in rows if r[2].startswith("closest voted paper")])):
        chosen = max((row for row in among if row[0] >= max(r[0] for r in among) - 0.002), key=lambda row: row[1])
        print(f"\nCHOSEN among {label}: {chosen[2]} (mean gain {chosen[0]:+.4f}, flipped vote {chosen[1]:+.4f} "
              f"on its worse split)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choose", action="store_true", help="the constant grid on the choosing sets")
    args = parser.parse_args()
    started = time.perf_counter()
    papers = data.load_papers()
    world = load_world(papers)
    if args.choose:
        return choose(world, load_readers(papers, CHOOSING))
    everyone = CHOOSING + FRESH
    readers = load_readers(papers, everyone)
    print(f"SHIPPED METHOD {DEFAULT_FEEDBACK}, the best {SHOWN} a week shown, {SEEDS} vote draws per reader")
    set_tables(world, readers, shipped(), "top", everyone)
    print("\nSAME, but only papers scored at or above 0.5 shown (papercast today), best 10 a week")
    set_tables(world, readers, shipped(), "threshold", everyone)
    methods_table(world, readers)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
