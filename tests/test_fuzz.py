"""Schema-driven fuzzing (schemathesis) of every service's OpenAPI against the running stack:
no input, valid or not, may give a 5xx (issue 11 item 8).

Each service is fuzzed directly and the gateway through its published API (/api/openapi.json),
with an employer's token (requester and admin) and an agent's, valid and invalid inputs alike.
The examples per operation are few and derandomised, so a failure reproduces on the next run:
about 20 s of fuzzing on an idle 2-core machine (up to ~2 min when other suites share it), on top
of the stack's start.
"""

import contextlib
from dataclasses import dataclass

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.support import Actor, new_employer_id

SERVICES = ["intake", "matching", "notifier", "history", "webhooks"]
EXAMPLES = 6  # per operation and generation mode, each service directly
GATEWAY_EXAMPLES = 4  # through the gateway: the same operations again, behind the edge
# Routes whose work is not an answer to the request: uploads are fuzzed by tests of their own
# (decode bounds, hostile files), and the development identity provider is not a service.
SKIPPED = ("/dev/", "/pages")


@dataclass
class Callers:
    employer: dict[str, str]
    agent: dict[str, str]

    def for_path(self, path: str) -> dict[str, str]:
        back_office = any(part in path for part in ("/review", "/registry"))
        return self.agent if back_office else self.employer


@pytest.fixture(scope="module")
def callers(system) -> Callers:
    employer = Actor.sign_in(
        system, employer=new_employer_id(), user="fuzz-hr", roles=("requester", "admin")
    )
    agent = Actor.sign_in(system, user="fuzz-agent", roles=("agent",))
    return Callers(employer.headers, agent.headers)


def server_errors(schema, base_url: str, callers: Callers, *, examples: int) -> list[str]:
    """Every operation under both generation modes; the 5xx answers found, one line each."""
    found: list[str] = []
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        if any(skipped in operation.path for skipped in SKIPPED):
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            found += _fuzz(
                operation, mode, base_url, callers.for_path(operation.path), session, examples
            )
    return found


def _fuzz(operation, mode, base_url, headers, session, examples) -> list[str]:
    found: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        if response.status_code >= 500:
            found.append(f"{response.status_code} {operation.method.upper()} {case.formatted_path}")

    # A schema whose negative space is empty (no parameters at all) has nothing to generate.
    with contextlib.suppress(Unsatisfiable):
        run()
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_no_input_gives_a_server_error(system, callers, service):
    base_url = system.url(service)
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")

    found = server_errors(schema, base_url, callers, examples=EXAMPLES)

    assert sorted(set(found)) == [], "\n".join(sorted(set(found)))


def test_no_input_through_the_gateway_gives_a_server_error(system, callers):
    base_url = system.url("gateway")
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")

    found = server_errors(schema, base_url, callers, examples=GATEWAY_EXAMPLES)

    assert sorted(set(found)) == [], "\n".join(sorted(set(found)))
