"""What a file is: its media type (from its first bytes, else its name) and capture metadata.

Capture metadata is read from photos' EXIF with Pillow, which reads only the header, never the
whole image. Nothing here changes the file.
"""

from __future__ import annotations

import mimetypes
import warnings
from pathlib import Path
from typing import Any

# Leading bytes → media type, most specific first.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "application/pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"WEBP", 8, "image/webp"),
    (b"WAVE", 8, "audio/wav"),
    (b"AVI ", 8, "video/x-msvideo"),
    (b"ftypheic", 4, "image/heic"),
    (b"ftypqt", 4, "video/quicktime"),
    (b"ftyp", 4, "video/mp4"),
    (b"ID3", 0, "audio/mpeg"),
    (b"OggS", 0, "audio/ogg"),
    (b"fLaC", 0, "audio/flac"),
    (b"\x1aE\xdf\xa3", 0, "video/webm"),
    (b"PK\x03\x04", 0, "application/zip"),
    (b"\x1f\x8b", 0, "application/gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "application/x-ole-storage"),
)
_ZIP_BASED = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".epub": "application/epub+zip",
}
_OLE_BASED = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}
_EXIF_KEEP = (
    "DateTimeOriginal",
    "DateTimeDigitized",
    "DateTime",
    "OffsetTimeOriginal",
    "Make",
    "Model",
    "Software",
    "LensModel",
    "ImageDescription",
    "Artist",
    "Copyright",
    "ExifImageWidth",
    "ExifImageHeight",
    "Orientation",
)


def media_type(path: Path, head: bytes) -> str:
    """The media type of a file from its first bytes (`head`), else from its extension."""
    suffix = path.suffix.lower()
    for signature, offset, kind in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if kind == "application/zip":
                return _ZIP_BASED.get(suffix, kind)
            if kind == "application/x-ole-storage":
                return _OLE_BASED.get(suffix, "application/octet-stream")
            return kind
    guessed, _ = mimetypes.guess_type(path.name, strict=False)
    if guessed:
        return guessed
    if head and _is_text(head):
        return "text/plain"
    return "application/octet-stream"


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a character cut at the end of the sample
    return b"\x00" not in head


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").rstrip("\x00")
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    try:
        return float(value)  # IFDRational
    except (TypeError, ValueError):
        return str(value)


def _gps_degrees(values: Any, ref: Any) -> float | None:
    try:
        degrees, minutes, seconds = (float(v) for v in values)
    except (TypeError, ValueError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    return -result if str(ref).upper() in ("S", "W") else result


def capture_metadata(path: Path, kind: str) -> dict[str, Any] | None:
    """EXIF capture metadata of a photo (time, camera, GPS position), or None."""
    if not kind.startswith("image/"):
        return None
    from PIL import ExifTags, Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about odd EXIF; not our concern
            with Image.open(path) as image:
                exif = image.getexif()
                info: dict[str, Any] = {
                    "width": image.width,
                    "height": image.height,
                    "format": image.format,
                }
                tags = dict(exif.items())
                tags.update(exif.get_ifd(ExifTags.IFD.Exif).items())
                gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        return None
    named = {ExifTags.TAGS.get(tag, str(tag)): value for tag, value in tags.items()}
    exif_out = {name: _plain(named[name]) for name in _EXIF_KEEP if name in named}
    if gps:
        gps_named = {ExifTags.GPSTAGS.get(tag, str(tag)): value for tag, value in gps.items()}
        latitude = _gps_degrees(gps_named.get("GPSLatitude"), gps_named.get("GPSLatitudeRef"))
        longitude = _gps_degrees(gps_named.get("GPSLongitude"), gps_named.get("GPSLongitudeRef"))
        if latitude is not None and longitude is not None:
            exif_out["GPSLatitude"] = round(latitude, 7)
            exif_out["GPSLongitude"] = round(longitude, 7)
    if exif_out:
        info["exif"] = exif_out
    return info
