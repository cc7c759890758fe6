"""Write every bash `run:` block of the GitHub workflows to its own file, for shellcheck.

    python deploy/scripts/workflow_shell.py OUT_DIR .github/workflows/*.yml

Each file is named <workflow>.<job>.<step number>.sh and prints nothing else.
Runners execute a step with `bash -e {0}` unless it names another shell, so the
file starts with a bash shebang. `${{ ... }}` expressions are replaced by a plain
word: the runner substitutes them before bash sees the script, and shellcheck
cannot parse them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def main(arguments: list[str]) -> int:
    if len(arguments) < 2:
        print(__doc__)
        return 2
    out_dir = Path(arguments[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in map(Path, arguments[1:]):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        default_shell = (workflow.get("defaults") or {}).get("run", {}).get("shell", "bash")
        for job_name, job in (workflow.get("jobs") or {}).items():
            job_shell = (job.get("defaults") or {}).get("run", {}).get("shell", default_shell)
            for number, step in enumerate(job.get("steps", []), start=1):
                if "run" not in step or step.get("shell", job_shell).split()[0] != "bash":
                    continue
                script = EXPRESSION.sub("github_expression", step["run"])
                target = out_dir / f"{path.stem}.{job_name}.{number}.sh"
                target.write_text(f"#!/usr/bin/env bash\n{script}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
