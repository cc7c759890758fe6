"""Assert the rendered Kubernetes overlays keep the values this project promised.

    kubectl kustomize deploy/kubernetes/overlays/production > production.yaml
    python deploy/scripts/check_manifests.py development.yaml staging.yaml production.yaml

Each file name's stem is the environment. kubernetes-validate checks that the
manifests are valid Kubernetes; this checks that they are *ours*: the
architecture document's replica counts, requests/limits, probe paths and
timings, rolling-update settings and rate limit, what Prometheus relies on (the
web's POD_IP, the worker's metrics port, PROMETHEUS_MULTIPROC_DIR on an
emptyDir), Celery without its banner (--quiet), plus the hardening every pod
must keep (non-root, read-only root filesystem with /tmp as emptyDir). Exit 1
with one line per broken promise.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

# From the architecture document (seed); development is this project's own choice.
WEB_REPLICAS = {"development": 1, "staging": 2, "production": 5}
WEB_RESOURCES = {
    "staging": {
        "requests": {"memory": "512Mi", "cpu": "500m"},
        "limits": {"memory": "1Gi", "cpu": "1000m"},
    },
    "production": {
        "requests": {"memory": "1Gi", "cpu": "1000m"},
        "limits": {"memory": "2Gi", "cpu": "2000m"},
    },
}
LIVENESS = {"path": "/api/health", "initialDelaySeconds": 45, "periodSeconds": 10}
READINESS = {"path": "/api/ready", "initialDelaySeconds": 30, "periodSeconds": 5}
# The port deploy/monitoring/prometheus.yml scrapes each Celery worker's own /metrics on.
WORKER_METRICS_PORT = 8001


def pod_specs(doc: dict) -> list[dict]:
    kind = doc["kind"]
    if kind in {"Deployment", "Job"}:
        return [doc["spec"]["template"]["spec"]]
    if kind == "CronJob":
        return [doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]]
    return []


def env_of(container: dict) -> dict[str, dict]:
    return {item["name"]: item for item in container.get("env", [])}


def multiproc_problems(where: str, pod: dict, container: dict) -> list[str]:
    """PROMETHEUS_MULTIPROC_DIR must name an emptyDir mounted in the container."""
    directory = env_of(container).get("PROMETHEUS_MULTIPROC_DIR", {}).get("value")
    if not directory:
        return [f"{where}: no PROMETHEUS_MULTIPROC_DIR (metrics of its processes would not add up)"]
    empty_dirs = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
    if mounts.get(directory) not in empty_dirs:
        return [f"{where}: PROMETHEUS_MULTIPROC_DIR {directory} is not an emptyDir mount"]
    return []


def celery_problems(where: str, container: dict) -> list[str]:
    command = container.get("command", [])
    subcommands = [index for index, word in enumerate(command) if word in {"worker", "beat"}]
    # --quiet is a global celery option: it only takes effect before the sub-command.
    if not subcommands or "--quiet" not in command[: subcommands[0]]:
        return [f"{where}: celery needs --quiet before worker/beat (its banner is not JSON)"]
    return []


def check(env: str, docs: list[dict]) -> list[str]:
    problems: list[str] = []
    by_key = {(d["kind"], d["metadata"]["name"]): d for d in docs}

    def need(kind: str, name: str) -> dict:
        doc = by_key.get((kind, name))
        if doc is None:
            problems.append(f"{env}: missing {kind}/{name}")
            return {}
        return doc

    for doc in docs:
        if doc.get("kind") == "Secret":
            problems.append(
                f"{env}: renders Secret {doc['metadata']['name']}; secrets are made per namespace"
            )
        if doc["metadata"].get("namespace") != env:
            problems.append(
                f"{env}: {doc['kind']}/{doc['metadata']['name']} is not in namespace {env}"
            )

    web = need("Deployment", "tarot-web")
    if web:
        spec = web["spec"]
        if "replicas" in spec:
            problems.append(f"{env}: web sets replicas {spec['replicas']}; its HPA owns the count")
        strategy = spec.get("strategy", {})
        rolling = strategy.get("rollingUpdate", {})
        if (
            strategy.get("type") != "RollingUpdate"
            or rolling.get("maxSurge") != 1
            or rolling.get("maxUnavailable") != 0
        ):
            problems.append(
                f"{env}: web strategy must be RollingUpdate maxSurge 1 / maxUnavailable 0, "
                f"got {strategy}"
            )
        container = spec["template"]["spec"]["containers"][0]
        for probe_name, wanted in (("livenessProbe", LIVENESS), ("readinessProbe", READINESS)):
            probe = container.get(probe_name, {})
            got = {
                "path": probe.get("httpGet", {}).get("path"),
                "initialDelaySeconds": probe.get("initialDelaySeconds"),
                "periodSeconds": probe.get("periodSeconds"),
            }
            if got != wanted:
                problems.append(f"{env}: web {probe_name} {got} != {wanted}")
        if env in WEB_RESOURCES and container.get("resources") != WEB_RESOURCES[env]:
            problems.append(
                f"{env}: web resources {container.get('resources')} != {WEB_RESOURCES[env]}"
            )
        if "/" not in container.get("image", "") or container["image"].endswith(":unset"):
            problems.append(
                f"{env}: web image {container.get('image')!r} is not mapped to a registry"
            )
        pod_ip = env_of(container).get("POD_IP", {})
        if pod_ip.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") != "status.podIP":
            problems.append(f"{env}: web POD_IP must come from the downward API status.podIP")
        problems.extend(multiproc_problems(f"{env}: web", spec["template"]["spec"], container))

    hpa = need("HorizontalPodAutoscaler", "tarot-web")
    if hpa:
        if hpa["apiVersion"] != "autoscaling/v2":
            problems.append(f"{env}: HPA apiVersion {hpa['apiVersion']}")
        if hpa["spec"].get("minReplicas") != WEB_REPLICAS[env]:
            problems.append(
                f"{env}: HPA minReplicas {hpa['spec'].get('minReplicas')} "
                f"!= the architecture document's {WEB_REPLICAS[env]} web replicas"
            )
        if hpa["spec"].get("maxReplicas", 0) < hpa["spec"].get("minReplicas", 0):
            problems.append(f"{env}: HPA maxReplicas below minReplicas")

    beat = need("Deployment", "tarot-beat")
    if beat and (
        beat["spec"].get("replicas") != 1
        or beat["spec"].get("strategy", {}).get("type") != "Recreate"
    ):
        problems.append(f"{env}: beat must be 1 replica with strategy Recreate")

    if beat:
        problems.extend(
            celery_problems(f"{env}: beat", beat["spec"]["template"]["spec"]["containers"][0])
        )

    worker = need("Deployment", "tarot-worker")
    if worker:
        pod = worker["spec"]["template"]["spec"]
        container = pod["containers"][0]
        problems.extend(celery_problems(f"{env}: worker", container))
        problems.extend(multiproc_problems(f"{env}: worker", pod, container))
        port = env_of(container).get("CELERY_METRICS_PORT", {}).get("value")
        container_ports = {
            p.get("name"): p.get("containerPort") for p in container.get("ports", [])
        }
        if (
            port != str(WORKER_METRICS_PORT)
            or container_ports.get("metrics") != WORKER_METRICS_PORT
        ):
            problems.append(
                f"{env}: worker must serve /metrics on {WORKER_METRICS_PORT} (CELERY_METRICS_PORT "
                f"{port!r}, container port 'metrics' {container_ports.get('metrics')!r})"
            )
    need("Job", "tarot-migrate")
    need("Service", "tarot-web")
    need("Service", "tarot-web-metrics")
    need("Service", "tarot-worker-metrics")
    need("PodDisruptionBudget", "tarot-web")
    backup = need("CronJob", "tarot-db-backup")
    if backup:
        script = " ".join(
            backup["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["command"]
        )
        for piece in ("pg_dump", "gzip", "BACKUP_RETENTION_DAYS", "-delete"):
            if piece not in script:
                problems.append(f"{env}: backup CronJob script lacks {piece!r}")

    ingress = need("Ingress", "tarot-web")
    if ingress:
        annotations = ingress["metadata"].get("annotations", {})
        if (
            annotations.get("nginx.ingress.kubernetes.io/limit-rps") != "10"
            or annotations.get("nginx.ingress.kubernetes.io/limit-burst-multiplier") != "2"
        ):
            problems.append(
                f"{env}: ingress rate limit must be 10 r/s with burst 20 (multiplier 2)"
            )

    for doc in docs:
        for pod in pod_specs(doc):
            where = f"{env}: {doc['kind']}/{doc['metadata']['name']}"
            if pod.get("securityContext", {}).get("runAsNonRoot") is not True:
                problems.append(f"{where}: runAsNonRoot is not true")
            tmp_volumes = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
            for container in pod["containers"]:
                context = container.get("securityContext", {})
                if context.get("readOnlyRootFilesystem") is not True:
                    problems.append(
                        f"{where}/{container['name']}: readOnlyRootFilesystem is not true"
                    )
                if context.get("allowPrivilegeEscalation") is not False:
                    problems.append(
                        f"{where}/{container['name']}: allowPrivilegeEscalation is not false"
                    )
                mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
                if mounts.get("/tmp") not in tmp_volumes:  # noqa: S108 (a mount path)
                    problems.append(f"{where}/{container['name']}: /tmp is not an emptyDir")
                if "resources" not in container or "limits" not in container["resources"]:
                    problems.append(f"{where}/{container['name']}: no resource limits")
    return problems


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    problems: list[str] = []
    for path in paths:
        env = Path(path).stem
        if env not in WEB_REPLICAS:
            problems.append(
                f"{path}: file name must be <environment>.yaml, one of {sorted(WEB_REPLICAS)}"
            )
            continue
        with open(path, encoding="utf-8") as handle:
            docs = [doc for doc in yaml.safe_load_all(handle) if doc]
        problems.extend(check(env, docs))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
