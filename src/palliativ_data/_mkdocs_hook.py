"""MkDocs hook (``hooks:`` in ``mkdocs.yml``): generate the pages, then ship the release.

It sits outside the site generators (``_site``) because it joins them to the CLI: the CLI
reference page needs the parser of ``palliativ-data``, which this hook passes in, so that
``_site`` never imports ``_cli`` (whose ``site`` command imports ``_site``).

The data package is the bundled one, or the one ``PALLIATIV_DATA_SITE_PACKAGE`` names
(``_site.PACKAGE_ENV``; the benchmarks build sites of synthetic packages).

- ``on_config``: list the region pages in the navigation (from the data, not by hand).
- ``on_pre_build``: build the release into a temporary folder and write the generated pages
  (only files whose text changed are touched).
- ``on_post_page``: drop the ``<link rel="alternate" hreflang>`` tags static-i18n puts in each
  page's head. Material's script fetches ``<alternate>/sitemap.xml`` for each of them, which
  is a 404 for every page but the home page (a console error in every browser); the language
  switch itself is the ``<a hreflang>`` menu, which stays.
  Also give Material's search dialog an accessible name.
- ``on_post_build``: copy the release into ``downloads/files/`` of the built site.

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
from palliativ_data._site._common import region_slug

_state: dict[str, Any] = {"stack": None, "release": None}


def _nested(config: Any) -> bool:
    plugin = config.plugins.get("i18n")
    return bool(getattr(plugin, "building", False))


def on_config(config: Any) -> Any:
    nav = config.nav or []
    pages = [f"regions/{region_slug(r)}.md" for r in pdata.load(_site.site_package()).regions]
    for index, item in enumerate(nav):
        if isinstance(item, dict):
            ((title, value),) = item.items()
            if value == "regions/index.md":
                nav[index] = {title: ["regions/index.md", *pages]}
    return config


def on_pre_build(config: Any) -> None:
    if _nested(config):
        return
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


def on_post_build(config: Any) -> None:
    if _nested(config) or _state["release"] is None:
        return
    target = Path(config.site_dir) / _downloads.FILES_DIR
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(_state["release"], target)
    _state["stack"].__exit__(None, None, None)
    _state["stack"] = _state["release"] = None
