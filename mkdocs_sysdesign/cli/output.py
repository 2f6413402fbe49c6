"""What the commands write: JSON text, and files replaced in one step."""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any


def to_json(data: Any) -> str:
    """JSON as every command writes it: indented, UTF-8 text, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_file(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write ``text`` to ``path`` so that a failure leaves what was there untouched.

    The text goes to a temporary file in the same folder, which then takes the place of
    ``path`` in one step (``os.replace``); a file that already exists keeps its
    permissions. With ``overwrite=False`` an existing ``path`` is never replaced
    (:class:`FileExistsError`), even one that appears meanwhile. A path that exists but
    is not a regular file (a device such as ``/dev/stdout``, a named pipe) is written
    directly, as it cannot be replaced. Errors name ``path``, never the temporary file.
    """
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if path.exists() and not path.is_file():
            if not overwrite:
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))
            with path.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            return
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            # Opened as a new file, it gets the permissions of any new file (umask).
            with temporary.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if overwrite:
                if path.exists():
                    shutil.copymode(path, temporary)
                os.replace(temporary, path)
            else:
                _place_new(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError as error:
        raise type(error)(error.errno, error.strerror or str(error), str(path)) from None


def _place_new(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the name ``path`` unless a file has that name."""
    try:
        os.link(temporary, path)  # fails, in one step, when path exists
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename.
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)) from None
        os.replace(temporary, path)


def os_error_message(error: OSError) -> str:
    """``FILE: what went wrong``, the file as the user typed it."""
    reason = error.strerror or str(error)
    if error.filename is None:
        return reason
    name = os.fsdecode(error.filename)
    folder = os.path.dirname(name)
    if error.errno == errno.ENOENT and folder and not os.path.isdir(folder):
        reason = f"no folder {folder}; expected an existing folder"
    elif error.errno == errno.ENAMETOOLONG:
        reason += "; expected a shorter name (for 'new', a shorter title)"
    return f"{name}: {reason}"
