"""Test helpers: a real broker, fresh real databases (SQLite or PostgreSQL), event probes."""
