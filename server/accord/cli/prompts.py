"""Asking the person at the terminal for a password."""

from __future__ import annotations

import argparse
import getpass
import sys

from accord.auth.secrets import generate_password
from accord.errors import AccordError


def read_password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password and whether it was generated (and so must be shown once).

    ``--password-stdin`` reads the first line of stdin; a terminal is asked twice;
    with neither, a password is generated."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat password: "):
            raise AccordError("The two passwords differ.")
        return first, False
    return generate_password(), True
