"""Readers raise only InputError: anything else a reader trips over becomes a clear error for that file."""

from __future__ import annotations

from collections.abc import Callable

from tasks.formats import codes
from tasks.model import InputError, ParsedDocument

Parse = Callable[[str, str], ParsedDocument]


def only_input_errors(reader: str, parse: Parse, *, code: str = codes.UNKNOWN_FORMAT) -> Parse:
    """`parse`, with every exception other than InputError turned into one (`code`), naming the reader."""

    def guarded(text: str, name: str) -> ParsedDocument:
        try:
            return parse(text, name)
        except InputError:
            raise
        except RecursionError:
            raise InputError(
                codes.JSON_TOO_DEEP if "JSON" in reader else "too_deeply_nested",
                f"the {reader} input nests too deeply to read",
            ) from None
        except Exception as exc:
            raise InputError(code, f"{reader} reader failed: {type(exc).__name__}: {exc}") from exc

    guarded.__doc__ = parse.__doc__
    return guarded
