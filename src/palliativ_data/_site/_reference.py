"""What the reference pages generated from the package itself show: the data dictionary (with
an ER diagram drawn as SVG from the descriptor's keys) and the CLI reference (from the argparse
parser).

The data dictionary is written in both languages, one page for the tables and their keys and
one per table, the Swedish from the schema's ``x-translations.sv``. The CLI reference is in
English (``templates/en/cli.md``); the Swedish page carries it under a Swedish note, with
``lang="en"`` on the English part, so screen readers switch voice.
"""

from __future__ import annotations

import argparse
import html
import os
from typing import Any

from ._common import Data, code, code_block, link_target, markdown_text, prose, slug, trusted
from ._text import TEXT, t

# ====================================================================== data dictionary


def _fk_list(schema: dict[str, Any]) -> list[tuple[list[str], str, list[str]]]:
    result = []
    for fk in schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        result.append((fields, ref.get("resource") or "", ref_fields))
    return result


def _vocabularies(data: Data, descriptor: dict[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    """Resource name → (code, Swedish label, English label), for resources that are vocabularies.

    A vocabulary is a resource with a one-field primary key and Swedish and English label
    columns (``label_sv``/``heading_sv`` and ``label_en``).
    """
    result = {}
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        names = [f["name"] for f in schema["fields"]]
        pk = schema.get("primaryKey")
        pk = [pk] if isinstance(pk, str) else pk or []
        sv = next((n for n in ("label_sv", "heading_sv", "name_sv") if n in names), None)
        en = next((n for n in ("label_en", "name_en") if n in names), None)
        if len(pk) != 1 or sv is None or en is None:
            continue
        rows = data.pkg.table(resource["name"]).select([pk[0], sv, en]).to_pylist()
        result[resource["name"]] = [(str(row[pk[0]]), str(row[sv]), str(row[en])) for row in rows]
    return result


def _constraints(field: dict[str, Any], lang: str) -> str:
    """A field's constraints (its values are listed apart), named in ``lang``, as the site's
    Markdown (the values from the schema in code spans, escaped)."""
    parts = []
    for key, value in (field.get("constraints") or {}).items():
        if key == "enum":
            continue
        key_text = str(key)
        word = t(lang, f"constraint.{key_text}") if f"constraint.{key_text}" in TEXT[lang] else key
        word = markdown_text(word)
        parts.append(word if value is True else f"{word}: {code(value)}")
    return trusted(", ".join(parts))


def _codes(names: list[str]) -> str:
    return str(code(", ".join(names)))


def _table_link(name: str, target: str) -> str:
    """A link showing the table ``name`` as code, to ``target`` (a page of the dictionary)."""
    return f"[{code(name)}]({link_target(target)})"


def _texts(item: dict[str, Any], lang: str) -> tuple[str, str]:
    """The title and description of a resource or field in ``lang``: English as written,
    Swedish from ``x-translations.sv`` (the English where a text has no translation)."""
    own = item.get("x-translations", {}).get(lang, {}) if lang != "en" else {}
    return (
        str(own.get("title", item.get("title") or "")),
        str(own.get("description", item.get("description") or "")),
    )


def _primary_key(schema: dict[str, Any]) -> list[str]:
    pk = schema.get("primaryKey")
    return [pk] if isinstance(pk, str) else list(pk or [])


def _in(language: str, text: str, lang: str) -> str:
    """``text``, written in ``language``, as it stands on a page in ``lang``: marked with its
    language where the two differ, so that screen readers switch voice."""
    shown = markdown_text(text)
    return trusted(shown if language == lang else f'<span lang="{language}">{shown}</span>')


def _page_of(name: str) -> str:
    """The slug of a table's page in the data dictionary (``dictionary/<slug>.md``)."""
    return slug(name)


def dictionary(data: Data, lang: str) -> dict[str, Any]:
    """What the data dictionary's first page shows: the tables, their keys and the ER diagram.

    Each table has a page of its own (:func:`dictionary_table`); cells are Markdown (code
    spans, links to those pages), the words around them are in the templates.
    """
    descriptor = data.pkg.descriptor
    keys = []
    tables = []
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        name = resource["name"]
        link = _table_link(name, f"dictionary/{_page_of(name)}.md")
        fks = "; ".join(
            f"{_codes(f)} → {_table_link(r or name, f'dictionary/{_page_of(r or name)}.md')}"
            f".{_codes(rf)}"
            for f, r, rf in _fk_list(schema)
        )
        keys.append(
            (
                trusted(link),
                trusted(", ".join(str(code(k)) for k in _primary_key(schema))),
                trusted(fks),
            )
        )
        tables.append((trusted(link), _texts(resource, lang)[0], len(schema["fields"])))
    return {
        "descriptor": descriptor,
        "er_svg": trusted(er_svg(descriptor, t(lang, "er_label"))),  # names escaped for XML
        "keys": keys,
        "tables": tables,
    }


def dictionary_table(data: Data, lang: str, name: str) -> dict[str, Any]:
    """What the data dictionary's page of the table ``name`` shows: its fields, keys and values."""
    descriptor = data.pkg.descriptor
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    schema = resource["schema"]
    vocab = _vocabularies(data, descriptor)
    fk_of = {}
    for fields, ref, ref_fields in _fk_list(schema):
        for field_name, ref_field in zip(fields, ref_fields, strict=False):
            fk_of[field_name] = (ref or name, ref_field)
    rows = []
    for field in schema["fields"]:
        kind = str(code(field.get("type", "any"))) + (
            f" ({code(field['format'])})" if field.get("format") not in (None, "default") else ""
        )
        constraints = _constraints(field, lang)
        if field["name"] in fk_of:
            ref, ref_field = fk_of[field["name"]]
            target = "" if ref == name else f"{_page_of(ref)}.md"
            constraints = trusted(
                ", ".join(
                    filter(
                        None,
                        [constraints, f"→ {_table_link(ref, target or '#')}.{code(ref_field)}"],
                    )
                )
            )
        enum = (field.get("constraints") or {}).get("enum") or []
        title, description = _texts(field, lang)
        rows.append((field["name"], trusted(kind), constraints, title, prose(description), enum))
    categories = [
        (
            field["name"],
            # the labels are Swedish (as the response workbook offers them)
            [
                (code(c.get("value")), _in("sv", c.get("label", ""), lang))
                for c in field["categories"]
            ],
        )
        for field in schema["fields"]
        if isinstance(field.get("categories"), list)
        and field["categories"]
        and isinstance(field["categories"][0], dict)
    ]
    title, description = _texts(resource, lang)
    return {
        "name": name,
        "title": title,
        "description": prose(description),
        "path": resource["path"],
        "format": resource.get("format", ""),
        "encoding": resource.get("encoding", ""),
        "primary_key": _primary_key(schema),
        "fields": rows,
        "labels": [
            (code(c), _in("sv", sv, lang), _in("en", en, lang)) for c, sv, en in vocab.get(name, [])
        ],
        "categories": categories,
    }


def er_svg(descriptor: dict[str, Any], label: str = "Entity-relationship diagram") -> str:
    """An entity-relationship diagram of the descriptor's tables and keys, as SVG text, named
    ``label`` for screen readers."""
    resources = descriptor["resources"]
    columns = 3
    box_w, row_h, head_h, gap_x, gap_y, pad = 230, 17, 24, 60, 40, 10
    boxes: dict[str, tuple[float, float, float, float]] = {}
    keyed: dict[str, list[tuple[str, str]]] = {}
    for resource in resources:
        schema = resource["schema"]
        pk = schema.get("primaryKey")
        pk = [pk] if isinstance(pk, str) else pk or []
        fk_fields = {f for fields, _, _ in _fk_list(schema) for f in fields}
        lines = []
        for field in schema["fields"]:
            marks = [
                m
                for m, on in (("PK", field["name"] in pk), ("FK", field["name"] in fk_fields))
                if on
            ]
            if marks:
                lines.append((field["name"], " ".join(marks)))
        keyed[resource["name"]] = lines
    # Columns by depth in the foreign-key graph: tables that refer to nothing on the left,
    # tables referring only to those next, the rest on the right; arrows run right to left.
    refs = {
        r["name"]: {ref for _, ref, _ in _fk_list(r["schema"]) if ref and ref != r["name"]}
        for r in resources
    }
    depth: dict[str, int] = {}

    def level(name: str, seen: frozenset[str] = frozenset()) -> int:
        if name not in depth:
            targets = [t for t in refs.get(name, ()) if t in refs and t not in seen]
            depth[name] = 0 if not targets else 1 + max(level(t, seen | {name}) for t in targets)
        return depth[name]

    column_of = {r["name"]: min(level(r["name"]), columns - 1) for r in resources}
    y_next = [float(pad)] * columns
    for resource in resources:
        j = column_of[resource["name"]]
        box_h = head_h + row_h * len(keyed[resource["name"]]) + 6
        boxes[resource["name"]] = (pad + j * (box_w + gap_x), y_next[j], box_w, box_h)
        y_next[j] += box_h + gap_y
    width = pad * 2 + columns * box_w + (columns - 1) * gap_x + gap_x / 2  # room for loops
    height = max(y_next) - gap_y + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-label="{html.escape(label)}" class="pd-er">',
        '<defs><marker id="pd-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
    ]
    for resource in resources:
        x, y0, w, h = boxes[resource["name"]]
        for fields, ref, _ in _fk_list(resource["schema"]):
            target = boxes.get(ref or resource["name"])
            if target is None or (ref or resource["name"]) == resource["name"]:
                continue
            index = [n for n, _ in keyed[resource["name"]]].index(fields[0])
            sy = y0 + head_h + row_h * index + row_h / 2
            tx, ty, tw, _ = target
            sx = x + w if tx > x else x
            ex = tx if tx > x else tx + tw
            if tx == x:  # same column: leave on the right, enter on the right
                sx, ex = x + w, tx + tw
            ey = ty + head_h / 2
            mid = (sx + ex) / 2 if tx != x else x + w + gap_x / 2
            parts.append(
                f'<path d="M{sx:.0f},{sy:.0f} C{mid:.0f},{sy:.0f} {mid:.0f},{ey:.0f} {ex:.0f},{ey:.0f}" '
                'fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#pd-arrow)"/>'
            )
    for resource in resources:
        x, y0, w, h = boxes[resource["name"]]
        name = html.escape(resource["name"])
        parts.append(
            f'<g><rect x="{x}" y="{y0:.0f}" width="{w}" height="{h}" rx="4" fill="#fff" stroke="#333"/>'
        )
        parts.append(
            f'<rect x="{x}" y="{y0:.0f}" width="{w}" height="{head_h}" rx="4" fill="#1f4e79"/>'
        )
        parts.append(
            f'<text x="{x + 8}" y="{y0 + 16:.0f}" font-family="sans-serif" font-size="14" '
            f'font-weight="bold" fill="#fff">{name}</text>'
        )
        for k, (field, mark) in enumerate(keyed[resource["name"]]):
            ty = y0 + head_h + row_h * k + 13
            parts.append(
                f'<text x="{x + 8}" y="{ty:.0f}" font-family="monospace" font-size="12" fill="#111">'
                f"{html.escape(field)}</text>"
            )
            parts.append(
                f'<text x="{x + w - 8}" y="{ty:.0f}" font-family="sans-serif" font-size="11" '
                f'fill="#333" text-anchor="end">{mark}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


# ====================================================================== CLI reference


def _help(parser: argparse.ArgumentParser) -> str:
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal width: fix it
    try:
        return str(parser.format_help())
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def cli_reference(parser: argparse.ArgumentParser) -> dict[str, Any]:
    """What the CLI reference shows: the help of ``parser`` and of each of its commands.

    ``parser`` is ``palliativ_data._cli.build_parser()``, passed in by the caller (the CLI's
    ``site`` command, the MkDocs hook): the site does not import the CLI.
    """
    commands = [
        (name, code_block(_help(sub).rstrip()))
        for action in parser._actions  # argparse has no public accessor for sub-commands
        if isinstance(action, argparse._SubParsersAction)
        for name, sub in action.choices.items()
    ]
    return {"help": code_block(_help(parser).rstrip()), "commands": commands}
