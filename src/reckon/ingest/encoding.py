"""Finding the text encoding of an input file: BOMs, UTF-16, UTF-8, Windows-1256."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from reckon.errors import ImportFormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings people actually use for Persian lists, tried in this order when UTF-8 fails.
FALLBACKS = ("cp1256", "iso8859_6", "mac_farsi")


def _valid_utf8(path: Path) -> tuple[bool, int | None]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return False, offset + error.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, offset
    return True, None


def detect_encoding(path: Path) -> str:
    """Guess the encoding of a text file: a BOM wins, then UTF-8, then a Persian code page."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if head and head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM: ASCII characters leave every other byte zero.
        even_zeros = head[0::2].count(0)
        return "utf-16-be" if even_zeros > len(head) // 4 else "utf-16-le"
    valid, _ = _valid_utf8(path)
    if valid:
        return "utf-8"
    guess = from_bytes(head).best()
    if guess is not None and guess.encoding in FALLBACKS:
        return guess.encoding
    return "cp1256"


def check_encoding(path: Path, encoding: str) -> None:
    """Raise ImportFormatError if the whole file does not decode with `encoding`."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportFormatError(str(path), f"unknown encoding {encoding!r}") from None
    if codecs.lookup(encoding).name != "utf-8":
        return  # single-byte code pages decode anything; UTF-16 errors surface while reading
    valid, offset = _valid_utf8(path)
    if not valid:
        raise ImportFormatError(
            str(path),
            f"not valid {encoding} (first bad byte at offset {offset}); the file may be "
            "Windows-1256: try --encoding cp1256, or omit --encoding to detect it",
        )
