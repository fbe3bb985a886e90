# pytest's importlib mode names test modules after their path (contracts/tests/x.py is
# "contracts.tests.x") and would register empty parents that shadow the real packages:
# import the real ones first.
import contracts  # noqa: F401
import devstack  # noqa: F401
import eventing  # noqa: F401

pytest_plugins = ["devstack.pytest_plugin"]
