"""Every issue code a reader or the decoder can report, with the one-line explanation the README lists.

Codes are stable identifiers: users look them up, so never rename one; add a new code instead.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # decoding (errors)
    "empty_file": "The file is empty or contains only whitespace.",
    "binary_file": "The file is binary (NUL bytes, control characters or a known binary header), not text.",
    "undecodable": "The bytes are not valid in any supported text encoding (UTF-8, UTF-16/32 with BOM, Windows-1252).",
    # decoding (warnings)
    "mojibake_repaired": "Text that had been decoded with the wrong encoding (e.g. 'Itâ€™s') was repaired.",
    "legacy_encoding": "The file is not UTF-8; it was decoded as Windows-1252 or another detected encoding.",
    "nul_removed": "Warning: NUL characters past the file's start (as an interrupted write pads a file) were "
    "removed from the text.",
    # whole-file errors raised by readers
    "unknown_format": "No reader recognises the file's content as a transcript format.",
    "no_transcript_text": "The file parses but holds no transcript words (e.g. RTTM/UEM, an empty Whisper result).",
    "truncated_json": "The JSON ends before its structure is complete (file cut short).",
    "malformed_json": "The file looks like JSON but is not valid JSON.",
    "json_too_deep": "The JSON nests deeper than the reader accepts (a pathological or hostile file).",
    "unsupported_json": "Valid JSON, but not a transcript shape any reader knows (Whisper, word list, diarised).",
    "line_too_long": "A single line is longer than readers accept; not a plausible transcript.",
    # per-location warnings raised by readers
    "malformed_time": "A timestamp could not be parsed; the segment is kept without that time.",
    "cue_end_before_start": "A cue ends before it starts; its end time was dropped.",
    "overlapping_cue": "A cue starts before the previous one ends; the previous cue's end was trimmed.",
    "empty_cue": "A cue has timings but no text; it was dropped.",
    "zero_length_cue": "A cue with text starts and ends at the same time; kept as given.",
    "hallucination": "Looks like a speech-recogniser hallucination (loop, stock phrase over silence, "
    "U+FFFD only); kept and flagged.",
    "unparsed_line": "A line the reader did not understand; its text is kept as a segment of its own.",
    "invalid_unicode": "Warning: the JSON escapes half of a UTF-16 pair (a lone \\ud800), which no text can hold; "
    "each such character became U+FFFD.",
    "too_many_findings": "More findings of one code than are listed individually; the rest are counted here.",
    "chapters_do_not_fit": "Warning: the last chapter starts after more time than all the words could fill at any "
    "human speaking rate (the chapter list belongs to other words, or the text misses most of the audio); "
    "the times are spread as the chapters say.",
    "unmarked_dialogue": "Warning: the file names two or more people but marks no change of speaker; its "
    "text is kept as one turn with no speaker rather than guessed apart.",
    # found by the pipeline around the readers (errors unless noted)
    "input_not_found": "An --input folder does not exist or is not a folder.",
    "symlink_outside_root": "A symlink points outside its input folder; it is not followed.",
    "not_a_regular_file": "A FIFO, device or socket; never read (reading a FIFO could block forever).",
    "file_too_large": "The file is over the size cap (TLAKE_MAX_FILE_BYTES, default 50 MB); not read.",
    "unreadable_file": "The file could not be read (permissions, a symlink loop, removed during the run).",
    "path_clash": "Two --input folders hold a file at the same relative path; the first folder's file is read.",
    "odd_file_name": "Warning: the file name is not valid UTF-8; its bytes are shown escaped in source_path.",
    "too_deeply_nested": "The content nests too deeply to read safely.",
    "resource_exhausted": "Reading the file ran out of memory.",
    "internal_error": "A bug in Transcript Lake while reading the file; the message says where. Please report it.",
    "failed_expectations": "The episode's rows broke a blocking data check (dq_results says which); "
    "its previous version, if any, is kept.",
    "duplicate_content": "Warning: the same bytes as another input file; ingested once, under the first name.",
}

# Convenient names so a typo is an ImportError rather than a silently new code.
EMPTY_FILE = "empty_file"
BINARY_FILE = "binary_file"
UNDECODABLE = "undecodable"
MOJIBAKE_REPAIRED = "mojibake_repaired"
LEGACY_ENCODING = "legacy_encoding"
NUL_REMOVED = "nul_removed"
UNKNOWN_FORMAT = "unknown_format"
NO_TRANSCRIPT_TEXT = "no_transcript_text"
TRUNCATED_JSON = "truncated_json"
MALFORMED_JSON = "malformed_json"
JSON_TOO_DEEP = "json_too_deep"
UNSUPPORTED_JSON = "unsupported_json"
LINE_TOO_LONG = "line_too_long"
MALFORMED_TIME = "malformed_time"
CUE_END_BEFORE_START = "cue_end_before_start"
OVERLAPPING_CUE = "overlapping_cue"
EMPTY_CUE = "empty_cue"
ZERO_LENGTH_CUE = "zero_length_cue"
HALLUCINATION = "hallucination"
UNMARKED_DIALOGUE = "unmarked_dialogue"
CHAPTERS_DO_NOT_FIT = "chapters_do_not_fit"
UNPARSED_LINE = "unparsed_line"
INVALID_UNICODE = "invalid_unicode"
TOO_MANY_FINDINGS = "too_many_findings"
