"""Decoding text files of unknown encoding and sniffing the CSV delimiter."""

from __future__ import annotations

import csv
import io

from charset_normalizer import from_bytes

from .problems import N_, ImportRefused, Message

# Encodings Regie accepts for text files; charset-normalizer chooses among them when a file
# is not valid UTF-8. Excel on Windows writes cp1252 ("ANSI") or UTF-16 ("Unicode text").
ACCEPTED = ("utf_8", "cp1252", "utf_16")
BOMS = {b"\xef\xbb\xbf": "utf_8_sig", b"\xff\xfe": "utf_16", b"\xfe\xff": "utf_16"}


def decode_text(data: bytes, *, name: str) -> tuple[str, str]:
    """The text of a file and the encoding used: UTF-8 with or without BOM, cp1252 or UTF-16."""
    for bom, encoding in BOMS.items():
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ImportRefused(
                    Message(
                        N_(
                            "The file starts with a %(encoding)s byte-order mark but is not valid "
                            "%(encoding)s (byte %(byte)s)."
                        ),
                        encoding=encoding,
                        byte=exc.start,
                    ),
                    file=name,
                ) from exc
    try:
        return data.decode("utf_8"), "utf_8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise ImportRefused(Message(N_("The file looks binary, not like CSV text.")), file=name)
    best = from_bytes(data, cp_isolation=list(ACCEPTED)).best()
    if best is None:
        raise ImportRefused(
            Message(
                N_("The encoding of the file is not UTF-8 or Windows-1252 (cp1252); save it as UTF-8 CSV.")
            ),
            file=name,
        )
    return str(best), best.encoding


def sniff_dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect, with the delimiter sniffed among ; , tab and |."""
    sample = text[:20_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|")
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(";,\t|", key=first.count)

        class Sniffed(csv.excel):
            pass

        Sniffed.delimiter = delimiter
        return Sniffed


def read_csv_rows(data: bytes, *, name: str) -> list[list[str]]:
    text, _encoding = decode_text(data, name=name)
    if "\x00" in text:
        raise ImportRefused(Message(N_("The file contains NUL characters; it is not CSV text.")), file=name)
    dialect = sniff_dialect(text)
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ImportRefused(Message(N_("The CSV cannot be read: %(error)s."), error=exc), file=name) from exc
