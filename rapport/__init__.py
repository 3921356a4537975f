"""Rapport: the Contacts workspace of a contact center."""

__version__ = "0.1.0"
