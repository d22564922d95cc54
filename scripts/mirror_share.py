"""Share of troop figures whose only source is a mirror, as JSON (issue 12's bar: at most 3%).

    python scripts/mirror_share.py [--data DIR]

Prints the count, the share, the figures per mirror source and how many of them say
"no original found" in their note. Exit status 1 when the share is above the bar, so the
number can be watched in CI without a timed or flaky test.
"""
from __future__ import annotations

import argparse
import json
import sys

from presence.record.checks import NO_ORIGINAL
from presence.record.dataset import load_dataset

# The bar: at most this share of troop figures may cite a mirror.
BAR = 0.03


def mirror_share(data: str) -> dict:
    ds = load_dataset(data)
    quality = ds.troops.source_id.map(ds.sources.set_index("source_id").quality)
    mirror = ds.troops[quality == "mirror"]
    noted = mirror.note.fillna("").str.lower().str.contains(NO_ORIGINAL, regex=False)
    return {"troop_figures": len(ds.troops), "mirror_figures": len(mirror),
            "share": round(len(mirror) / len(ds.troops), 4), "bar": BAR,
            "noted_no_original": int(noted.sum()),
            "by_source": mirror.source_id.value_counts().to_dict()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data")
    result = mirror_share(parser.parse_args().data)
    print(json.dumps(result, indent=1))
    return 0 if result["share"] <= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
