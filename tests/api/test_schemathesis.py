"""Schemathesis against the live server and its own schema, signed in, every operation.

Every check runs except ``positive_data_acceptance``: it expects any schema-valid value to be
accepted, while the domain rightly refuses some (an unknown spread slug, a string that is not
an IANA time zone, a page past the last one, a wrong password) with a 400 naming the field.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from readings.services import reading_create, reading_share
from tests.accounts.factories import UserFactory

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# Examples per operation: a quick pass in `make test`, the deeper one with the thorough profile.
MAX_EXAMPLES = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 3
OPERATIONS = 23


@pytest.mark.django_db(transaction=True)
def test_the_live_api_answers_as_its_schema_says(
    live_server, seeded_deck, three_card_spread, settings, tmp_path
):
    # The run sends hundreds of requests a minute from one client; throttling is tested apart.
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/min")
    user = UserFactory()
    shared = reading_share(reading=reading_create(user=user, spread=three_card_spread))
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\ntoken = "{shared.share_token}"\n')
    command = [
        str(SCHEMATHESIS),
        "--no-color",
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}/api/v1/schema/?format=json",
        "--header",
        f"Authorization: Bearer {RefreshToken.for_user(user).access_token}",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "20250301",
        "--workers",
        "1",
        "--request-timeout",
        "30",
    ]

    result = subprocess.run(  # noqa: S603 (our own virtualenv's schemathesis, fixed arguments)
        command, cwd=tmp_path, capture_output=True, text=True, timeout=600
    )

    output = result.stdout
    summary = output[output.rfind("\n", 0, output.rfind(" SUMMARY ")) + 1 :]
    print(summary)
    assert result.returncode == 0, output[-8000:] + result.stderr[-2000:]
    assert f"Selected: {OPERATIONS}/{OPERATIONS}" in summary
    assert f"Tested: {OPERATIONS}" in summary
    generated, passed = map(int, re.search(r"(\d+) generated, (\d+) passed", summary).groups())
    assert generated == passed > OPERATIONS * MAX_EXAMPLES
