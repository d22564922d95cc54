"""The `presence` command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dataset import DatasetError, data_dir, load_dataset


def cmd_validate(args: argparse.Namespace) -> int:
    directory = args.data or data_dir()
    try:
        ds = load_dataset(directory)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(frame)} {name}" for name, frame in ds.tables.items())
    print(f"{directory}: valid ({counts})")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from .coverage import report

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="presence", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check data/*.csv against data/schema.json")
    validate.add_argument("--data", help="dataset folder (default: PRESENCE_DATA or data/)")
    validate.set_defaults(func=cmd_validate)
    coverage = sub.add_parser("coverage", help="write data/COVERAGE.md: what is covered, gaps")
    coverage.add_argument("--data", help="dataset folder (default: PRESENCE_DATA or data/)")
    coverage.add_argument("--stdout", action="store_true", help="print instead of writing")
    coverage.set_defaults(func=cmd_coverage)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
