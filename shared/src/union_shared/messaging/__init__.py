"""Outbox → Kafka → inbox: at-least-once delivery with exactly-once effect."""
