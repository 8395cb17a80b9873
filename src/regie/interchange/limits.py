"""Limits on untrusted input: size, compressed archives, and a hardened XML parser.

Everything an importer reads passes through here first, so that a file that is too large,
a zip bomb or an XML document with entities is refused before any parser sees it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from lxml import etree

from .problems import N_, ImportRefused, Message

# An XLSX file is a zip archive; its XML parts compress well, but not a thousandfold.
MAX_COMPRESSION_RATIO = 200
MAX_ARCHIVE_MEMBERS = 10_000


def max_upload_bytes() -> int:
    return int(settings.REGIE_MAX_UPLOAD_BYTES)


def max_uncompressed_bytes() -> int:
    default = 20 * max_upload_bytes()
    return int(getattr(settings, "REGIE_MAX_UNCOMPRESSED_BYTES", default))


def read_limited(source: str | Path | bytes, *, name: str = "") -> tuple[bytes, str]:
    """The bytes of a path or of bytes given, refused when larger than the upload limit."""
    limit = max_upload_bytes()
    if isinstance(source, bytes):
        if len(source) > limit:
            raise ImportRefused(_too_large(len(source), limit), file=name)
        return source, name
    path = Path(source)
    label = name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(
            Message(N_("Cannot read the file: %(error)s."), error=exc.strerror), file=label
        ) from exc
    if size > limit:
        raise ImportRefused(_too_large(size, limit), file=label)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused(_too_large(len(data), limit), file=label)
    return data, label


def _too_large(size: int, limit: int) -> str:
    return Message(
        N_("The file is %(size)s bytes; the limit is %(limit)s bytes (REGIE_MAX_UPLOAD_BYTES)."),
        size=f"{size:,}",
        limit=f"{limit:,}",
    )


def check_archive(data: bytes, *, name: str) -> zipfile.ZipFile:
    """Open a zip archive after checking its declared sizes: refuse zip bombs.

    Python's zipfile never inflates a member past its declared size, so checking the
    declared sizes in the central directory bounds what any reader can inflate.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(Message(N_("This is not a valid XLSX (zip) file.")), file=name) from exc
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ImportRefused(
            Message(N_("The archive holds %(count)s files; that is too many."), count=f"{len(members):,}"),
            file=name,
        )
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
            raise ImportRefused(
                Message(
                    N_("Part '%(part)s' inflates %(ratio)s times; this looks like a zip bomb."),
                    part=member.filename,
                    ratio=f"{ratio:,.0f}",
                ),
                file=name,
            )
    limit = max_uncompressed_bytes()
    if total > limit:
        raise ImportRefused(
            Message(
                N_("The archive inflates to %(total)s bytes; the limit is %(limit)s bytes."),
                total=f"{total:,}",
                limit=f"{limit:,}",
            ),
            file=name,
        )
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            with archive.open(member) as handle:
                refuse_doctype(handle.read(65536), name=f"{name}: {member.filename}", whole=False)
    return archive


def hardened_xml_parser(*, schema: etree.XMLSchema | None = None) -> etree.XMLParser:
    """An lxml parser that resolves no entities, reads no DTD and touches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        schema=schema,
    )


def refuse_doctype(data: bytes, *, name: str, whole: bool = True) -> None:
    """Refuse any XML document that declares a DTD: no exchange format Regie reads needs one.

    This closes external entities and entity expansion (billion laughs) before parsing.
    """
    scanned = (data if whole else data[:65536]).lower()
    if b"<!doctype" in scanned or b"<!entity" in scanned:
        raise ImportRefused(
            Message(N_("The XML declares a DTD or entities; Regie refuses such documents for safety.")),
            file=name,
        )
