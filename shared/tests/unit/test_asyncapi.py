from union_shared.asyncapi import build
from union_shared.events import REGISTRY


def test_every_event_is_listed_with_its_payload_schema():
    doc = build()
    assert doc["asyncapi"] == "3.0.0"
    schemas = doc["components"]["schemas"]
    for spec in REGISTRY.specs():
        message = doc["components"]["messages"][f"{spec.type}.v{spec.version}"]
        envelope = schemas[message["payload"]["$ref"].rsplit("/", 1)[1]]
        data_ref = envelope["allOf"][1]["properties"]["data"]["$ref"]
        payload_schema = schemas[data_ref.rsplit("/", 1)[1]]
        assert set(payload_schema["properties"]) == set(spec.model.model_fields)
        channel = doc["channels"][spec.topic.replace(".", "_")]
        assert channel["address"] == spec.topic
        assert f"{spec.type}.v{spec.version}" in channel["messages"]


def test_every_topic_has_a_dead_letter_channel_and_a_send_operation():
    doc = build()
    addresses = {c["address"] for c in doc["channels"].values()}
    for topic in REGISTRY.topics():
        assert f"{topic}.dlq" in addresses
        assert doc["operations"][f"{topic.split('.')[0]}_send"]["action"] == "send"
