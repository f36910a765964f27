"""What the MkDocs hook does to the built site: tables a phone can scroll, search per language,
the dataset's JSON-LD, the links a search engine needs.

The hook (``palliativ_data/_mkdocs_hook.py``) calls these on each page's HTML and, once both
languages are built, on the site folder. Each is a plain function of text or of a folder, so
the tests call them directly too.

- :func:`scrollable_tables`: every table inside a region that scrolls sideways, reachable by
  keyboard (``tabindex="0"``) and named for screen readers (``role="region"`` and the
  heading above it), with a visible cue (``docs/*/assets/site.css``) — axe's
  ``scrollable-region-focusable``.
- :func:`split_search_index`: mkdocs-static-i18n merges both languages into one search index;
  this writes one index per language (``search/search_index.json`` Swedish,
  ``en/search/search_index.json`` English), and :func:`english_search_base` points the English
  pages' search at theirs. Each index has a ``numbers`` field holding every number the text
  writes with thousands separated by a space (``8 500``) as digits alone (``8500``), the way
  the source writes them, so that both are found.
- :func:`json_ld` and :func:`with_json_ld`: the schema.org ``Dataset`` of the release the site
  ships, in the page's head (home and downloads pages), its download URLs made to reach the
  files under ``downloads/files/``.
- :func:`clean_sitemap`: without a ``site_url`` (a publication fact not yet set) the sitemap
  lists no page, rather than ``None./``.
"""

from __future__ import annotations

import gzip
import html
import json
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SEARCH_INDEX = "search/search_index.json"
"""Where MkDocs' search plugin writes the index, under the site and under ``en/``."""

NUMBERS_FIELD = "numbers"
"""The search index field of numbers written with digits alone."""

TABLE_NAME = {"sv": "Tabell", "en": "Table"}

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d]|[.,]\d)")
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _text(fragment: str) -> str:
    """The text of an HTML fragment (a heading): tags and the permalink ``¶`` left out."""
    plain = html.unescape(_TAGS.sub("", _PERMALINK.sub("", fragment)))
    return " ".join(plain.split())


def scrollable_tables(content: str, lang: str, title: str) -> str:
    """Each ``<table>`` of a page's HTML inside a region that scrolls, focusable and named.

    The name is "Tabell: <the heading above it>" (the page's ``title`` when none), numbered
    when several tables share a heading.

    Examples:
        >>> scrollable_tables("<h2 id='a'>Brister</h2><table><tr></tr></table>", "sv", "T")
        '<h2 id=\\'a\\'>Brister</h2><div class="pd-table" role="region" tabindex="0" \
aria-label="Tabell: Brister"><table><tr></tr></table></div>'
    """
    parts: list[str] = []
    position = 0
    seen: dict[str, int] = {}
    for match in _TABLE.finditer(content):
        before = content[: match.start()]
        headings = _HEADING.findall(before)
        about = _text(headings[-1][1]) if headings else title
        seen[about] = seen.get(about, 0) + 1
        name = f"{TABLE_NAME.get(lang, TABLE_NAME['en'])}: {about}"
        if seen[about] > 1:
            name += f" ({seen[about]})"
        label = html.escape(name, quote=True)
        parts.append(content[position : match.start()])
        parts.append(
            f'<div class="pd-table" role="region" tabindex="0" aria-label="{label}">'
            f"{match.group(0)}</div>"
        )
        position = match.end()
    parts.append(content[position:])
    return "".join(parts)


# --------------------------------------------------------------------------- search


def numbers(text: str) -> list[str]:
    """The numbers ``text`` writes with thousands separated by a space, as digits alone.

    Examples:
        >>> numbers("8 500 personer, 1 000 000 kr, 7.694 121.3 s, år 2026")
        ['8500', '1000000']
    """
    return [re.sub(r"\D", "", found) for found in _GROUPED.findall(text)]


def _index(config: Mapping[str, Any], docs: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    fields = {**config.get("fields", {}), NUMBERS_FIELD: {"boost": 1.0}}
    for doc in docs:
        found = numbers(f"{doc.get('title', '')} {doc.get('text', '')}")
        if found:
            doc[NUMBERS_FIELD] = " ".join(dict.fromkeys(found))
    return {"config": {**config, "lang": [lang], "fields": fields}, "docs": docs}


def split_search_index(site_dir: str | Path, languages: Mapping[str, str]) -> dict[str, int]:
    """Split the merged search index into one per language; returns the entries of each.

    ``languages`` maps each language to its folder in the site (``{"sv": "", "en": "en/"}``):
    an entry whose location starts with a language's folder belongs to it (the longest
    folder that matches), and its location becomes relative to that folder.
    """
    site = Path(site_dir)
    merged = json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8"))
    folders = sorted(languages.items(), key=lambda item: len(item[1]), reverse=True)
    docs: dict[str, list[dict[str, Any]]] = {lang: [] for lang in languages}
    for doc in merged["docs"]:
        lang, folder = next((k, f) for k, f in folders if doc["location"].startswith(f))
        docs[lang].append({**doc, "location": doc["location"][len(folder) :]})
    for lang, folder in languages.items():
        target = site / folder / SEARCH_INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        index = _index(merged["config"], docs[lang], lang)
        target.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return {lang: len(entries) for lang, entries in docs.items()}


def english_search_base(output: str, folder: str) -> str:
    """A page's HTML with Material's ``base`` (where search finds its index, and how search
    results are linked) moved into the language's ``folder`` (``en/``)."""

    def moved(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        config["base"] = posixpath.join(config["base"], folder)
        return match.group(1) + json.dumps(config) + match.group(3)

    return _CONFIG.sub(moved, output, count=1)


# --------------------------------------------------------------------------- JSON-LD


def json_ld(document: Mapping[str, Any], files_url: str) -> dict[str, Any]:
    """The release's schema.org ``Dataset`` for a page: each relative ``contentUrl`` (a path in
    the release folder) under ``files_url``, where the site serves the release's files."""
    result = dict(document)
    result["distribution"] = [
        {**item, "contentUrl": files_url + item["contentUrl"]}
        if "contentUrl" in item and "://" not in item["contentUrl"]
        else item
        for item in document.get("distribution") or []
    ]
    return result


def with_json_ld(output: str, document: Mapping[str, Any]) -> str:
    """``output`` (a page's HTML) with ``document`` in a JSON-LD script at the end of its head.

    Examples:
        >>> with_json_ld("<head></head>", {"name": "</script>"})
        '<head><script type="application/ld+json">{"name": "<\\\\/script>"}</script>\\n</head>'
    """
    text = json.dumps(document, ensure_ascii=False).replace("</", "<\\/")
    script = f'<script type="application/ld+json">{text}</script>\n'
    return output.replace("</head>", script + "</head>", 1)


# --------------------------------------------------------------------------- sitemap

_EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def clean_sitemap(site_dir: str | Path, site_url: str | None) -> bool:
    """Without a ``site_url``, replace the sitemap (whose addresses would read ``None./…``)
    with one that lists no page; returns whether it did."""
    if site_url:
        return False
    site = Path(site_dir)
    (site / "sitemap.xml").write_text(_EMPTY_SITEMAP, encoding="utf-8")
    packed = gzip.compress(_EMPTY_SITEMAP.encode("utf-8"), mtime=0)
    (site / "sitemap.xml.gz").write_bytes(packed)
    return True
