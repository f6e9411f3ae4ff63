"""Identifiers: UUIDv7 strings, unique and ordered by creation time (so cursors follow time)."""

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())
