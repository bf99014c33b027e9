"""Times for every sentence, turn, chapter and event. One job per module:

- `align`: the entry point, from the file's times and the chapters to a time and error per sentence;
- `rate`: the speaking-time model (pauses, turn changes, back-channels) and the measured rate;
- `bound`: the error bound of an estimate (Brownian bridge between anchors, walk after the last);
- `chapters`: where each declared chapter starts in the text (one joint probabilistic model);
- `file_times`: the file's cue times and stamps carried to sentences;
- `params`: every constant, read from ``tasks/params/alignment.json``;
- `score`: how the bench and the tests score estimated times against true ones.
"""

from tasks.times.align import Alignment, ChapterPlacement, FileTime, SentenceTiming, align
from tasks.times.params import AlignParams

__all__ = ["AlignParams", "Alignment", "ChapterPlacement", "FileTime", "SentenceTiming", "align"]
