"""Batched planning (one query per batch) gives exactly the per-reader plans, ties and cursors included."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.models import Assignment, Digest, Paper
from papercast.newsletter.plan import plan_batch, plan_newsletter
from papercast.newsletter.selection import select_run
from papercast.store import Store

DAY = dt.date(2026, 11, 20)
PROFILE_IDS = ["p0", "p1", "p2", "p3", "p4"]


def random_config(folder, rng: random.Random, readers: int):
    profiles = "".join(f'\n[[profiles]]\nid = "{pid}"\ntitle = "Profile {pid}"\n' for pid in PROFILE_IDS)
    people = "".join(
        f'\n[[readers]]\nemail = "r{n}@example.org"\nprofiles = {rng.sample(PROFILE_IDS, rng.randint(1, 3))!r}\n'
        f"max_papers = {rng.randint(1, 8)}\n" for n in range(readers))
    return load_settings(write_config(folder, profiles=profiles, readers=people.replace("'", '"')))


def fill_store(store: Store, settings, rng: random.Random) -> None:
    """Two weeks of papers with coarse (often tied) scores; some readers already got week one."""
    for week in range(2):
        run_id = store.start_run(DAY + dt.timedelta(days=7 * week))
        papers = tuple(Paper(f"Paper {week}-{n}", "abstract") for n in range(40))
        store.ingest_digest(Digest(f"w{week}", DAY, papers, content_hash=f"h{week}"), run_id)
        store.save_assignments([Assignment(p.id, pid, rng.choice([0.5, 0.6, 0.6, 0.8, 0.9]), "why")
                                for p in papers for pid in PROFILE_IDS if rng.random() < 0.4])
        if week == 0:
            first = select_run(settings)
            batch = plan_batch(store, settings, first, list(settings.readers[::2]), DAY, store.max_paper_seq())
            for plan in batch.plans:
                store.record_issue({"id": plan.issue_id, "reader": plan.reader.email, "run_id": run_id,
                                    "date": DAY.isoformat(), "status": "written", "message_id": "<m>",
                                    "subject": "s", "html_path": None, "text_path": None, "eml_path": None},
                                   plan.paper_ids[:1], plan.cursor)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("subset", [None, ["p1", "p3"]])
def test_batch_plans_equal_per_reader_plans(tmp_path, seed, subset):
    rng = random.Random(seed)
    settings = random_config(tmp_path, rng, readers=25)
    selection = select_run(settings, profiles=subset)
    with Store.open(settings.paths.state) as store:
        fill_store(store, settings, rng)
        up_to = store.max_paper_seq()
        batch = plan_batch(store, settings, selection, list(selection.readers), DAY, up_to)
        expected = [plan_newsletter(store, settings, reader, DAY, up_to,
                                    selection.reader_profiles(reader) if subset else None)
                    for reader in selection.readers]
    assert list(batch.plans) == [plan for plan in expected if plan is not None]
    assert list(batch.nothing_new) == [r.email for r, plan in zip(selection.readers, expected) if plan is None]
    assert batch.plans, "the random week should give some newsletters"
