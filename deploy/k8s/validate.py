"""Check deploy/k8s offline, with no kubectl: `uv run python deploy/k8s/validate.py`.

1. Every YAML file under deploy/k8s parses.
2. Every kustomization's `resources`, `components`, `patches` and generator files exist, stay
   local, and (for files) sit inside the kustomization's directory, as kustomize requires.
3. The base and each overlay are rendered with a small model of kustomize (resources,
   generators, components, patches, labels, name prefixes, images, local-config). On what
   would ship:
   - every Deployment has /readyz readiness and /healthz liveness probes, a non-root and
     read-only securityContext with an emptyDir at /tmp, CPU and memory requests and limits,
     a Prometheus scrape annotation and a grace period longer than uvicorn's;
   - every Secret or ConfigMap a container reads names one defined in the base (and a key it
     has), each service reads <SERVICE>_DATABASE_URL from its Secret and the KAFKA_* settings
     from the ConfigMap, and has a Service and an `alembic upgrade head` migration Job;
   - only the gateway is behind an Ingress; every `images:` entry and patch matches something;
   - overlays/prod runs two replicas or more and ships none of the base's placeholder Secrets.
4. components/strimzi-topics lists exactly the event catalogue's topics and their .dlq twins.

The model is deliberately small; `kubectl kustomize deploy/k8s/overlays/prod` stays the
authority. Exits 1 with one line per problem.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

K8S = Path(__file__).resolve().parent
REPO = K8S.parents[1]
BASE = K8S / "base"
OVERLAYS = K8S / "overlays"
DOCKERFILE = REPO / "deploy" / "docker" / "Dockerfile"
TOPICS_FILE = K8S / "components" / "strimzi-topics" / "topics.yaml"

SERVICES = ("recruitment", "roster", "grading", "payroll", "gateway")
KAFKA_KEYS = (
    "KAFKA_BOOTSTRAP_SERVERS",
    "KAFKA_IDEMPOTENT_PRODUCER",
    "KAFKA_TOPIC_PARTITIONS",
    "KAFKA_REPLICATION_FACTOR",
)
NAME_LABEL = "app.kubernetes.io/name"
COMPONENT_LABEL = "app.kubernetes.io/component"
PLACEHOLDER = "union-platform/placeholder"
LOCAL_CONFIG = "config.kubernetes.io/local-config"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")
REMOTE = re.compile(r"^(https?://|git@|ssh://|git::|github\.com/)|\?ref=")


class Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.grouped: dict[tuple[str, str], list[str]] = {}
        self.seen: set[tuple[str, str]] = set()

    def add(self, where: str, message: str) -> None:
        line = f"{where}: {message}"
        if line not in self.lines:
            self.lines.append(line)

    def about(self, origin: str, resource: str, message: str) -> None:
        """One line per (file, message) listing every resource it hits; said once per resource,
        so an overlay does not repeat what its base already got."""
        if (resource, message) in self.seen:
            return
        self.seen.add((resource, message))
        self.grouped.setdefault((origin, message), []).append(resource)

    def report(self) -> list[str]:
        grouped = [f"{o}: {', '.join(r)}: {m}" for (o, m), r in self.grouped.items()]
        return [*self.lines, *grouped]


PROBLEMS = Problems()
DOCS: dict[Path, list[Any]] = {}


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------------------- loading


def load_yaml_files() -> None:
    for path in sorted([*K8S.rglob("*.yaml"), *K8S.rglob("*.yml"), *K8S.rglob("Kustomization")]):
        try:
            DOCS[path.resolve()] = [
                d for d in yaml.safe_load_all(path.read_text()) if d is not None
            ]
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            PROBLEMS.add(rel(path), f"not valid YAML: {exc}".replace("\n", " "))
            DOCS[path.resolve()] = []


def kustomization_file(directory: Path) -> Path | None:
    for name in KUSTOMIZATION_FILES:
        if (directory / name).is_file():
            return (directory / name).resolve()
    return None


def kustomization(directory: Path) -> dict[str, Any]:
    path = kustomization_file(directory)
    docs = DOCS.get(path, []) if path else []
    return docs[0] if docs and isinstance(docs[0], dict) else {}


def is_remote(entry: str) -> bool:
    return bool(REMOTE.search(entry))


# ---------------------------------------------------------------- 2. kustomization paths


def generator_files(generator: dict[str, Any]) -> Iterator[str]:
    for entry in generator.get("files") or []:
        yield str(entry).split("=", 1)[-1]  # "key=path" or "path"
    yield from (str(e) for e in generator.get("envs") or [])
    if generator.get("env"):
        yield str(generator["env"])


def check_kustomization_paths(kfile: Path, patch_files: set[Path]) -> None:
    where = rel(kfile)
    directory = kfile.parent
    doc = DOCS.get(kfile, [{}])[0] if DOCS.get(kfile) else {}
    if not isinstance(doc, dict):
        PROBLEMS.add(where, "is not a mapping")
        return
    kind = doc.get("kind", "Kustomization")
    if kind not in ("Kustomization", "Component"):
        PROBLEMS.add(where, f"kind {kind!r} is neither Kustomization nor Component")

    def inside(path: Path, what: str) -> bool:
        if not path.exists():
            PROBLEMS.add(where, f"{what} {rel(path)} does not exist")
            return False
        if path.is_file() and not path.is_relative_to(directory):
            PROBLEMS.add(
                where, f"{what} {rel(path)} is outside {rel(directory)} (kustomize refuses)"
            )
            return False
        return True

    for entry in doc.get("resources") or []:
        entry = str(entry)
        if is_remote(entry):
            PROBLEMS.add(where, f"resource {entry} is remote; builds must work offline")
            continue
        path = (directory / entry).resolve()
        if not inside(path, "resource"):
            continue
        if path.is_dir():
            sub = kustomization_file(path)
            if sub is None:
                PROBLEMS.add(where, f"resource directory {rel(path)} has no kustomization.yaml")
            elif kustomization(path).get("kind") == "Component":
                PROBLEMS.add(where, f"{rel(path)} is a Component: list it under components")
    for entry in doc.get("components") or []:
        entry = str(entry)
        if is_remote(entry):
            PROBLEMS.add(where, f"component {entry} is remote; builds must work offline")
            continue
        path = (directory / entry).resolve()
        if not inside(path, "component"):
            continue
        if not path.is_dir() or kustomization_file(path) is None:
            PROBLEMS.add(where, f"component {rel(path)} is not a directory with a kustomization")
        elif kustomization(path).get("kind") != "Component":
            PROBLEMS.add(where, f"component {rel(path)} does not declare kind: Component")
    patches = list(doc.get("patches") or []) + list(doc.get("patchesJson6902") or [])
    for patch in patches:
        if not isinstance(patch, dict):
            PROBLEMS.add(where, f"patch entry {patch!r} is not a mapping")
        elif patch.get("path"):
            path = (directory / str(patch["path"])).resolve()
            if inside(path, "patch"):
                patch_files.add(path)
        elif not patch.get("patch"):
            PROBLEMS.add(where, "a patch entry has neither path nor patch")
    for entry in doc.get("patchesStrategicMerge") or []:
        PROBLEMS.add(where, "patchesStrategicMerge is deprecated: use patches")
        if "\n" not in str(entry):
            path = (directory / str(entry)).resolve()
            if inside(path, "patch"):
                patch_files.add(path)
    for field in ("configMapGenerator", "secretGenerator"):
        for generator in doc.get(field) or []:
            for entry in generator_files(generator):
                inside((directory / entry).resolve(), f"{field} file")


# ------------------------------------------------------------- 3. a small model of kustomize


@dataclass
class Resource:
    doc: dict[str, Any]
    origin: str

    @property
    def kind(self) -> str:
        return str(self.doc.get("kind", ""))

    @property
    def meta(self) -> dict[str, Any]:
        return self.doc.setdefault("metadata", {})

    @property
    def name(self) -> str:
        return str(self.meta.get("name", ""))

    @property
    def labels(self) -> dict[str, str]:
        return self.meta.get("labels") or {}

    @property
    def annotations(self) -> dict[str, str]:
        return self.meta.get("annotations") or {}

    @property
    def keys(self) -> set[str]:
        return {
            *(self.doc.get("data") or {}),
            *(self.doc.get("stringData") or {}),
            *(self.doc.get("binaryData") or {}),
        }

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    kind, spec = doc.get("kind"), doc.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if kind in WORKLOADS:
        return (spec.get("template") or {}).get("spec") or {}
    return None


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    pod = pod_spec(doc) or {}
    return [*(pod.get("initContainers") or []), *(pod.get("containers") or [])]


@dataclass
class Ref:
    """A reference to a named object, held in `holder[field]` so renaming can rewrite it."""

    kind: str
    holder: dict[str, Any]
    field: str
    key: str | None = None
    optional: bool = False
    env: bool = False  # read by a container (env, envFrom, volume) rather than e.g. an Ingress

    @property
    def name(self) -> str:
        return str(self.holder.get(self.field, ""))


def references(doc: dict[str, Any]) -> Iterator[Ref]:
    for container in containers(doc):
        for env in container.get("env") or []:
            source = env.get("valueFrom") or {}
            for field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                if field in source:
                    ref = source[field]
                    yield Ref(kind, ref, "name", ref.get("key"), bool(ref.get("optional")), True)
        for env_from in container.get("envFrom") or []:
            for field, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                if field in env_from:
                    ref = env_from[field]
                    yield Ref(kind, ref, "name", None, bool(ref.get("optional")), True)
    for volume in (pod_spec(doc) or {}).get("volumes") or []:
        if "secret" in volume:
            ref = volume["secret"]
            yield Ref("Secret", ref, "secretName", None, bool(ref.get("optional")), True)
        if "configMap" in volume:
            ref = volume["configMap"]
            yield Ref("ConfigMap", ref, "name", None, bool(ref.get("optional")), True)
        for source in (volume.get("projected") or {}).get("sources") or []:
            for field, kind in (("secret", "Secret"), ("configMap", "ConfigMap")):
                if field in source:
                    ref = source[field]
                    yield Ref(kind, ref, "name", None, bool(ref.get("optional")), True)
    if doc.get("kind") == "Ingress":
        spec = doc.get("spec") or {}
        backends = [spec.get("defaultBackend") or {}]
        for rule in spec.get("rules") or []:
            backends += [
                p.get("backend") or {} for p in (rule.get("http") or {}).get("paths") or []
            ]
        for backend in backends:
            if "service" in backend:
                yield Ref("Service", backend["service"], "name")
        for tls in spec.get("tls") or []:
            if "secretName" in tls:
                yield Ref("Secret", tls, "secretName")


def parse_selector(text: str) -> list[tuple[str, str, str | None]]:
    terms = []
    for term in filter(None, (t.strip() for t in text.split(","))):
        match = re.fullmatch(r"([^!=\s]+)\s*(!=|==|=)\s*(\S*)", term)
        terms.append((match[1], match[2], match[3]) if match else (term, "exists", None))
    return terms


def matches_selector(values: dict[str, str], text: str) -> bool:
    for key, op, value in parse_selector(text):
        have = values.get(key)
        if op == "exists" and key not in values:
            return False
        if op in ("=", "==") and str(have) != value:
            return False
        if op == "!=" and str(have) == value:
            return False
    return True


def select(items: list[Resource], target: dict[str, Any]) -> list[Resource]:
    found = []
    for item in items:
        if target.get("kind") and item.kind != target["kind"]:
            continue
        if target.get("name") and not re.fullmatch(str(target["name"]), item.name):
            continue
        if target.get("labelSelector") and not matches_selector(
            item.labels, str(target["labelSelector"])
        ):
            continue
        if target.get("annotationSelector") and not matches_selector(
            item.annotations, str(target["annotationSelector"])
        ):
            continue
        found.append(item)
    return found


def strategic_merge(base: dict[str, Any], patch: dict[str, Any]) -> None:
    """Strategic merge, simplified: maps merge, lists of named items merge by name."""
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            strategic_merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            merge_key = next(
                (
                    k
                    for k in ("name", "mountPath", "containerPort")
                    if value and all(isinstance(v, dict) and k in v for v in value)
                ),
                None,
            )
            if merge_key is None:
                base[key] = copy.deepcopy(value)
                continue
            for item in value:
                existing = [b for b in base[key] if b.get(merge_key) == item[merge_key]]
                if item.get("$patch") == "delete":
                    base[key] = [b for b in base[key] if b.get(merge_key) != item[merge_key]]
                elif existing:
                    strategic_merge(existing[0], item)
                else:
                    base[key].append(copy.deepcopy(item))
        else:
            base[key] = copy.deepcopy(value)


def json_patch(doc: dict[str, Any], ops: list[dict[str, Any]], where: str) -> None:
    for op in ops:
        kind, path = op.get("op"), str(op.get("path", ""))
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
        if not parts or kind not in ("add", "replace", "remove"):
            continue  # test/copy/move: not modelled
        parent: Any = doc
        try:
            for part in parts[:-1]:
                parent = parent[int(part)] if isinstance(parent, list) else parent[part]
            last = parts[-1]
            if isinstance(parent, list):
                index = len(parent) if last == "-" else int(last)
                if kind == "add":
                    parent.insert(index, copy.deepcopy(op.get("value")))
                elif kind == "replace":
                    parent[index] = copy.deepcopy(op.get("value"))
                else:
                    del parent[index]
            elif kind == "add":
                parent[last] = copy.deepcopy(op.get("value"))
            elif last not in parent:
                raise KeyError(last)
            elif kind == "replace":
                parent[last] = copy.deepcopy(op.get("value"))
            else:
                del parent[last]
        except (KeyError, IndexError, ValueError, TypeError):
            PROBLEMS.add(where, f"JSON patch {kind} {path}: the path does not exist")


def patch_bodies(directory: Path, patch: dict[str, Any]) -> list[Any]:
    if patch.get("path"):
        return DOCS.get((directory / str(patch["path"])).resolve(), [])
    return [d for d in yaml.safe_load_all(str(patch.get("patch", ""))) if d is not None]


def apply_patches(directory: Path, k: dict[str, Any], items: list[Resource]) -> list[Resource]:
    where = rel(kustomization_file(directory) or directory)
    for patch in [*(k.get("patches") or []), *(k.get("patchesJson6902") or [])]:
        if not isinstance(patch, dict):
            continue
        target = patch.get("target")
        label = patch.get("path") or f"inline patch on {target}"
        for body in patch_bodies(directory, patch):
            if isinstance(body, dict) and not target:
                targets = select(
                    items,
                    {
                        "kind": body.get("kind"),
                        "name": re.escape(str((body.get("metadata") or {}).get("name", ""))),
                    },
                )
            elif target:
                targets = select(items, target)
            else:
                PROBLEMS.add(where, f"{label}: a JSON patch needs a target")
                continue
            if not targets:
                PROBLEMS.add(where, f"{label} matches no resource")
            for item in targets:
                if isinstance(body, list):
                    json_patch(item.doc, body, f"{where} ({label} on {item})")
                elif body.get("$patch") == "delete":
                    items = [i for i in items if i is not item]
                else:
                    body = copy.deepcopy(body)
                    (body.get("metadata") or {}).pop("name", None)
                    strategic_merge(item.doc, body)
    return items


def generate(directory: Path, k: dict[str, Any], items: list[Resource]) -> None:
    where = rel(kustomization_file(directory) or directory)
    defaults = k.get("generatorOptions") or {}
    for field, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
        for generator in k.get(field) or []:
            keys = [str(lit).split("=", 1)[0] for lit in generator.get("literals") or []]
            for entry in generator.get("files") or []:
                keys.append(str(entry).split("=", 1)[0] if "=" in str(entry) else Path(entry).name)
            for env_file in [*(generator.get("envs") or []), *filter(None, [generator.get("env")])]:
                path = directory / str(env_file)
                if path.is_file():
                    for line in path.read_text().splitlines():
                        if line.strip() and not line.lstrip().startswith("#"):
                            keys.append(line.split("=", 1)[0].strip())
            name = str(generator.get("name", ""))
            behavior = generator.get("behavior", "create")
            existing = [i for i in items if i.kind == kind and i.name == name]
            if behavior in ("merge", "replace"):
                if not existing:
                    PROBLEMS.add(where, f"{field} {name} ({behavior}) has nothing to {behavior}")
                    continue
                data = existing[0].doc.setdefault("data", {})
                if behavior == "replace":
                    data.clear()
                data.update(dict.fromkeys(keys, ""))
                continue
            if existing:
                PROBLEMS.add(where, f"{field} {name} already exists (use behavior: merge)")
            options = {**defaults, **(generator.get("options") or {})}
            metadata = {
                "name": name,
                "labels": dict(options.get("labels") or {}),
                "annotations": dict(options.get("annotations") or {}),
            }
            doc = {
                "apiVersion": "v1",
                "kind": kind,
                "metadata": metadata,
                "data": dict.fromkeys(keys, ""),
            }
            items.append(Resource(doc, f"{where} ({field})"))


def add_labels(k: dict[str, Any], items: list[Resource]) -> None:
    entries = [dict(e) for e in k.get("labels") or []]
    if k.get("commonLabels"):
        entries.append({"pairs": k["commonLabels"], "includeSelectors": True})
    for entry in entries:
        pairs = {str(a): str(b) for a, b in (entry.get("pairs") or {}).items()}
        selectors = bool(entry.get("includeSelectors"))
        templates = selectors or bool(entry.get("includeTemplates"))
        for item in items:
            item.meta.setdefault("labels", {}).update(pairs)
            spec = item.doc.get("spec")
            if not isinstance(spec, dict):
                continue
            if templates and isinstance(spec.get("template"), dict):
                spec["template"].setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
            if selectors and item.kind == "Service":
                spec.setdefault("selector", {}).update(pairs)
            elif selectors and item.kind in (
                "Deployment",
                "StatefulSet",
                "DaemonSet",
                "ReplicaSet",
                "PodDisruptionBudget",
            ):
                spec.setdefault("selector", {}).setdefault("matchLabels", {}).update(pairs)
    annotations = {str(a): str(b) for a, b in (k.get("commonAnnotations") or {}).items()}
    for item in items:
        if annotations:
            item.meta.setdefault("annotations", {}).update(annotations)


def rename(k: dict[str, Any], items: list[Resource]) -> None:
    prefix, suffix = str(k.get("namePrefix") or ""), str(k.get("nameSuffix") or "")
    if not prefix and not suffix:
        return
    renamed: dict[tuple[str, str], str] = {}
    for item in items:
        if item.kind in ("Namespace", "CustomResourceDefinition"):
            continue
        renamed[(item.kind, item.name)] = prefix + item.name + suffix
    for item in items:
        for ref in references(item.doc):
            new = renamed.get((ref.kind, ref.name))
            if new:
                ref.holder[ref.field] = new
    for item in items:
        if (item.kind, item.name) in renamed:
            item.meta["name"] = renamed[(item.kind, item.name)]


def split_image(image: str) -> tuple[str, str]:
    """("registry/repo", ":tag" or "@sha256:..." or "")."""
    if "@" in image:
        name, digest = image.split("@", 1)
        return name, "@" + digest
    head, _, tail = image.rpartition(":")
    if head and "/" not in tail:
        return head, ":" + tail
    return image, ""


def set_images(directory: Path, k: dict[str, Any], items: list[Resource]) -> None:
    where = rel(kustomization_file(directory) or directory)
    for entry in k.get("images") or []:
        matched = False
        for item in items:
            for container in containers(item.doc):
                name, tag = split_image(str(container.get("image", "")))
                if name != entry.get("name"):
                    continue
                matched = True
                if entry.get("digest"):
                    tag = "@" + str(entry["digest"])
                elif entry.get("newTag") is not None:
                    tag = ":" + str(entry["newTag"])
                container["image"] = str(entry.get("newName") or name) + tag
        if not matched:
            PROBLEMS.add(where, f"images entry {entry.get('name')!r} matches no container image")


def build(directory: Path, seen: tuple[Path, ...] = ()) -> list[Resource]:
    directory = directory.resolve()
    if directory in seen:
        PROBLEMS.add(rel(directory), "kustomization cycle")
        return []
    k = kustomization(directory)
    items: list[Resource] = []
    for entry in k.get("resources") or []:
        path = (directory / str(entry)).resolve()
        if is_remote(str(entry)) or not path.exists():
            continue  # reported by check_kustomization_paths
        if path.is_dir():
            items += build(path, (*seen, directory))
        else:
            items += [
                Resource(copy.deepcopy(d), rel(path))
                for d in DOCS.get(path, [])
                if isinstance(d, dict)
            ]
    for entry in k.get("components") or []:
        path = (directory / str(entry)).resolve()
        if not is_remote(str(entry)) and path.is_dir():
            items += build(path, (*seen, directory))
    generate(directory, k, items)
    items = apply_patches(directory, k, items)
    add_labels(k, items)
    rename(k, items)
    set_images(directory, k, items)
    return [i for i in items if str(i.annotations.get(LOCAL_CONFIG, "")).lower() != "true"]


# ----------------------------------------------------------------------- 3. the checks


def uvicorn_grace_seconds() -> int:
    """uvicorn's --timeout-graceful-shutdown from the Dockerfile (20 if it cannot be read)."""
    if DOCKERFILE.is_file():
        match = re.search(r'--timeout-graceful-shutdown"\s*,\s*"(\d+)"', DOCKERFILE.read_text())
        if match:
            return int(match[1])
    return 20


def check_container_hardening(
    item: Resource, pod: dict[str, Any], container: dict[str, Any]
) -> None:
    name = f"container {container.get('name')}"

    def problem(message: str) -> None:
        PROBLEMS.about(item.origin, str(item), f"{name}: {message}")

    pod_context = pod.get("securityContext") or {}
    context = container.get("securityContext") or {}
    non_root = context.get("runAsNonRoot", pod_context.get("runAsNonRoot"))
    if non_root is not True:
        problem("runAsNonRoot is not true (pod or container securityContext)")
    if context.get("runAsUser", pod_context.get("runAsUser")) == 0:
        problem("runAsUser is 0")
    if context.get("readOnlyRootFilesystem") is not True:
        problem("readOnlyRootFilesystem is not true")
    if context.get("allowPrivilegeEscalation") is not False:
        problem("allowPrivilegeEscalation is not false")
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if not (resources.get(section) or {}).get(resource):
                problem(f"no resources.{section}.{resource}")
    volumes = {v.get("name"): v for v in pod.get("volumes") or []}
    tmp = [m for m in container.get("volumeMounts") or [] if m.get("mountPath") == "/tmp"]
    if not tmp or "emptyDir" not in volumes.get(tmp[0].get("name"), {}):
        problem("no emptyDir volume mounted at /tmp")


def check_deployment(item: Resource) -> None:
    def problem(message: str) -> None:
        PROBLEMS.about(item.origin, str(item), message)

    pod = pod_spec(item.doc) or {}
    grace = pod.get("terminationGracePeriodSeconds")
    if not isinstance(grace, int) or grace <= uvicorn_grace_seconds():
        problem(
            "terminationGracePeriodSeconds must be set and exceed uvicorn's "
            f"--timeout-graceful-shutdown ({uvicorn_grace_seconds()} s)"
        )
    template = ((item.doc.get("spec") or {}).get("template") or {}).get("metadata") or {}
    if str((template.get("annotations") or {}).get("prometheus.io/scrape")) != "true":
        problem('pod template lacks the annotation prometheus.io/scrape: "true"')
    if not pod.get("containers"):
        problem("no containers")
    for container in pod.get("containers") or []:
        name = f"container {container.get('name')}"
        for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            got = ((container.get(probe) or {}).get("httpGet") or {}).get("path")
            if got != path:
                problem(f"{name}: {probe} must be an httpGet on {path} (got {got!r})")
        check_container_hardening(item, pod, container)


def check_job(item: Resource) -> None:
    pod = pod_spec(item.doc) or {}
    for container in pod.get("containers") or []:
        check_container_hardening(item, pod, container)


def env_sources(item: Resource, defined: dict[tuple[str, str], Resource]) -> dict[str, str]:
    """Environment variable -> the kind of object it comes from, for the item's containers."""
    found: dict[str, str] = {}
    for container in containers(item.doc):
        for env_from in container.get("envFrom") or []:
            for field, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                if field in env_from:
                    source = defined.get((kind, str(env_from[field].get("name"))))
                    prefix = str(env_from.get("prefix") or "")
                    for key in source.keys if source else ():
                        found[prefix + key] = kind
        for env in container.get("env") or []:
            source = env.get("valueFrom") or {}
            kind = (
                "Secret"
                if "secretKeyRef" in source
                else "ConfigMap"
                if "configMapKeyRef" in source
                else "value"
            )
            found[str(env.get("name"))] = kind
    return found


def check_references(
    label: str,
    items: list[Resource],
    defined: dict[tuple[str, str], Resource],
    rendered: dict[tuple[str, str], Resource] | None = None,
) -> None:
    """Containers read only ConfigMaps and Secrets the base defines (and keys they have). An
    overlay must also render the ConfigMaps; it may leave Secrets to the cluster (prod)."""
    for item in items:
        if pod_spec(item.doc) is None:
            continue
        for ref in references(item.doc):
            if not ref.env or ref.optional:
                continue
            wanted = (ref.kind, ref.name)
            source = (rendered or {}).get(wanted) or defined.get(wanted)
            if wanted not in defined:
                message = f"reads {ref.kind} {ref.name!r}, which the base does not define"
            elif rendered is not None and ref.kind == "ConfigMap" and wanted not in rendered:
                message = f"reads ConfigMap {ref.name!r}, which this overlay drops"
            elif source is not None and ref.key is not None and ref.key not in source.keys:
                message = f"reads key {ref.key!r} that {ref.kind} {ref.name} lacks"
            else:
                continue
            PROBLEMS.about(label, str(item), message)


def runs_migrations(job: Resource) -> bool:
    for container in containers(job.doc):
        argv = [str(a) for a in [*(container.get("command") or []), *(container.get("args") or [])]]
        if argv[:1] == ["alembic"] and "upgrade" in argv and "head" in argv:
            return True
    return False


def check_services(
    label: str, items: list[Resource], sources: dict[tuple[str, str], Resource]
) -> None:
    """The platform's contract, on the base and on each overlay: per service one Deployment, a
    Service that selects its pods, one `alembic upgrade head` Job on the same image, the
    database URL from a Secret and the Kafka settings from a ConfigMap; only the gateway public.
    `sources`: the ConfigMaps and Secrets to read keys from (an overlay's, else the base's)."""

    def problem(item: Resource | str, message: str) -> None:
        PROBLEMS.about(label, str(item), message)

    for service in SERVICES:
        mine = [i for i in items if i.labels.get(NAME_LABEL) == service]
        deployments = [i for i in mine if i.kind == "Deployment"]
        services = [i for i in mine if i.kind == "Service"]
        migrations = [i for i in mine if i.kind == "Job" and runs_migrations(i)]
        if len(deployments) != 1:
            problem(service, f"expected one Deployment, found {len(deployments)}")
        if not services:
            problem(service, "no Service")
        if len(migrations) != 1:
            problem(service, f"expected one `alembic upgrade head` Job, found {len(migrations)}")
        for job in migrations:
            for container in containers(job.doc):
                if container.get("workingDir") != "/app/service":
                    problem(
                        job, "workingDir must be /app/service, where the image keeps alembic.ini"
                    )
        images = {str(c.get("image")) for i in deployments + migrations for c in containers(i.doc)}
        if len(images) > 1:
            problem(service, f"the Deployment and the migration Job differ in image: {images}")
        database = f"{service.upper()}_DATABASE_URL"
        for item in deployments + migrations:
            if env_sources(item, sources).get(database) != "Secret":
                problem(item, f"{database} does not come from a Secret")
        for item in deployments:
            env = env_sources(item, sources)
            for key in KAFKA_KEYS:
                if env.get(key) != "ConfigMap":
                    problem(item, f"{key} does not come from a ConfigMap")
            template = (item.doc.get("spec") or {}).get("template") or {}
            pod_labels = (template.get("metadata") or {}).get("labels") or {}
            for svc in services:
                selector = (svc.doc.get("spec") or {}).get("selector") or {}
                if not selector or any(pod_labels.get(a) != b for a, b in selector.items()):
                    problem(svc, f"selector {selector} misses the pods of {item}")
    service_names = {i.name: i.labels.get(NAME_LABEL) for i in items if i.kind == "Service"}
    exposed = {
        str(service_names.get(ref.name) or f"unknown Service {ref.name}")
        for i in items
        if i.kind == "Ingress"
        for ref in references(i.doc)
        if ref.kind == "Service"
    }
    if "gateway" not in exposed:
        PROBLEMS.add(label, "no Ingress routes to the gateway's Service")
    for other in sorted(exposed - {"gateway"}):
        PROBLEMS.add(label, f"an Ingress routes to {other}: only the gateway is public")


def check_prod(label: str, items: list[Resource]) -> None:
    for item in items:
        replicas = (item.doc.get("spec") or {}).get("replicas", 1)
        if item.kind == "Deployment" and (not isinstance(replicas, int) or replicas < 2):
            PROBLEMS.about(label, str(item), "production runs at least two replicas")
        if str(item.annotations.get(PLACEHOLDER)).lower() == "true":
            PROBLEMS.about(label, str(item), "a development placeholder would ship to prod")


# ------------------------------------------------------------------------ 4. the topics


def check_topics() -> None:
    where = rel(TOPICS_FILE)
    if not TOPICS_FILE.is_file():
        PROBLEMS.add(where, "missing")
        return
    listed = set()
    for doc in DOCS.get(TOPICS_FILE.resolve(), []):
        if isinstance(doc, dict) and doc.get("kind") == "KafkaTopic":
            listed.add(str((doc.get("spec") or {}).get("topicName") or doc["metadata"]["name"]))
            if not (doc.get("metadata") or {}).get("labels", {}).get("strimzi.io/cluster"):
                PROBLEMS.add(
                    where, f"KafkaTopic {doc['metadata'].get('name')} lacks strimzi.io/cluster"
                )
    try:
        from union_shared.events import REGISTRY
        from union_shared.messaging.bus import dead_letter_topic
    except ImportError as exc:  # pragma: no cover - run it with `uv run`
        PROBLEMS.add(where, f"cannot import the event catalogue ({exc}); run with `uv run`")
        return
    expected = {*REGISTRY.topics(), *(dead_letter_topic(t) for t in REGISTRY.topics())}
    for topic in sorted(expected - listed):
        PROBLEMS.add(where, f"topic {topic} is in the event catalogue but not listed")
    for topic in sorted(listed - expected):
        PROBLEMS.add(where, f"topic {topic} is listed but not in the event catalogue")


# --------------------------------------------------------------------------------- main


def main() -> int:
    load_yaml_files()
    kustomizations = sorted(p for p in DOCS if p.name in KUSTOMIZATION_FILES)
    patch_files: set[Path] = set()
    for kfile in kustomizations:
        check_kustomization_paths(kfile, patch_files)
    for path, docs in DOCS.items():
        if path in patch_files or path.name in KUSTOMIZATION_FILES:
            continue
        for doc in docs:
            if not isinstance(doc, dict) or not doc.get("kind") or not doc.get("apiVersion"):
                PROBLEMS.add(rel(path), "a document without apiVersion and kind")

    if kustomization_file(BASE) is None:
        PROBLEMS.add(rel(BASE), "no kustomization.yaml")
        base: list[Resource] = []
    else:
        base = build(BASE)
    defined = {(i.kind, i.name): i for i in base if i.kind in ("ConfigMap", "Secret")}
    for item in base:
        if item.kind == "Deployment":
            check_deployment(item)
        elif item.kind in ("Job", "CronJob"):
            check_job(item)
    check_references("deploy/k8s/base", base, defined)
    check_services("deploy/k8s/base", base, defined)
    for service in SERVICES:
        images = {
            str(c.get("image"))
            for i in base
            for c in containers(i.doc)
            if i.labels.get(NAME_LABEL) == service
        }
        if images != {f"union/{service}"}:
            PROBLEMS.add("deploy/k8s/base", f"{service}: image {images}, expected union/{service}")

    overlays = sorted(p.parent for p in kustomizations if p.parent.parent == OVERLAYS)
    for name in ("dev", "prod"):
        if OVERLAYS / name not in overlays:
            PROBLEMS.add(rel(OVERLAYS / name), "missing overlay")
    for directory in overlays:
        items = build(directory)
        for item in items:
            item.origin = rel(directory)
            if item.kind == "Deployment":
                check_deployment(item)
            elif item.kind in ("Job", "CronJob"):
                check_job(item)
        rendered = {(i.kind, i.name): i for i in items if i.kind in ("ConfigMap", "Secret")}
        check_references(rel(directory), items, defined, rendered)
        check_services(rel(directory), items, {**defined, **rendered})
        if directory.name == "prod":
            check_prod(rel(directory), items)
    check_topics()

    report = PROBLEMS.report()
    if report:
        print(f"deploy/k8s: {len(report)} problem(s)", file=sys.stderr)
        for line in report:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(
        f"deploy/k8s: OK ({len(DOCS)} YAML files, {len(kustomizations)} kustomizations, "
        f"{sum(i.kind == 'Deployment' for i in base)} Deployments in the base, "
        f"overlays: {', '.join(d.name for d in overlays)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
