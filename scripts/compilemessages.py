"""Compile the gettext catalogues (``locale/*/LC_MESSAGES/*.po``) to ``.mo`` with Babel.

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt`` binary; Babel is pure Python and
installs with the package, so a fresh machine needs nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "src" / "ortswandel"


def main() -> int:
    count = 0
    for po_path in sorted(ROOT.rglob("locale/*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    print(f"compiled {count} message catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
