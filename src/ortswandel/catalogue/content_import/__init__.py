"""Import of the collected public facts (``facts.json`` in ``ORTSWANDEL_CONTENT_DIR``).

The file is a list of records (see the README beside it): the programme Kommunen innovativ, its
30 consortia (``ki_project``) and their 93 results (``ki_result``), the six core messages, the
two initiatives (T!Raum HKS, Meine Stadt der Zukunft) and the 15 model projects of the latter.
Every fact carries the URL it was taken from; the importer stores that URL as a
:class:`~ortswandel.catalogue.models.Citation` of the field it fills, so the pages can show
"Quelle: …" beside the fact.

Rules:

* Facts win over the hand-written demo data where they state something; what the facts leave
  empty (``null``, missing) is left as it is — the importer never invents a value.
* Partial dates (``2016``, ``2016-06``) are stored as the first day with their precision.
* Model municipalities and partners are matched by :mod:`.content_matching` (municipalities by
  name *and* Land, only when unique; organisations by folded name). Places that stay unresolved
  are listed in the report, never guessed. A Land that the source does not state
  (``land_stated_in_source: false``) is reported as inferred.
* All writes go through :mod:`ortswandel.catalogue.services`, in one transaction: a file that
  cannot be read or a record that does not fit loads nothing (:class:`ContentImportError`).
  A second run of the same file changes nothing.

Where things live:

* :mod:`.reading` — the file's shape, the record types, value parsers (dates, sources);
* :mod:`.report` — what a run changed (:class:`ImportReport`), audited for the back office;
* :mod:`.context` — one run's writers (upsert, relate, cite) and partner/place matching;
* :mod:`.programmes`, :mod:`.projects`, :mod:`.results` — the record handlers per kind;
* :mod:`.registry` — handlers of apps above the catalogue (events: ``event`` records);
* :mod:`.importer` — the order of the handlers, the one transaction, the audit entry.
"""

from .importer import import_content
from .reading import ContentImportError, parse_partial_date, read_facts
from .registry import RecordContext, RecordHandler, register_record_handler
from .report import ImportReport, last_import_report

__all__ = [
    "ContentImportError",
    "ImportReport",
    "RecordContext",
    "RecordHandler",
    "import_content",
    "last_import_report",
    "parse_partial_date",
    "read_facts",
    "register_record_handler",
]
