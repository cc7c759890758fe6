"""Wrap deploy/monitoring/alert-rules.yml into a PrometheusRule per environment.

    python3 deploy/monitoring/prometheus_rules.py           # rewrite the manifests
    python3 deploy/monitoring/prometheus_rules.py --check   # exit 1 if one is out of date

A cluster whose Prometheus is run by the Prometheus Operator loads rules only from
PrometheusRule objects; the promtool-tested file stays the one source, and each overlay
(deploy/kubernetes/overlays/<environment>/prometheus-rules.yaml) carries a generated copy.
The rule groups are copied as text, comments included, so the manifest reads like the file.
"""

import argparse
import sys
from pathlib import Path

import yaml

MONITORING = Path(__file__).resolve().parent
RULES = MONITORING / "alert-rules.yml"
OVERLAYS = MONITORING.parent / "kubernetes" / "overlays"
ENVIRONMENTS = ("development", "staging", "production")

HEADER = """\
# GENERATED from deploy/monitoring/alert-rules.yml by deploy/monitoring/prometheus_rules.py:
# edit that file and run the script, never this one (tests/ops/test_prometheus_rules.py
# fails when they differ).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: tarot-alerts
  namespace: {environment}
  labels:
    app.kubernetes.io/component: monitoring
spec:
"""


def rule_groups_text(rules_text: str) -> str:
    """The file from its ``groups:`` key on, which must be its only key."""
    loaded = yaml.safe_load(rules_text)
    if not isinstance(loaded, dict) or set(loaded) != {"groups"}:
        raise SystemExit(f"{RULES}: expected only a top-level 'groups' key")
    lines = rules_text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("groups:"))
    return "".join(lines[start:])


def manifest(*, environment: str, rules_text: str) -> str:
    groups = rule_groups_text(rules_text)
    indented = "".join(f"  {line}" if line.strip() else line for line in groups.splitlines(True))
    text = HEADER.format(environment=environment) + indented
    if yaml.safe_load(text)["spec"] != yaml.safe_load(rules_text):
        raise SystemExit("the wrapped rule groups do not load as the file's")
    return text


def manifest_path(environment: str) -> Path:
    return OVERLAYS / environment / "prometheus-rules.yaml"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale manifests")
    args = parser.parse_args(argv)
    rules_text = RULES.read_text()
    stale = []
    for environment in ENVIRONMENTS:
        path = manifest_path(environment)
        wanted = manifest(environment=environment, rules_text=rules_text)
        if path.exists() and path.read_text() == wanted:
            continue
        if args.check:
            stale.append(path)
        else:
            path.write_text(wanted)
    for path in stale:
        print(f"{path} is out of date: run python3 deploy/monitoring/prometheus_rules.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
