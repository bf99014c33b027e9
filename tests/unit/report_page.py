"""The episode page parsed back: an HTML parser shared by the render tests (tests/unit/test_report_render.py)
and the report tests on a real lake (tests/flows/test_report.py)."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Start tags with their attributes, all text, and each turn's text without the inline events (a turn's
    later paragraphs, `p.cont`, continue its text)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text: list[str] = []
        self.turns: list[str] = []
        self.headings: list[str] = []
        self._stack: list[tuple[str, str]] = []
        self._continues = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))
        cls = dict(attrs).get("class") or ""
        self._stack.append((tag, cls))
        if tag == "p":
            self._continues = "cont" in cls.split()
        if tag == "span" and cls == "txt" and not self._continues:
            self.turns.append("")
        if tag == "h3":
            self.headings.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        classes = [cls for _, cls in self._stack]
        if "txt" in classes and "ev" not in classes:
            self.turns[-1] += data
        if any(tag == "h3" for tag, _ in self._stack):
            self.headings[-1] += data

    def count(self, tag: str) -> int:
        return sum(t == tag for t, _ in self.tags)
