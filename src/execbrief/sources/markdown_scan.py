"""A one-pass line scanner for markdown notes: headings, bullets, tasks, tables, dates.

A full markdown parser costs ~100x more (37 s against ~1 s for 20,000 notes), and notes
are mostly headings, bullets, checkboxes and pipe tables, so a line scanner does the job.
Fenced code blocks are skipped over: a ``#`` or ``- [ ]`` inside one is text. The result
is plain lists and dicts, so it can be cached as JSON by the note's content hash.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from .values import find_dates, leading_date

__all__ = ["Scan", "scan", "cells_of", "header_keys", "sentences", "filler"]

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r"^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX])\](?:[ \t]+(.*))?$")
# a todo.txt task: done ("x", the day it was done, the day it was made) or open (a priority, the
# day it was made), then its text; neither a plain "x" nor a bracketed word is one
_TODO_TXT = re.compile(r"^(?:x[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+(\d{4}-\d{2}-\d{2}))?"
                       r"|\(([A-Z])\)(?:[ \t]+(\d{4}-\d{2}-\d{2}))?)[ \t]+(\S.*)$")
# a todo.txt task's contexts ("@email", "@phone"): where it is done, not what it says
_CONTEXT = re.compile(r"(?<!\S)@\w+")
_PROJECT = re.compile(r"(?<!\S)\+[A-Za-z][\w-]*(?!\S)")  # and its projects ("+consulting")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_PIPE = re.compile(r"(?<!\\)\|")
# A line that says when the note was last touched: "2026-11-03: called the insurer",
# "Updated 3 Nov 2026", "_Last reviewed on 2026-10-01_". Only a full date (with a year) counts.
# a document's own date, said anywhere in a paragraph's first line: "· statement date 2026-11-03",
# "Report date: 3 Nov 2026", "Updated 2026-11-29." (after other sentences)
_STAMP_WITHIN = re.compile(r"\b(?:statement|report|invoice|memo|minutes) date\b[*_]*\s*:?\s*[*_]*\s*(?=\d)|"
                           r"\b(?:prepared|written|issued|dated|updated)(?: on)?\s*:?\s*"
                           r"(?=\d{4}-\d{2}-\d{2}\b|\d{1,2}/\d{1,2}/\d{4}\b|\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+,? \d{4}\b"
                           r"|[A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)?, \d{4}\b)",
                           re.IGNORECASE)
_STAMP = re.compile(
    r"^[*_\s]*(?:(?:last\s+)?(?:updated|reviewed|edited)[*_]*\s*(?:on|:)?\s*[*_]*\s*(?=\S)|(?=\d{4}[-/]\d{1,2}[-/]\d{1,2}\s*(?:[:—–-]|$)))",
    re.IGNORECASE,
)


class Scan:
    """What one pass over a note body found (JSON-safe lists, for the cache)."""

    __slots__ = ("sections", "tasks", "rows", "problems", "stamps")

    def __init__(self) -> None:
        # {"heading", "level", "parents", "start", "end", "text", "bullets": [{"text", "line", "dates"?}],
        #  "paras": [{"text", "line", "para", "dates"?}]} (the sentences of prose paragraphs: the
        #  line each starts on, and which paragraph of the section it is in)
        self.sections: list[dict[str, Any]] = []
        # {"text", "done", "heading", "line", "end"}
        self.tasks: list[dict[str, Any]] = []
        # [line, raw line, heading, cells, caption] (caption: the line that leads into the table,
        # "- obk billing run for dec:", or None)
        self.rows: list[list[Any]] = []
        # [line, message]
        self.problems: list[list[Any]] = []
        # [line, year, month, day]: dated lines, for the note's last update
        self.stamps: list[list[int]] = []

    def to_json(self) -> dict[str, Any]:
        """The scan as one JSON-safe mapping."""
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Scan":
        """A scan back from ``to_json`` output."""
        out = cls()
        for name in cls.__slots__:
            setattr(out, name, data[name])
        return out


def _stamp(text: str, lineno: int, out: Scan) -> None:
    """Record the date of a dated line ("2026-11-03: …", "Updated 3 Nov 2026", "Prepared by
    Coastline · statement date 2026-11-03")."""
    m = _STAMP.match(text) or _STAMP_WITHIN.search(text)
    if m:
        found = leading_date(text[m.end():m.end() + 40]) or _slashed(text[m.end():m.end() + 12])
        if found is not None:
            out.stamps.append([lineno, *found])


_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _slashed(text: str) -> tuple[int, int, int] | None:
    """A date written ``11/21/2025`` or ``21/11/2025`` where only one order is a day: ``(y, m, d)``.
    (Which order the organisation writes is not known here, so ``11/05/2025`` dates nothing.)"""
    m = _SLASHED.match(text)
    if not m:
        return None
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    if first <= 12 < second <= 31:
        return year, first, second
    if second <= 12 < first <= 31:
        return year, second, first
    return None


# a date standing alone on its line, with its weekday or not: "Oct 5", "Tues 10/20", "Sun 15 Nov",
# "11/17", "Tue Nov 3", "Nov 24 Tues", "2026-11-03"
_DATE_LINE = re.compile(
    r"^[ \t]*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?"
    r"(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?(?:,?[ \t]+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:,?[ \t]+\d{4})?)"
    r"(?:,?[ \t]+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)?[ \t]*[.:]?[ \t]*$", re.IGNORECASE)  # ("Nov 24 Tues")
_DATE_LEVEL = 6  # (a date line is the innermost heading: the next one, or any real heading, ends it)
# a checkbox drawn as a glyph at the start of a line: open (☐ □ ❑) or ticked (✓ ✔ ☑ ☒)
_OPEN_BOXES = "☐□❑"
_GLYPHS = _OPEN_BOXES + "✓✔☑☒"
_GLYPH_TASK = re.compile(r"^[ \t]*([☐□❑✓✔☑☒])\ufe0f?[ \t]+(\S.*)$")


def _task(text: str, done: bool, heading: str, lineno: int) -> dict[str, Any]:
    """A task as the scan keeps it; one whose words are struck through ("~~get quote for van
    racking~~ -> not this year") is cancelled: not open, and not done either."""
    item: dict[str, Any] = {"text": text, "done": done, "heading": heading, "line": lineno, "end": lineno}
    if text.startswith("~~") and text.find("~~", 2) > 2:
        item["done"], item["cancelled"] = True, True
    return item


def scan(lines: list[str], begin: int) -> Scan:
    """Walk the body once: headings, fences, bullets, checkboxes, pipe tables, dated lines."""
    out = Scan()
    stack: list[tuple[int, str]] = []  # enclosing headings, outer → inner
    # "start"/"end": first and last non-blank line (1-based); "body": index of its first body line
    section: dict[str, Any] = {"heading": "", "level": 0, "parents": [], "start": None,
                               "end": None, "body": begin, "bullets": [], "paras": []}
    fence: tuple[str, int] | None = None
    # when the lines being read were written, as an e-mail's Date: or a chat line's [Mon 09:12]
    # says: [year | None, month, day, first weekday | None, days after it, minutes | None]
    when: list[Any] | None = None
    subject: str | None = None  # the e-mail's Subject: line, what its lines are about
    fields: dict[str, Any] | None = None  # the item a page's "key:: value" lines make
    signature = False  # inside an e-mail signature ("--" down to the next blank line)
    talk = False  # whether the lines are a chat's or a channel's messages (not an e-mail's)
    item: dict[str, Any] | None = None  # the bullet or task a continuation line joins
    para: dict[str, Any] | None = None  # the prose paragraph a next prose line joins
    table: tuple[str, ...] | None = None  # normalised header keys of the open table
    caption: str | None = None  # the open table's lead-in line

    def close(sec: dict[str, Any]) -> None:
        if sec["level"] or sec["start"] is not None:  # the preamble counts only if non-blank
            body = sec.pop("body")
            sec["text"] = "\n".join(lines[body:sec["end"]]).strip() if sec["end"] else ""
            out.sections.append(sec)

    i, n = begin, len(lines)
    while i < n:
        line, lineno = lines[i], i + 1
        i += 1
        # Dispatch on the first character: most lines are prose, and regexes cost.
        first = line.lstrip()[:1]
        if not first:
            item = table = para = fields = None
            signature = False
            continue
        if fence is not None:
            section["end"] = lineno
            if first == fence[0]:
                m = _FENCE.match(line)
                if m and len(m.group(1)) >= fence[1] and line.strip() == m.group(1):
                    fence = None
            continue
        if first == "#":
            heading = _HEADING.match(line)
            if heading:
                close(section)
                level, name = len(heading.group(1)), (heading.group(2) or "").strip()
                while stack and stack[-1][0] >= level:
                    stack.pop()
                section = {"heading": name, "level": level, "parents": [h for _, h in stack],
                           "start": lineno, "end": lineno, "body": i, "bullets": [], "paras": []}
                stack.append((level, name))
                item = table = para = fields = None
                if name[:1].isdigit() or name[:1] in "UuLlRrEe*_":
                    _stamp(name, lineno, out)
                continue
        section["end"] = lineno
        if section["start"] is None:
            section["start"] = lineno
        if "|" in line:
            para = None
            if table is not None:
                out.rows.append(_row(line, lineno, table, section["heading"], out.problems) + [caption])
                continue
            if i < n and "|" in lines[i] and _TABLE_SEP.match(lines[i]):
                header = cells_of(line)
                if len(header) == len(cells_of(lines[i])):
                    caption = _lead_in(lines, i - 2, section["body"] if "body" in section else begin)
                    table, item = header_keys(tuple(header)), None
                    section["end"] = i = i + 1
                    continue
        table = None
        if first in "`~":
            fence_open = _FENCE.match(line)
            if fence_open:
                fence, item, para = (fence_open.group(1)[0], len(fence_open.group(1))), None, None
                continue
        if first in "-*_" and _BREAK.match(line):
            item = para = None
            continue
        if first in "x(" and (todo := _TODO_TXT.match(line)):
            # a todo.txt line, one task: "(A) 2026-11-20 Chase Halden INV-1049 +consulting @email
            # due:2026-12-04", done as "x 2026-11-25 2026-11-20 …" (on the day it says it was done)
            para = fields = None
            done_on, created = todo.group(1), todo.group(2) or todo.group(4)
            # (its projects apart, which name its business, so a date that ends the task ends its
            # text: "… w/c 7 Dec +consulting"; its contexts, "@email", say where, not what)
            text = _CONTEXT.sub("", todo.group(5))
            item = {"text": " ".join(_PROJECT.sub("", text).split()), "done": done_on is not None,
                    "heading": section["heading"], "line": lineno, "end": lineno}
            if projects := [p[1:] for p in _PROJECT.findall(text)]:
                item["projects"] = projects
            day = leading_date(done_on or created or "")
            if day is not None:
                item["said"] = [*day, None, 0, None]
            out.tasks.append(item)
            item = None  # (a todo.txt task is one line: the next line is the next task)
            continue
        if first in _GLYPHS and (glyph := _GLYPH_TASK.match(line)):
            # a paper checklist's box, written or OCR'd: "☐ call Citywide re Flat A boiler", "✓ Flat
            # A boiler fixed - …" (its indented lines after it go on with it)
            para = fields = None
            item = _task((glyph.group(2) or "").strip(), glyph.group(1) not in _OPEN_BOXES, section["heading"], lineno)
            out.tasks.append(item)
            continue
        if first == ">":  # a quoted list: "> - Brisket: $4.85/lb -> $5.60/lb", an Obsidian callout's tasks
            body = _CALLOUT.sub("", _QUOTE.sub("", line))
            inner = body.lstrip()[:1]
            bullet = (inner in "-*+" or inner.isdigit()) and _BULLET.match(body)
        else:
            bullet = (first in "-*+" or first.isdigit()) and _BULLET.match(line)
        if bullet:
            para = fields = None
            text = bullet.group(1)
            if "::" in text:  # "due:: 2026-12-04": a Dataview field
                text = _FIELD_MARK.sub(": ", text)
            box = _CHECKBOX.match(text)
            if box:
                item = _task((box.group(2) or "").strip(), box.group(1) != " ", section["heading"], lineno)
                out.tasks.append(item)
            else:
                item = {"text": text.strip(), "line": lineno}
                section["bullets"].append(item)
                if item["text"][:1].isdigit() or item["text"][:1] in "UuLlRrEe*_":
                    _stamp(item["text"], lineno, out)
                    logged = leading_date(item["text"])  # "- 2026-11-19: Furnace replaced": a log line of its day
                    if logged is not None:
                        item["said"] = [*logged, None, 0, None]
            if when is not None and "said" not in item:
                item["said"] = when
            if subject:
                item["re"] = subject
            continue
        if item is not None and line[0] in " \t":
            item["text"] = f"{item['text']} {line.strip()}".strip()
            if "end" in item:
                item["end"] = lineno
        else:
            item = None
            if first.isdigit() or first in "UuLlRrEe*_":
                _stamp(line, lineno, out)
            if para is None and (first.isalnum()) and len(line) <= 40 and _DATE_LINE.match(line):
                # a page's own date on a line of its own ("Oct 5", "Tues 10/20", "Sun 15 Nov"): a
                # notebook's or a log's heading in all but its marks, dating what follows it
                close(section)
                name = line.strip().rstrip(".:")
                while stack and stack[-1][0] >= _DATE_LEVEL:
                    stack.pop()
                section = {"heading": name, "level": _DATE_LEVEL, "parents": [h for _, h in stack],
                           "start": lineno, "end": lineno, "body": i, "bullets": [], "paras": []}
                stack.append((_DATE_LEVEL, name))
                item = table = fields = None
                continue
            quoted = first == ">"
            # a quoted e-mail or message is prose too ("> Laurel & Finch will not renew"): what
            # someone wrote about the business; a quote is a paragraph of its own
            text = _CALLOUT.sub("", _QUOTE.sub("", line)).strip() if quoted else line.strip()
            field = _FIELD.match(text) if "::" in text else None
            if field:  # "status:: blocked", "asking:: $1,875/mo": the page's fields, one item
                para = None
                entry = f"{field.group(1).strip()}: {field.group(2).strip()}"
                if fields is None:
                    fields = {"text": entry, "line": lineno}
                    section["bullets"].append(fields)
                else:
                    fields["text"] += f"; {entry}"
                continue
            fields = None
            if text == "--":
                signature = True  # "-- / Luis Ortega / Site Manager / (828) 555-0147"
            if not text or signature:
                para = None
                continue
            if text[:2] == "**" and (posted := _POSTED.match(text)):  # "**Sam** 10:15 AM — Wed Nov 18"
                when, para, talk = _posted(posted, when), None, True
                continue
            if text[:2] == "**" and (posted := _POSTED_ON.match(text)):  # "**maya** — 10/14/2026 3:48 PM"
                when, para, talk = _chat_time(posted, when), None, True
                continue
            meta, when, subject = _who_when(text, when, subject)
            if meta:  # "From: …", "Date: …", "On Fri, Nov 20 … wrote:", "Begin forwarded message:"
                para, talk = None, False
                continue
            chat = _CHAT.match(text) if text[0] == "[" else _CHAT_DASH.match(text) if text[0].isdigit() else None
            if chat:  # "[Mon 09:12] dana: generator cut out": one message, one paragraph
                when, text, para, talk = _chat_time(chat, when), text[chat.end():].strip(), None, True
            if not any(c.isalpha() for c in text) and not text.isascii():
                para = None
                continue  # "> 👍 2  💯 1": a chat message's reactions
            if first != "<":  # (HTML is not the note's own prose)
                if para is None and ("date" in text or "pdated" in text or "ed on" in text or "ritten" in text):
                    _stamp(text, lineno, out)  # "Prepared by Coastline · statement date 2026-11-03"
                if para is None or para.get("quoted", False) != quoted:
                    para = {"text": text, "line": lineno, "starts": [0]}
                    if quoted:
                        para["quoted"] = True
                    if when is not None:
                        para["said"] = when
                        if talk:
                            para["chat"] = True  # (its sentences read with the messages around it)
                    if subject:
                        para["re"] = subject
                    section["paras"].append(para)
                elif para["text"][-1:] == "-" and para["text"][-2:-1].islower() and text[:1].islower():
                    # a word broken at the page's width ("needs a new igni-" / "tion control board")
                    para["starts"].append(len(para["text"]) - 1)
                    para["text"] = f"{para['text'][:-1]}{text}"
                else:
                    para["starts"].append(len(para["text"]) + 1)
                    para["text"] = f"{para['text']} {text}"
    close(section)
    for sec in out.sections:  # dates once continuation lines are joined
        sec["paras"] = [sentence for n, p in enumerate(sec["paras"]) for sentence in sentences(p, n)]
        for b in (*sec["bullets"], *sec["paras"]):
            found = find_dates(b["text"])
            if found:
                b["dates"] = [list(f) for f in found]
    return out


_QUOTE = re.compile(r"^(?:\s*>)+\s?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[*_])")
# a full stop that ends no sentence: after a title, "e.g.", a month ("Dec. 15") or an initial
# ("St." and "Inc." end sentences as often as not, so they do)
_ABBREVIATED = 8  # characters: the longest abbreviation, "approx.", and the boundary before it
_ABBREVIATION = re.compile(r"(?:\b(?:dr|mr|mrs|ms|no|vs|approx|e\.g|i\.e|jan|feb|mar|apr|"
                           r"jun|jul|aug|sep|sept|oct|nov|dec)|\b[A-Z])\.$", re.I)


# a sentence opening with a pronoun that points back ("They have invoked the penalty clause",
# "It has been vacant since September") means nothing without the one before it
# ("That's sorted", "That's the second time this month" point back too; "It's raining" need not)
_POINTS_BACK = re.compile(r"(?:they|it|he|she|this|these|those|that)\b(?!['’]s\b)|that['’]s\b", re.I)
_JOINED = 3  # sentences at most in one item (a long chain of "It ..." is several items)
# a sentence of a few words says something only of the one before it: "… $140 a month for
# that. Cancel.", "Pinewood paid October and November together, $1,800. Done ✅", "Not booked
# yet."; so does one ending on what the one before named: "ZenMaid is still charging $49 a
# month. Nobody has cancelled it."; unless it states an amount of its own ("Loft $2,410 of
# stays. Okoro Consulting $5,500.": two businesses' figures)
_FRAGMENT = 4  # words at most: "No workshop dates set.", "Five minutes to fix."
_ENDING_BACK = 6  # words at most, ending on "it" ("… forbid it" in a long sentence is its own)
_WORD = re.compile(r"\w+")
_MONEY = re.compile(r"[$£€]\s?\d")
_ENDS_BACK = re.compile(r"\b(?:it|them|that)\W*$", re.I)


# the words of a sentence where a speaker changes the subject ("Um, what else.", "Okay, moving on.")
_FILLER = frozenset("""okay ok um uh umm erm hmm so yeah yep right anyway anyways alright well oh what else that
that's thats it is for now good great cool fine and then let me think sorry all moving on next thing what's
""".split())
# a letter's or message's close: "Kind regards, Castle Brokers.", "Thanks, Dana."
_SIGN_OFF = re.compile(r"(?:(?:kind|best|warm|many)\s+)?regards\b|thanks\b|thank you\b|cheers\b|best\b|"
                       r"sincerely\b|sent from\b", re.I)


def filler(text: str) -> bool:
    """Whether a sentence says nothing but that the speaker moves on ("Anyway.", "Um, what else.")."""
    words = re.findall(r"[a-z']+", text.lower())
    return 0 < len(words) <= 6 and all(w in _FILLER for w in words)


def _joins(text: str, begin: int, end: int) -> bool:
    """Whether the sentence at ``text[begin:end]`` belongs with the one before it: it points
    back, or is a fragment of a few words, and no amount, filler or sign-off."""
    if _POINTS_BACK.match(text, begin):
        return True
    if _MONEY.search(text, begin, end) or _SIGN_OFF.match(text, begin):
        return False
    most = _ENDING_BACK if _ENDS_BACK.search(text, begin, end) else _FRAGMENT
    words = 0
    for _ in _WORD.finditer(text, begin, end):
        words += 1
        if words > most:
            return False
    return not filler(text[begin:end])  # (a change of subject: notes read it so)


def sentences(para: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """A paragraph's sentences, each with the line it starts on and the paragraph's number.

    A sentence that opens with a pronoun pointing back stays with the sentence before it, as
    one item: "Greenleaf's contract promises 98% on time. They have invoked the penalty clause.";
    so does a sentence of a few words ("… $140 a month for that. Cancel.").
    """
    text, starts, out = para["text"], para["starts"], []
    begin, joined = 0, 1
    for m in _SENTENCE_END.finditer(text):
        # (the abbreviation ends the sentence: searched in its last few characters only, the
        # word boundary before them still seen; a search of the whole sentence cost ~11 µs)
        if _ABBREVIATION.search(text, max(begin, m.start() - _ABBREVIATED), m.start()):
            continue
        if out and joined < _JOINED and _joins(text, begin, m.start()):
            out[-1] = (out[-1][0], f"{out[-1][1]} {text[begin:m.start()].strip()}")
            joined += 1
        else:
            out.append((begin, text[begin:m.start()].strip()))
            joined = 1
        begin = m.end()
    if out and joined < _JOINED and _joins(text, begin, len(text)):
        out[-1] = (out[-1][0], f"{out[-1][1]} {text[begin:].strip()}")
    else:
        out.append((begin, text[begin:].strip()))
    said = {key: para[key] for key in ("said", "re", "chat") if key in para}
    return [{"text": sentence, "line": para["line"] + bisect_right(starts, at) - 1, "para": n, **said}
            for at, sentence in out if sentence]


# The lines of an e-mail or a chat export that say who wrote when rather than what: headers,
# "On … wrote:", forward markers, a chat export's title line.
_MAIL_HEADER = re.compile(r"^(from|date|sent|to|cc|bcc|subject|reply-to)\s*:\s", re.I)
_WROTE = re.compile(r"^on\s.{6,200}\bwrote:?$", re.I)
_FORWARD = re.compile(r"^(?:-{2,}\s*(?:forwarded message|original message)\s*-{2,}|begin forwarded message:?)$", re.I)
_CHAT_TITLE = re.compile(r"\b(?:chat|slack|whatsapp|teams|messages|transcript)\b.*\bexport\b|"
                         r"\bexport\b.*\b(?:chat|slack|whatsapp|teams|messages)\b|^-{3,}.*-{3,}$", re.I)
_CHAT = re.compile(r"\[(?:(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?,?\s+)?"
                   r"(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?m\.?)?\]\s*", re.I)
# an Android WhatsApp export's line: "03/11/2026, 22:14 - Sam Doyle: …", "11/23/26, 8:14 PM - Sam: …"
# (the same groups as _CHAT's: weekday (never there), month, day, year, hour, minute, am/pm)
_CHAT_DASH = re.compile(r"((?!))?(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?::\d{2})?"
                        r"(?:\s*([ap])\.?m\.?)?\s+[-–]\s+", re.I)
# a Slack or Teams export's message header: "**Sam Whitfield** 10:15 AM — Wed Nov 18", "**Priya** 9:04 AM"
_POSTED = re.compile(r"\*\*[^*\n]{1,40}\*\*\s+(\d{1,2}):(\d{2})\s*([ap])\.?m\.?"
                     r"(?:\s*[—–-]\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(.{3,20}))?\s*$", re.I)
# a Discord export's message header, its day then its time: "**maya** — 10/14/2026 3:48 PM" (the
# same groups as _CHAT's: weekday (never there), month, day, year, hour, minute, am/pm)
_POSTED_ON = re.compile(r"\*\*[^*\n]{1,40}\*\*\s*[—–-]\s*((?!))?(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),?\s+(?:at\s+)?"
                        r"(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?m\.?)?\s*$", re.I)
# Obsidian: "> [!warning] Lost a driver" (a callout), "status:: blocked" (a Dataview field)
_CALLOUT = re.compile(r"^\s*\[![\w-]+\][+-]?\s*")
_FIELD = re.compile(r"^([A-Za-z][\w -]{0,30}?)::\s*(.*)$")
_FIELD_MARK = re.compile(r"(?<=\w)::\s*")
_REPLY = re.compile(r"^(?:\s*(?:re|fwd?|aw|tr|sv)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?m\b)?", re.I)
_WEEKDAYS = {name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


def _minutes(hour: str, minute: str, half: str | None) -> int:
    h = int(hour) % 12 + (12 if half and half.lower() == "p" else 0) if half else int(hour)
    return h * 60 + int(minute)


def _who_when(text: str, when: list[Any] | None, subject: str | None) -> tuple[bool, list[Any] | None, str | None]:
    """Whether a line says who wrote when (not what); the date the lines after it were
    written on (an e-mail's ``Date:``/``Sent:`` or "On Fri, Nov 20, 2026 at 3:40 PM … wrote:",
    a chat export's title: "chat export #ridgeway-ops, Nov 19"); and what they are about
    (its ``Subject:``, without "Re:" and "Fwd:")."""
    # (cheap tests first: nearly every line of a note is none of these)
    header = _MAIL_HEADER.match(text) if ":" in text[:12] else None
    if header:
        key = header.group(1).lower()
        if key in ("date", "sent"):  # ("Sent: the invoice to Reyes" is a line of a log)
            dated = _dated(text[header.end():])
            return (True, dated, subject) if dated is not None else (False, when, subject)
        if key == "subject":
            return True, when, _REPLY.sub("", text[header.end():]).strip() or subject
        # "From: Dana <dana@…>"; ("To: do list" is not a header)
        return "@" in text or "<" in text, when, subject
    lead = text[:2].lower()
    if (lead == "on" and _WROTE.match(text)) or (lead in ("--", "be") and _FORWARD.match(text)):
        return True, _dated(text) or when, subject
    if ("xport" in text or "XPORT" in text or text.startswith("---")) and _CHAT_TITLE.search(text):
        dated = _dated(text)
        if dated is not None:
            return True, dated, subject
    return False, when, subject


def _dated(text: str) -> list[Any] | None:
    found = find_dates(text)
    if not found:
        return None
    clock = _CLOCK.search(text)
    return [*found[0], None, 0, _minutes(*clock.groups()) if clock else None]


def _posted(header: re.Match[str], when: list[Any] | None) -> list[Any]:
    """The time (and day, where it says) a chat export's message header gives."""
    hour, minute, half, day = header.groups()
    out = list(when) if when is not None else [None, None, None, None, 0, None]
    found = leading_date(day.strip(), yearless=True) if day else None
    if found is not None:
        out[:5] = [found[0], found[1], found[2], None, 0]
    out[5] = _minutes(hour, minute, half)
    return out


def _chat_time(chat: re.Match[str], when: list[Any] | None) -> list[Any]:
    """The time a chat line gives ("[Tue 13:05]"), on the day its weekday moves to from the
    line before (a chat export runs forward: Mon, Mon, Tue, Thu)."""
    day, month, date_, year, hour, minute, half = chat.groups()
    out = list(when) if when is not None else [None, None, None, None, 0, None]
    if month:  # "[11/16 07:02]": month first, unless the first number cannot be a month
        first, second = int(month), int(date_)
        full = (int(year) + (2000 if len(year) == 2 else 0)) if year else None
        # (a date either order could give is marked "?", with its year: the organisation's
        # order decides, when the note is built)
        either = first <= 12 and second <= 12 and first != second
        out[:5] = [f"?{full or ''}" if either else full, *((second, first) if first > 12 else (first, second)), None, 0]
    elif day:
        weekday = _WEEKDAYS[day.lower()[:3]]
        if out[3] is None:
            out[3], out[4] = weekday, 0
        else:
            out[4] += (weekday - (out[3] + out[4])) % 7
    out[5] = _minutes(hour, minute, half)
    return out


def cells_of(line: str) -> list[str]:
    """The cells of a pipe-table line; ``\\|`` is a literal pipe inside a cell."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip().replace("\\|", "|") for c in _PIPE.split(s)]


@lru_cache(maxsize=1024)  # notes in one folder tend to share their table headers
def header_keys(header: tuple[str, ...]) -> tuple[str, ...]:
    """Header cells as record keys: lower-case, spaces → ``_``, no punctuation, unique."""
    keys: list[str] = []
    for n, cell in enumerate(header, 1):
        key = re.sub(r"\s+", "_", re.sub(r"[^\w\s]", "", cell.lower()).strip()) or f"column_{n}"
        base, k = key, 2
        while key in keys:  # a repeated header would silently overwrite a cell
            key, k = f"{base}_{k}", k + 1
        keys.append(key)
    return tuple(keys)


def _lead_in(lines: list[str], header: int, first: int) -> str | None:
    """What leads into a table (one blank line between allowed), within its section: the
    list line just before it ("- obk billing run for dec:"), or the whole prose paragraph
    ("Bluestack IT: retainers as I have them, pasted from my sheet. …"); else None."""
    for k in (header - 1, header - 2):
        if k < first or k < 0:
            return None
        text = _QUOTE.sub("", lines[k]).strip()
        if not text:
            continue
        if text.startswith(("#", "|", "```", "~~~")):
            return None
        if _BULLET.match(text):
            return text.lstrip("-*+ ").strip() or None
        paragraph = [text]  # a paragraph's lines, up to six, from its last one up
        while k - 1 >= max(first, 0) and len(paragraph) < 6:
            k -= 1
            above = _QUOTE.sub("", lines[k]).strip()
            if not above or above.startswith(("#", "|", "```", "~~~")) or _BULLET.match(above):
                break
            paragraph.insert(0, above)
        return " ".join(paragraph)
    return None


def _row(line: str, lineno: int, keys: tuple[str, ...], heading: str,
         problems: list[list[Any]]) -> list[Any]:
    cells = cells_of(line)
    if len(cells) != len(keys):
        problems.append([lineno, (
            f"table row has {len(cells)} cells, header has {len(keys)}: "
            "add or remove '|' so they match (missing cells read as empty, extra cells dropped)"
        )])
        cells = (cells + [""] * len(keys))[: len(keys)]
    return [lineno, line.strip(), heading, dict(zip(keys, cells))]
