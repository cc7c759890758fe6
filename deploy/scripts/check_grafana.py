"""Check the provisioned Grafana dashboards and datasources.

    python deploy/scripts/check_grafana.py OUT_RULES_FILE

* every dashboard under deploy/monitoring/grafana/dashboards/ is valid JSON with
  a uid, a title and unique panel ids;
* every panel's datasource uid is one the provisioning files define;
* every PromQL query parses: the queries are written, with Grafana's
  $__rate_interval / $variables replaced by sample values, as recording rules
  into OUT_RULES_FILE, which deploy/check.sh then hands to `promtool check rules`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1] / "monitoring" / "grafana"
GRAFANA_VARIABLES = {
    "$__rate_interval": "5m",
    "$__interval": "1m",
    "$__range": "1h",
}


def datasource_uids() -> set[str]:
    uids: set[str] = set()
    for path in sorted((ROOT / "provisioning" / "datasources").glob("*.y*ml")):
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        uids.update(ds["uid"] for ds in config.get("datasources", []) if "uid" in ds)
    return uids


def panels_of(dashboard: dict) -> list[dict]:
    found = []
    for panel in dashboard.get("panels", []):
        found.append(panel)
        found.extend(panel.get("panels", []))  # collapsed rows
    return found


def to_promql(expr: str) -> str:
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    # Dashboard variables ($namespace, ${namespace}) become "match anything".
    return re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", ".*", expr)


def main(out_path: str) -> int:
    problems: list[str] = []
    known_uids = datasource_uids()
    if not known_uids:
        problems.append("no datasource with a uid under grafana/provisioning/datasources")
    providers = list((ROOT / "provisioning" / "dashboards").glob("*.y*ml"))
    if not providers:
        problems.append("no dashboard provider under grafana/provisioning/dashboards")
    rules = []
    dashboards = sorted((ROOT / "dashboards").glob("*.json"))
    if not dashboards:
        problems.append("no dashboard JSON under grafana/dashboards")
    for path in dashboards:
        try:
            dashboard = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            problems.append(f"{path.name}: invalid JSON: {error}")
            continue
        for key in ("uid", "title", "panels"):
            if not dashboard.get(key):
                problems.append(f"{path.name}: missing {key}")
        ids = [p.get("id") for p in panels_of(dashboard)]
        if len(ids) != len(set(ids)):
            problems.append(f"{path.name}: duplicate panel ids")
        for panel in panels_of(dashboard):
            if panel.get("type") == "row":
                continue
            uid = (panel.get("datasource") or {}).get("uid")
            if uid not in known_uids:
                problems.append(
                    f"{path.name}: panel {panel.get('title')!r} uses unknown datasource {uid!r}"
                )
            targets = panel.get("targets") or []
            if not targets:
                problems.append(f"{path.name}: panel {panel.get('title')!r} has no query")
            for target in targets:
                expr = target.get("expr", "").strip()
                if not expr:
                    problems.append(f"{path.name}: panel {panel.get('title')!r} has an empty query")
                    continue
                rules.append(
                    {
                        "record": f"grafana:panel_{panel.get('id')}_{target.get('refId', 'A')}",
                        "expr": to_promql(expr),
                    }
                )
    Path(out_path).write_text(
        yaml.safe_dump({"groups": [{"name": "grafana-queries", "rules": rules}]}), encoding="utf-8"
    )
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
