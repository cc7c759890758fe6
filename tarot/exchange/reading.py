"""Reading an import: the uploaded bytes become the JSON document and, from a zip, its art.

The bytes come from an upload, so nothing in them is trusted and every cost is bounded before
it is paid; whatever is wrong is reported at its place (``art/the-fool.png``, ``line 3, column
7``, ``cards[3].name.ko``), never raised as the library's exception:
- a zip is judged by its list of entries before anything is unpacked (the list's size, how
  many entries, their names, encryption, compression methods, declared sizes and ratios);
  each entry is then unpacked in chunks and cut at its limit whatever its header declared;
- the JSON's nesting is measured before it is parsed; then text that cannot be stored (NUL,
  an unpaired surrogate), a key given twice, or an object with too many keys is refused.
"""

import io
import itertools
import json
import re
import struct
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..validation import ART_MAX_BYTES
from .format import ARCHIVE_ART_PREFIX, ARCHIVE_DOCUMENT, ZIP_MAGIC
from .reporting import WHOLE_FILE, DeckImportError, Problems, join_location

MEGABYTE = 1024 * 1024
# The standard deck exports to 0.3 MB. Parsed, JSON can take 25 times its size (a file of
# empty objects), so this also bounds the parsed document to about 50 MB.
DOCUMENT_MAX_BYTES = 2 * MEGABYTE
# The format nests 6 levels (spreads[0].positions[0].name.ko); the parser recurses per level.
DOCUMENT_MAX_DEPTH = 16
# An entry has at most 24 fields; each key beyond them would become a problem to report.
OBJECT_MAX_KEYS = 100
# Text problems can be as many as the strings in the file: the first ones make the point.
TEXT_PROBLEMS_MAX = 100

# deck.json and an image per card, with room to spare.
ARCHIVE_MAX_ENTRIES = 1000
# ZipFile reads the whole list of entries at once (and half a kilobyte per entry) before any
# entry can be judged, so the list's size, from the zip's end record, is judged first.
ARCHIVE_DIRECTORY_MAX_BYTES = 1 * MEGABYTE
# An import holds the upload, and each art file unpacked and then re-encoded, in memory: 64 MB
# keeps a worker's peak near 300 MB (of the web pod's 512 MiB) and holds a deck with an 800 KB
# image on each of its 78 cards. 78 images at the 5 MB upload limit would not fit a pod at all.
ARCHIVE_MAX_BYTES = 64 * MEGABYTE
# Images hardly compress and the JSON about 3 to 1; zeros, a zip bomb's filling, 1000 to 1.
ARCHIVE_MAX_RATIO = 100
# Deflate, as export writes, or none. bzip2 and LZMA inflate without a bound per read.
ARCHIVE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# zipfile's _MASK_ENCRYPTED: the entry needs a password.
ENCRYPTED_FLAG = 0x1
# The largest file accepted: what a zip may unpack to, plus its headers.
DECK_FILE_MAX_BYTES = ARCHIVE_MAX_BYTES + ARCHIVE_DIRECTORY_MAX_BYTES
# Deflate returns at most this much per read, however much the compressed bytes expand.
READ_CHUNK_BYTES = 64 * 1024

# zipfile's structEndArchive: the end record, whose sixth field is the list's size.
END_RECORD = struct.Struct("<4s4H2LH")
END_RECORD_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20
ZIP64_END_RECORD_SIGNATURE = b"PK\x06\x06"
ZIP64_END_RECORD_SIZE = 56
ZIP64_DIRECTORY_SIZE_OFFSET = 40
# Where zipfile looks for the end record when it is not last: the room a comment may take.
ZIP_COMMENT_ROOM = 1 << 16

# A JSON string, skipped whole because brackets inside it do not nest, or a bracket.
JSON_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.DOTALL)
# JSON can escape half of a UTF-16 pair alone ("\ud800"): not a character, so no encoding
# (the database's, the page's) can write it. A whole pair is decoded to one character.
UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class DeckFile:
    """The decoded document, not yet checked, and a zip's art files by storage name."""

    document: object
    art_files: dict[str, bytes]
    is_archive: bool


def _refused(message: str, location: str = WHOLE_FILE) -> DeckImportError:
    return DeckImportError({location: [message]})


def _megabytes(size: int) -> int:
    return size // MEGABYTE


def is_plain_relative_name(name: str) -> bool:
    """A path that stays inside the folder it is unpacked or stored in: no "..", no "/" first,
    no "." or empty part, no backslash (a separator on Windows)."""
    return "\\" not in name and all(part not in ("", ".", "..") for part in name.split("/"))


def deck_file_read(*, source: bytes) -> DeckFile:
    """Decode a deck file (JSON, or a zip of deck.json and art/…) within the limits above."""
    if source.startswith(ZIP_MAGIC):
        if len(source) > DECK_FILE_MAX_BYTES:
            raise _refused(
                _("The zip is larger than %(megabytes)s MB.")
                % {"megabytes": _megabytes(DECK_FILE_MAX_BYTES)}
            )
        document, art_files = _archive_read(source)
        return DeckFile(document=_document_read(document), art_files=art_files, is_archive=True)
    if len(source) > DOCUMENT_MAX_BYTES:
        raise _refused(
            _("The deck file is larger than %(megabytes)s MB.")
            % {"megabytes": _megabytes(DOCUMENT_MAX_BYTES)}
        )
    return DeckFile(document=_document_read(source), art_files={}, is_archive=False)


# --------------------------------------------------------------------------- the zip


def _listed_directory_size(source: bytes) -> int:
    """The size of the zip's list of entries as ZipFile will read it: from the end record,
    found the way zipfile finds it (last, else before a comment), or from the zip64 end
    record that zipfile reads instead when one precedes it. 0 when there is no end record."""
    end = len(source) - END_RECORD.size
    if end >= 0 and source.startswith(END_RECORD_SIGNATURE, end) and source.endswith(b"\0\0"):
        start = end
    else:
        start = source.rfind(END_RECORD_SIGNATURE, max(end - ZIP_COMMENT_ROOM, 0))
        if start < 0 or start + END_RECORD.size > len(source):
            return 0
    size = END_RECORD.unpack_from(source, start)[5]
    record = start - ZIP64_LOCATOR_SIZE - ZIP64_END_RECORD_SIZE
    if (
        record >= 0
        and source.startswith(ZIP64_LOCATOR_SIGNATURE, start - ZIP64_LOCATOR_SIZE)
        and source.startswith(ZIP64_END_RECORD_SIGNATURE, record)
    ):
        (size,) = struct.unpack_from("<Q", source, record + ZIP64_DIRECTORY_SIZE_OFFSET)
    return size


def _entry_max_bytes(entry: zipfile.ZipInfo) -> int:
    return DOCUMENT_MAX_BYTES if entry.filename == ARCHIVE_DOCUMENT else ART_MAX_BYTES


def _too_large(limit: int) -> str:
    return _("unpacks to more than %(megabytes)s MB") % {"megabytes": _megabytes(limit)}


def _archive_too_large() -> str:
    return _("The zip unpacks to more than %(megabytes)s MB.") % {
        "megabytes": _megabytes(ARCHIVE_MAX_BYTES)
    }


def _entry_problem(entry: zipfile.ZipInfo) -> str | None:
    """What is wrong with an entry that can be seen without unpacking it."""
    name = entry.filename.removesuffix("/") if entry.is_dir() else entry.filename
    if not is_plain_relative_name(name):
        return _("is not a plain relative file name")
    if entry.is_dir():
        return None
    if entry.filename != ARCHIVE_DOCUMENT and not entry.filename.startswith(ARCHIVE_ART_PREFIX):
        return _("unexpected file in the zip (only art/…)")
    if entry.flag_bits & ENCRYPTED_FLAG:
        return _("is encrypted; zip it again without a password")
    if entry.compress_type not in ARCHIVE_METHODS:
        return _("is compressed with a method this site does not read (only deflate, or none)")
    if entry.file_size > _entry_max_bytes(entry):
        return _too_large(_entry_max_bytes(entry))
    if entry.file_size > ARCHIVE_MAX_RATIO * max(entry.compress_size, 1):
        return _("is compressed more than %(ratio)s to 1, which no deck file needs") % {
            "ratio": ARCHIVE_MAX_RATIO
        }
    return None


def _entries_judged(entries: list[zipfile.ZipInfo]) -> Problems:
    problems = Problems()
    for name, count in Counter(entry.filename for entry in entries).items():
        if count > 1:
            problems.add(name, _("is in the zip more than once"))
    for entry in entries:
        problem = _entry_problem(entry)
        if problem:
            problems.add(entry.filename, problem)
    files = [entry for entry in entries if not entry.is_dir()]
    if ARCHIVE_DOCUMENT not in {entry.filename for entry in files}:
        problems.add(WHOLE_FILE, _("The zip has no deck.json."))
    if sum(entry.file_size for entry in files) > ARCHIVE_MAX_BYTES:
        problems.add(WHOLE_FILE, _archive_too_large())
    return problems


def _entry_read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """The entry unpacked chunk by chunk, stopping once it passes ``max_bytes``: its header's
    size is the sender's word, and ZipFile.read() inflates up to a gigabyte at once before
    it cuts the result to that size."""
    content = bytearray()
    with archive.open(entry) as member:
        while len(content) <= max_bytes:
            chunk = member.read(READ_CHUNK_BYTES)
            if not chunk:
                break
            content += chunk
    return bytes(content)


def _entries_unpacked(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    problems = Problems()
    contents: dict[str, bytes] = {}
    remaining = ARCHIVE_MAX_BYTES
    for entry in files:
        max_bytes = _entry_max_bytes(entry)
        try:
            content = _entry_read(archive, entry, min(max_bytes, remaining))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as error:
            reason = str(error) or _("the data ends too early")
            problems.add(entry.filename, _("cannot be unpacked: %s") % reason)
            continue
        if len(content) > max_bytes:
            problems.add(entry.filename, _too_large(max_bytes))
        elif len(content) > remaining:
            raise _refused(_archive_too_large())
        else:
            contents[entry.filename] = content
            remaining -= len(content)
    problems.raise_if_any()
    return contents


def _archive_read(source: bytes) -> tuple[bytes, dict[str, bytes]]:
    """deck.json's bytes and the art files by storage name; every entry is judged before any
    is unpacked, and unpacking stops at each entry's limit and at the zip's."""
    if _listed_directory_size(source) > ARCHIVE_DIRECTORY_MAX_BYTES:
        raise _refused(
            _("The zip's list of files is larger than %(megabytes)s MB.")
            % {"megabytes": _megabytes(ARCHIVE_DIRECTORY_MAX_BYTES)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(source))
    except (zipfile.BadZipFile, NotImplementedError, ValueError) as error:
        # ValueError: a name flagged UTF-8 that is not, or offsets pointing before the file.
        raise _refused(_("Not a readable zip file: %s") % error) from None
    entries = archive.infolist()
    if len(entries) > ARCHIVE_MAX_ENTRIES:
        raise _refused(_("The zip has too many files."))
    _entries_judged(entries).raise_if_any()
    contents = _entries_unpacked(archive, [entry for entry in entries if not entry.is_dir()])
    document = contents.pop(ARCHIVE_DOCUMENT)
    art_files = {
        name.removeprefix(ARCHIVE_ART_PREFIX): content for name, content in contents.items()
    }
    return document, art_files


# --------------------------------------------------------------------------- the JSON


def _line_and_column(text: str, position: int) -> str:
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return f"line {line}, column {column}"


def _too_deep_at(text: str) -> int | None:
    """Where the JSON first nests deeper than DOCUMENT_MAX_DEPTH, or None."""
    depth = 0
    for token in JSON_STRING_OR_BRACKET.finditer(text):
        character = text[token.start()]
        if character in "[{":
            depth += 1
            if depth > DOCUMENT_MAX_DEPTH:
                return token.start()
        elif character in "]}":
            depth -= 1
    return None


class _ObjectWithRepeatedKeys(dict):
    """A JSON object that gave some keys more than once; the parser kept each one's last value,
    which someone reading the file may not have seen."""

    repeated: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, object]]) -> dict:
    values = dict(pairs)
    if len(values) == len(pairs):
        return values
    values = _ObjectWithRepeatedKeys(values)
    counts = Counter(key for key, _value in pairs)
    values.repeated = tuple(key for key, count in counts.items() if count > 1)
    return values


def _printable(text: str) -> str:
    """The text with what no page or terminal can show (NUL, unpaired surrogates) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\0", "\\u0000")


def _text_problem(text: str) -> str | None:
    if "\0" in text:
        # PostgreSQL cannot store NUL in text.
        return _("contains a NUL character (\\u0000), which cannot be stored")
    surrogate = UNPAIRED_SURROGATE.search(text)
    if surrogate:
        return _("contains %(code)s, half of a character (an unpaired surrogate)") % {
            "code": f"\\u{ord(surrogate[0]):04x}"
        }
    return None


def _text_problems(value: object, location: str) -> Iterator[tuple[str, str]]:
    """(location, problem) for each string or key that cannot be stored, each key given twice
    and each object with more keys than any entry has. The depth is bounded already."""
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            yield location, problem
    elif isinstance(value, dict):
        if len(value) > OBJECT_MAX_KEYS:
            yield location, _("has more than %(count)s fields") % {"count": OBJECT_MAX_KEYS}
            return
        for key in getattr(value, "repeated", ()):
            yield (
                join_location(location, _printable(key)),
                _("appears more than once in the same object"),
            )
        for key, item in value.items():
            place = join_location(location, _printable(key))
            problem = _text_problem(key)
            if problem:
                yield place, problem
            yield from _text_problems(item, place)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str | dict | list):
                yield from _text_problems(item, join_location(location, index))


def _document_read(source: bytes) -> object:
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _refused(_("Not UTF-8 text (byte %(at)s).") % {"at": error.start}) from None
    too_deep = _too_deep_at(text)
    if too_deep is not None:
        raise _refused(
            _("The JSON nests deeper than %(levels)s levels.") % {"levels": DOCUMENT_MAX_DEPTH},
            location=_line_and_column(text, too_deep),
        )
    try:
        document = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as error:
        raise _refused(
            _("Not valid JSON: %(reason)s.") % {"reason": error.msg},
            location=f"line {error.lineno}, column {error.colno}",
        ) from None
    except ValueError:
        # The only other ValueError: an integer longer than Python converts from text.
        raise _refused(
            _("Not valid JSON: a number has more than %(digits)s digits.")
            % {"digits": sys.get_int_max_str_digits()}
        ) from None
    problems = Problems()
    found = _text_problems(document, "")
    for location, problem in itertools.islice(found, TEXT_PROBLEMS_MAX):
        problems.add(location, problem)
    if next(found, None) is not None:
        problems.add(
            WHOLE_FILE,
            _("More problems like these follow; only the first %(count)s are listed.")
            % {"count": TEXT_PROBLEMS_MAX},
        )
    problems.raise_if_any()
    return document
