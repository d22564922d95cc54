"""The `presence` command line."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from presence.record.dataset import DatasetError, data_dir, load_dataset


def cmd_validate(args: argparse.Namespace) -> int:
    directory = args.data or data_dir()
    try:
        ds = load_dataset(directory)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 1
    from presence.record.checks import outliers, run_checks

    found = [p for problems in run_checks(ds).values() for p in problems]
    if found:
        print(DatasetError(found), file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(frame)} {name}" for name, frame in ds.tables.items())
    print(f"{directory}: valid ({counts})")
    if args.outliers:
        listed = outliers(ds).merge(ds.sources[["source_id", "outlet", "url"]], how="left")
        print(f"{len(listed)} mission total(s) far from both neighbours, for review "
              "(nothing is dropped):")
        for r in listed.itertuples():
            print(f"  troops.csv, line {r.line}: {r.mission_id} {r.as_of} {r.value:,} "
                  f"(before {r.before:,.0f}, after {r.after:,.0f}) · {r.outlet} · {r.url}")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from presence.record.coverage import report

    directory = Path(args.data or data_dir())
    try:
        ds = load_dataset(directory)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = report(ds)
    if args.stdout:
        print(text)
        return 0
    target = directory / "COVERAGE.md"
    tmp = target.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    print(f"wrote {target}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Exit status 0: every input read; 1: at least one input rejected (see the summary)."""
    from presence.desk.feed import DEFAULT_LIMITS, ingest, stderr_progress
    from presence.desk.store import Store

    limits = replace(DEFAULT_LIMITS, allow_private=args.allow_private_addresses,
                     request_seconds=args.timeout, items=args.max_items)
    with Store(args.store) as store:
        report = ingest(args.sources, store, limit=args.limit, progress=stderr_progress,
                        limits=limits)
        print(report.summary())
        print(f"store: {store.path} ({store.count('articles')} articles)", file=sys.stderr)
    return 1 if report.rejected else 0


def cmd_extract(args: argparse.Namespace) -> int:
    from presence.desk.extract import candidate_id, extract
    from presence.desk.store import Store, dumps

    if args.explain is not None:
        return _explain_files(args.explain, args.time_limit)
    if args.json is not None:
        status = 0
        for name in args.json:
            try:
                _, _, found, _ = _explain_file(name, args.time_limit)
            except _FileFailed as exc:
                print(exc, file=sys.stderr)
                status = 1
                continue
            for c in found:
                print(dumps(c.to_json(name)))
        return status
    with Store(args.store) as store:
        articles = list(store.articles(only_unextracted=not args.all))
        total, failed = 0, []
        for i, a in enumerate(articles, start=1):
            # One bad article is marked failed with its reason, so it neither stops this
            # run nor blocks every later one (issue 16's poison article).
            try:
                with _time_limit(args.time_limit):
                    found = extract(a.text, a.published, a.title)
                    rows = [{**c.to_json(a.id), "id": candidate_id(a.id, c)} for c in found]
                total += store.replace_candidates(a.id, rows)
            except Exception as exc:  # noqa: BLE001
                reason = _failure(exc)
                store.mark_extract_failed(a.id, reason)
                failed.append((a.id, reason))
            if i % 500 == 0:
                print(f"{i}/{len(articles)} articles, {total} candidates", file=sys.stderr)
        print(f"{len(articles) - len(failed)} articles extracted, {total} candidates "
              f"({store.count('candidates')} in the store)"
              + (f"; {len(failed)} failed (retried by `presence extract --all`)"
                 if failed else ""))
        for article_id, reason in failed:
            print(f"  failed: {article_id}: {reason}")
    return 1 if failed else 0


class ExtractTimeout(Exception):
    """An article took longer than the per-article time limit."""


@contextmanager
def _time_limit(seconds: float | None):
    """Interrupt the block after `seconds` (SIGALRM; main thread on Unix only, else no limit).

    The extractor is meant to be linear; this is the guard that keeps one
    pathological article from holding the whole run if it is not.
    """
    import signal
    import threading

    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(_signum, _frame):
        raise ExtractTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failure(exc: BaseException) -> str:
    text = str(exc).replace("\n", " ")[:300]
    return text if isinstance(exc, ExtractTimeout) else f"{type(exc).__name__}: {text}"


class _FileFailed(Exception):
    """One article file could not be read or extracted; the message names it and why."""


def _explain_file(name: str, time_limit: float | None):
    """(raw text, article, candidates, dropped numbers) of one raw article file, its headline
    read where it stands; a file that cannot be read or extracted raises _FileFailed."""
    from presence.desk.extract import explain
    from presence.desk.feed import InputError, parse_raw, read_file

    try:
        raw = read_file(Path(name)).decode("utf-8")
        article = parse_raw(raw, origin=name)
        with _time_limit(time_limit):
            at = raw.find(article.title) if article.title else -1
            found, dropped = explain(article.text, article.published, article.title,
                                     article.offset, title_offset=at if at >= 0 else None)
    except (UnicodeDecodeError, InputError) as exc:
        raise _FileFailed(f"{name}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - one file's failure, not the run's
        raise _FileFailed(f"{name}: extraction failed: {_failure(exc)}") from None
    return raw, article, found, dropped


def _explain_files(names: list[str], time_limit: float | None) -> int:
    """Every number the extractor saw in each file: what it proposed and why, what it
    dropped and for what reason. For a curator asking why a figure is (not) there."""
    status = 0
    for name in names:
        try:
            raw, article, found, dropped = _explain_file(name, time_limit)
        except _FileFailed as exc:
            print(exc, file=sys.stderr)
            status = 1
            continue
        print(f"== {name} ({article.published:%Y-%m-%d}, {article.outlet})")
        for c in found:
            where = f"line {raw.count(chr(10), 0, c.start) + 1}"
            who = c.contributor or c.mission or ""
            value = f"{c.value:,.0f} {c.unit}" if c.value is not None else c.kind
            print(f"  + {where}: {c.kind} {who} {c.as_of} {value} ({c.qualifier})")
            for reason in c.why:
                print(f"      - {reason}")
        for d in dropped:
            where = f"line {raw.count(chr(10), 0, d.start) + 1}"
            print(f"  . {where}: {d.text!r} not proposed: {d.reason}")
    return status


def cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from presence.desk.evaluate import evaluate, evaluate_corpus

    directory = Path(args.devset)
    if (directory / "gold.json").exists():
        result = evaluate_corpus(directory, split=args.split)
        if args.details:
            print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        else:
            print(result["table"])
        return 0
    result = evaluate(directory)
    print(json.dumps(result if args.details else result["scores"], indent=2,
                     ensure_ascii=False, default=str))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    import re

    from presence.desk.curate import DataBusy, Reviewer, ReviewError, compare, locked
    from presence.desk.store import REVIEW_WAIT_SECONDS, Store, StoreBusy, dumps

    def waiting(message: str) -> None:
        print(f"waiting: {message}", file=sys.stderr, flush=True)

    try:
        store = Store(args.store, wait=0)
    except StoreBusy as exc:  # another curator's action: queue behind it, and say so
        held = re.search(r"\(held by process \d+\)", str(exc))
        waiting(f"the store is busy{' ' + held.group(0) if held else ''}; waiting up to "
                f"{REVIEW_WAIT_SECONDS:.0f} s for it")
        store = Store(args.store, wait=REVIEW_WAIT_SECONDS)
    with store:
        reviewer = Reviewer(store, Path(args.data) if args.data else None, who=args.who,
                            on_wait=waiting)
        try:
            if args.review == "list":
                try:  # finish or undo a decision a stopped process left half done
                    with locked(reviewer.directory, wait=2):
                        reviewer.recover()
                except (DataBusy, OSError):
                    pass  # a curator is writing now (that action repairs it), or read-only
                for note in reviewer.recovered:
                    print(f"repaired: {note}", file=sys.stderr)
                ds = load_dataset(reviewer.directory)
                rows = store.candidates(status=None if args.status == "all" else args.status)
                for r in rows:
                    r["dataset"] = compare(r, ds)
                    if args.json:
                        print(dumps(r))
                    else:
                        print(f"{r['id']}  {r['status']:<9} {r['kind']:<18} {r['mission'] or '-':<12}"
                              f" {r['contributor'] or '-':<4} {r['as_of'] or '-':<10} "
                              f"{r['value'] if r['value'] is not None else '-':>14} "
                              f"{r['unit'] or '':<6} {r['qualifier']:<7} {r['dataset']}")
                failed = store.failed_articles()
                if failed:
                    print(f"{len(failed)} article(s) failed extraction (retried by "
                          "`presence extract --all`):", file=sys.stderr)
                    for f in failed:
                        print(f"  {f['id']}  {f['reason']}  ({f['title'][:60]})",
                              file=sys.stderr)
                return 0
            if args.review == "accept":
                changes = dict(kv.split("=", 1) for kv in args.set or [])
                out = reviewer.accept(args.id, changes, corroborates=args.corroborates)
                print(f"{out.action} {out.candidate_id}: added to {out.table}.csv "
                      f"(source {out.source_id})")
            else:
                out = reviewer.reject(args.id, args.reason)
                print(f"rejected {out.candidate_id}")
        except (ReviewError, DatasetError) as exc:
            for note in reviewer.recovered:
                print(f"repaired: {note}", file=sys.stderr)
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"error: {exc} (use --set FIELD=VALUE)", file=sys.stderr)
            return 1
        for note in reviewer.recovered:
            print(f"repaired: {note}", file=sys.stderr)
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from presence.app.auth import make_hash

    password = getpass.getpass("Curator password: ")
    if len(password) < 8:
        print("error: use at least 8 characters", file=sys.stderr)
        return 1
    print(make_hash(password))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="presence", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check data/*.csv against data/datapackage.json")
    validate.add_argument("--data", help="dataset folder (default: PRESENCE_DATA or data/)")
    validate.add_argument("--outliers", action="store_true",
                          help="also list mission totals far above or below both neighbours, "
                               "with their sources, for the curator to review")
    validate.set_defaults(func=cmd_validate)
    coverage = sub.add_parser("coverage", help="write data/COVERAGE.md: what is covered, gaps")
    coverage.add_argument("--data", help="dataset folder (default: PRESENCE_DATA or data/)")
    coverage.add_argument("--stdout", action="store_true", help="print instead of writing")
    coverage.set_defaults(func=cmd_coverage)
    ingest = sub.add_parser("ingest", help="store articles: raw text files or folders, "
                            "RSS/Atom feeds, HTML pages (files or URLs)")
    ingest.add_argument("sources", nargs="+", metavar="SOURCE")
    ingest.add_argument("--store", help="DuckDB file (default: PRESENCE_STORE or user data dir)")
    ingest.add_argument("--limit", type=int, default=200, help="HTTP requests per run")
    ingest.add_argument("--timeout", type=float, default=20,
                        help="seconds for one whole HTTP request (default 20)")
    ingest.add_argument("--max-items", type=int, default=500,
                        help="articles and feed items read per run (default 500); the rest "
                             "are read by the next run")
    ingest.add_argument("--allow-private-addresses", action="store_true",
                        help="also fetch from loopback and private network addresses "
                             "(an intranet feed, tests); refused by default")
    ingest.set_defaults(func=cmd_ingest)
    extract = sub.add_parser("extract", help="find candidate figures in stored articles")
    extract.add_argument("--json", nargs="+", metavar="FILE",
                         help="run on raw article files and print JSON lines; no store")
    extract.add_argument("--explain", nargs="+", metavar="FILE",
                         help="print, for raw article files, every candidate with the rules "
                              "behind it and every number seen but dropped, with the reason")
    extract.add_argument("--all", action="store_true", help="re-extract every article")
    extract.add_argument("--time-limit", type=float, default=120, metavar="SECONDS",
                         help="per article; one that takes longer is marked failed "
                              "(default 120)")
    extract.add_argument("--store", help="DuckDB file (default: PRESENCE_STORE or user data dir)")
    extract.set_defaults(func=cmd_extract)
    evaluate = sub.add_parser("evaluate", help="precision and recall on a labelled set: the "
                              "project's own (labels.json) or a real-text corpus (gold.json, "
                              "e.g. ../shared/corpus)")
    evaluate.add_argument("devset", nargs="?", default="tests/devset")
    evaluate.add_argument("--split", choices=("all", "dev", "heldout"), default="all",
                          help="for a corpus: score the development part, the held-out fifth "
                               "(tests/corpus_split.json) or all of it")
    evaluate.add_argument("--details", action="store_true", help="list misses and extras")
    evaluate.set_defaults(func=cmd_evaluate)
    review = sub.add_parser("review", help="review candidate figures: list, accept, reject")
    review.add_argument("--store", help="DuckDB file (default: PRESENCE_STORE or user data dir)")
    review.add_argument("--data", help="dataset folder (default: PRESENCE_DATA or data/)")
    review.add_argument("--as", dest="who", help="curator name for the audit log "
                        "(default: the login user)")
    actions = review.add_subparsers(dest="review", required=True)
    listing = actions.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--status", default="pending",
                         choices=["pending", "accepted", "rejected", "corroborated", "all"])
    accept = actions.add_parser("accept")
    accept.add_argument("id")
    accept.add_argument("--set", action="append", metavar="FIELD=VALUE",
                        help="correct a field: mission, contributor, host_country, as_of, "
                             "value, unit, qualifier, measure, url, note; events need "
                             "event_kind and title")
    accept.add_argument("--corroborates", metavar="ROW",
                        help="record as one more source on an existing figure")
    reject = actions.add_parser("reject")
    reject.add_argument("id")
    reject.add_argument("--reason", required=True)
    review.set_defaults(func=cmd_review)
    hashing = sub.add_parser("hash-password", help="print a curator password hash for "
                             "Streamlit secrets (curator_password_hash) or PRESENCE_CURATOR_HASH")
    hashing.set_defaults(func=cmd_hash_password)
    args = parser.parse_args(argv)
    from presence.desk.store import StoreBusy

    try:
        return args.func(args)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
