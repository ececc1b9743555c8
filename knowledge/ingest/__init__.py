"""Ingest a new plan document (.docx or text) into a draft plan file an officer reviews.

``ingest_file(path)`` → :class:`Draft` (``.plan``, ``.summary()``, ``.to_yaml()``);
``write_draft(draft, out)`` writes ``<id>.yaml`` and its source text ``<id>.txt``. Problems with
the input (empty, corrupt, too large, not a plan) raise :class:`IngestError` with a message for
the officer.
"""

from knowledge.ingest.draft import Draft, ingest_bytes, ingest_document, ingest_file, write_draft
from knowledge.ingest.reader import MAX_BYTES, IngestError

__all__ = [
    "MAX_BYTES", "Draft", "IngestError", "ingest_bytes", "ingest_document", "ingest_file",
    "write_draft",
]
