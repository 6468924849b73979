"""The study's one error type: bad input a user can fix (articles, dictionaries, output folders)."""


class InputError(Exception):
    """Bad input; the message is one line that names the file and the problem."""
