"""Dutch is complete: every msgid has a translation, and the compiled catalogue is up to date."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation.template import templatize

import regie

SRC = Path(regie.__file__).parent
PO = SRC / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]")
TEMPLATE_CALL = re.compile(r"(n?gettext|pgettext)\(u?('(?:[^'\\]|\\.)*')")


def parse_po(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural and msgstr(s)."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, key = {}, ""
            continue
        if line.startswith("#,"):
            current["flags"] = line[2:].strip()
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if match:
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        else:
            current[key] = str(current[key]) + ast.literal_eval(line)
    return [e for e in entries if e.get("msgid")]


ENTRIES = parse_po(PO)


def test_the_catalogue_has_entries() -> None:
    assert len(ENTRIES) > 500


def test_every_msgid_has_a_dutch_translation() -> None:
    untranslated = [
        e["msgid"]
        for e in ENTRIES
        if "fuzzy" in str(e.get("flags", ""))
        or not all(str(v) for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []


def test_translations_keep_the_placeholders_of_their_msgid() -> None:
    broken = []
    for e in ENTRIES:
        wanted = set(PLACEHOLDER.findall(str(e["msgid"])))
        for key, value in e.items():
            if key.startswith("msgstr") and set(PLACEHOLDER.findall(str(value))) != wanted:
                broken.append((e["msgid"], value))
    assert broken == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    """Fails when django.mo was not recompiled after django.po changed."""
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in ENTRIES:
        msgid = str(e["msgid"])
        if "msgctxt" in e:
            msgid = f"{e['msgctxt']}\x04{msgid}"
        if "msgid_plural" in e:
            for key, value in e.items():
                if key.startswith("msgstr["):
                    expected[(msgid, int(key[7:-1]))] = str(value)
        else:
            expected[msgid] = str(e["msgstr"])
    compiled = {k: v for k, v in catalogue.items() if k != ""}
    assert compiled == expected


def _model_strings() -> set[Any]:
    """The verbose names, help texts and choice labels of the register, accounts and audit models."""
    strings: set[Any] = set()
    for label in ("register", "accounts", "audit"):
        for model in apps.get_app_config(label).get_models():
            strings.update({model._meta.verbose_name, model._meta.verbose_name_plural})
            for field in model._meta.get_fields():
                for attr in ("verbose_name", "help_text"):
                    value = getattr(field, attr, "")
                    if value and not isinstance(value, str):  # lazy: meant to be translated
                        strings.add(value)
                for _value, choice in getattr(field, "choices", None) or []:
                    if not isinstance(choice, str):
                        strings.add(choice)
    return strings


@pytest.mark.django_db
def test_every_model_label_is_in_the_catalogue() -> None:
    """A label is missing when it is neither in Regie's catalogue nor translated by Django's own."""
    msgids = {str(e["msgid"]) for e in ENTRIES}
    missing = []
    for label in _model_strings():
        with translation.override("en"):
            english = str(label)
        with translation.override("nl"):
            dutch = str(label)
        if english not in msgids and dutch == english:
            missing.append(english)
    assert sorted(missing) == []


def test_every_string_in_the_web_templates_is_in_the_catalogue() -> None:
    msgids = {str(e["msgid"]) for e in ENTRIES}
    found: set[str] = set()
    for path in (SRC / "web" / "templates").rglob("*.html"):
        for _func, literal in TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"))):
            found.add(ast.literal_eval(literal))
    assert len(found) > 50
    assert sorted(found - msgids) == []


def test_dutch_labels_are_used_for_the_register() -> None:
    from regie.register.models import Process

    with translation.override("nl"):
        assert str(Process._meta.verbose_name_plural) == "processen"
