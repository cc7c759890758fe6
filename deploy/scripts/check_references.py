"""Check that the deployment files agree with each other and with the code they run.

    python deploy/scripts/check_references.py development.yaml staging.yaml production.yaml

The arguments are the rendered Kustomize overlays (each file's stem is the
environment); the compose files, the Dockerfile, the workflows and settings/ are
read from the repository this script sits in. Every validator of a single file
passes a Service whose selector matches no pod or a ConfigMap key nobody reads;
this catches them:

- Service, PodDisruptionBudget and Deployment selectors match a pod template;
  named ports (Service targetPort, probe ports, Ingress backends) are declared.
- ConfigMaps, Secrets, PVCs, ServiceAccounts and HPA targets that pods refer to
  exist. The one Secret made by hand, `tarot-secrets`, has exactly the keys of
  kubernetes/base/secret.example.yaml.
- Every environment variable given to an application container is read by the
  code (settings/, gunicorn.conf.py, healthcheck.py) or by the container's own
  command, and staging and production set every variable settings.production
  requires.
- Every Celery queue in CELERY_TASK_ROUTES (and the default queue) is consumed by
  a worker (-Q) in each environment and in the compose stack.
- Compose depends_on names defined services; Dockerfile COPY/ADD sources exist in
  the build context used by compose and the workflows.

Exit 1 with one line per problem.
"""

from __future__ import annotations

import ast
import re
import shlex
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRET_EXAMPLE = ROOT / "deploy/kubernetes/base/secret.example.yaml"
COMPOSE_FILES = [
    ROOT / "deploy/docker-compose.dev.yml",
    ROOT / "deploy/docker-compose.monitoring.yml",
]
APP_IMAGE = "tarot-master"
# Read by Django or Celery themselves rather than by our code.
READ_BY_FRAMEWORK = {"DJANGO_SETTINGS_MODULE"}
ENV_READ_PATTERNS = [
    re.compile(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\""),
    re.compile(r"_env_\w+\(\s*\"([A-Z][A-Z0-9_]+)\""),
    re.compile(r"os\.environ(?:\.get|\.setdefault)?[\[(]\s*\"([A-Z][A-Z0-9_]+)\""),
    re.compile(r"os\.getenv\(\s*\"([A-Z][A-Z0-9_]+)\""),
]


def variables_read_by_code() -> set[str]:
    sources = [*sorted((ROOT / "settings").glob("*.py"))]
    sources += [ROOT / "deploy/gunicorn.conf.py", ROOT / "deploy/docker/healthcheck.py"]
    read = set(READ_BY_FRAMEWORK)
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for pattern in ENV_READ_PATTERNS:
            read |= set(pattern.findall(text))
    return read


def module_constant(path: Path, name: str):
    """The literal value assigned to `name` at the top level of a settings module."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"{path.relative_to(ROOT)} assigns no literal {name}")


def routed_queues() -> set[str]:
    base = ROOT / "settings/base.py"
    routes = module_constant(base, "CELERY_TASK_ROUTES")
    return {route["queue"] for route in routes.values()} | {
        module_constant(base, "CELERY_TASK_DEFAULT_QUEUE")
    }


def documented_secret_keys() -> set[str]:
    secret = yaml.safe_load(SECRET_EXAMPLE.read_text(encoding="utf-8"))
    return set(secret["stringData"])


def command_words(container: dict) -> list[str]:
    return [str(word) for word in (*container.get("command", []), *container.get("args", []))]


def referenced_in_command(name: str, words: list[str]) -> bool:
    text = " ".join(words)
    return re.search(rf"\$\(?\{{?{name}\b", text) is not None


def worker_queues(words: list[str], default_queue: str) -> set[str] | None:
    """Queues a `celery ... worker` command consumes; None when it is no worker."""
    if not words or Path(words[0]).name != "celery" or "worker" not in words:
        return None
    for index, word in enumerate(words):
        if word in {"-Q", "--queues"} and index + 1 < len(words):
            return set(words[index + 1].split(","))
        if word.startswith("--queues="):
            return set(word.split("=", 1)[1].split(","))
    return {default_queue}


def labels_match(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def pod_templates(doc: dict) -> list[dict]:
    kind = doc["kind"]
    if kind in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
        return [doc["spec"]["template"]]
    if kind == "CronJob":
        return [doc["spec"]["jobTemplate"]["spec"]["template"]]
    return []


class Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.read = variables_read_by_code()
        self.queues = routed_queues()
        self.default_queue = module_constant(ROOT / "settings/base.py", "CELERY_TASK_DEFAULT_QUEUE")
        self.secret_keys = documented_secret_keys()
        self.required = set(
            module_constant(ROOT / "settings/production.py", "REQUIRED_ENVIRONMENT")
        )

    def problem(self, text: str) -> None:
        self.problems.append(text)

    # --- Kubernetes ------------------------------------------------------------------
    def kubernetes(self, env: str, docs: list[dict]) -> None:
        by_kind: dict[str, dict[str, dict]] = {}
        for doc in docs:
            by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
        configmaps = {
            name: set(doc.get("data", {})) for name, doc in by_kind.get("ConfigMap", {}).items()
        }
        secrets = {
            name: set(doc.get("data", {})) | set(doc.get("stringData", {}))
            for name, doc in by_kind.get("Secret", {}).items()
        }
        secrets.setdefault("tarot-secrets", self.secret_keys)
        templates = [(doc, template) for doc in docs for template in pod_templates(doc)]
        consumed: set[str] = set()
        unused_configmap_keys = {(name, key) for name, keys in configmaps.items() for key in keys}

        for doc, template in templates:
            where = f"{env}: {doc['kind']}/{doc['metadata']['name']}"
            labels = template.get("metadata", {}).get("labels", {})
            selector = doc["spec"].get("selector", {}).get("matchLabels")
            if doc["kind"] == "Deployment" and not labels_match(selector, labels):
                self.problem(f"{where}: selector {selector} does not match its pod labels {labels}")
            self.pod(where, template["spec"], by_kind, configmaps, secrets, unused_configmap_keys)
            if env in {"staging", "production"}:
                self.required_variables(where, template["spec"], configmaps, secrets)
            for container in template["spec"]["containers"]:
                queues = worker_queues(command_words(container), self.default_queue)
                if queues is not None:
                    consumed |= queues

        for name, key in sorted(unused_configmap_keys):
            self.problem(f"{env}: ConfigMap {name} key {key} is read by no container")
        for queue in sorted(self.queues - consumed):
            self.problem(f"{env}: no Celery worker consumes queue {queue!r} (celery worker -Q)")

        for kind in ("Service", "PodDisruptionBudget"):
            for name, doc in by_kind.get(kind, {}).items():
                selector = doc["spec"].get("selector", {})
                selector = selector.get("matchLabels", selector) if kind != "Service" else selector
                pods = [
                    t
                    for _, t in templates
                    if labels_match(selector, t["metadata"].get("labels", {}))
                ]
                if not pods:
                    self.problem(f"{env}: {kind}/{name} selector {selector} matches no pod")
                    continue
                if kind == "Service":
                    self.service_ports(env, name, doc, pods)

        for name, doc in by_kind.get("HorizontalPodAutoscaler", {}).items():
            target = doc["spec"]["scaleTargetRef"]
            if target["name"] not in by_kind.get(target["kind"], {}):
                self.problem(f"{env}: HPA {name} scales missing {target['kind']}/{target['name']}")
            elif by_kind[target["kind"]][target["name"]]["spec"].get("replicas") is not None:
                self.problem(
                    f"{env}: {target['kind']}/{target['name']} sets spec.replicas while HPA {name} "
                    "manages it (every apply would cut a scaled-out Deployment back)"
                )

        for name, doc in by_kind.get("Ingress", {}).items():
            for rule in doc["spec"].get("rules", []):
                for path in rule.get("http", {}).get("paths", []):
                    backend = path["backend"]["service"]
                    service = by_kind.get("Service", {}).get(backend["name"])
                    if service is None:
                        self.problem(
                            f"{env}: Ingress {name} sends to missing Service {backend['name']}"
                        )
                        continue
                    port = backend["port"].get("name", backend["port"].get("number"))
                    known = {p.get("name") for p in service["spec"]["ports"]}
                    known |= {p["port"] for p in service["spec"]["ports"]}
                    if port not in known:
                        self.problem(
                            f"{env}: Ingress {name} uses port {port}, "
                            f"Service {backend['name']} has none"
                        )

    def service_ports(self, env: str, name: str, service: dict, pods: list[dict]) -> None:
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            if not isinstance(target, str):
                continue
            declared = [
                p
                for pod in pods
                for c in pod["spec"]["containers"]
                for p in c.get("ports", [])
                if p.get("name") == target
            ]
            if not declared:
                self.problem(
                    f"{env}: Service {name} targetPort {target!r} is declared by no container "
                    "it selects"
                )

    def pod(self, where, pod, by_kind, configmaps, secrets, unused_configmap_keys) -> None:
        account = pod.get("serviceAccountName")
        if account and account not in by_kind.get("ServiceAccount", {}):
            self.problem(f"{where}: ServiceAccount {account} is not defined")
        for volume in pod.get("volumes", []):
            claim = volume.get("persistentVolumeClaim", {}).get("claimName")
            if claim and claim not in by_kind.get("PersistentVolumeClaim", {}):
                self.problem(f"{where}: PersistentVolumeClaim {claim} is not defined")
            if "configMap" in volume and volume["configMap"]["name"] not in configmaps:
                self.problem(f"{where}: ConfigMap {volume['configMap']['name']} is not defined")
            if "secret" in volume and volume["secret"]["secretName"] not in secrets:
                self.problem(f"{where}: Secret {volume['secret']['secretName']} is not defined")
        for container in pod.get("initContainers", []) + pod["containers"]:
            self.container(
                f"{where}/{container['name']}",
                container,
                configmaps,
                secrets,
                unused_configmap_keys,
            )

    def container(self, where, container, configmaps, secrets, unused_configmap_keys) -> None:
        words = command_words(container)
        is_app = container.get("image", "").split("/")[-1].split(":")[0] == APP_IMAGE

        def check_used(name: str, origin: str) -> None:
            if not ((is_app and name in self.read) or referenced_in_command(name, words)):
                self.problem(
                    f"{where}: {name} ({origin}) is read by neither the code nor the command"
                )

        declared_ports = {p.get("name") for p in container.get("ports", [])}
        for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
            probe = container.get(probe_name, {})
            for handler in ("httpGet", "tcpSocket", "grpc"):
                port = probe.get(handler, {}).get("port")
                if isinstance(port, str) and port not in declared_ports:
                    self.problem(
                        f"{where}: {probe_name} uses port {port!r} the container does not declare"
                    )

        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                name = source["configMapRef"]["name"]
                if name not in configmaps:
                    self.problem(f"{where}: envFrom ConfigMap {name} is not defined")
                    continue
                for key in configmaps[name]:
                    if (is_app and key in self.read) or referenced_in_command(key, words):
                        unused_configmap_keys.discard((name, key))
            if "secretRef" in source:
                name = source["secretRef"]["name"]
                if name not in secrets:
                    self.problem(f"{where}: envFrom Secret {name} is not defined (nor documented)")
                    continue
                for key in sorted(secrets[name]):
                    check_used(key, f"Secret {name}")
        for item in container.get("env", []):
            reference = item.get("valueFrom", {})
            if "configMapKeyRef" in reference:
                ref = reference["configMapKeyRef"]
                if ref["key"] not in configmaps.get(ref["name"], set()):
                    self.problem(f"{where}: ConfigMap {ref['name']} has no key {ref['key']}")
                unused_configmap_keys.discard((ref["name"], ref["key"]))
            if "secretKeyRef" in reference:
                ref = reference["secretKeyRef"]
                if ref["key"] not in secrets.get(ref["name"], set()):
                    self.problem(
                        f"{where}: Secret {ref['name']} has no (documented) key {ref['key']}"
                    )
            check_used(item["name"], "env")

    def required_variables(self, where, pod, configmaps, secrets) -> None:
        for container in pod["containers"]:
            if container.get("image", "").split("/")[-1].split(":")[0] != APP_IMAGE:
                continue
            given = {item["name"] for item in container.get("env", [])}
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    given |= configmaps.get(source["configMapRef"]["name"], set())
                if "secretRef" in source:
                    given |= secrets.get(source["secretRef"]["name"], set())
            for name in sorted(self.required - given):
                self.problem(f"{where}/{container['name']}: required {name} is not set")

    # --- Compose ---------------------------------------------------------------------
    def compose(self) -> None:
        services: dict[str, tuple[Path, dict]] = {}
        for path in COMPOSE_FILES:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            for name, service in (document.get("services") or {}).items():
                services[name] = (path, service)
        consumed: set[str] = set()
        for name, (path, service) in services.items():
            where = f"{path.relative_to(ROOT)}: service {name}"
            depends = service.get("depends_on", [])
            for target in depends if isinstance(depends, list) else depends.keys():
                if target not in services:
                    self.problem(f"{where}: depends_on undefined service {target!r}")
            build = service.get("build")
            if build:
                context = (
                    path.parent / (build if isinstance(build, str) else build.get("context", "."))
                ).resolve()
                dockerfile = (
                    "Dockerfile"
                    if isinstance(build, str)
                    else build.get("dockerfile", "Dockerfile")
                )
                self.dockerfile(where, context, context / dockerfile)
            if not build and not str(service.get("image", "")).startswith(f"{APP_IMAGE}:"):
                continue
            words = service.get("command", [])
            words = shlex.split(words) if isinstance(words, str) else [str(w) for w in words]
            queues = worker_queues(words, self.default_queue)
            consumed |= queues or set()
            environment = service.get("environment", {})
            if isinstance(environment, list):
                environment = dict(item.partition("=")[::2] for item in environment)
            for variable in sorted(environment):
                if variable not in self.read and not referenced_in_command(variable, words):
                    self.problem(f"{where}: {variable} is read by neither the code nor the command")
            for variable in ("DATABASE_URL", "REDIS_URL"):
                if variable not in environment:
                    self.problem(
                        f"{where}: {variable} is not set (the app would fall back silently)"
                    )
        for queue in sorted(self.queues - consumed):
            self.problem(f"compose: no Celery worker consumes queue {queue!r} (celery worker -Q)")

    # --- Docker build contexts -------------------------------------------------------
    def workflows(self) -> None:
        for path in sorted((ROOT / ".github/workflows").glob("*.y*ml")):
            workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
            for job_name, job in (workflow.get("jobs") or {}).items():
                for step in job.get("steps", []):
                    if not str(step.get("uses", "")).startswith("docker/build-push-action"):
                        continue
                    options = step.get("with", {})
                    context = ROOT / options.get("context", ".")
                    dockerfile = (
                        ROOT / options["file"] if "file" in options else context / "Dockerfile"
                    )
                    self.dockerfile(
                        f"{path.relative_to(ROOT)}: job {job_name}", context, dockerfile
                    )

    def dockerfile(self, where: str, context: Path, dockerfile: Path) -> None:
        if not dockerfile.is_file():
            self.problem(f"{where}: Dockerfile {dockerfile} does not exist")
            return
        # Continuation lines joined, so each instruction is one line.
        text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
        for line in text.splitlines():
            instruction, _, rest = line.strip().partition(" ")
            instruction = instruction.upper()
            sources: list[str] = []
            if instruction in {"COPY", "ADD"}:
                words = shlex.split(rest)
                if any(word.startswith("--from=") for word in words):
                    continue
                sources = [word for word in words if not word.startswith("--")][:-1]
            elif instruction == "RUN":
                for mount in re.findall(r"--mount=(\S+)", rest):
                    fields = dict(field.partition("=")[::2] for field in mount.split(","))
                    if fields.get("type") == "bind" and "from" not in fields:
                        sources.append(fields.get("source", "."))
            for source in sources:
                if (context / source).exists() or (
                    any(char in source for char in "*?[") and any(context.glob(source))
                ):
                    continue
                self.problem(
                    f"{where}: {dockerfile.relative_to(ROOT)} {instruction} source {source!r} "
                    f"is not in the build context {context.relative_to(ROOT)}"
                )


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    checker = Checker()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            checker.kubernetes(Path(path).stem, [doc for doc in yaml.safe_load_all(handle) if doc])
    checker.compose()
    checker.workflows()
    for problem in dict.fromkeys(checker.problems):
        print(problem)
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
