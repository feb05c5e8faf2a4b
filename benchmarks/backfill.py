"""A backfill through Airflow, end to end: ARTICLES articles from the local test site.

    PYTHONPATH=plugins python benchmarks/backfill.py [--articles 100000] [--no-peer]

What it sets up, all thrown away at the end: a warehouse database and an Airflow metadata
database next to the one NEWS_TEST_DB_URL / NEWS_DB_URL names (else in the embedded
Postgres), an AIRFLOW_HOME in a temporary folder, and the native stack
(`devtools.stack.up`) on the CeleryExecutor with two workers when a Redis answers at
AIRFLOW_CELERY_BROKER_URL (default redis://127.0.0.1:6379/0), else on the
LocalExecutor; the output says which. The test site runs in a child process and serves
ARTICLES copies of the fixture pages, listed in its news sitemaps with modification times
spread evenly from --start at --per-day articles a day (default 1,000: fewer, fuller
month windows than tass.com's 139), so discovery finds them as it finds real articles
in a backfill window.
Politeness is off through the settings variables (TASS_REQUEST_INTERVAL=0,
TASS_CONCURRENCY); the DAG's defaults are not touched.

The Airflow side is what `make backfill` does on a running stack: `newswire.backfill`
cuts the range into month windows and runs each as one Airflow backfill
(POST /api/v2/backfills), one after the other. The peer loads the same articles without
Airflow, in the same run: `newswire backfill --mode local` in a child process, into a
second warehouse database. Both warehouses must then hold exactly ARTICLES articles.

Figures:

* articles_per_s: ARTICLES over the wall time from the first backfill request to the
  last window's end (the stack's start-up is printed apart);
* airflow_overhead_share: the share of that wall time in which no newswire stage function
  ran in any task (NEWSWIRE_STAGE_TIMINGS: the library's stage functions record each
  call), i.e. 1 - |union of the stage calls' intervals| / wall: time Airflow spent
  queueing, starting task processes, parsing the DAG file and between tasks, while the
  run waited. Also printed: 1 - (sum of the stage calls' seconds) / (wall x worker slots),
  the brief's formula with every slot counted, which also charges slots the DAG's shape
  leaves idle;
* peak_worker_rss_mb: the largest resident set, summed over a worker's process tree
  (the Celery worker, its pool processes, the task processes and what they start),
  sampled from /proc every second; PSS (shared pages split between the processes that
  share them) is printed beside it, since forked processes share most of their pages.
  On the LocalExecutor the scheduler's tree is the worker.

The last line printed is JSON: articles, articles_per_s, airflow_overhead_share,
peak_worker_rss_mb, plus executor, workers, worker_slots, windows, wall_s,
slot_overhead_share, peak_worker_pss_mb, stage_seconds, peer_articles_per_s,
peer_peak_rss_mb, stack_start_s, load_average.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
import psycopg
from newswire import backfill
from newswire.migrate import apply_migrations
from newswire.models import Window
from newswire.sources import TASS_COM
from newswire.timing import StageTiming, read_timings
from seeding import admin_url

from devtools import stack, stack_ops
from devtools.scratch import scratch_database

ROOT = Path(__file__).resolve().parents[1]
FIRST_ID = 5_000_000
# Articles a day in the sitemaps: about tass.ru's assumed volume (tass.com's median is 139),
# so 100,000 articles are four month windows; at 139 they would be 24, each paying the
# same fixed Airflow cost (about ten tasks in a row) for a sixth of the articles.
PER_DAY = 1000
SITEMAP_SIZE = 10_000  # urls per news sitemap, as large as tass.com's own files
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
RUN_TIMEOUT_S = 4 * 3600.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --------------------------------------------------------------------------- the site


def _serve(conn: Connection, count: int, start: datetime, end: datetime) -> None:
    import logging

    from devtools.testsite.server import TassTestSite

    logging.disable(logging.INFO)
    site = TassTestSite(sitemap_size=SITEMAP_SIZE).start()
    site.serve_copies(count, FIRST_ID, listed_between=(start, end))
    conn.send(site.base_url)
    conn.recv()  # until told to stop
    site.stop()


@contextlib.contextmanager
def site_process(count: int, start: datetime, end: datetime) -> Iterator[str]:
    """The test site in a child process (a core of its own, not this one's GIL)."""
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.Process(target=_serve, args=(theirs, count, start, end))
    process.start()
    try:
        yield ours.recv()
    finally:
        ours.send("stop")
        process.join(timeout=10)


# ------------------------------------------------------------------------ memory


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(root: int, kids: dict[int, list[int]]) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(kids.get(pid, []))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) once it is gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    values = {}
    for line in rollup.splitlines()[1:]:
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            values[key] = int(rest.split()[0])
    return values.get("Rss", 0), values.get("Pss", 0)


@dataclass
class TreeSampler:
    """Peak RSS and PSS of each named process tree, sampled every `interval` seconds."""

    roots: dict[str, int]
    interval: float = 1.0
    peak_rss_kb: dict[str, int] = field(default_factory=dict)
    peak_pss_kb: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        kids = _children()
        for name, root in self.roots.items():
            sizes = [_memory_kb(pid) for pid in _tree(root, kids)]
            rss, pss = sum(s[0] for s in sizes), sum(s[1] for s in sizes)
            self.peak_rss_kb[name] = max(self.peak_rss_kb.get(name, 0), rss)
            self.peak_pss_kb[name] = max(self.peak_pss_kb.get(name, 0), pss)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> TreeSampler:
        self.sample()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()


# ------------------------------------------------------------------------ overhead


def busy_seconds(timings: Iterable[StageTiming]) -> float:
    """The length of the union of the stage calls' intervals: when any stage ran."""
    spans = sorted((t.start, t.start + t.seconds) for t in timings)
    total, end = 0.0, float("-inf")
    for a, b in spans:
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def peak_overlap(timings: Iterable[StageTiming]) -> int:
    """The most stage calls that ran at the same moment."""
    events = sorted(
        [(t.start, 1) for t in timings] + [(t.start + t.seconds, -1) for t in timings],
        key=lambda e: (e[0], e[1]),
    )
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


def warehouse_articles(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM articles WHERE source = %s AND external_id >= %s",
            (TASS_COM.name, FIRST_ID),
        ).fetchone()
    return int(row[0]) if row else 0


# ------------------------------------------------------------------------ the stack


@dataclass
class Bench:
    """What one benchmark run was given."""

    articles: int
    window: Window
    base_url: str
    warehouse: str
    metadata_url: str
    home: Path
    worker_concurrency: int
    batch_size: int
    concurrency: int
    broker_url: str

    @property
    def timings_file(self) -> Path:
        return self.home / "stage_timings.jsonl"

    def politeness_off(self) -> dict[str, str]:
        """The settings a run against the local site takes instead of the polite defaults."""
        return {
            "TASS_BASE_URL": self.base_url,
            "TASS_REQUEST_INTERVAL": "0",
            "TASS_CONCURRENCY": str(self.concurrency),
            "TASS_RETRY_BACKOFF": "0.05",
        }

    def stack_config(self) -> stack.StackConfig:
        return stack.StackConfig(
            airflow_home=self.home / "airflow",
            api_port=0,
            admin_password="bench-" + uuid.uuid4().hex[:8],
            metadata_db_url=self.metadata_url,
            broker_url=self.broker_url,
            worker_concurrency=self.worker_concurrency,
            extra_env={
                **self.politeness_off(),
                "NEWS_DB_URL": self.warehouse,
                "AIRFLOW_CONN_NEWS_DB": "",
                "NEWSWIRE_STAGE_TIMINGS": str(self.timings_file),
                "NEWSWIRE_FETCH_BATCH_SIZE": str(self.batch_size),
                "NEWSWIRE_TASK_RETRIES": "0",
                "NEWSWIRE_DEADLINE_HOURS": "0",
                "NEWSWIRE_DQ_MIN_DISCOVERED": "0",
                # Our own queue: other stacks on the same Redis never take our tasks.
                "AIRFLOW__OPERATORS__DEFAULT_QUEUE": f"newswire-bench-{uuid.uuid4().hex[:8]}",
            },
        )


def start_stack(config: stack.StackConfig) -> tuple[stack.StackState, dict[str, int]]:
    """Up, plus a second Celery worker on Celery; returns the state and the worker roots
    (the processes whose trees run tasks). Anything half-started is stopped on failure."""
    state = stack.up(config)
    try:
        return state, _worker_roots(config, state)
    except BaseException:
        stack.down(config)
        raise


def _worker_roots(config: stack.StackConfig, state: stack.StackState) -> dict[str, int]:
    if state.executor != "CeleryExecutor":
        return {"scheduler (LocalExecutor)": state.pids["scheduler"]}
    roots = {"worker 1": state.pids["worker"]}
    log_path = config.state_dir / "worker-bench2.log"
    process, name, queue = stack.start_extra_worker(config, state, "bench2", log_path=log_path)
    roots["worker 2"] = process.pid
    env = stack.airflow_env(config, state.executor, config.metadata_db_url or "")
    deadline = time.monotonic() + stack.WORKER_READY_TIMEOUT_SECONDS
    while queue not in stack.celery_workers(env, config.state_dir / "setup.log").get(name, []):
        if process.poll() is not None or time.monotonic() > deadline:
            raise stack.StackError(f"the second worker {name} did not join {queue!r}")
        time.sleep(1.0)
    return roots


def ready_api(state: stack.StackState, config: stack.StackConfig) -> str:
    """Signed in, the DAG parsed and unpaused, and the run unpausing starts finished."""
    with httpx.Client(timeout=30) as client:
        token = stack_ops.sign_in(client, state.base_url, config.admin_user, config.admin_password)
        stack_ops.wait_for_dags(client, state.base_url, token, [TASS_COM.dag_id], attempts=180)
        stack_ops.unpause(client, state.base_url, token, [TASS_COM.dag_id])
        stop_nightly_run(client, f"{state.base_url}/api/v2/dags/{TASS_COM.dag_id}", token)
        return token


def stop_nightly_run(client: httpx.Client, dag_url: str, token: str, wait_s: float = 60) -> None:
    """Unpausing makes the scheduler start the last nightly window at once: mark that run
    failed as soon as it shows up (within `wait_s`), so it never shares the workers with
    the backfill being measured."""
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        runs = client.get(f"{dag_url}/dagRuns", headers=headers).json().get("dag_runs", [])
        if runs:
            for run in runs:
                if run["state"] in ("queued", "running"):
                    client.patch(
                        f"{dag_url}/dagRuns/{run['dag_run_id']}",
                        headers=headers,
                        json={"state": "failed"},
                    ).raise_for_status()
            return
        time.sleep(1.0)


# ------------------------------------------------------------------------ the runs


@dataclass
class Outcome:
    """What one side of the comparison did: seconds, articles stored, memory peaks."""

    seconds: float
    stored: int
    peak_rss_kb: dict[str, int]
    peak_pss_kb: dict[str, int]
    windows: int = 0


def run_through_airflow(bench: Bench, config: stack.StackConfig) -> tuple[Outcome, dict]:
    """The stack up, then `make backfill`'s runner over the window; the stack down."""
    t0 = time.monotonic()
    state, roots = start_stack(config)
    try:
        token = ready_api(state, config)
        started = time.time()
        stack_up_s = time.monotonic() - t0
        print(
            f"stack up in {stack_up_s:.0f} s: {state.executor} ({state.executor_reason}),"
            f" {len(roots)} worker(s) x {config.worker_concurrency} slots;"
            f" load average {load_average()}",
            flush=True,
        )
        runner = backfill.AirflowBackfillRunner(
            bench.warehouse, TASS_COM, state.base_url, token, poll_seconds=1.0,
            timeout_seconds=RUN_TIMEOUT_S,
        )  # fmt: skip
        settings = TASS_COM.settings({**os.environ, **bench.politeness_off()})
        with TreeSampler(roots) as sampler:
            t1 = time.monotonic()
            report = backfill.run_backfill(
                TASS_COM, settings, bench.warehouse, bench.window, runner,
                say=lambda line: print(
                    f"  airflow {time.monotonic() - t1:6.0f} s | {line}", flush=True
                ),
            )  # fmt: skip
            seconds = time.monotonic() - t1
        if report.failed is not None:
            raise SystemExit(f"the Airflow backfill failed: {report.message}")
    finally:
        stack.down(config)
    timings = [t for t in read_timings(bench.timings_file) if t.start >= started]
    extra = {
        # Ctrl-C: the figures cover what was stored until then (windows done and any part
        # of the current window already loaded).
        "interrupted": report.interrupted,
        "executor": state.executor,
        "workers": len(roots),
        "stack_start_s": round(stack_up_s, 1),
        "timings": timings,
    }
    outcome = Outcome(
        seconds, warehouse_articles(bench.warehouse), sampler.peak_rss_kb,
        sampler.peak_pss_kb, len(report.windows),
    )  # fmt: skip
    return outcome, extra


def run_without_airflow(bench: Bench, peer_db: str) -> Outcome:
    """The same window through `newswire backfill --mode local` in a child process."""
    env = {
        **os.environ,
        **bench.politeness_off(),
        "NEWS_DB_URL": peer_db,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    env.pop("NEWSWIRE_STAGE_TIMINGS", None)
    command = [
        sys.executable, "-m", "newswire.cli", "backfill", "--source", TASS_COM.name,
        "--since", bench.window.start.isoformat(), "--until", bench.window.end.isoformat(),
        "--mode", "local",
    ]  # fmt: skip
    t0 = time.monotonic()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    with TreeSampler({"peer": process.pid}) as sampler:
        assert process.stdout is not None
        for line in process.stdout:
            if line.lstrip().startswith(("[", "backfill", "to do")):
                print(f"  local   {time.monotonic() - t0:6.0f} s | {line.rstrip()}", flush=True)
        code = process.wait()
    seconds = time.monotonic() - t0
    if code != 0:
        raise SystemExit(f"the local backfill exited with {code}")
    return Outcome(seconds, warehouse_articles(peer_db), sampler.peak_rss_kb, sampler.peak_pss_kb)


def window_for(articles: int, start: datetime, per_day: float) -> Window:
    """From `start` to the day after the last article: where the sitemaps put them."""
    days = max(1, -(-articles // max(1, round(per_day))))
    return Window(start, start + timedelta(days=days))


def figures(bench: Bench, airflow: Outcome, extra: dict, peer: Outcome | None) -> dict:
    timings: list[StageTiming] = extra.pop("timings")
    wall = airflow.seconds
    slots = extra["workers"] * bench.worker_concurrency
    by_stage: dict[str, float] = {}
    for t in timings:
        by_stage[t.stage] = by_stage.get(t.stage, 0.0) + t.seconds
    total = sum(by_stage.values())
    mb = 1024.0
    return {
        "articles": airflow.stored,
        "articles_per_s": round(airflow.stored / wall, 1),
        "airflow_overhead_share": round(1 - busy_seconds(timings) / wall, 3),
        "peak_worker_rss_mb": round(max(airflow.peak_rss_kb.values()) / mb, 1),
        **extra,
        "worker_slots": slots,
        "windows": airflow.windows,
        "wall_s": round(wall, 1),
        "slot_overhead_share": round(1 - total / (wall * slots), 3),
        "peak_stage_calls_at_once": peak_overlap(timings),
        "peak_worker_pss_mb": round(max(airflow.peak_pss_kb.values()) / mb, 1),
        "stage_seconds": {k: round(v, 1) for k, v in sorted(by_stage.items())},
        "peer_articles_per_s": round(peer.stored / peer.seconds, 1) if peer else None,
        "peer_peak_rss_mb": round(peer.peak_rss_kb["peer"] / mb, 1) if peer else None,
        "load_average": load_average(),
    }


def print_side_by_side(result: dict, airflow: Outcome, peer: Outcome | None) -> None:
    print(f"{'':34}{'through Airflow':>18}{'without Airflow':>18}")
    rows = [
        ("articles stored", f"{airflow.stored:,}", f"{peer.stored:,}" if peer else "-"),
        ("wall time, s", f"{airflow.seconds:,.0f}", f"{peer.seconds:,.0f}" if peer else "-"),
        ("articles/s end to end", f"{result['articles_per_s']:,.1f}",
         f"{result['peer_articles_per_s']:,.1f}" if peer else "-"),
        ("peak RSS per process tree, MB", f"{result['peak_worker_rss_mb']:,.0f}",
         f"{result['peer_peak_rss_mb']:,.0f}" if peer else "-"),
    ]  # fmt: skip
    for label, ours, theirs in rows:
        print(f"{label:34}{ours:>18}{theirs:>18}")
    for name in sorted(airflow.peak_rss_kb):
        print(
            f"  {name}: peak RSS {airflow.peak_rss_kb[name] / 1024:,.0f} MB,"
            f" PSS {airflow.peak_pss_kb[name] / 1024:,.0f} MB"
        )
    print(
        f"Airflow overhead: {result['airflow_overhead_share']:.1%} of the wall time no stage"
        f" function ran; {result['slot_overhead_share']:.1%} of {result['worker_slots']}"
        f" slots x wall held no stage call (at most {result['peak_stage_calls_at_once']}"
        f" at once); stage seconds {result['stage_seconds']}"
    )
    print(f"load average {result['load_average']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--per-day",
        type=float,
        default=PER_DAY,
        help="articles a day in the sitemaps (tass.com's median: 139)",
    )
    parser.add_argument("--start", default="2025-01-01", help="first day of the window (UTC)")
    parser.add_argument(
        "--worker-concurrency", type=int, default=2, help="task slots per Celery worker"
    )
    parser.add_argument(
        "--batch-size", type=int, default=2500, help="NEWSWIRE_FETCH_BATCH_SIZE for the run"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=8,
        help="TASS_CONCURRENCY: simultaneous requests per fetch task",
    )
    parser.add_argument("--no-peer", action="store_true", help="skip the run without Airflow")
    args = parser.parse_args(argv)  # fmt: skip
    start = datetime.fromisoformat(args.start).replace(tzinfo=UTC)
    window = window_for(args.articles, start, args.per_day)
    broker = os.environ.get("AIRFLOW_CELERY_BROKER_URL") or DEFAULT_BROKER
    admin = admin_url()
    print(
        f"backfill benchmark: {args.articles:,} articles over {window}"
        f" ({args.per_day:g} a day); load average {load_average()}",
        flush=True,
    )
    with contextlib.ExitStack() as scope:
        home = Path(scope.enter_context(tempfile.TemporaryDirectory(prefix="newswire-bfb-")))
        warehouse = scope.enter_context(scratch_database(admin, "newswire_bfb"))
        metadata = scope.enter_context(scratch_database(admin, "airflow_bfb"))
        base_url = scope.enter_context(site_process(args.articles, window.start, window.end))
        apply_migrations(warehouse)
        info = psycopg.conninfo.conninfo_to_dict(metadata)
        bench = Bench(
            args.articles, window, base_url, warehouse, stack.sqlalchemy_url(info), home,
            args.worker_concurrency, args.batch_size, args.concurrency, broker,
        )  # fmt: skip
        airflow, extra = run_through_airflow(bench, bench.stack_config())
        peer = None
        if not args.no_peer and not extra["interrupted"]:
            peer_db = scope.enter_context(scratch_database(admin, "newswire_bfb_peer"))
            apply_migrations(peer_db)
            peer = run_without_airflow(bench, peer_db)
        result = figures(bench, airflow, extra, peer)
        print_side_by_side(result, airflow, peer)
    if extra["interrupted"]:
        print(f"interrupted: {airflow.stored:,} of {args.articles:,} articles stored by then")
        print(json.dumps(result))
        return 1
    for side, outcome in (("through Airflow", airflow), ("without Airflow", peer)):
        if outcome is not None and outcome.stored != args.articles:
            print(f"error: {side} stored {outcome.stored} of {args.articles} articles")
            print(json.dumps(result))
            return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
