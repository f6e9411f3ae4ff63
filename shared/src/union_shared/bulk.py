"""Many rows into one table, in the caller's transaction: PostgreSQL's COPY, else executemany.

A Core executemany sends every row through SQLAlchemy's parameter processing and PostgreSQL's
per-row INSERT; COPY (asyncpg's binary `copy_records_to_table`) streams the rows in one command,
several times faster for thousands of rows. Both write the same values: each column's bind
processor still runs (a JSON column is serialised as the engine would), a column the rows leave
out gets its Python-side default or else the server's, and a failure raises the same SQLAlchemy
exception types (IntegrityError for a duplicate key). Small batches keep the executemany path,
where one round trip costs less than COPY's set-up.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Table, insert
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

COPY_FROM = 100  # rows: below this a single executemany is as quick and simpler to trace


async def insert_rows(
    session: AsyncSession,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    copy_from: int = COPY_FROM,
) -> None:
    """Insert `rows` (all with the keys of the first) into `table` in the session's transaction;
    on PostgreSQL with at least `copy_from` rows by COPY, otherwise by one Core executemany."""
    if not rows:
        return
    conn = await session.connection()
    if conn.dialect.driver != "asyncpg" or len(rows) < copy_from:
        await session.execute(insert(table), list(rows))
        return
    await _copy(conn, table, rows)


async def _copy(conn: AsyncConnection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    given = list(rows[0])
    defaults = [c for c in table.c if c.name not in given and _python_default(c) is not None]
    names = given + [c.name for c in defaults]
    processors = [
        (i, process)
        for i, column in enumerate([table.c[name] for name in given] + defaults)
        if (process := column.type._cached_bind_processor(conn.dialect)) is not None
    ]
    get = itemgetter(*given) if len(given) > 1 else _one(given[0])
    if defaults or processors:
        records = [_prepared(get(row), defaults, processors) for row in rows]
    else:
        records = [get(row) for row in rows]
    driver = (await conn.get_raw_connection()).driver_connection
    if not driver.is_in_transaction():
        # asyncpg's BEGIN comes with SQLAlchemy's first statement; COPY must run inside it.
        await conn.exec_driver_sql("SELECT 1")
    try:
        await driver.copy_records_to_table(
            table.name, records=records, columns=names, schema_name=table.schema
        )
    except Exception as error:
        statement = f"COPY {table.fullname} ({', '.join(names)}) FROM STDIN (FORMAT binary)"
        raise _translated(conn, statement, error) from error


def _one(name: str) -> Callable[[Mapping[str, Any]], tuple]:
    return lambda row: (row[name],)


def _python_default(column: Column) -> Any:
    """The column's Python-side default (a scalar or a callable), if it has one."""
    default = column.default
    if default is None or not (default.is_scalar or default.is_callable):
        return None
    return default


def _prepared(
    record: tuple, defaults: list[Column], processors: list[tuple[int, Callable[[Any], Any]]]
) -> list:
    """A record with its defaults appended and each value as the driver takes it (None too: a
    JSON column's processor turns None into JSON null, as an executemany would)."""
    values = list(record)
    for column in defaults:
        default = column.default
        values.append(default.arg if default.is_scalar else default.arg(None))
    for i, process in processors:
        values[i] = process(values[i])
    return values  # asyncpg takes any sequence as a record


def _translated(conn: AsyncConnection, statement: str, error: Exception) -> Exception:
    """The SQLAlchemy exception an executemany would have raised for the same driver error."""
    dbapi = conn.dialect.loaded_dbapi
    mapping = getattr(dbapi, "_asyncpg_error_translate", {})
    for kind in type(error).__mro__:
        if kind in mapping:
            orig = mapping[kind](error.args[0] if error.args else str(error), error)
            return sa_exc.DBAPIError.instance(statement, None, orig, dbapi.Error)
    return error


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """For a bulk run over many thousands of rows (a seniority run, a monthly payroll run).

    Such a run makes millions of short-lived objects, freed by reference counting, and holds a
    batch of a few hundred thousand while it computes and writes them: the cyclic collector,
    triggered by the allocations, would walk them over and over (a sixth to a third of a
    100,000-worker run, finding next to no cycles). It resumes afterwards and collects whatever
    cycles were left meanwhile. Process-wide while it lasts.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
