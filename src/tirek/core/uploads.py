"""Uploads are bounded while they arrive, not only once they are complete.

Django writes an uploaded file larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, whatever its size,
and the checks of each kind of upload (a case document's scan, a journal to import) can only run once it has
arrived. This handler keeps at most TIREK_UPLOAD_MAX_BYTES + 1 bytes of any one file and drops the rest, while
the file's `size` stays the number of bytes that were sent: those checks then refuse it as too large, with
their own message, instead of seeing a file cut short. The proxy in front of Tirek (docs/deploy.md) refuses
larger requests before they reach it; this is the bound when it does not.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class BoundedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = settings.TIREK_UPLOAD_MAX_BYTES + 1 - start
        if room > 0:
            self.file.write(raw_data[:room])
