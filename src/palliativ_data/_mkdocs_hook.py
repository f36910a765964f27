"""MkDocs hook (``hooks:`` in ``mkdocs.yml``): generate the pages, then ship the release.

It sits outside the site generators (``_site``) because it joins them to the CLI: the CLI
reference page needs the parser of ``palliativ-data``, which this hook passes in, so that
``_site`` never imports ``_cli`` (whose ``site`` command imports ``_site``). What it does to
the built pages is in ``_site/_built.py``.

- ``on_config``: list the pages written per item (regions, functions, the data dictionary's
  tables) in the navigation, under their index page (from the data, not by hand); take
  ``site_url`` (the ``homepage``) and the repository's link (in the footer) from the
  publication facts, each left out while the fact is not set.
- ``on_pre_build``: build the release into a temporary folder and write the generated pages
  (only files whose text changed are touched), from the bundled package or the one
  ``PALLIATIV_DATA_SITE_PACKAGE`` names (``_site.PACKAGE_ENV``).
- ``on_page_content``: every table in a region that scrolls sideways, focusable and named.
- ``on_post_page``: drop the ``<link rel="alternate" hreflang>`` tags static-i18n puts in each
  page's head. Material's script fetches ``<alternate>/sitemap.xml`` for each of them, which
  is a 404 for every page but the home page (a console error in every browser); the language
  switch itself is the ``<a hreflang>`` menu, which stays, and search engines find the
  alternates in ``sitemap.xml`` (which needs ``site_url``). Give Material's search dialog an
  accessible name; point the English pages' search at the English index; put the dataset's
  schema.org JSON-LD in the head of the home and downloads pages.
- ``on_post_template``: word the 404 page (Material's says "404 - Not found" in every
  language) in the build's language, and name its search dialog.
- ``on_post_build`` (after static-i18n has built every language): put the default language's
  404 page back at the root (each language's build writes ``404.html`` there, the last one
  wins); copy the release into ``downloads/files/`` of the built site, split the search index
  per language, and empty the sitemap when there is no ``site_url``.

mkdocs-static-i18n runs the whole build again for each further language from its own
``on_post_build``; those nested builds reuse what the first one generated.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

import palliativ_data as pdata
from palliativ_data import _site
from palliativ_data._cli import build_parser
from palliativ_data._io import read_json
from palliativ_data._release.metadata.facts import PublicationFacts
from palliativ_data._release.metadata.schema_org import SCHEMA_ORG_FILE
from palliativ_data._site import _built, _downloads
from palliativ_data._site._common import Data
from palliativ_data._site._pages import listed_under
from palliativ_data._site._text import TEXT

_state: dict[str, Any] = {"stack": None, "release": None, "json_ld": None, "not_found": None}

LANGUAGE_FOLDERS = {"sv": "", "en": "en/"}
"""Where each language's pages are in the built site (``i18n`` in ``mkdocs.yml``)."""
JSON_LD_PAGES = ("", "downloads/")
"""The pages (URLs within a language) whose head holds the dataset's JSON-LD."""


def _nested(config: Any) -> bool:
    plugin = config.plugins.get("i18n")
    return bool(getattr(plugin, "building", False))


def _lang(config: Any) -> str:
    return str(config.theme.get("language", "sv"))


@event_priority(100)  # before static-i18n copies the configuration for each language
def on_config(config: Any) -> Any:
    package = pdata.load(_site.site_package())
    _list_pages(config.nav or [], listed_under(Data(package)))
    facts = PublicationFacts.from_descriptor(package.descriptor)
    if facts.homepage:
        config.site_url = facts.homepage
    if facts.repository:
        # a link in the footer, not Material's repo_url (whose script asks GitHub's API)
        github = "://github.com/" in facts.repository
        link = {
            "icon": "fontawesome/brands/github" if github else "fontawesome/solid/code",
            "link": facts.repository,
            "name": "GitHub" if github else facts.repository.split("://", 1)[-1],
        }
        config.extra["social"] = [*(config.extra.get("social") or []), link]
    return config


def _list_pages(nav: list[Any], listed: dict[str, list[str]]) -> None:
    """Turn each entry of ``nav`` (and of its sections) that points at an index page of
    ``listed`` into a section: the index page, then the pages listed under it."""
    for index, item in enumerate(nav):
        if isinstance(item, dict):
            ((title, value),) = item.items()
            if isinstance(value, list):
                _list_pages(value, listed)
            elif value in listed:
                nav[index] = {title: [value, *listed[value]]}


def on_pre_build(config: Any) -> None:
    if _nested(config):
        return
    _state["not_found"] = None
    if _state["stack"] is not None:
        _state["stack"].__exit__(None, None, None)
    package = _site.site_package()
    context = _site.built_release(package)
    release = context.__enter__()
    _state["stack"], _state["release"], _state["json_ld"] = context, release, None
    _site.write(config.docs_dir, _site.render(release, build_parser(), package))


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return _built.scrollable_tables(html, _lang(config), str(page.title or ""))


_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_NAME = {"sv": "Sök på webbplatsen", "en": "Search the site"}


def _dataset(config: Any, page_url: str) -> dict[str, Any] | None:
    """The release's schema.org document for a page at ``page_url`` (None without a release)."""
    release = _state["release"]
    if release is None:
        return None
    if _state["json_ld"] is None:
        folder = next(path for path in sorted(Path(release).iterdir()) if path.is_dir())
        _state["json_ld"] = (folder.name, read_json(folder / SCHEMA_ORG_FILE))
    name, document = _state["json_ld"]
    files = f"{_downloads.FILES_DIR}/{name}/"
    # absolute under site_url, else relative to the page
    base = config.site_url or "../" * page_url.count("/")
    return _built.json_ld(document, base + files)


def _named_search(output: str, lang: str) -> str:
    """Material's search dialog has no accessible name (axe: aria-dialog-name, serious)."""
    name = _SEARCH_NAME.get(lang, _SEARCH_NAME["en"])
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)


_NOT_FOUND = "<h1>404 - Not found</h1>"


def on_post_template(output: str, template_name: str, config: Any) -> str:
    if template_name != "404.html":
        return output
    lang = _lang(config)
    words = TEXT.get(lang, TEXT["en"])
    output = output.replace(
        _NOT_FOUND, f"<h1>{words['not_found_title']}</h1>\n<p>{words['not_found_text']}</p>", 1
    )
    output = _named_search(output, lang)
    if not _nested(config):
        _state["not_found"] = output
    return output


def on_post_page(output: str, page: Any, config: Any) -> str:
    output = _ALTERNATE.sub("", output)
    lang = _lang(config)
    output = _named_search(output, lang)
    folder = LANGUAGE_FOLDERS.get(lang, "")
    if folder:
        output = _built.english_search_base(output, folder)
    url = page.url or ""
    if url.startswith(folder) and url[len(folder) :] in JSON_LD_PAGES:
        document = _dataset(config, url)
        if document is not None:
            output = _built.with_json_ld(output, document)
    return output


@event_priority(-200)  # after static-i18n's, which builds the other languages and the index
def on_post_build(config: Any) -> None:
    if _state["not_found"] is not None:
        # after each language's build (i18n builds the others from its own on_post_build,
        # after this one): the last build's 404.html at the root is the default language's
        (Path(config.site_dir) / "404.html").write_text(_state["not_found"], encoding="utf-8")
    if _nested(config) or _state["release"] is None:
        return
    site = Path(config.site_dir)
    target = site / _downloads.FILES_DIR
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(_state["release"], target)
    _built.split_search_index(site, LANGUAGE_FOLDERS)
    _built.clean_sitemap(site, config.site_url)
    _state["stack"].__exit__(None, None, None)
    _state["stack"] = _state["release"] = _state["json_ld"] = None
