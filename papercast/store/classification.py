"""Classification in the state: how far each profile is classified, and the (paper, profile) assignments.

The public archive's editions are read from here too: every assignment, with the weekly run it belongs to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from papercast.models import Assignment, StoredPaper
from papercast.store.connection import Repository
from papercast.store.papers import PAPER_COLUMNS, stored_paper
from papercast.store.records import EditionStat

# Per run that stored papers, the weekly run whose edition they are in: that run, or the next weekly one.
EDITION_RUNS = (
    "edition_runs AS (SELECT f.id AS first_run, (SELECT MIN(w.id) FROM runs w WHERE w.kind = 'weekly'"
    " AND w.id >= f.id) AS run FROM runs f)"
)


class Classification(Repository):
    """profile_progress and assignments."""

    def classification_progress(self, profile_ids: list[str]) -> dict[str, int]:
        """Per profile, the paper seq it is classified up to; a profile seen for the first time
        starts where the others stand, so it takes the unclassified backlog but no older papers."""
        with self.transaction() as db:
            known = dict(db.execute("SELECT profile_id, classified_to FROM profile_progress").fetchall())
            start = self._starting_point(known, profile_ids)
            missing = [(pid, start) for pid in profile_ids if pid not in known]
            db.executemany("INSERT INTO profile_progress VALUES (?, ?)", missing)
        return {pid: known.get(pid, start) for pid in profile_ids}

    def _starting_point(self, known: dict[str, int], profile_ids: list[str]) -> int:
        current = [known[pid] for pid in profile_ids if pid in known]
        if current or known:
            return min(current) if current else max(known.values())
        row = self.db.execute(
            "SELECT COALESCE(MAX(p.seq), 0) FROM papers p"  # a state from before v5:
            " WHERE EXISTS (SELECT 1 FROM assignments a WHERE a.paper_id = p.id)"
        ).fetchone()
        return int(row[0])  # its papers up to the last one assigned were classified by that version

    def save_classified(
        self, assignments: list[Assignment], progress: dict[str, int], near: Sequence[Assignment] = ()
    ) -> None:
        """A chunk's assignments, its pairs near the threshold and how far each profile is now classified, at once."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO assignments VALUES (?, ?, ?, ?)",
                [(a.paper_id, a.profile_id, a.score, a.why) for a in assignments],
            )
            db.executemany(
                "INSERT OR REPLACE INTO near_pairs VALUES (?, ?, ?)",
                [(a.paper_id, a.profile_id, a.score) for a in near],
            )
            db.executemany(
                "UPDATE profile_progress SET classified_to = MAX(classified_to, ?) WHERE profile_id = ?",
                [(seq, pid) for pid, seq in progress.items()],
            )

    def save_assignments(self, assignments: list[Assignment]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO assignments VALUES (?, ?, ?, ?)",
                [(a.paper_id, a.profile_id, a.score, a.why) for a in assignments],
            )

    def assigned_since(
        self, profile_ids: list[str], after_seq: int, up_to_seq: int
    ) -> list[tuple[StoredPaper, Assignment]]:
        """Assignments to these profiles of papers first stored in (after_seq, up_to_seq]."""
        marks = ",".join("?" * len(profile_ids))
        rows = self.db.execute(
            f"SELECT {PAPER_COLUMNS}, a.profile_id, a.score, a.why FROM assignments a"
            f" JOIN papers p ON p.id = a.paper_id WHERE a.profile_id IN ({marks})"
            f" AND p.seq > ? AND p.seq <= ? ORDER BY a.score DESC, p.seq, a.profile_id",
            (*profile_ids, after_seq, up_to_seq),
        ).fetchall()
        return [(stored_paper(r), Assignment(r["id"], r["profile_id"], r["score"], r["why"])) for r in rows]

    def candidates_since(
        self, profile_ids: list[str], after_seq: int, up_to_seq: int, seen_since: dt.date | None = None
    ) -> list[tuple[StoredPaper, Assignment, bool]]:
        """Every kept pair of these profiles of papers first stored in (after_seq, up_to_seq], best score first
        (as `assigned_since` orders them), each with whether it joined its profile (near pairs have no reason);
        with `seen_since`, only papers first seen on or after that day."""
        if not profile_ids:
            return []
        marks = ",".join("?" * len(profile_ids))
        seen = "" if seen_since is None else " AND p.first_seen >= ?"
        since = () if seen_since is None else (seen_since.isoformat(),)
        rows = self.db.execute(
            f"SELECT {PAPER_COLUMNS}, k.profile_id, k.score, k.why, k.joined FROM ("
            f" SELECT paper_id, profile_id, score, why, 1 AS joined FROM assignments WHERE profile_id IN ({marks})"
            f" UNION ALL SELECT paper_id, profile_id, score, '', 0 FROM near_pairs WHERE profile_id IN ({marks})"
            f") k JOIN papers p ON p.id = k.paper_id WHERE p.seq > ? AND p.seq <= ?{seen}"
            f" ORDER BY k.score DESC, p.seq, k.profile_id",
            (*profile_ids, *profile_ids, after_seq, up_to_seq, *since),
        ).fetchall()
        return [
            (stored_paper(r), Assignment(r["id"], r["profile_id"], r["score"], r["why"]), bool(r["joined"]))
            for r in rows
        ]

    def pair_scores(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
        """The kept score of each (paper id, profile id) pair that has one (joined or near the threshold)."""
        found: dict[tuple[str, str], float] = {}
        for start in range(0, len(pairs), 400):
            chunk = pairs[start : start + 400]
            where = " OR ".join("(paper_id = ? AND profile_id = ?)" for _ in chunk)
            values = [value for pair in chunk for value in pair]
            for table in ("assignments", "near_pairs"):
                rows = self.db.execute(f"SELECT paper_id, profile_id, score FROM {table} WHERE {where}", values)
                found.update({(r[0], r[1]): r[2] for r in rows})
        return found

    def editions(self, after_run: int = 0) -> list[tuple[str, dt.date, StoredPaper, Assignment]]:
        """Every (profile, edition date, paper, assignment), newest first: the public archive. A paper is in
        the edition of the weekly run that stored it or, stored by a fetch run, of the next weekly run
        (none yet: not published yet). `after_run`: only papers stored by later runs."""
        rows = self.db.execute(
            f"WITH {EDITION_RUNS} SELECT {PAPER_COLUMNS}, a.profile_id, a.score, a.why, r.as_of"
            f" FROM papers p INDEXED BY papers_first_run JOIN assignments a ON a.paper_id = p.id"
            f" JOIN edition_runs e ON e.first_run = p.first_run JOIN runs r ON r.id = e.run"
            f" WHERE p.first_run > ? ORDER BY r.as_of DESC, a.profile_id, a.score DESC, p.seq",
            (after_run,),
        ).fetchall()
        return [
            (
                r["profile_id"],
                dt.date.fromisoformat(r["as_of"]),
                stored_paper(r),
                Assignment(r["id"], r["profile_id"], r["score"], r["why"]),
            )
            for r in rows
        ]

    def edition_stats(self) -> list[EditionStat]:
        """Every edition counted in one pass (no paper read), newest first: what the public archive's index,
        profile pages and chart show, and how publish finds the editions whose pages must be written."""
        rows = self.db.execute(
            f"WITH {EDITION_RUNS} SELECT a.profile_id, r.as_of, COUNT(*), MAX(p.seq), SUM(a.score), MIN(p.first_run)"
            f" FROM assignments a JOIN papers p ON p.id = a.paper_id JOIN edition_runs e ON e.first_run = p.first_run"
            f" JOIN runs r ON r.id = e.run GROUP BY a.profile_id, r.as_of ORDER BY r.as_of DESC, a.profile_id"
        ).fetchall()
        return [EditionStat(r[0], dt.date.fromisoformat(r[1]), r[2], f"{r[2]}:{r[3]}:{r[4]:.6f}", r[5]) for r in rows]
