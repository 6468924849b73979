"""The study's errors: bad input a user can fix (articles, dictionaries, output folders), and failed writes named."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class InputError(Exception):
    """Bad input; the message is one line that names the file and the problem."""


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Re-raise an OSError without a file name (a write that fails, e.g. on a full disk) as one naming `path`."""
    try:
        yield
    except OSError as error:
        if error.filename is not None:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from None
