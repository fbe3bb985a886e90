"""The README's curl story runs as written on a machine with only make, curl and python3 on PATH."""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]
OUTCOME = re.compile(r"^number_assigned (new_bis|existing_bis|national_register) \d{11}$", re.M)


def curl_blocks() -> list[str]:
    """The shell blocks of the 'Try it with curl' section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Try it with curl", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def fresh_path() -> str:
    """PATH without the folder where `make` installs uv: a newcomer does not have it there."""
    local_bin = str(Path.home() / ".local" / "bin")
    return os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != local_bin)


def test_the_readme_needs_no_tool_a_stock_machine_lacks():
    blocks = curl_blocks()
    assert len(blocks) == 2
    for block in blocks:
        assert "uuidgen" not in block
        assert not re.search(r"^\s*uv ", block, flags=re.M), "uv is not on a newcomer's PATH"


def test_the_readmes_curl_story_gives_two_numbers_against_the_running_system(system, smtp_sink):
    private_key, _ = system.keys
    env = {
        **os.environ,
        "PATH": fresh_path(),
        "PORTAL": system.url("gateway"),  # the README's default is make up's http://localhost:8000
        "DEV_KEY": str(private_key),
        "MAIL_FOLDER": str(smtp_sink.folder),
    }
    script = "\n".join(curl_blocks())
    try:
        done = subprocess.run(  # noqa: S603 - our own README, in a test
            ["/bin/bash", "-euo", "pipefail", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        (ROOT / "card.png").unlink(missing_ok=True)

    assert done.returncode == 0, done.stderr[-2000:]
    assert len(OUTCOME.findall(done.stdout)) == 2, done.stdout[-2000:]
    assert '"items"' in done.stdout  # the history answered
    assert "message(s) in" in done.stderr  # make mail read the sink
