"""MkDocs hook (``hooks:`` in ``mkdocs.yml``): generate the pages, then ship the release.

It sits outside the site generators (``_site``) because it joins them to the CLI: the CLI
reference page needs the parser of ``palliativ-data``, which this hook passes in, so that
``_site`` never imports ``_cli`` (whose ``site`` command imports ``_site``).

- ``on_config``: list the pages written per item (regions, functions, the data dictionary's
  tables) in the navigation, under their index page (from the data, not by hand).
- ``on_pre_build``: build the release into a temporary folder and write the generated pages
  (only files whose text changed are touched), from the bundled package or the one
  ``PALLIATIV_DATA_SITE_PACKAGE`` names (``_site.PACKAGE_ENV``).
- ``on_post_page``: drop the ``<link rel="alternate" hreflang>`` tags static-i18n puts in each
  page's head. Material's script fetches ``<alternate>/sitemap.xml`` for each of them, which
  is a 404 for every page but the home page (a console error in every browser); the language
  switch itself is the ``<a hreflang>`` menu, which stays.
  Also give Material's search dialog an accessible name.
- ``on_post_template``: word the 404 page (Material's says "404 - Not found" in every
  language) in the build's language.
- ``on_post_build``: copy the release into ``downloads/files/`` of the built site, and put the
  default language's 404 page back at the root (each language's build writes ``404.html``
  there, the last one wins).

mkdocs-static-i18n runs the whole build again for each further language from its own
``on_post_build``; those nested builds reuse what the first one generated.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import palliativ_data as pdata
from palliativ_data import _site
from palliativ_data._cli import build_parser
from palliativ_data._site import _downloads
from palliativ_data._site._common import Data
from palliativ_data._site._pages import listed_under
from palliativ_data._site._text import TEXT

_state: dict[str, Any] = {"stack": None, "release": None, "not_found": None}


def _nested(config: Any) -> bool:
    plugin = config.plugins.get("i18n")
    return bool(getattr(plugin, "building", False))


def on_config(config: Any) -> Any:
    _list_pages(config.nav or [], listed_under(Data(pdata.load(_site.site_package()))))
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
    _state["stack"], _state["release"] = context, release
    _site.write(config.docs_dir, _site.render(release, build_parser(), package))


_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_NAME = {"sv": "Sök på webbplatsen", "en": "Search the site"}


def on_post_page(output: str, page: Any, config: Any) -> str:
    output = _ALTERNATE.sub("", output)
    # Material's search dialog has no accessible name (axe: aria-dialog-name, serious).
    lang = str(config.theme.get("language", "sv"))
    name = _SEARCH_NAME.get(lang, _SEARCH_NAME["en"])
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{name}">', 1)


_NOT_FOUND = "<h1>404 - Not found</h1>"


def on_post_template(output: str, template_name: str, config: Any) -> str:
    if template_name != "404.html":
        return output
    lang = str(config.theme.get("language", "sv"))
    words = TEXT.get(lang, TEXT["en"])
    output = output.replace(
        _NOT_FOUND, f"<h1>{words['not_found_title']}</h1>\n<p>{words['not_found_text']}</p>", 1
    )
    if not _nested(config):
        _state["not_found"] = output
    return output


def on_post_build(config: Any) -> None:
    if _state["not_found"] is not None:
        # after each language's build (i18n builds the others from its own on_post_build,
        # after this one): the last build's 404.html at the root is the default language's
        (Path(config.site_dir) / "404.html").write_text(_state["not_found"], encoding="utf-8")
    if _nested(config) or _state["release"] is None:
        return
    target = Path(config.site_dir) / _downloads.FILES_DIR
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(_state["release"], target)
    _state["stack"].__exit__(None, None, None)
    _state["stack"] = _state["release"] = None
