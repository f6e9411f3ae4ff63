"""The registry of the event catalogue: (type, version) -> payload model and topic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ValidationError

from union_shared.events.envelope import Envelope, wrap


class UnknownEventError(ValueError):
    """An event whose type or schema version this platform does not know, or whose data is bad."""


@dataclass(frozen=True)
class EventSpec:
    type: str
    version: int
    topic: str
    model: type[BaseModel]
    summary: str


class EventRegistry:
    def __init__(self) -> None:
        self._specs: dict[tuple[str, int], EventSpec] = {}
        self._by_model: dict[type[BaseModel], EventSpec] = {}

    def register(self, spec: EventSpec) -> None:
        key = (spec.type, spec.version)
        if key in self._specs:
            raise ValueError(f"event {spec.type} v{spec.version} registered twice")
        self._specs[key] = spec
        self._by_model[spec.model] = spec

    def specs(self) -> list[EventSpec]:
        return sorted(self._specs.values(), key=lambda s: (s.topic, s.type, s.version))

    def topics(self) -> list[str]:
        return sorted({s.topic for s in self._specs.values()})

    def spec_for_model(self, model: type[BaseModel]) -> EventSpec:
        try:
            return self._by_model[model]
        except KeyError:
            raise UnknownEventError(f"{model.__name__} is not in the event catalogue") from None

    def spec(self, type_: str, version: int) -> EventSpec:
        spec = self._specs.get((type_, version))
        if spec is None:
            known = sorted(v for (t, v) in self._specs if t == type_)
            if not known:
                raise UnknownEventError(f"unknown event type {type_!r}")
            raise UnknownEventError(
                f"unknown schema version {version} of {type_} (known: {', '.join(map(str, known))})"
            )
        return spec

    def decode(self, raw: bytes) -> tuple[Envelope, BaseModel]:
        """Parse raw bytes into an envelope and its typed payload, or refuse with the reason."""
        try:
            envelope = Envelope.from_bytes(raw)
        except ValidationError as exc:
            raise UnknownEventError(f"not a valid event envelope: {exc}") from exc
        spec = self.spec(envelope.type, envelope.schemaversion)
        try:
            payload = spec.model.model_validate(envelope.data)
        except ValidationError as exc:
            raise UnknownEventError(
                f"{envelope.type} v{envelope.schemaversion} data is invalid: {exc}"
            ) from exc
        return envelope, payload


REGISTRY = EventRegistry()


def event(type_: str, *, version: int, topic: str) -> Callable[[type[BaseModel]], type[BaseModel]]:
    """Class decorator adding a payload model to the platform's catalogue."""

    def register(model: type[BaseModel]) -> type[BaseModel]:
        summary = (model.__doc__ or "").strip()
        REGISTRY.register(EventSpec(type_, version, topic, model, summary))
        return model

    return register


def build_event(
    payload: BaseModel, *, subject: str, source: str, time: datetime | None = None
) -> Envelope:
    """Wrap a catalogue payload in an envelope of its registered type and schema version,
    inheriting correlation from the current scope."""
    spec = REGISTRY.spec_for_model(type(payload))
    return wrap(
        payload,
        event_type=spec.type,
        version=spec.version,
        subject=subject,
        source=source,
        time=time,
    )
