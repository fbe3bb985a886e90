import shutil
import tempfile

# pytest's importlib mode names test modules after their path (contracts/tests/x.py is
# "contracts.tests.x") and would register empty parents that shadow the real packages:
# import the real ones first.
import contracts  # noqa: F401
import devstack  # noqa: F401
import eventing  # noqa: F401

pytest_plugins = ["devstack.pytest_plugin"]


def pytest_configure(config) -> None:
    """A base temp folder of this run's own, removed at the end.

    pytest's shared /tmp/pytest-of-<user> is reset to mode 0700 by every session that starts;
    two suites at once (or a CI runner's parallel jobs) would take away the embedded PostgreSQL
    user's right to reach its data folder mid-run.
    """
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        config.option.basetemp = tempfile.mkdtemp(prefix="idpro-pytest-")
        config.add_cleanup(lambda: shutil.rmtree(config.option.basetemp, ignore_errors=True))
