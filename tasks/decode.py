"""Bytes to text: encoding detection, BOMs, line endings. Raises InputError for what is not text.

Order matters: BOMs are authoritative, then binary sniffing (so a PNG is never "decoded" as
cp1252), then strict UTF-8, then Windows-1252, then charset-normalizer as a last resort. Text
decoded as UTF-8 is checked for mojibake with ftfy, restricted to encoding fixes so quotes, widths
and ligatures stay exactly as written.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy

from tasks.model import Finding, InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"ID3", "MP3 audio"),
    (b"RIFF", "RIFF (WAV/AVI) media"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM media"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
)

# C0 controls other than TAB, LF, VT, FF, CR and ESC never occur in transcripts.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_SNIFF = 8192

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    findings: tuple[Finding, ...] = ()


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_binary(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError("binary_file", f"the file is a {what}, not text", "byte 0")
    sample = data[:_SNIFF]
    nul = sample.find(b"\x00")
    if nul >= 0:
        raise InputError("binary_file", f"NUL byte at offset {nul}: binary data, not text", f"byte {nul}")
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, len(sample) // 100):
        raise InputError("binary_file", f"{controls} control bytes in the first {len(sample)} bytes")


def _repair_mojibake(text: str) -> tuple[str, tuple[Finding, ...]]:
    # ftfy works line by line internally; skip it entirely for plain ASCII (the common case).
    if text.isascii():
        return text, ()
    fixed = ftfy.fix_text(text, _FTFY_CONFIG)
    if fixed == text:
        return text, ()
    old_lines, new_lines = text.split("\n"), fixed.split("\n")
    changed = [i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b]
    first = changed[0] if changed else 1
    sample = old_lines[first - 1][:60] if changed else ""
    msg = f"repaired mojibake on {len(changed) or 'some'} line(s), first at line {first}: {sample!r}"
    return fixed, (Finding("mojibake_repaired", "warning", msg, f"line {first}"),)


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes to text with LF line endings, or raise InputError. NUL characters past the
    sniffed start (a file padded by an interrupted write) are removed, with a warning."""
    decoded = _decode(data)
    nuls = decoded.text.count("\x00")
    if not nuls:
        return decoded
    at = decoded.text.index("\x00")
    message = f"{nuls} NUL characters removed, the first at character {at}"
    note = Finding("nul_removed", "warning", message, f"char {at}")
    return Decoded(decoded.text.replace("\x00", ""), decoded.encoding, (*decoded.findings, note))


def _decode(data: bytes) -> Decoded:
    if not data.strip():
        raise InputError("empty_file", "the file is empty or only whitespace")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc.removesuffix("-sig") if enc == "utf-8-sig" else enc)
            except UnicodeDecodeError as exc:
                raise InputError(
                    "undecodable", f"invalid {enc} at byte {exc.start + len(bom)}", f"byte {exc.start}"
                ) from exc
            text = _normalise_newlines(text)
            if not text.strip():
                raise InputError("empty_file", "the file holds only a byte-order mark and whitespace")
            if "\x00" in text[:_SNIFF]:
                raise InputError("binary_file", "NUL characters after decoding: binary data, not text")
            text, findings = _repair_mojibake(text)
            return Decoded(text, enc, findings)

    _check_binary(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    else:
        text, findings = _repair_mojibake(_normalise_newlines(text))
        return Decoded(text, "utf-8", findings)

    try:
        text = data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # slow import; only needed for odd files

        best = from_bytes(data).best()
        if best is None or best.encoding is None:
            raise InputError(
                "undecodable",
                f"not UTF-8 (bad byte at {bad_at}) and no other encoding fits",
                f"byte {bad_at}",
            ) from None
        enc = best.encoding
        text = str(best)
    text = _normalise_newlines(text)
    note = Finding("legacy_encoding", "warning", f"not valid UTF-8 (byte {bad_at}); decoded as {enc}", f"byte {bad_at}")
    return Decoded(text, enc, (note,))
