"""Generate the AsyncAPI 3 catalogue of every topic and event from the registry.

`python -m union_shared.asyncapi > docs/asyncapi.yaml` (`make asyncapi`); CI fails when the
committed file differs from what the code says.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml
from pydantic.json_schema import models_json_schema

from union_shared.events import REGISTRY, Envelope
from union_shared.events.envelope import CONTENT_TYPE
from union_shared.events.registry import EventRegistry
from union_shared.messaging.bus import dead_letter_topic

REF = "#/components/schemas/{model}"


def _channel_id(topic: str) -> str:
    return topic.replace(".", "_")


def _message_id(type_: str, version: int) -> str:
    return f"{type_}.v{version}"


def build(registry: EventRegistry = REGISTRY) -> dict[str, Any]:
    specs = registry.specs()
    models = [(Envelope, "validation"), *((s.model, "validation") for s in specs)]
    _, top = models_json_schema(models, ref_template=REF)
    schemas: dict[str, Any] = dict(sorted(top.get("$defs", {}).items()))
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for spec in specs:
        mid = _message_id(spec.type, spec.version)
        schemas[f"{mid}.envelope"] = {
            "allOf": [
                {"$ref": REF.format(model="Envelope")},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": spec.type},
                        "schemaversion": {"const": spec.version},
                        "data": {"$ref": REF.format(model=spec.model.__name__)},
                    },
                },
            ]
        }
        messages[mid] = {
            "name": spec.type,
            "title": f"{spec.type} (schema version {spec.version})",
            "summary": spec.summary,
            "contentType": CONTENT_TYPE,
            "headers": {
                "type": "object",
                "properties": {"content-type": {"const": CONTENT_TYPE}},
                "required": ["content-type"],
            },
            "payload": {"$ref": REF.format(model=f"{mid}.envelope")},
            "bindings": {
                "kafka": {"key": {"type": "string", "description": "The envelope's subject."}}
            },
        }
    for topic in registry.topics():
        cid = _channel_id(topic)
        in_topic = {
            _message_id(s.type, s.version): {
                "$ref": f"#/components/messages/{_message_id(s.type, s.version)}"
            }
            for s in specs
            if s.topic == topic
        }
        service = topic.split(".", 1)[0]
        channels[cid] = {
            "address": topic,
            "description": f"Events sent by the {service} service, keyed by aggregate id.",
            "messages": in_topic,
        }
        dlq = dead_letter_topic(topic)
        channels[_channel_id(dlq)] = {
            "address": dlq,
            "description": (
                f"Messages from {topic} a consumer could not handle: the original bytes and key, "
                "with its content-type header and dlq.consumer, dlq.error, dlq.topic, "
                "dlq.partition, dlq.offset."
            ),
            "messages": in_topic,
        }
        operations[f"{service}_send"] = {
            "action": "send",
            "title": f"{service} publishes through its transactional outbox",
            "channel": {"$ref": f"#/channels/{cid}"},
            "messages": [{"$ref": f"#/channels/{cid}/messages/{m}"} for m in in_topic],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Union social worker platform events",
            "version": "1.0.0",
            "description": (
                "Every event the platform sends. Messages are CloudEvents 1.0 in structured "
                "JSON mode (header `content-type: application/cloudevents+json`); the Kafka key is "
                "the subject (aggregate id), so one worker's events "
                "arrive in order. Delivery is at least once; consumers are idempotent by event "
                "id. Additive changes keep schemaversion; breaking ones add a version."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "production": {"host": "kafka:9092", "protocol": "kafka"},
            "embedded": {"host": "127.0.0.1:9092", "protocol": "kafka"},
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


class _PlainDumper(yaml.SafeDumper):
    """Repeats shared parts instead of writing YAML anchors, which some AsyncAPI tools reject."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def main() -> None:
    yaml.dump(
        build(), sys.stdout, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100
    )


if __name__ == "__main__":
    main()
