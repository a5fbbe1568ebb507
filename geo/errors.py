"""The project's few exceptions and the Problem record (one place, as geopy's exc.py).

A Problem is something wrong with one input that did not stop the rest from loading: it names where
(file, line, field) and what. Exceptions are for what stops an operation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input, said where it is."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class StrikeMapError(Exception):
    """Base of the project's exceptions."""


class InputError(StrikeMapError):
    """Bad input from the user (a command-line option, a file to add): said on stderr, exit code 2."""


class DataError(StrikeMapError):
    """A data file the operation needs is missing or unusable."""
