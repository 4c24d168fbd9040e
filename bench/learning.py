"""Readers who vote, over real weeks, through the product: weekly `papercast run`, `papercast web`, signed links.

    .venv/bin/python bench/learning_papers.py        # once: the papers of the evaluation's blocks
    .venv/bin/python bench/learning.py               # the dev sets on the dev weeks (PLAN.md)
    .venv/bin/python bench/learning.py --lockbox     # newcomers on the lockbox weeks: once, after the freeze

One installation holds every profile of the chosen sets and, per profile, readers subscribed to it alone:

- `quiet`: never votes;
- `engaged-kK`: votes on every paper of the first K vote weeks' newsletters (picks and the "close to your
  interests" section), by the labels: "more like this" when the profile wants the paper, else "not for me";
- `sparse-kK-sS`: the same on a random 30 % of them; `noisy-kK-sS`: engaged, with 10 % of votes flipped;
- `tune12`, `tune24`: never vote in a newsletter; after the vote weeks they open their tune page (the link
  `papercast readers --tune-link` prints) and vote on its papers once (12), or twice (24: a fresh set).

Each week the week's daily Daily Papers files are dropped in the inbox and `papercast run --json --as-of
<the Monday after>` runs (a dry run, through Prefect); the simulated readers read their written newsletters
(HTML), take the signed vote links from them and POST them to the running `papercast web`. Nobody votes
in the test weeks. A reader's picks in the test weeks are scored against the gold labels: micro-F1 pooled
over the profiles of a set and over all sets, with a 95 % bootstrap interval over profiles; the reader
who stopped voting after K weeks gives the curve's point at K, the quiet reader the point at 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.learning_data import DEV_SETS, LOCKBOX_SETS, block_rows, set_labels, set_profiles  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
DAILY = PROJECT.parent / "shared" / "data" / "hf-daily"
PAPERCAST = Path(sys.executable).with_name("papercast")
KS = (1, 2, 4, 8)
SECRET = "learning-bench-secret-0123456789abcdef"
LINK = re.compile(r'href="([^"]*?(more-like-this|not-for-me)\?[^"]*)"')


@dataclass(frozen=True)
class Plan:
    sets: dict[str, str]
    vote_block: str
    test_block: str


@dataclass
class Reader:
    email: str
    profile: str
    kind: str          # quiet | engaged | sparse | noisy | tune
    weeks: int = 0     # vote weeks (engaged, sparse, noisy); tune: votes on the tune page
    seed: int = 0
    picks: dict[str, set[str]] = field(default_factory=dict)  # test week -> papers picked

    @property
    def group(self) -> str:
        if self.kind in ("quiet", "tune"):
            return self.kind + (str(self.weeks) if self.kind == "tune" else "")
        return f"{self.kind}-k{self.weeks}"


def readers_for(profile: str, seeds: int) -> list[Reader]:
    slug = profile.replace("_", "-")
    readers = [Reader(f"quiet.{slug}@learning.example", profile, "quiet")]
    for k in KS:
        readers.append(Reader(f"engaged-k{k}.{slug}@learning.example", profile, "engaged", k))
        readers += [Reader(f"{kind}-k{k}-s{s}.{slug}@learning.example", profile, kind, k, s)
                    for kind in ("sparse", "noisy") for s in range(seeds)]
    readers += [Reader(f"tune{n}.{slug}@learning.example", profile, "tune", n) for n in (12, 24)]
    return readers


def config_text(workdir: Path, profiles: list, readers: list[Reader], port: int) -> str:
    blocks = [f'[paths]\ninbox = "inbox"\narchive = "archive"\nstate = "state/papercast.sqlite"\n',
              f'[site]\nbase_url = "http://127.0.0.1:{port}/"\n', '[schedule]\ntimezone = "UTC"\n']
    for p in profiles:
        blocks.append("[[profiles]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in
                                                 p.model_dump(exclude_defaults=True).items()))
    for r in readers:
        blocks.append(f'[[readers]]\nemail = "{r.email}"\nprofiles = ["{r.profile}"]\nmax_papers = 50\n')
    return "\n".join(blocks)


def week_days(week: str) -> list[Path]:
    year, number = week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(number), 1)
    return [p for p in (DAILY / f"{monday + dt.timedelta(d)}.json" for d in range(7)) if p.exists()]


def monday_after(week: str) -> dt.date:
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1) + dt.timedelta(7)


class Installation:
    """A config, its inbox, a Prefect server and `papercast web`, in a folder of their own."""

    def __init__(self, workdir: Path, profiles: list, readers: list[Reader]):
        self.workdir, self.port = workdir, free_port()
        (workdir / "inbox").mkdir(parents=True, exist_ok=True)
        self.config = workdir / "papercast.toml"
        self.config.write_text(config_text(workdir, profiles, readers, self.port), encoding="utf-8")
        self.env = {**os.environ, "PAPERCAST_WEB_SECRET": SECRET, "PREFECT_HOME": str(workdir / "prefect")}
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        prefect_port = free_port()
        log = (self.workdir / "prefect.log").open("wb")
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(prefect_port)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT))
        self.env["PREFECT_API_URL"] = f"http://127.0.0.1:{prefect_port}/api"
        wait_for(f"{self.env['PREFECT_API_URL']}/health", 180)
        web_log = (self.workdir / "web.log").open("wb")
        self.processes.append(subprocess.Popen(
            [str(PAPERCAST), "web", "--config", str(self.config), "--port", str(self.port)],
            env=self.env, stdout=web_log, stderr=subprocess.STDOUT))
        wait_for(f"http://127.0.0.1:{self.port}/healthz", 60)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=30)

    def run_week(self, week: str) -> dict:
        for path in week_days(week):
            shutil.copy(path, self.workdir / "inbox" / path.name)
        done = subprocess.run([str(PAPERCAST), "run", "--config", str(self.config), "--json",
                               "--as-of", monday_after(week).isoformat()],
                              env=self.env, capture_output=True, text=True)
        if done.returncode not in (0, 3):
            raise SystemExit(f"papercast run for {week} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        return json.loads(done.stdout)

    def tune_links(self, email: str) -> list[str]:
        done = subprocess.run([str(PAPERCAST), "readers", "--config", str(self.config), "--tune-link", email],
                              env=self.env, capture_output=True, text=True, check=True)
        return re.findall(r"https?://\S+/tune\?\S+", done.stdout)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def vote_links(html: str, page: str = "") -> dict[str, dict[bool, str]]:
    """paper id -> {liked: absolute URL} from the signed vote links of a page (relative ones against `page`)."""
    found: dict[str, dict[bool, str]] = {}
    for url, action in LINK.findall(html):
        url = urllib.parse.urljoin(page, url.replace("&amp;", "&"))
        paper = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["p"][0]
        found.setdefault(paper, {})[action == "more-like-this"] = url
    return found


def post_vote(url: str) -> None:
    request = urllib.request.Request(url, data=b"confirm=yes", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code != 503:
                raise
            time.sleep(float(exc.headers.get("Retry-After", "1")))
    raise SystemExit(f"vote not recorded after 5 attempts: {url}")


class Bench:
    def __init__(self, plan: Plan, seeds: int, workdir: Path):
        self.plan = plan
        self.profiles = {name: set_profiles(name) for name in plan.sets}
        self.set_of = {p.id: name for name, ps in self.profiles.items() for p in ps}
        self.labels = {}
        for name in plan.sets:
            for block in (plan.vote_block, plan.test_block):
                for paper, wanted in set_labels(name, block).items():
                    self.labels.setdefault(paper, set()).update(wanted)
        self.readers = [r for ps in self.profiles.values() for p in ps for r in readers_for(p.id, seeds)]
        self.by_email = {r.email: r for r in self.readers}
        self.install = Installation(workdir, [p for ps in self.profiles.values() for p in ps], self.readers)
        self.rows = {block: block_rows(block) for block in (plan.vote_block, plan.test_block)}
        self.votes = 0
        self.seconds: dict[str, float] = {}

    def weeks(self, block: str) -> list[str]:
        return sorted({row.week for row in self.rows[block]})

    def wants(self, reader: Reader, paper: str) -> bool:
        """Whether the reader's profile wants the paper (papercast's id for an arXiv paper is `arxiv:<id>`)."""
        return reader.profile in self.labels.get(paper.removeprefix("arxiv:"), ())

    def run(self) -> None:
        self.install.start()
        try:
            for index, week in enumerate(self.weeks(self.plan.vote_block), start=1):
                report = self.timed(week, self.install.run_week, week)
                self.vote_on(report, index)
            self.visit_tune_pages()
            for week in self.weeks(self.plan.test_block):
                report = self.timed(week, self.install.run_week, week)
                for entry in report["newsletters"]:
                    self.by_email[entry["reader"]].picks[week] = {p.removeprefix("arxiv:") for p in entry["papers"]}
        finally:
            self.install.stop()

    def timed(self, label: str, fn, *args):
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.seconds[label] = time.perf_counter() - start
            print(f"  {label}: {self.seconds[label]:.1f} s, {self.votes} votes so far", file=sys.stderr, flush=True)

    def vote_on(self, report: dict, week: int) -> None:
        for entry in report["newsletters"]:
            reader = self.by_email[entry["reader"]]
            if reader.kind in ("quiet", "tune") or week > reader.weeks:
                continue
            links = vote_links(Path(entry["html"]).read_text(encoding="utf-8"))
            rng = np.random.default_rng([week, reader.seed, zlib.crc32(reader.email.encode())])
            for paper in [*entry["papers"], *entry.get("explore", [])]:
                self.cast(reader, paper, links, rng)

    def cast(self, reader: Reader, paper: str, links: dict[str, dict[bool, str]], rng) -> None:
        if reader.kind == "sparse" and rng.random() >= 0.3:
            return
        liked = self.wants(reader, paper)
        if reader.kind == "noisy" and rng.random() < 0.1:
            liked = not liked
        post_vote(links[paper][liked])
        self.votes += 1

    def visit_tune_pages(self) -> None:
        for reader in (r for r in self.readers if r.kind == "tune"):
            [url] = self.install.tune_links(reader.email)
            for _ in range(reader.weeks // 12):
                with urllib.request.urlopen(url, timeout=30) as response:
                    links = vote_links(response.read().decode("utf-8"), url)
                for paper in list(links)[:12]:
                    self.cast(reader, paper, links, None)

    def counts(self, reader: Reader) -> np.ndarray:
        """[tp, fp, fn] of the reader's picks over the test weeks."""
        test_papers = {row.id for row in self.rows[self.plan.test_block]}
        picked = set().union(*reader.picks.values()) if reader.picks else set()
        wanted = {p for p in test_papers if self.wants(reader, p)}
        return np.array([len(picked & wanted), len(picked - wanted), len(wanted - picked)])


def f1(c: np.ndarray) -> float:
    return 2 * c[0] / max(1, 2 * c[0] + c[1] + c[2])


def group_table(bench: Bench) -> dict[str, np.ndarray]:
    """group -> (profiles, 3) counts, summed over a group's readers of each profile (its seeds)."""
    profiles = sorted(bench.set_of)
    table: dict[str, np.ndarray] = {}
    for reader in bench.readers:
        table.setdefault(reader.group, np.zeros((len(profiles), 3), int))[profiles.index(reader.profile)] += \
            bench.counts(reader)
    return table


def interval(gains: np.ndarray, base: np.ndarray, rows: np.ndarray, draws: int = 2000) -> tuple[float, float]:
    """95 % bootstrap interval of F1(gains) - F1(base) over the profiles in `rows`."""
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(draws):
        pick = rng.choice(rows, len(rows))
        diffs.append(f1(gains[pick].sum(0)) - f1(base[pick].sum(0)))
    return float(np.percentile(diffs, 2.5)), float(np.percentile(diffs, 97.5))


def results(bench: Bench) -> dict:
    table, profiles = group_table(bench), sorted(bench.set_of)
    scopes = {**{name: np.array([i for i, p in enumerate(profiles) if bench.set_of[p] == name])
                 for name in bench.plan.sets}, "pooled": np.arange(len(profiles))}
    out: dict = {"groups": {}, "seconds": bench.seconds, "votes": bench.votes}
    for group, counts in table.items():
        out["groups"][group] = {scope: {"f1": f1(counts[rows].sum(0)),
                                        "gain": f1(counts[rows].sum(0)) - f1(table["quiet"][rows].sum(0)),
                                        "interval": interval(counts, table["quiet"], rows)}
                                for scope, rows in scopes.items()}
    return out


def curve_lines(found: dict, scopes: list[str]) -> list[str]:
    lines = []
    for scope in scopes:
        lines += [f"\n### {scope}\n", "| reader | k=0 | " + " | ".join(f"k={k}" for k in KS) + " |",
                  "|---|" + "---:|" * (len(KS) + 1)]
        quiet = found["groups"]["quiet"][scope]["f1"]
        for kind in ("engaged", "sparse", "noisy"):
            cells = [f"{quiet:.3f}"]
            for k in KS:
                g = found["groups"][f"{kind}-k{k}"][scope]
                cells.append(f"{g['f1']:.3f} ({g['gain']:+.3f} [{g['interval'][0]:+.3f}, {g['interval'][1]:+.3f}])")
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
        lines.append(f"| quiet | {quiet:.3f} | " + " | ".join(f"{quiet:.3f}" for _ in KS) + " |")
        for n in (12, 24):
            g = found["groups"][f"tune{n}"][scope]
            lines.append(f"| tune page, {n} votes | | | | | {g['f1']:.3f} ({g['gain']:+.3f} "
                         f"[{g['interval'][0]:+.3f}, {g['interval'][1]:+.3f}]) |")
    return lines


COLOURS = {"engaged": "#1f6feb", "sparse": "#2da44e", "noisy": "#bf8700", "quiet": "#6e7781"}


def curve_svg(found: dict, scope: str = "pooled", width: int = 560, height: int = 320) -> str:
    """The learning curve as a small SVG: micro-F1 after k vote weeks, one line per reader, intervals shaded."""
    left, right, top, bottom = 56, 120, 24, 44
    xs = {k: left + (width - left - right) * i / (len(KS)) for i, k in enumerate((0, *KS))}
    values = [g[scope]["f1"] for g in found["groups"].values()]
    low, high = max(0.0, min(values) - 0.1), min(1.0, max(values) + 0.1)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - low) / (high - low))

    quiet = found["groups"]["quiet"][scope]["f1"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="12" role="img" aria-label="micro-F1 after k weeks of votes">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    for tick in np.linspace(low, high, 5):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eaeef2"/>'
                     f'<text x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.2f}</text>')
    for k, x in xs.items():
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle">{k}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 8}" text-anchor="middle">'
                 f'weeks of votes</text><text x="14" y="{top - 8}">micro-F1 on held-out weeks</text>')
    labels: list[tuple[float, str, str]] = []
    for kind in ("engaged", "sparse", "noisy", "quiet"):
        points = [(xs[0], quiet, quiet, quiet)] + [
            (xs[k], g["f1"], quiet + g["interval"][0], quiet + g["interval"][1])
            for k in KS for g in [found["groups"]["quiet" if kind == "quiet" else f"{kind}-k{k}"][scope]]]
        if kind != "quiet":
            band = [f"{x:.1f},{y(hi):.1f}" for x, _, _, hi in points] + \
                   [f"{x:.1f},{y(lo):.1f}" for x, _, lo, _ in reversed(points)]
            parts.append(f'<polygon points="{" ".join(band)}" fill="{COLOURS[kind]}" fill-opacity="0.12"/>')
        line = " ".join(f"{x:.1f},{y(v):.1f}" for x, v, _, _ in points)
        dash = ' stroke-dasharray="5 4"' if kind == "quiet" else ""
        parts.append(f'<polyline points="{line}" fill="none" stroke="{COLOURS[kind]}" stroke-width="2.5"{dash}/>')
        labels.append((y(points[-1][1]) + 4, kind, f"{kind} {points[-1][1]:.2f}"))
    parts += end_labels(labels, width - right + 8)
    return "\n".join(parts + ["</svg>"]) + "\n"


def end_labels(labels: list[tuple[float, str, str]], x: float, gap: float = 15.0) -> list[str]:
    """Line labels at the right end, moved apart so none overlaps the one above it."""
    out, last = [], -1e9
    for at, kind, text in sorted(labels):
        at = max(at, last + gap)
        out.append(f'<text x="{x:.0f}" y="{at:.1f}" fill="{COLOURS[kind]}">{text}</text>')
        last = at
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lockbox", action="store_true", help="the lockbox set on the lockbox weeks (once, frozen)")
    parser.add_argument("--seeds", type=int, default=3, help="sparse and noisy readers per profile and K")
    parser.add_argument("--workdir", type=Path, help="keep the installation here (default: a temporary folder)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--svg", type=Path, help="draw the pooled learning curve as SVG here")
    args = parser.parse_args()
    plan = Plan(LOCKBOX_SETS, "lockbox-votes", "lockbox-test") if args.lockbox else \
        Plan(DEV_SETS, "dev-votes", "dev-test")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="papercast-learning-"))
    bench = Bench(plan, args.seeds, workdir)
    print(f"{len(bench.readers)} readers of {len(bench.set_of)} profiles in {workdir}", file=sys.stderr)
    started = time.perf_counter()
    bench.run()
    found = results(bench)
    found["wall_seconds"] = time.perf_counter() - started
    print(f"# Learning over weeks through the product ({'lockbox' if args.lockbox else 'dev'})")
    print(f"\n{len(bench.readers)} readers, {bench.votes} votes POSTed, {found['wall_seconds']:.0f} s. "
          "micro-F1 on the held-out test weeks (gain over quiet [95 % interval over profiles]).")
    print("\n".join(curve_lines(found, [*plan.sets, "pooled"])))
    if args.out:
        args.out.write_text(json.dumps(found, indent=2), encoding="utf-8")
    if args.svg:
        args.svg.write_text(curve_svg(found), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
