"""Where a command's ``-o`` output goes: a file written whole or not at all, or ``-`` for
standard output.

A file is written next to its destination under a temporary name and renamed over it
once complete, so a failed or interrupted write leaves no partial file (and an earlier
file of that name as it was). Binary output (a ``.qdpx`` archive) goes to standard output
only when it is redirected or piped: bytes on a terminal help nobody.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from accord.errors import AccordError

STDOUT = "-"
OUTPUT_HELP = "where to write; - for standard output"


def to_stdout(path: Path) -> bool:
    return str(path) == STDOUT


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def check_output(path: Path, *, binary: bool = False) -> None:
    """Refuse, before any work is done, an output that cannot be written."""
    if to_stdout(path):
        if binary and sys.stdout.isatty():
            raise AccordError(
                "A .qdpx file is binary and is not written to a terminal: redirect standard "
                "output to a file (-o - > project.qdpx) or pipe it, or name a file with -o FILE."
            )
        return
    if path.is_dir():
        raise AccordError(f"cannot write {path}: it is a folder. Name a file inside it.")
    folder = _folder(path)
    if not folder.exists():
        raise AccordError(f"cannot write {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise AccordError(f"cannot write {path}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AccordError(f"cannot write {path}: no permission to write in {folder}.")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def where(path: Path) -> str:
    return "standard output" if to_stdout(path) else str(path)


def write_output(path: Path, content: bytes, *, binary: bool = False) -> None:
    """Write ``content`` whole to ``path``, or to standard output for ``-``."""
    check_output(path, binary=binary)
    if to_stdout(path):
        try:
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): nothing more to say to it.
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise AccordError("standard output was closed before all was written.") from None
        return
    try:
        _replace(path, content)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise AccordError(f"cannot write {path}: {reason}.") from None


def _replace(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=_folder(path), prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:  # a full disk, a signal: no partial file is left behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
