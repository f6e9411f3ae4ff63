"""Identifiers: UUIDv7 strings, unique and ordered by creation time (so cursors follow time)."""

import uuid_utils


def new_id() -> str:
    return str(uuid_utils.uuid7())
