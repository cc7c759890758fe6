"""Lighthouse on the project's pages under gunicorn (bench/run.py's stack): ``run.py lighthouse``.

Audits the home page, a reading result (a shared reading, ``/s/<token>/``) and a card page, on
Lighthouse's default mobile profile with its simulated throttling, and prints the four category
scores per page and every audit that lost points. The project runs with ``settings.staging``
and ``DJANGO_SECURE_SSL_REDIRECT=0`` (there is no TLS proxy here); Chromium sends
``X-Forwarded-Proto: https`` on every page request as the proxy would. Without nginx the HTML is
not gzipped (static files are, by WhiteNoise).
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from run import CARD_SLUG, Stack, http_request, say, stack_start

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 95, "best-practices": 95, "seo": 90}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --disable-quic --no-first-run"
)


def lighthouse_page(lighthouse: str, url: str, output: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; again when it could not trace the load (it sometimes loses the
    navigation start when Chromium swaps processes for the pages' Cross-Origin-Opener-Policy)."""
    command = [
        lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--extra-headers",
        json.dumps({"X-Forwarded-Proto": "https"}),
    ]
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    problem = ""
    for _ in range(attempts):
        output.unlink(missing_ok=True)
        completed = subprocess.run(
            command, capture_output=True, text=True, env=environment, check=False
        )
        if output.exists():
            report = json.loads(output.read_text())
            if not report.get("runtimeError"):
                return report
            problem = report["runtimeError"]["message"]
        else:
            problem = completed.stderr[-3000:]
        say(f"Lighthouse failed on {url}, trying again: {problem.splitlines()[0]}")
    raise SystemExit(f"lighthouse failed {attempts} times on {url}:\n{problem}")


def lost_points(report: dict) -> list[str]:
    """Audits that count towards a category score and did not pass fully."""
    weighted = {
        reference["id"]
        for category in report["categories"].values()
        for reference in category["auditRefs"]
        if reference.get("weight")
    }
    lines = []
    for audit_id in sorted(weighted):
        audit = report["audits"][audit_id]
        score = audit.get("score")
        if score is not None and score < 1:
            value = audit.get("displayValue", "")
            lines.append(
                f"{audit_id} ({score:.2f}{', ' + value if value else ''}): {audit['title']}"
            )
    return lines


def lighthouse_run(args) -> None:
    lighthouse = args.lighthouse
    if not lighthouse or not Path(lighthouse).exists():
        raise SystemExit("bench: run bench/lighthouse.sh (it installs Lighthouse first)")
    stack: Stack
    # Chromium sends X-Forwarded-Proto with the page's requests but not with Lighthouse's own
    # fetch of /robots.txt; without a TLS proxy here, that one would be redirected to https.
    stack, prepared = stack_start(args, [], reference=False, ssl_redirect=False)
    try:
        base = stack.servers[0].base_url
        pages = {
            "home": f"{base}/",
            "reading result": f"{base}/s/{prepared['share_token']}/",
            "card page": f"{base}/cards/{CARD_SLUG}/",
        }
        results = {}
        with tempfile.TemporaryDirectory(prefix="tarot-lighthouse-") as reports:
            for name, url in pages.items():
                say(f"Lighthouse: {name} ({url})")
                # A first visit fills the caches; Lighthouse measures the page as visitors get it.
                http_request(stack.servers[0].port, url.removeprefix(base))
                results[name] = lighthouse_page(lighthouse, url, Path(reports) / f"{name}.json")
    finally:
        stack.stop()
    print()
    header = f"{'page':<16}" + "".join(f"{category:>16}" for category in CATEGORIES)
    print(header)
    print("─" * len(header))
    for name, report in results.items():
        scores = [round(report["categories"][category]["score"] * 100) for category in CATEGORIES]
        print(f"{name:<16}" + "".join(f"{score:>16}" for score in scores))
    print(f"{'target':<16}" + "".join(f"{'≥ ' + str(TARGETS[c]):>16}" for c in CATEGORIES))
    for name, report in results.items():
        lines = lost_points(report)
        if lines:
            print(f"\n{name}: audits below full marks")
            for line in lines:
                print(f"  {line}")
