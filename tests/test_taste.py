"""The reader's taste model (papercast.relevance.taste): a prior-anchored logistic fit to one reader's votes."""

from __future__ import annotations

import numpy as np
import pytest

from papercast.relevance.taste import DEFAULT_PARAMS, TasteParams, fit_taste, sigmoid

DIM = 16


def unit(*parts: float) -> np.ndarray:
    v = np.zeros(DIM)
    v[:len(parts)] = parts
    return v / np.linalg.norm(v)


TOPIC_A, TOPIC_B = unit(1, 0.1), unit(0.1, 0, 1)


def around(topic: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = topic + 0.15 * rng.standard_normal((n, DIM))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def fit(vectors: np.ndarray, liked: list[bool], prior: float = -1.0, ages=None, params: TasteParams = DEFAULT_PARAMS):
    n = len(liked)
    return fit_taste([f"p{i}" for i in range(n)], np.full(n, prior), vectors, np.array(liked),
                     np.zeros(n) if ages is None else np.array(ages, dtype=float), params)


def test_liked_papers_raise_papers_like_them_and_leave_others_near_their_prior():
    taste = fit(around(TOPIC_A, 6, 0), [True] * 6)
    near, far = around(TOPIC_A, 20, 1), around(TOPIC_B, 20, 2)
    prior = np.full(20, -1.0)
    assert taste.logits(prior, near).mean() > 0.5  # raised past the threshold (logit 0)
    assert abs(taste.logits(prior, far).mean() - (-1.0)) < abs(taste.logits(prior, near).mean() - (-1.0)) / 3


def test_a_few_votes_barely_move_the_bias():
    taste = fit(around(TOPIC_A, 3, 0), [False] * 3, prior=1.0)
    assert abs(taste.bias) < 0.5  # three "not for me" do not silence the profile


def test_weights_are_the_dual_coefficients_applied_to_the_voted_vectors():
    vectors = around(TOPIC_A, 5, 3)
    taste = fit(vectors, [True, False, True, True, False])
    assert np.allclose(taste.weights, vectors.T @ taste.coefficients, atol=1e-5)
    x = around(TOPIC_A, 1, 4)[0]
    assert taste.pulls(x, vectors).sum() == pytest.approx(float(x @ taste.weights), abs=1e-5)


def test_one_mistaken_vote_among_many_moves_less_when_votes_may_be_mistaken():
    vectors = np.vstack([around(TOPIC_A, 12, 5), around(TOPIC_A, 1, 6)])
    liked = [True] * 12 + [False]  # the last one a mis-click
    trusting = fit(vectors, liked, params=TasteParams(vote_error=0.0))
    doubting = fit(vectors, liked)
    probe = around(TOPIC_A, 1, 6)
    assert doubting.logits(np.array([-1.0]), probe)[0] > trusting.logits(np.array([-1.0]), probe)[0]


def test_older_votes_weigh_less():
    vectors = np.vstack([around(TOPIC_A, 4, 7), around(TOPIC_A, 4, 8)])
    liked = [True] * 4 + [False] * 4
    old_likes = fit(vectors, liked, ages=[24] * 4 + [0] * 4)
    old_dislikes = fit(vectors, liked, ages=[0] * 4 + [24] * 4)
    probe = np.array([-1.0]), around(TOPIC_A, 1, 9)
    assert sigmoid(old_dislikes.logits(*probe))[0] > sigmoid(old_likes.logits(*probe))[0]


def test_votes_lower_a_paper_by_at_most_one_unit_of_logit():
    disliked = around(TOPIC_A, 10, 10)
    taste = fit(disliked, [False] * 10, prior=2.0)
    probe = around(TOPIC_A, 5, 11)
    assert (taste.logits(np.full(5, 2.0), probe) >= 1.0 - 1e-9).all()
    unbounded = fit(disliked, [False] * 10, prior=2.0, params=TasteParams(max_fall=1e9))
    assert unbounded.logits(np.full(5, 2.0), probe).min() < 1.0  # the floor is what holds it
