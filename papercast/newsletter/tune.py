"""A reader's tune page for one profile: the stored papers whose answer would teach their taste the most.

The page draws from the kept pairs (joined and near the threshold) of papers first seen in the TUNE_WEEKS
weeks up to the latest stored paper, leaves out those the reader already voted on in the profile, and
chooses about a dozen by `reader_picks.tune_choice`: the closest to the reader's threshold under their own
scores (their taste as it stands, fitted afresh and not kept: the page only reads the state), spread out
by likeness. A new reader can tune a profile before their first newsletter, as the store holds past weeks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from papercast.newsletter.candidates import Item
from papercast.newsletter.reader_picks import NO_TASTE, tune_choice
from papercast.newsletter.tastes import reader_tastes
from papercast.newsletter.windows import Window, thresholds_of
from papercast.settings import Reader, Settings
from papercast.store import Store

TUNE_WEEKS = 8


@dataclass(frozen=True)
class TunePage:
    items: list[Item]
    votes: int  # the reader's votes in the profile so far


def tune_page(store: Store, settings: Settings, reader: Reader, profile_id: str) -> TunePage:
    """The papers of the reader's tune page for a profile they follow, and how many votes they cast there."""
    mine = [v for v in store.votes.votes_of([reader.email]).get(reader.email, []) if v.profile_id == profile_id]
    last = store.papers.latest_first_seen()
    if last is None:
        return TunePage([], len(mine))
    after = store.papers.first_seq_since(last - dt.timedelta(weeks=TUNE_WEEKS))
    window = Window.of(store.classification.candidates_since([profile_id], after, store.papers.max_paper_seq()))
    if profile_id not in window.profiles:
        return TunePage([], len(mine))
    window.with_vectors(store, {profile_id}, save=False)
    taste = reader_tastes(store, {reader.email: mine}, {reader.email: [profile_id]}, keep=False) if mine else {}
    chosen = tune_choice(
        window.profiles[profile_id],
        taste.get(reader.email, NO_TASTE),
        thresholds_of(settings, [profile_id])[profile_id],
        {v.paper_id for v in mine},
    )
    return TunePage(chosen, len(mine))
