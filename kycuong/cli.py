"""The `kycuong` command: Django's management commands under one name (`kycuong due …`, `kycuong migrate`)."""
import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kycuong.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kycuong", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
