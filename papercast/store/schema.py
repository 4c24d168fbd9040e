"""The state's tables, in one place: the current schema, and the steps that bring older states to it.

A new state is created from SCHEMA. An older one (PRAGMA user_version) runs the pending
MIGRATIONS in one transaction; both roads end in the same shape (tests/test_migrations.py).

What each table holds, following a paper through a run:

- runs: one row per run: its as-of date and `kind`, `weekly` (the newsletter run) or `fetch` (a
  `papercast-fetch` run between weekly runs: ingest and classify, nothing planned or sent).
- digests: every input ingested, by content hash (dropping a file again is a no-op).
- papers: each paper once (stable id, normalized title key, arXiv id), with its first sighting;
  `seq` orders papers by when they were stored.
- fetch_state: per fetched source, the validators (ETag, Last-Modified) of the copy last ingested.
- fetch_days: per `hf-daily` source and day asked (`?date=YYYY-MM-DD`), how that day's list went:
  `fetched` (ingested), `empty` (no papers that day) or `failed` (asked again by the next run), with
  its number of entries, the reason of a failure and the run that asked last.
- paper_vectors: each paper's embedding per model, keyed by a hash of the text it came from.
- profile_progress: per profile, the last paper seq it was classified up to (papers with a
  higher seq still owe a classification: the next run does it first).
- assignments: (paper, profile) pairs whose score reached the threshold, with the reason.
- near_pairs: (paper, profile) pairs below the threshold but at least CANDIDATE_FLOOR (0.05), with
  their score and no reason: what a reader's votes can raise into their picks, and what the
  "close to your interests" section and the tune page choose from (papercast/newsletter/reader_picks.py).
- issues: one reader's newsletter: planned (papers chosen, nothing written) -> written (files in
  place, some channel still to deliver) -> done (delivered) or failed (no channel delivered it).
  `sections` holds the plan as JSON, so a planned issue is written the same way by any later run;
  `explore` its "close to your interests" papers (JSON, the same shape), which are not picks.
- channel_deliveries: per issue and channel (email, feed), how delivery went: pending -> sent, or
  written (a dry run: the message is in the outbox; the feed: the issue is in the reader's private
  feed, which the app builds from here), or failed; `ref` is the Message-ID, and
  `run_id` the run that last wrote or tried it (a run's report is read from here).
- deliveries: the papers each reader got, and reader_cursors: the last paper seq a reader's
  newsletters covered; both are written in the transaction that settles an issue as done.
- reader_subscriptions: readers who unsubscribed (or resubscribed) through the app's signed links
  or `papercast readers`, by lower-cased address: `status` (subscribed | unsubscribed), `since` (when
  it last changed) and `via` (one-click, page, cli). A reader without a row is subscribed. An issue
  of an unsubscribed reader that is still unfinished is withdrawn: status `withdrawn`, on the issue
  and on its pending channel deliveries; nothing is recorded as delivered.
- reader_votes: a reader's "more like this" (liked = 1) or "not for me" (liked = 0) on a paper, within
  the profile the paper was shown under, by lower-cased address, with when and how (`via`: page). One
  row per (reader, profile, paper): a second vote replaces the first. The plan stage and the tune page
  fit the reader's taste in that profile from them (papercast/relevance/taste.py).
- reader_tastes: the last taste model fitted per (reader, profile), kept with the fingerprint of the
  votes it was fitted on (a model whose votes changed is fitted again before use): its bias, its
  weights (float32 blob) and the voted papers with their coefficients (JSON), for reasons.

The indexes (version 10) keep each run's reads proportional to the week, not to the history: a run's and
the pending channel deliveries, the deliveries of a window's papers, papers by first sighting and by run.
"""

from __future__ import annotations

SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, started_at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'weekly');
CREATE TABLE digests (
    content_hash TEXT PRIMARY KEY, source TEXT NOT NULL, date TEXT NOT NULL,
    format TEXT NOT NULL, papers INTEGER NOT NULL, new INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs(id), ingested_at TEXT NOT NULL);
CREATE TABLE papers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    title_key TEXT NOT NULL UNIQUE, arxiv_id TEXT UNIQUE, title TEXT NOT NULL,
    abstract TEXT NOT NULL, authors TEXT NOT NULL DEFAULT '[]', link TEXT,
    categories TEXT NOT NULL DEFAULT '[]', first_seen TEXT NOT NULL,
    first_source TEXT NOT NULL, first_run INTEGER REFERENCES runs(id));
CREATE TABLE assignments (
    paper_id TEXT NOT NULL REFERENCES papers(id), profile_id TEXT NOT NULL,
    score REAL NOT NULL, why TEXT NOT NULL, PRIMARY KEY (paper_id, profile_id));
CREATE TABLE near_pairs (
    paper_id TEXT NOT NULL REFERENCES papers(id), profile_id TEXT NOT NULL,
    score REAL NOT NULL, PRIMARY KEY (paper_id, profile_id));
CREATE TABLE fetch_state (
    source TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT, last_modified TEXT,
    status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', checked_at TEXT NOT NULL);
CREATE TABLE fetch_days (
    source TEXT NOT NULL, day TEXT NOT NULL, status TEXT NOT NULL, entries INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '', run_id INTEGER REFERENCES runs(id), checked_at TEXT NOT NULL,
    PRIMARY KEY (source, day));
CREATE TABLE paper_vectors (
    paper_id TEXT NOT NULL, model TEXT NOT NULL, text_hash TEXT NOT NULL,
    vector BLOB NOT NULL, PRIMARY KEY (paper_id, model));
CREATE TABLE profile_progress (
    profile_id TEXT PRIMARY KEY, classified_to INTEGER NOT NULL);
CREATE TABLE issues (
    id TEXT PRIMARY KEY, reader TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
    date TEXT NOT NULL, status TEXT NOT NULL, subject TEXT, created_at TEXT NOT NULL,
    papers TEXT NOT NULL DEFAULT '[]', cursor INTEGER, sections TEXT, planned_at TEXT,
    settled_at TEXT, explore TEXT);
CREATE INDEX issues_reader_status ON issues (reader, status);
CREATE TABLE channel_deliveries (
    issue_id TEXT NOT NULL REFERENCES issues(id), channel TEXT NOT NULL, status TEXT NOT NULL,
    ref TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, updated_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id), PRIMARY KEY (issue_id, channel));
CREATE TABLE deliveries (
    reader TEXT NOT NULL, paper_id TEXT NOT NULL REFERENCES papers(id),
    issue_id TEXT NOT NULL REFERENCES issues(id), PRIMARY KEY (reader, paper_id));
CREATE TABLE reader_cursors (
    reader TEXT PRIMARY KEY, paper_seq INTEGER NOT NULL);
CREATE TABLE reader_subscriptions (
    reader TEXT PRIMARY KEY, status TEXT NOT NULL, since TEXT NOT NULL, via TEXT NOT NULL);
CREATE TABLE reader_votes (
    reader TEXT NOT NULL, profile_id TEXT NOT NULL, paper_id TEXT NOT NULL, liked INTEGER NOT NULL,
    voted_at TEXT NOT NULL, via TEXT NOT NULL, PRIMARY KEY (reader, profile_id, paper_id));
CREATE TABLE reader_tastes (
    reader TEXT NOT NULL, profile_id TEXT NOT NULL, fingerprint TEXT NOT NULL, bias REAL NOT NULL,
    weights BLOB NOT NULL, voted TEXT NOT NULL, fitted_at TEXT NOT NULL, PRIMARY KEY (reader, profile_id));
CREATE INDEX channel_deliveries_run ON channel_deliveries (run_id, channel);
CREATE INDEX channel_deliveries_status ON channel_deliveries (channel, status);
CREATE INDEX papers_first_seen ON papers (first_seen, seq);
CREATE INDEX papers_first_run ON papers (first_run, seq);
CREATE INDEX runs_kind ON runs (kind, id);
CREATE INDEX deliveries_paper ON deliveries (paper_id, reader);
"""

# Forward migrations from older states: version -> SQL statements, applied in order.
# 1 is the first release's schema as it was.
V1 = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, as_of TEXT NOT NULL, started_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS digests (
    content_hash TEXT PRIMARY KEY, source TEXT NOT NULL, date TEXT NOT NULL,
    format TEXT NOT NULL, papers INTEGER NOT NULL, new INTEGER NOT NULL,
    run_id INTEGER REFERENCES runs(id), ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS papers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    title_key TEXT NOT NULL UNIQUE, arxiv_id TEXT UNIQUE, title TEXT NOT NULL,
    abstract TEXT NOT NULL, authors TEXT NOT NULL DEFAULT '[]', link TEXT,
    categories TEXT NOT NULL DEFAULT '[]', first_seen TEXT NOT NULL,
    first_source TEXT NOT NULL, first_run INTEGER REFERENCES runs(id));
CREATE TABLE IF NOT EXISTS assignments (
    paper_id TEXT NOT NULL REFERENCES papers(id), profile_id TEXT NOT NULL,
    score REAL NOT NULL, why TEXT NOT NULL, PRIMARY KEY (paper_id, profile_id));
CREATE TABLE IF NOT EXISTS issues (
    id TEXT PRIMARY KEY, reader TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
    date TEXT NOT NULL, status TEXT NOT NULL, message_id TEXT NOT NULL,
    subject TEXT NOT NULL, html_path TEXT, text_path TEXT, eml_path TEXT,
    created_at TEXT NOT NULL, sent_at TEXT);
CREATE TABLE IF NOT EXISTS deliveries (
    reader TEXT NOT NULL, paper_id TEXT NOT NULL REFERENCES papers(id),
    issue_id TEXT NOT NULL REFERENCES issues(id), PRIMARY KEY (reader, paper_id));
CREATE TABLE IF NOT EXISTS reader_cursors (
    reader TEXT PRIMARY KEY, paper_seq INTEGER NOT NULL);
"""
V2_FETCH_STATE = """
CREATE TABLE IF NOT EXISTS fetch_state (
    source TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT, last_modified TEXT,
    status TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', checked_at TEXT NOT NULL);
"""
V3_LEDGER = """
ALTER TABLE issues ADD COLUMN papers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE issues ADD COLUMN cursor INTEGER;
ALTER TABLE issues ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN last_error TEXT;
CREATE INDEX IF NOT EXISTS issues_reader_status ON issues (reader, status);
"""
V4_VECTORS = """
CREATE TABLE IF NOT EXISTS paper_vectors (
    paper_id TEXT NOT NULL, model TEXT NOT NULL, text_hash TEXT NOT NULL,
    vector BLOB NOT NULL, PRIMARY KEY (paper_id, model));
"""
# 5, resumable stages: classification progress per profile; an issue is planned before it is
# written, and its delivery is recorded per channel (the email columns move out of `issues`).
V5_STAGES = """
CREATE TABLE profile_progress (
    profile_id TEXT PRIMARY KEY, classified_to INTEGER NOT NULL);
CREATE TABLE channel_deliveries (
    issue_id TEXT NOT NULL REFERENCES issues(id), channel TEXT NOT NULL, status TEXT NOT NULL,
    ref TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, updated_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id), PRIMARY KEY (issue_id, channel));
INSERT INTO channel_deliveries
    SELECT id, 'email', CASE status WHEN 'rendered' THEN 'pending' ELSE status END, message_id,
           attempts, last_error, COALESCE(sent_at, created_at), run_id FROM issues;
ALTER TABLE issues ADD COLUMN sections TEXT;
ALTER TABLE issues ADD COLUMN planned_at TEXT;
ALTER TABLE issues ADD COLUMN settled_at TEXT;
UPDATE issues SET settled_at = COALESCE(sent_at, created_at) WHERE status <> 'rendered';
UPDATE issues SET status = CASE status WHEN 'rendered' THEN 'written' WHEN 'failed' THEN 'failed' ELSE 'done' END;
DROP INDEX issues_reader_status;
CREATE TABLE issues_v5 (
    id TEXT PRIMARY KEY, reader TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
    date TEXT NOT NULL, status TEXT NOT NULL, subject TEXT, created_at TEXT NOT NULL,
    papers TEXT NOT NULL DEFAULT '[]', cursor INTEGER, sections TEXT, planned_at TEXT,
    settled_at TEXT);
INSERT INTO issues_v5 SELECT id, reader, run_id, date, status, subject, created_at, papers, cursor,
    sections, planned_at, settled_at FROM issues;
DROP TABLE issues;
ALTER TABLE issues_v5 RENAME TO issues;
CREATE INDEX issues_reader_status ON issues (reader, status);
"""
# 6, the reader's side: unsubscribes and resubscribes recorded by the app and `papercast readers`.
V6_READERS = """
CREATE TABLE reader_subscriptions (
    reader TEXT PRIMARY KEY, status TEXT NOT NULL, since TEXT NOT NULL, via TEXT NOT NULL);
"""
# 7, feedback: readers' votes on papers, per profile.
V7_VOTES = """
CREATE TABLE reader_votes (
    reader TEXT NOT NULL, profile_id TEXT NOT NULL, paper_id TEXT NOT NULL, liked INTEGER NOT NULL,
    voted_at TEXT NOT NULL, via TEXT NOT NULL, PRIMARY KEY (reader, profile_id, paper_id));
"""
# 8, a week holds its whole week: fetch runs between weekly runs, and the days asked of each hf-daily source.
V8_FETCHES = """
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'weekly';
CREATE TABLE fetch_days (
    source TEXT NOT NULL, day TEXT NOT NULL, status TEXT NOT NULL, entries INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '', run_id INTEGER REFERENCES runs(id), checked_at TEXT NOT NULL,
    PRIMARY KEY (source, day));
"""
# 9, picks that learn: the pairs just below the threshold, the explore section of an issue, readers' tastes.
V9_LEARNING = """
CREATE TABLE near_pairs (
    paper_id TEXT NOT NULL REFERENCES papers(id), profile_id TEXT NOT NULL,
    score REAL NOT NULL, PRIMARY KEY (paper_id, profile_id));
ALTER TABLE issues ADD COLUMN explore TEXT;
CREATE TABLE reader_tastes (
    reader TEXT NOT NULL, profile_id TEXT NOT NULL, fingerprint TEXT NOT NULL, bias REAL NOT NULL,
    weights BLOB NOT NULL, voted TEXT NOT NULL, fitted_at TEXT NOT NULL, PRIMARY KEY (reader, profile_id));
"""
# 10, cost that stays flat over weeks: the run's deliveries, the pending ones, papers by first sighting and by
# run, weekly runs by id, read through indexes instead of scans of tables that grow every week.
V10_INDEXES = """
CREATE INDEX channel_deliveries_run ON channel_deliveries (run_id, channel);
CREATE INDEX channel_deliveries_status ON channel_deliveries (channel, status);
CREATE INDEX papers_first_seen ON papers (first_seen, seq);
CREATE INDEX papers_first_run ON papers (first_run, seq);
CREATE INDEX runs_kind ON runs (kind, id);
CREATE INDEX deliveries_paper ON deliveries (paper_id, reader);
"""
MIGRATIONS: dict[int, str] = {
    1: V1,
    2: V2_FETCH_STATE,
    3: V3_LEDGER,
    4: V4_VECTORS,
    5: V5_STAGES,
    6: V6_READERS,
    7: V7_VOTES,
    8: V8_FETCHES,
    9: V9_LEARNING,
    10: V10_INDEXES,
}
SCHEMA_VERSION = max(MIGRATIONS)
