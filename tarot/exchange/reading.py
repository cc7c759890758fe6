"""Reading an import: the uploaded bytes become the JSON document and, from a zip, its art."""

import io
import json
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .format import ARCHIVE_ART_PREFIX, ARCHIVE_DOCUMENT, ZIP_MAGIC
from .reporting import WHOLE_FILE, DeckImportError

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
ARCHIVE_MAX_ENTRIES = 1000
ARCHIVE_MAX_BYTES = 600 * 1024 * 1024


@dataclass
class DeckFile:
    """The decoded document, not yet checked, and a zip's art files by storage name."""

    document: object
    art_files: dict[str, bytes]
    is_archive: bool


def _refused(message: str, location: str = WHOLE_FILE) -> DeckImportError:
    return DeckImportError({location: [message]})


def deck_file_read(*, source: bytes) -> DeckFile:
    """Decode a deck file (JSON, or a zip of deck.json and art/…) within the size limits."""
    is_archive = source.startswith(ZIP_MAGIC)
    art_files: dict[str, bytes] = {}
    if is_archive:
        try:
            archive = zipfile.ZipFile(io.BytesIO(source))
            entries = archive.infolist()
        except zipfile.BadZipFile as error:
            raise _refused(_("Not a readable zip file: %s") % error) from None
        if len(entries) > ARCHIVE_MAX_ENTRIES:
            raise _refused(_("The zip has too many files."))
        if sum(entry.file_size for entry in entries) > ARCHIVE_MAX_BYTES:
            raise _refused(_("The zip unpacks to more than 600 MB."))
        names = {entry.filename for entry in entries if not entry.is_dir()}
        if ARCHIVE_DOCUMENT not in names:
            raise _refused(_("The zip has no deck.json."))
        for name in sorted(names - {ARCHIVE_DOCUMENT}):
            if not name.startswith(ARCHIVE_ART_PREFIX):
                raise _refused(_("unexpected file in the zip (only art/…)"), location=name)
            art_files[name.removeprefix(ARCHIVE_ART_PREFIX)] = archive.read(name)
        source = archive.read(ARCHIVE_DOCUMENT)
    if len(source) > DOCUMENT_MAX_BYTES:
        raise _refused(_("The deck file is larger than 20 MB."))
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _refused(_("Not UTF-8 text (byte %(at)s).") % {"at": error.start}) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _refused(
            _("Not valid JSON: %(reason)s.") % {"reason": error.msg},
            location=f"line {error.lineno}, column {error.colno}",
        ) from None
    return DeckFile(document=document, art_files=art_files, is_archive=is_archive)
