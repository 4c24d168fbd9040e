"""A reader's taste in one profile, learned from their votes: the profile's own score, moved by what they liked.

For each (reader, profile) with votes, a logistic model sits on top of the profile's score, whose logit
is the model's fixed offset:

    logit(the reader wants the paper) = logit(profile score) + b + w · x

x is the paper's MiniLM vector centred on the typical paper, unit length (what the scorer compares).
b and w are fitted to the reader's votes in that profile ("more like this" = 1, "not for me" = 0) by
ridge-penalised logistic regression. The penalties keep a reader with few votes at the profile's own
scores. Votes may raise a paper without bound but lower it by at most one unit of logit: a reader's
"not for me" on a few papers of a profile whose picks are often wrong must not empty it (measured on
sparse voters of purpose-style profiles). A vote's weight halves for every 12 weeks between the paper
it is about and the newest paper the reader voted on there; each vote is read as possibly mistaken
(5 %), so a mis-click cannot swing the model. The constants were chosen on three labelled profile sets
over eight real weeks (bench/learning_lab.py; bench/RESULTS-learning.md).

The fit runs in the dual (one coefficient per voted paper, w = Σ βᵢ xᵢ), which is exact and small: a
reader casts tens of votes, not thousands, and βᵢ · (xᵢ · x) is how much the vote on paper i moved a
paper's logit, which is what a reason names. Pure numpy: no store, no model, no Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from papercast.relevance import reference

MAX_VOTES = 400  # the newest votes kept per (reader, profile); older ones weigh under 1 % anyway
NEWTON_STEPS = 40


@dataclass(frozen=True)
class TasteParams:
    """The method's constants (bench/learning_lab.py compares others)."""

    weight_ridge: float = 0.03  # on w: small, so a direction that many votes agree on can move far
    bias_ridge: float = 3.0  # on b: large, so a few "not for me" votes do not silence a whole profile
    vote_error: float = 0.05  # the chance a vote says the opposite of what the reader meant (0: trust all)
    half_life_weeks: float = 12.0  # a vote on a paper this much older than the newest voted paper weighs half
    max_fall: float = 1.0  # votes lower a paper's logit by at most this: "not for me" cannot empty a profile


DEFAULT_PARAMS = TasteParams()


@dataclass(frozen=True)
class Taste:
    """One reader's fitted model in one profile: b, the dual coefficients and w = Σ βᵢ xᵢ."""

    bias: float
    weights: np.ndarray  # (DIM,) float32
    paper_ids: tuple[str, ...]  # the voted papers, in the order of `coefficients`
    coefficients: np.ndarray  # (n,) βᵢ
    liked: tuple[bool, ...]
    max_fall: float = DEFAULT_PARAMS.max_fall

    def logits(self, prior_logits: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """The reader's logits for papers with these profile logits and centred vectors: raised without bound,
        lowered by at most `max_fall`."""
        return np.maximum(prior_logits + self.bias + vectors @ self.weights, prior_logits - self.max_fall)

    def pulls(self, vector: np.ndarray, voted_vectors: np.ndarray) -> np.ndarray:
        """How much each voted paper's vote moved this paper's logit (βᵢ · xᵢ·x), in `paper_ids` order."""
        return self.coefficients * (voted_vectors @ vector)


def centred_vectors(vectors: np.ndarray) -> np.ndarray:
    """What the model reads of each paper: its whole-text MiniLM vector ((n, 2, DIM) as the vector cache keeps
    it, or (n, DIM)), centred on the typical paper (what every paper shares counts for nothing), unit length."""
    whole = np.asarray(vectors, dtype=np.float64)
    whole = (whole[:, 0] if whole.ndim == 3 else whole) - reference.mean_vector()
    return whole / np.maximum(np.linalg.norm(whole, axis=1, keepdims=True), 1e-12)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x, -30.0, 30.0)))


def logit(p: float | np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def vote_weights(ages_weeks: np.ndarray, half_life: float) -> np.ndarray:
    return 0.5 ** (np.maximum(0.0, ages_weeks) / half_life)


def fit_taste(
    paper_ids: list[str],
    prior_logits: np.ndarray,
    vectors: np.ndarray,
    liked: np.ndarray,
    ages_weeks: np.ndarray,
    params: TasteParams = DEFAULT_PARAMS,
) -> Taste:
    """The reader's model from their votes in one profile: the voted papers' profile logits and centred
    vectors, whether each was liked, and each vote's age in weeks (0 for the newest)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    kernel = vectors @ vectors.T
    labels = np.asarray(liked, dtype=np.float64)
    weights = vote_weights(np.asarray(ages_weeks, dtype=np.float64), params.half_life_weeks)
    bias, beta = robust_fit(kernel, np.asarray(prior_logits, dtype=np.float64), labels, weights, params)
    return Taste(
        float(bias),
        (vectors.T @ beta).astype(np.float32),
        tuple(paper_ids),
        beta,
        tuple(bool(v) for v in liked),
        params.max_fall,
    )


def robust_fit(
    kernel: np.ndarray, offset: np.ndarray, labels: np.ndarray, weights: np.ndarray, params: TasteParams
) -> tuple[float, np.ndarray]:
    """A fit, then three EM rounds that soften the labels of votes the model finds unlikely (vote_error)."""
    bias, beta = newton_fit(kernel, offset, labels, weights, params)
    error = params.vote_error
    for _ in range(3 if error else 0):
        p = sigmoid(offset + bias + kernel @ beta)
        agree = np.where(labels > 0.5, p, 1 - p)
        right = (1 - error) * agree / ((1 - error) * agree + error * (1 - agree))
        soft = right * labels + (1 - right) * (1 - labels)
        bias, beta = newton_fit(kernel, offset, soft, weights, params, bias, beta)
    return bias, beta


def newton_fit(
    kernel: np.ndarray,
    offset: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    params: TasteParams,
    bias: float = 0.0,
    beta: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Minimise Σ wᵢ·logloss(offsetᵢ + b + (Kβ)ᵢ, yᵢ) + bias_ridge·b² + weight_ridge·βᵀKβ by Newton's method."""
    n, ridge, bias_ridge = len(labels), params.weight_ridge, params.bias_ridge
    beta = np.zeros(n) if beta is None else beta.copy()
    system = np.empty((n + 1, n + 1))
    for _ in range(NEWTON_STEPS):
        p = sigmoid(offset + bias + kernel @ beta)
        curvature, gradient = weights * p * (1 - p), weights * (p - labels)
        system[0, 0] = curvature.sum() + 2 * bias_ridge
        system[0, 1:], system[1:, 0] = curvature @ kernel, curvature
        system[1:, 1:] = curvature[:, None] * kernel
        system[1:, 1:][np.diag_indices(n)] += 2 * ridge
        rhs = np.concatenate([[gradient.sum() + 2 * bias_ridge * bias], gradient + 2 * ridge * beta])
        step = np.linalg.solve(system, rhs)
        bias, beta = bias - step[0], beta - step[1:]
        if np.abs(step).max() < 1e-6:
            break
    return bias, beta
