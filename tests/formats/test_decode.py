from __future__ import annotations

import codecs

import pytest

from tasks.decode import decode
from tasks.model import InputError


def test_utf8_bom() -> None:
    d = decode(codecs.BOM_UTF8 + "héllo\r\n".encode())
    assert (d.text, d.encoding) == ("héllo\n", "utf-8-sig")


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(enc: str) -> None:
    bom = codecs.BOM_UTF16_LE if enc.endswith("le") else codecs.BOM_UTF16_BE
    assert decode(bom + "1\r\n00:00:01,000 --> 00:00:02,000\r\nÀ bientôt".encode(enc)).text.endswith("À bientôt")


def test_cp1252_smart_quotes() -> None:
    d = decode("“It’s” — fine".encode("cp1252"))
    assert d.text == "“It’s” — fine" and d.encoding == "cp1252"


def test_mojibake_repaired_with_finding() -> None:
    d = decode("Itâ€™s here\nclean line\n".encode())
    assert d.text == "It’s here\nclean line\n"
    assert [f.code for f in d.findings] == ["mojibake_repaired"] and d.findings[0].location == "line 1"


def test_curly_quotes_not_touched() -> None:
    assert decode("“quoted” ＡＢ ﬁ".encode()).text == "“quoted” ＡＢ ﬁ"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary_file"),
        (b"hello\x00world", "binary_file"),
        (b"", "empty_file"),
        (b" \n\t\r\n", "empty_file"),
        (codecs.BOM_UTF8, "empty_file"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "undecodable"),
    ],
)
def test_bad_bytes(data: bytes, code: str) -> None:
    with pytest.raises(InputError) as info:
        decode(data)
    assert info.value.code == code


def test_line_endings() -> None:
    assert decode(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_a_nul_past_the_sniffed_start_is_removed_with_a_warning() -> None:
    text = "- Hello there.\n" * 1000 + "- The end.\x00\x00\n"
    decoded = decode(text.encode())
    assert "\x00" not in decoded.text and decoded.text.endswith("- The end.\n")
    assert [f.code for f in decoded.findings] == ["nul_removed"] and "2 NUL" in decoded.findings[0].message
