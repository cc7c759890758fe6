"""The clusters' Prometheus Operator objects agree with deploy/monitoring/: the PrometheusRule
manifests are the promtool-tested rules file, and the PodMonitors scrape what the
Deployments expose under the scrape config's job names."""

from pathlib import Path

import pytest
import yaml

from tests.subprocesses import run_python

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "monitoring"
KUBERNETES = ROOT / "deploy" / "kubernetes"
ENVIRONMENTS = ("development", "staging", "production")


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_the_prometheus_rule_manifests_are_up_to_date():
    result = run_python([str(MONITORING / "prometheus_rules.py"), "--check"])

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_overlay_applies_its_rules_in_its_namespace(environment):
    overlay = KUBERNETES / "overlays" / environment
    (rule,) = documents(overlay / "prometheus-rules.yaml")

    assert (
        "prometheus-rules.yaml"
        in yaml.safe_load((overlay / "kustomization.yaml").read_text())["resources"]
    )
    assert (rule["kind"], rule["metadata"]["namespace"]) == ("PrometheusRule", environment)
    assert rule["spec"] == yaml.safe_load((MONITORING / "alert-rules.yml").read_text())


def scrape_job_names() -> set[str]:
    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    return {job["job_name"] for job in config["scrape_configs"]}


@pytest.mark.parametrize(
    ("monitor", "deployment"),
    [("tarot-web", "web-deployment"), ("tarot-worker", "worker-deployment")],
)
def test_each_pod_monitor_scrapes_a_named_port_of_its_pods_as_the_scrape_configs_job(
    monitor, deployment
):
    base = KUBERNETES / "base"
    kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
    # kustomize puts these labels on every pod template (includeSelectors).
    common_labels = kustomization["labels"][0]["pairs"]
    monitors = {doc["metadata"]["name"]: doc for doc in documents(base / "monitoring.yaml")}
    (deployment_doc,) = documents(base / f"{deployment}.yaml")
    pod = deployment_doc["spec"]["template"]
    pod_labels = pod["metadata"]["labels"] | common_labels
    spec = monitors[monitor]["spec"]
    (endpoint,) = spec["podMetricsEndpoints"]
    port_names = {
        port["name"] for container in pod["spec"]["containers"] for port in container["ports"]
    }
    relabeled = {label["targetLabel"]: label["replacement"] for label in endpoint["relabelings"]}

    assert "monitoring.yaml" in kustomization["resources"]
    assert spec["selector"]["matchLabels"].items() <= pod_labels.items()
    assert endpoint["port"] in port_names
    assert relabeled["job"] == monitor
    assert monitor in scrape_job_names()
