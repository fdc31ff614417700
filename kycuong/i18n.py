"""Compiles the project's .po catalogues to .mo with polib, so set-up needs no GNU gettext binaries.

Run: python -m kycuong.i18n   (make messages). Compiled .mo files are build output and git-ignored.
"""
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent


def compile_all() -> int:
    count = 0
    # The project catalogue (kycuong/locale) and each app's own (kycuong/<app>/locale), which Django
    # finds by itself for installed apps: apps keep their strings beside their code.
    for po_path in sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    return count


if __name__ == "__main__":
    print(f"compiled {compile_all()} message catalogue(s)")
