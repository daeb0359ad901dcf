"""Reading the CSV files Excel and other CRMs really write: the encoding, the delimiter, the rows.

Pure (bytes in, a table out). Encodings: UTF-8 with or without a BOM, UTF-16 (Excel's
"Unicode text"), Big5 (Taiwan Excel; read as cp950, Microsoft's Big5, which Excel writes) and
GB18030 (mainland Excel; a superset of GBK and GB2312), or Windows-1252 (Western Excel).
A file no candidate reads whole, or one that is mostly UTF-8 with some other bytes mixed in,
is refused with EncodingProblem (never read as Latin-1, which reads anything, garbled).
GB18030 decodes nearly any bytes without an error ("Müller" in Windows-1252 reads as
"M黮ler"), so the candidates that decode are ranked by how garbled each reading looks, by
charset-normalizer's mess detector (a maintained one, rather than rules of our own), then by
where the bytes fall (Big5 keeps its everyday characters in 0xA440-0xC67E, GB2312 in
0xB0A1-0xF7FE) and how many Chinese headers each reading makes known (`csv_columns`). The
guess carries a confidence; below `CERTAIN` the import says it is a guess. Delimiters:
`csv.Sniffer`, checked by how evenly each candidate splits the first rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from salesdev_tui.domain.csv_columns import guess_field
from salesdev_tui.domain.input_limits import MAX_LINE_BYTES, longest_line_problem, mib
from salesdev_tui.i18n import _

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "CsvTable",
    "CERTAIN",
    "EncodingGuess",
    "EncodingProblem",
    "ReadProblem",
    "TableRows",
    "detect_delimiter",
    "detect_encoding",
    "guess_encoding",
    "read_table",
]

#: The encodings offered to the rep (codec name -> what to call it).
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp950": "Big5",
    "gb18030": "GB18030",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}

#: A guess at least this confident is shown as certain (below it, the rep is told to check).
CERTAIN = 0.9

#: Delimiters recognised (and offered), with their names.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}

_SAMPLE = 256 * 1024
# A field can hold a whole page of notes (Python's default limit is 128 KiB), and no more than
# the longest line an import reads.
csv.field_size_limit(MAX_LINE_BYTES)


class ReadProblem(ValueError):
    """The file cannot be read as a table; the message says why, in plain words."""


class EncodingProblem(ReadProblem):
    """No encoding reads the whole file; the rep has to say which one it is."""


@dataclass(frozen=True)
class CsvTable:
    """A file read as a table: the header, then every non-blank row with its line number."""

    headers: list[str]
    #: (line number of the row's first line, its cells); the header is line 1. A CSV file's
    #: rows are `TableRows` (read from its bytes when walked), a workbook's a list.
    rows: Sequence[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    #: How sure the encoding is: 1.0 when given or certain (a BOM, valid UTF-8), else a guess.
    confidence: float = 1.0
    #: The rep gave the encoding (--encoding, the wizard's choice): nothing was guessed.
    encoding_given: bool = False
    #: What the file was: "csv", "xlsx" (row numbers are the sheet's) or "vcf" (one row a
    #: card, numbered from 1).
    kind: str = "csv"


@dataclass(frozen=True)
class EncodingGuess:
    """An encoding and how sure the guess is (0-1)."""

    encoding: str
    confidence: float

    @property
    def certain(self) -> bool:
        return self.confidence >= CERTAIN


def _pairs(data: bytes) -> Iterator[tuple[int, int]]:
    """The double-byte pairs of a DBCS text: a byte >= 0x81 and the one after it."""
    index, end = 0, len(data) - 1
    while index < end:
        lead = data[index]
        if lead >= 0x81:
            yield lead, data[index + 1]
            index += 2
        else:
            index += 1


def _big5_share(data: bytes) -> float:
    pairs = list(_pairs(data))
    good = sum(1 for lead, _t in pairs if 0xA1 <= lead <= 0xC6)
    return good / len(pairs) if pairs else 0.0


def _gb_share(data: bytes) -> float:
    pairs = list(_pairs(data))
    good = sum(1 for lead, trail in pairs
               if (0xB0 <= lead <= 0xF7 or 0xA1 <= lead <= 0xA3) and trail >= 0xA1)
    return good / len(pairs) if pairs else 0.0


def _decodes(data: bytes, encoding: str) -> str | None:
    """The sample decoded strictly, or None (a character cut at the sample's end is fine)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return str(decoder.decode(data, final=False))
    except UnicodeDecodeError:
        return None


def _known_headers(text: str) -> float:
    first = text.split("\n", 1)[0]
    cells = [c for c in first.replace(";", ",").replace("\t", ",").split(",") if c.strip()]
    if not cells:
        return 0.0
    return sum(1 for cell in cells if guess_field(cell.strip().strip('"'))) / len(cells)


def _mostly_utf8(data: bytes) -> bool:
    """True when `data` reads as UTF-8 but for a few bytes: characters of several bytes that
    only UTF-8 makes (another encoding reading them would garble them)."""
    text = data.decode("utf-8", errors="replace")
    multibyte = sum(1 for char in text if "\u0080" <= char <= "\U0010ffff" and char != "\ufffd")
    return multibyte >= 2 and multibyte >= text.count("\ufffd")


def detect_encoding(data: bytes) -> str:
    """The codec name of `data` (see `guess_encoding`)."""
    return guess_encoding(data).encoding


def _chaos(sample: bytes, candidates: list[str]) -> dict[str, float]:
    """How garbled each candidate's reading of `sample` looks (0: not at all), by
    charset-normalizer's mess detector; a reading it gives up on counts as fully garbled."""
    from charset_normalizer import from_bytes

    found = {codecs.lookup(m.encoding).name: m.chaos
             for m in from_bytes(sample, cp_isolation=candidates, threshold=1.0)}
    return {name: found.get(codecs.lookup(name).name, 1.0) for name in candidates}


def guess_encoding(data: bytes) -> EncodingGuess:
    """The encoding of `data` and how sure that is: BOMs, then UTF-8, then the candidate
    whose reading looks least garbled.

    Raises EncodingProblem when no candidate reads the sample (Latin-1 would read anything,
    garbled: it is never guessed) or when the sample is UTF-8 with other bytes mixed in.
    """
    if data.startswith(codecs.BOM_UTF8):
        return EncodingGuess("utf-8-sig", 1.0)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return EncodingGuess("utf-16", 1.0)
    sample = data[:_SAMPLE]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        # UTF-16 without a BOM: every ASCII character has a zero byte beside it.
        return EncodingGuess("utf-16-le" if sample[1] == 0 else "utf-16-be", 0.95)
    if _decodes(sample, "utf-8") is not None:
        return EncodingGuess("utf-8", 1.0)
    if _mostly_utf8(sample):
        raise _not_utf8(sample)
    texts = {name: text for name in ("cp950", "gb18030", "cp1252")
             if (text := _decodes(sample, name)) is not None}
    if not texts:
        raise EncodingProblem(_("it is not in an encoding salesdev recognises (UTF-8, UTF-16, "
                                "Big5, GB18030 or Windows-1252)"))
    chaos = _chaos(sample, list(texts))
    shares = {"cp950": _big5_share, "gb18030": _gb_share}
    hint = {name: (shares[name](sample) if name in shares else 0.0) + _known_headers(text)
            for name, text in texts.items()}
    # Least garbled first; a tie (short Chinese files read cleanly both ways) goes to where
    # the bytes fall and which headers are known.
    ranked = sorted(texts, key=lambda name: (round(chaos[name], 2), -hint[name]))
    best = ranked[0]
    if len(ranked) == 1:
        return EncodingGuess(best, round(0.95 * (1 - chaos[best]), 2))
    gap = chaos[ranked[1]] - chaos[best]
    if gap < 0.01:
        gap = min(0.4, abs(hint[best] - hint[ranked[1]]) / 2)
    return EncodingGuess(best, round(max(0.0, (1 - chaos[best]) * min(1.0, 0.5 + gap)), 2))


def _not_utf8(data: bytes) -> EncodingProblem:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    else:  # pragma: no cover - only called on bytes that are not UTF-8
        line = 1
    return EncodingProblem(_("it is UTF-8 text with other bytes mixed in (line {line} is not "
                             "UTF-8)").format(line=line))


def _split(sample: str, delimiter: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    if len(rows) > 1:
        rows = rows[:-1]  # the sample may end in the middle of a row
    return [row for row in rows if any(cell.strip() for cell in row)][:50]


def detect_delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, semicolon, tab or bar (comma when in doubt)."""
    sample = text[:65536]
    scores: dict[str, tuple[float, int]] = {}
    for delimiter in DELIMITERS:
        rows = _split(sample, delimiter)
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        even = sum(1 for row in rows if len(row) == width) / len(rows)
        scores[delimiter] = (even, width)
    if not scores:
        return ","
    best = max(scores, key=lambda d: scores[d])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return best
    # The sniffer breaks ties: when its choice splits the rows as evenly and as wide.
    return sniffed if scores.get(sniffed) == scores[best] else best


def decode(data: bytes, encoding: str) -> str:
    """The whole file as text; ReadProblem names the first byte the encoding cannot read."""
    try:
        codec = codecs.lookup(encoding)
    except (LookupError, UnicodeError):  # an unknown name, or one with invalid UTF-8 (argv)
        raise ReadProblem(_("unknown encoding: {name}").format(name=encoding)) from None
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingProblem(
            _("line {line} is not {encoding} text (choose another encoding)").format(
                line=line, encoding=encoding
            )
        ) from None
    return text.removeprefix("\ufeff")


def _walk(data: bytes, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank row of the file (the header first) with the line it starts on, read
    from the bytes as they are decoded: never the whole file as text or as a table."""
    codec = codecs.lookup(encoding).name
    lines: Iterator[str]
    if codec.startswith(("utf-16", "utf-32")):
        # Their stream decoders refuse what `bytes.decode` reads (no BOM): decoded whole.
        lines = io.StringIO(data.decode(codec), newline="")
    else:
        lines = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
    first = next(lines, "")
    # A BOM the codec keeps (UTF-8 read as "utf-8") is no part of the first header.
    reader = csv.reader(itertools.chain((first.removeprefix("\ufeff"),), lines),
                        delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadProblem(_("line {line} holds a value longer than {limit} MiB, the longest "
                                "salesdev reads").format(line=line,
                                                         limit=mib(MAX_LINE_BYTES))) from None
        raise ReadProblem(
            _("line {line} cannot be read: {why}").format(line=line, why=exc)
        ) from None


class TableRows(Sequence[tuple[int, list[str]]]):
    """A CSV file's rows after the header, read again from its bytes each time they are walked.

    A table of 100,000 rows as lists of strings is about 75 MB; its bytes are 15 MB. The import
    walks the rows once to check them and once to write the notes, so it holds only the
    bytes (issue 17.6). `read_table` has walked the file once: the rows are known to read.
    """

    def __init__(self, data: bytes, encoding: str, delimiter: str, count: int) -> None:
        self._data, self._encoding, self._delimiter = data, encoding, delimiter
        self._count = count

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return itertools.islice(_walk(self._data, self._encoding, self._delimiter), 1, None)

    def __len__(self) -> int:
        return self._count

    def __eq__(self, other: object) -> bool:
        """Equal to the same rows in a list (as a table read whole would hold them)."""
        if isinstance(other, TableRows | list | tuple):
            return len(other) == self._count and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like a list

    @overload
    def __getitem__(self, index: int) -> tuple[int, list[str]]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, list[str]]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[int, list[str]] | list[tuple[int, list[str]]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            return list(itertools.islice(iter(self), start, stop, step))
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError(index)
        return next(itertools.islice(iter(self), position, None))


def read_table(
    data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> CsvTable:
    """Read a CSV file's bytes; None means detect. Blank lines and blank rows are skipped.

    The whole file is decoded and read once here (an encoding error or a broken quote is
    told now, before anything is imported); the rows are read again when they are walked.
    """
    problem = longest_line_problem(data)
    if problem is not None:
        raise ReadProblem(problem)
    confidence, given = 1.0, encoding is not None
    if encoding is None:
        guess = guess_encoding(data)
        encoding, confidence = guess.encoding, guess.confidence
    text = decode(data, encoding)
    if delimiter is None:
        delimiter = detect_delimiter(text)
    elif len(delimiter) != 1:
        raise ReadProblem(_("the delimiter must be one character"))
    del text
    rows = _walk(data, encoding, delimiter)
    first = next(rows, None)
    if first is None:
        raise ReadProblem(_("the file is empty"))
    headers = [cell.strip() for cell in first[1]]
    count = sum(1 for _row in rows)
    return CsvTable(headers=headers, rows=TableRows(data, encoding, delimiter, count),
                    encoding=encoding, delimiter=delimiter, confidence=confidence,
                    encoding_given=given)
