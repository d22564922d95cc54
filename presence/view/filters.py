"""The shared filter state and its URL form.

A link an analyst sends must reopen the same view, so the state lives in the
query string as `mission`, `host`, `contributor`, `from`, `to` (codes as in
data/, several values comma-separated). Parsing is forgiving: an unknown code
or a bad date is dropped and reported, never a crash.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Filters:
    missions: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    dropped: tuple[str, ...] = field(default=(), compare=False)

    def to_query(self) -> dict[str, str]:
        """Only what is set, so a plain link stays plain."""
        out = {}
        if self.missions:
            out["mission"] = ",".join(self.missions)
        if self.hosts:
            out["host"] = ",".join(self.hosts)
        if self.contributors:
            out["contributor"] = ",".join(self.contributors)
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        return out

    @property
    def countries(self) -> tuple[str, ...]:
        """Host and contributor selections together: 'a country' to a budget view."""
        return tuple(dict.fromkeys(self.hosts + self.contributors))

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """One line for an exported chart: what was filtered."""
        names = names or {}
        parts = []
        if self.missions:
            parts.append("mission: " + ", ".join(self.missions))
        if self.hosts:
            parts.append("host: " + ", ".join(names.get(c, c) for c in self.hosts))
        if self.contributors:
            parts.append("contributor: " + ", ".join(names.get(c, c) for c in self.contributors))
        if self.start or self.end:
            parts.append(f"dates: {self.start or '…'} to {self.end or '…'}")
        return "; ".join(parts) if parts else "no filters (all missions, countries and dates)"


def _codes(text: str | None, known: set[str] | None, label: str,
           dropped: list[str]) -> tuple[str, ...]:
    if not text:
        return ()
    out = []
    for code in (c.strip().upper() for c in text.split(",")):
        if not code:
            continue
        if known is not None and code not in known:
            dropped.append(f"{label}={code} (unknown code)")
        elif code not in out:
            out.append(code)
    return tuple(out)


def _date(text: str | None, label: str, dropped: list[str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        dropped.append(f"{label}={text} (not a YYYY-MM-DD date)")
        return None


def from_query(params: Mapping[str, str | list[str]], *, missions: set[str] | None = None,
               countries: set[str] | None = None) -> Filters:
    def one(key):
        value = params.get(key)
        if isinstance(value, list):
            value = ",".join(value)
        return value

    dropped: list[str] = []
    start = _date(one("from"), "from", dropped)
    end = _date(one("to"), "to", dropped)
    if start and end and start > end:
        dropped.append(f"from={start} is after to={end}; the two were swapped")
        start, end = end, start
    return Filters(
        missions=_codes(one("mission"), missions, "mission", dropped),
        hosts=_codes(one("host"), countries, "host", dropped),
        contributors=_codes(one("contributor"), countries, "contributor", dropped),
        start=start, end=end, dropped=tuple(dropped),
    )


@dataclass(frozen=True)
class PageOption:
    """One of a page's own URL keys: the widget it seeds, the values it may take (as
    written in the URL), and the default, which the URL leaves out."""
    widget: str
    allowed: tuple[str, ...]
    default: str


def read_page_options(query: Mapping[str, str], options: Mapping[str, PageOption],
                      ) -> tuple[dict[str, str], list[str]]:
    """The options a link asks for (a missing key gives the default) and the parts it
    ignored: a value the page does not know is named, never applied."""
    values, ignored = {}, []
    for param, option in options.items():
        wanted = query.get(param, option.default)
        if wanted not in option.allowed:
            ignored.append(f"{param}={wanted}")
            wanted = option.default
        values[param] = wanted
    return values, ignored


def page_options_query(options: Mapping[str, PageOption], values: Mapping[str, str],
                       ) -> dict[str, str]:
    """The URL form of a page's options: only those not at their default."""
    return {param: values[param] for param, option in options.items()
            if values[param] != option.default}
