"""Identifiers: UUIDv7 strings, unique and ordered by creation time."""

import uuid_utils


def new_id() -> str:
    return str(uuid_utils.uuid7())
