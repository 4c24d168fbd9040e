"""How the reader's model was chosen: readers simulated in-process over the dev weeks (PLAN.md), in seconds.

    .venv/bin/python bench/learning_papers.py     # once: the papers of the blocks
    .venv/bin/python bench/learning_lab.py        # dev sets only; never reads the lockbox

The product's own path (weekly `papercast run`, the app, signed vote links) is bench/learning.py; this
lab replays the same loop with the same pieces (the shipped scorer's logits, papercast.relevance.taste)
but no files, so that many methods and constants can be compared. Per profile of the three dev sets, a
reader subscribed to that profile alone receives each vote week's picks (the reader's logit at least 0,
up to 50) and up to EXPLORE papers just below it (reader's score at least 0.1), votes on them by the
labels, and is scored on the four held-out test weeks after k = 0, 1, 2, 4, 8 vote weeks: micro-F1 of
picks, pooled over the profiles of a set and over all three sets.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.learning_data import DEV_SETS, agreement, block_rows, read_labels, LABELS, set_labels, set_profiles  # noqa: E402
from papercast.relevance import reference  # noqa: E402
from papercast.relevance.embed import MiniLMOnnx, paper_vectors  # noqa: E402
from papercast.relevance.hybrid import HybridScorer  # noqa: E402
from papercast.relevance.taste import DEFAULT_PARAMS, TasteParams, fit_taste  # noqa: E402

EXPLORE, EXPLORE_FLOOR, MAX_PAPERS, KS = 3, np.log(0.1 / 0.9), 50, (0, 1, 2, 4, 8)
CACHE = Path(__file__).resolve().parent / ".cache" / "learning-lab.npz"


@dataclass
class World:
    """The dev weeks' papers: prior logits per profile, centred vectors, labels, weeks."""

    logits: np.ndarray    # (papers, profiles)
    vectors: np.ndarray   # (papers, DIM), centred, unit length
    labels: np.ndarray    # (papers, profiles) bool
    weeks: np.ndarray     # ISO week per paper
    test: np.ndarray      # bool per paper: a held-out test week
    sets: np.ndarray      # set name per profile
    ids: list[str]

    @property
    def vote_weeks(self) -> list[str]:
        return sorted(set(self.weeks[~self.test]))


def centred(vectors: np.ndarray) -> np.ndarray:
    v = vectors.astype(np.float64) - reference.mean_vector()
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def build_world() -> World:
    rows = block_rows("dev-votes") + block_rows("dev-test")
    papers = [row.stored(i + 1) for i, row in enumerate(rows)]
    profiles = [(name, p) for name in DEV_SETS for p in set_profiles(name)]
    if CACHE.exists():
        cached = np.load(CACHE)
        logits, vectors = cached["logits"], cached["vectors"]
    else:
        embedder = MiniLMOnnx()
        vectors = paper_vectors(embedder, papers, None)[:, 0]
        logits = HybridScorer(embedder).logits(HybridScorer(embedder).signals(papers, [p for _, p in profiles]))
        CACHE.parent.mkdir(exist_ok=True)
        np.savez(CACHE, logits=logits, vectors=vectors)
    wanted = {name: {**set_labels(name, "dev-votes"), **set_labels(name, "dev-test")} for name in DEV_SETS}
    labels = np.array([[p.id in wanted[name].get(row.id, ()) for name, p in profiles] for row in rows])
    return World(logits, centred(vectors), labels, np.array([r.week for r in rows]),
                 np.array([r.week >= "2025-W34" for r in rows]), np.array([name for name, _ in profiles]),
                 [r.id for r in rows])


@dataclass
class Reader:
    """One simulated reader of one profile: their votes and the model fitted to them."""

    world: World
    profile: int
    params: TasteParams = DEFAULT_PARAMS
    method: str = "taste"  # taste | nearest (the earlier method: closest liked/disliked paper) | none
    votes: dict[int, float] = field(default_factory=dict)  # paper index -> 1 liked, 0 not for me
    week_of: dict[int, int] = field(default_factory=dict)
    model: object = None

    def vote(self, papers: np.ndarray, liked: np.ndarray, week: int) -> None:
        for i, v in zip(papers.tolist(), liked.tolist()):
            self.votes[i], self.week_of[i] = float(v), week
        if self.method == "taste" and self.votes:
            idx = np.array(list(self.votes))
            ages = max(self.week_of.values()) - np.array([self.week_of[i] for i in idx], dtype=float)
            self.model = fit_taste([str(i) for i in idx], self.world.logits[idx, self.profile],
                                   self.world.vectors[idx], np.array([self.votes[i] for i in idx]) > 0.5, ages,
                                   self.params)

    def logits(self, papers: np.ndarray) -> np.ndarray:
        prior = self.world.logits[papers, self.profile]
        if self.method == "nearest" and self.votes:
            return prior + nearest_move(self.world.vectors, papers, self.votes)
        if self.method == "taste" and self.model is not None:
            return self.model.logits(prior, self.world.vectors[papers])
        return prior


def nearest_move(vectors: np.ndarray, papers: np.ndarray, votes: dict[int, float]) -> np.ndarray:
    """The earlier shipped method: +4 per unit of cosine to the closest liked paper above 0.2, -2 for disliked."""
    voted = np.array(list(votes)); liked = np.array([votes[i] for i in voted]) > 0.5
    sims = vectors[papers] @ vectors[voted].T
    up = np.where(liked[None, :], sims, -1).max(1)
    down = np.where(~liked[None, :], sims, -1).max(1)
    return 4 * np.maximum(0, up - 0.2) - 2 * np.maximum(0, down - 0.2)


def shown(reader: Reader, papers: np.ndarray, explore: int) -> np.ndarray:
    """A week's newsletter: picks (logit at least 0, best first, up to MAX_PAPERS) and the explore section."""
    s = reader.logits(papers)
    order = np.argsort(-s)
    picks = papers[order][s[order] >= 0][:MAX_PAPERS]
    close = papers[order][(s[order] < 0) & (s[order] >= EXPLORE_FLOOR)][:explore]
    return np.concatenate([picks, close]).astype(int)


def tune_choice(reader: Reader, pool: np.ndarray, n: int = 12, diversity: float = 3.0) -> np.ndarray:
    """The tune page: the most uncertain papers, each next one penalised by its likeness to those already chosen."""
    candidates = [i for i in pool[np.argsort(np.abs(reader.logits(pool)))] if i not in reader.votes][:120]
    doubt = dict(zip(candidates, -np.abs(reader.logits(np.array(candidates)))))
    chosen: list[int] = []
    while len(chosen) < n and candidates:
        best = max(candidates, key=lambda c: doubt[c] - diversity * max(
            (float(reader.world.vectors[c] @ reader.world.vectors[d]) for d in chosen), default=0.0))
        chosen.append(best)
        candidates.remove(best)
    return np.array(chosen, dtype=int)


@dataclass(frozen=True)
class Behaviour:
    name: str
    share: float = 1.0   # of the papers shown that get a vote
    flip: float = 0.0    # of votes that say the opposite
    weeks: int = 8       # vote weeks


def cast(world: World, reader: Reader, papers: np.ndarray, behaviour: Behaviour, rng, week: int) -> None:
    papers = papers[rng.random(len(papers)) < behaviour.share]
    liked = world.labels[papers, reader.profile].astype(float)
    flipped = rng.random(len(papers)) < behaviour.flip
    liked[flipped] = 1 - liked[flipped]
    reader.vote(papers, liked, week)


def counts(world: World, reader: Reader) -> np.ndarray:
    test = np.flatnonzero(world.test)
    picked, wanted = reader.logits(test) >= 0, world.labels[test, reader.profile]
    return np.array([(picked & wanted).sum(), (picked & ~wanted).sum(), (~picked & wanted).sum()])


def curve(world: World, behaviour: Behaviour, seed: int = 0, explore: int = EXPLORE, **reader_options
          ) -> dict[int, np.ndarray]:
    """(profiles, [tp, fp, fn]) on the test weeks after k vote weeks, for each k of KS."""
    rng = np.random.default_rng(seed)
    out = {k: np.zeros((len(world.sets), 3), int) for k in KS}
    for j in range(len(world.sets)):
        reader = Reader(world, j, **reader_options)
        for week, name in enumerate(world.vote_weeks + [None]):
            if week in out:
                out[week][j] = counts(world, reader)
            if name is not None and week < behaviour.weeks:
                cast(world, reader, shown(reader, np.flatnonzero(world.weeks == name), explore), behaviour, rng, week)
    return out


def tuned(world: World, votes: int, **reader_options) -> np.ndarray:
    """A reader who never votes in a newsletter but visits the tune page once after the vote weeks."""
    out = np.zeros((len(world.sets), 3), int)
    pool = np.flatnonzero(~world.test)
    for j in range(len(world.sets)):
        reader = Reader(world, j, **reader_options)
        for _ in range(votes // 12):
            page = tune_choice(reader, pool)
            reader.vote(page, world.labels[page, j].astype(float), 8)
        out[j] = counts(world, reader)
    return out


def f1(c: np.ndarray) -> float:
    tp, fp, fn = c
    return 2 * tp / max(1, 2 * tp + fp + fn)


def pooled(table: np.ndarray, sets: np.ndarray) -> dict[str, float]:
    row = {name: f1(table[sets == name].sum(0)) for name in DEV_SETS}
    return {**row, "all": f1(table.sum(0))}


def mean_curve(world: World, behaviour: Behaviour, seeds: int, **options) -> dict[int, float]:
    runs = [curve(world, behaviour, seed, **options) for seed in range(seeds)]
    return {k: float(np.mean([pooled(run[k], world.sets)["all"] for run in runs])) for k in KS}


def mean_table(world: World, behaviour: Behaviour, seeds: int, **options) -> dict[str, float]:
    runs = [pooled(curve(world, behaviour, seed, **options)[8], world.sets) for seed in range(seeds)]
    return {scope: float(np.mean([run[scope] for run in runs])) for scope in runs[0]}


def line(label: str, values: dict) -> str:
    return f"| {label} | " + " | ".join(f"{v:.3f}" for v in values.values()) + " |"


def longer_readings(world: World) -> dict[str, np.ndarray]:
    """The dev papers read at 256 tokens, and as two 128-token windows averaged (the second window: the title,
    then the abstract from its 127th token), centred; how long each embedding took is printed."""
    import time

    rows = block_rows("dev-votes") + block_rows("dev-test")
    texts = [f"{r.title}. {r.abstract}" for r in rows]
    model = MiniLMOnnx()
    found = {}
    for tokens in (112, 256):
        model.tokenizer.enable_truncation(tokens)
        start = time.perf_counter()
        found[f"{tokens} tokens"] = centred(model.embed(texts))
        print(f"- embedding {len(texts)} papers at {tokens} tokens: {time.perf_counter() - start:.1f} s")
    model.tokenizer.enable_truncation(128)
    start = time.perf_counter()
    first = model.embed(texts)
    model.tokenizer.no_truncation()
    tails = [model.tokenizer.encode(t).ids[127:227] for t in texts]
    model.tokenizer.enable_truncation(128)
    second = model.embed([f"{r.title}. {model.tokenizer.decode(ids)}" for r, ids in zip(rows, tails, strict=True)])
    print(f"- embedding {len(texts)} papers as two 128-token windows: {time.perf_counter() - start:.1f} s")
    found["two 128-token windows"] = centred(first + second)
    return found


def compare_readings(world: World) -> None:
    print("\n## Reading more of each paper: engaged after 8 weeks, the reader's model on other vectors\n")
    for name, vectors in longer_readings(world).items():
        other = replace(world, vectors=vectors)
        print(f"- {name}: {pooled(curve(other, Behaviour('engaged'))[8], world.sets)['all']:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=8, help="simulated sparse/noisy readers per profile")
    parser.add_argument("--readings", action="store_true", help="only compare 112 and 256 tokens and two windows")
    args = parser.parse_args()
    world = build_world()
    if args.readings:
        compare_readings(world)
        return 0
    engaged, sparse, noisy = Behaviour("engaged"), Behaviour("sparse", share=0.3), Behaviour("noisy", flip=0.1)
    print("## Learning curves (dev sets, held-out test weeks): micro-F1 pooled over 24 profiles\n")
    print("| reader | " + " | ".join(f"k={k}" for k in KS) + " |\n|---|" + "---:|" * len(KS))
    rows = [("engaged, taste model, explore 3", dict()), ("engaged, taste model, no explore", dict(explore=0)),
            ("engaged, earlier method (closest voted paper)", dict(method="nearest", explore=0)),
            ("engaged, taste, votes trusted (no 5 % error)", dict(params=replace(DEFAULT_PARAMS, vote_error=0.0))),
            ("engaged, taste, weight ridge 0.1", dict(params=replace(DEFAULT_PARAMS, weight_ridge=0.1))),
            ("engaged, taste, bias ridge 0.3", dict(params=replace(DEFAULT_PARAMS, bias_ridge=0.3))),
            ("engaged, taste, half-life 4 weeks", dict(params=replace(DEFAULT_PARAMS, half_life_weeks=4.0))),
            ("engaged, taste, no ageing", dict(params=replace(DEFAULT_PARAMS, half_life_weeks=1e9))),
            ("engaged, taste, falls not bounded", dict(params=replace(DEFAULT_PARAMS, max_fall=1e9)))]
    for label, options in rows:
        print(line(label, {k: pooled(v, world.sets)["all"] for k, v in curve(world, engaged, **options).items()}))
    variants = (("taste", {}), ("taste, votes trusted", dict(params=replace(DEFAULT_PARAMS, vote_error=0.0))),
                ("taste, falls not bounded", dict(params=replace(DEFAULT_PARAMS, max_fall=1e9))))
    for behaviour in (sparse, noisy):
        for label, options in variants:
            print(line(f"{behaviour.name} (mean of {args.seeds}), {label}", mean_curve(world, behaviour, args.seeds, **options)))
    print(line("quiet", {k: pooled(curve(world, engaged, method="none")[0], world.sets)["all"] for k in KS}))
    print("\n## Per set after 8 weeks (engaged, taste) and the tune page\n")
    print("| reader | " + " | ".join([*DEV_SETS, "all"]) + " |\n|---|---:|---:|---:|---:|")
    print(line("quiet", pooled(curve(world, engaged, method="none")[8], world.sets)))
    print(line("engaged after 8 weeks", pooled(curve(world, engaged)[8], world.sets)))
    for behaviour in (sparse, noisy):
        for label, options in variants[::2]:
            print(line(f"{behaviour.name} after 8 weeks (mean of {args.seeds}), {label}",
                       mean_table(world, behaviour, args.seeds, **options)))
    for votes in (12, 24):
        print(line(f"tune page, {votes} votes", pooled(tuned(world, votes), world.sets)))
    print_agreement()
    return 0


def print_agreement() -> None:
    print("\n## Annotators on the vote weeks' sample (micro-F1 of a against b)\n")
    for name in DEV_SETS:
        b = read_labels(LABELS / f"{name}-dev-votes-sample-b.jsonl")
        print(f"- {name}: {agreement(set_labels(name, 'dev-votes'), b):.3f} on {len(b)} papers")


if __name__ == "__main__":
    sys.exit(main())
