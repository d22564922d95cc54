"""presence: the security-presence dashboard for the Western Balkans, as two programs over
one record.

- `record/`  the published dataset (data/): its data package, loading and validation,
             consistency checks, coverage. Read by both programs.
- `view/`    the dashboard's pure parts (no Streamlit): URL filters, queries and the best
             estimate, charts, maps, exports, normalised budgets.
- `app/`     the only Streamlit code outside pages/, one module per concern: data (cached
             record and views), state (filters and URL), shell, widgets, links, login.
- `desk/`    the curator's desk: feed, store, extractor (desk/extract/), review into the
             record, the extractor's evaluation.
- `cli.py`   the command line of both: validate, coverage, ingest, extract, review, evaluate.

The public dashboard is dashboard.py and pages/ over record/, view/ and app/; the desk
writes data/ only through desk/curate.py.
"""
