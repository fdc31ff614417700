"""Compiles the project's .po catalogues to .mo with polib, so set-up needs no GNU gettext binaries.

Run: python -m kycuong.i18n   (make messages). Compiled .mo files are build output and git-ignored.
"""
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent / "locale"


def compile_all() -> int:
    count = 0
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    return count


if __name__ == "__main__":
    print(f"compiled {compile_all()} message catalogue(s)")
