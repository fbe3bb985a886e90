"""JSON logs keep an exception's class and frames, never its message (it may name a person)."""

import json
import logging

import pytest

from eventing.logs import RepeatThrottle, configure_logging, get_logger

PERSON = "Zbigniew Brzęczyszczykiewicz"


@pytest.fixture
def stdout_logs(capsys):
    """Reads the JSON lines configure_logging writes to stdout; the session's handlers restored."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def lines() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]

    yield lines
    root.handlers[:], root.level = handlers, level


def fail_with_a_name() -> None:
    try:
        raise KeyError(PERSON)
    except KeyError as exc:
        raise ValueError(f"no registry entry for {PERSON}") from exc


def test_a_logged_exception_keeps_its_class_chain_but_not_its_message(stdout_logs):
    configure_logging("logs-test", "INFO")  # in the test: stdout is captured from here on
    try:
        fail_with_a_name()
    except ValueError:
        get_logger("eventing.tests").exception("lookup.failed", request_id="r-1")

    (entry,) = stdout_logs()
    assert entry["event"] == "lookup.failed" and entry["request_id"] == "r-1"
    assert [link["exc_type"] for link in entry["exception"]] == ["ValueError", "KeyError"]
    assert "Zbigniew" not in json.dumps(entry, ensure_ascii=False)
    assert "Zbigniew" not in json.dumps(entry)


def test_a_library_logging_an_exception_through_stdlib_does_not_leak_its_message(stdout_logs):
    configure_logging("logs-test", "INFO")  # in the test: stdout is captured from here on
    try:
        fail_with_a_name()
    except ValueError:
        logging.getLogger("some.library").exception("handler crashed")

    (entry,) = stdout_logs()
    assert entry["exception"][0]["exc_type"] == "ValueError"
    assert "Zbigniew" not in json.dumps(entry, ensure_ascii=False)


def test_an_error_logged_with_the_exception_object_is_redacted_too(stdout_logs):
    configure_logging("logs-test", "INFO")  # in the test: stdout is captured from here on
    try:
        fail_with_a_name()
    except ValueError as exc:
        get_logger("eventing.tests").error("lookup.failed", exc_info=exc)

    (entry,) = stdout_logs()
    assert entry["exception"][0]["exc_type"] == "ValueError"
    assert "Zbigniew" not in json.dumps(entry, ensure_ascii=False)


def test_a_client_librarys_repeated_error_is_let_through_once_per_window_with_a_count():
    throttle = RepeatThrottle(("aiokafka",), window_s=60)

    def record(name: str, msg: str, level=logging.ERROR) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, msg, None, None)

    first = throttle.filter(record("aiokafka.consumer", "Topic %s not found"))
    repeats = [
        throttle.filter(record("aiokafka.consumer", "Topic %s not found")) for _ in range(500)
    ]
    own = [throttle.filter(record("idpro.relay", "worker.failed")) for _ in range(3)]
    infos = [throttle.filter(record("aiokafka", "joined", logging.INFO)) for _ in range(3)]

    assert first is True
    assert repeats.count(True) == 0 and own == [True] * 3 and infos == [True] * 3
    throttle._seen[("aiokafka.consumer", "Topic %s not found")] = (0.0, 500)  # the window is over
    later = record("aiokafka.consumer", "Topic %s not found")
    assert throttle.filter(later) and "500 like it dropped" in later.msg


def test_an_http_clients_log_line_keeps_the_path_but_not_the_query(stdout_logs):
    import httpx

    configure_logging("logs-test", "INFO")  # in the test: stdout is captured from here on
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    with httpx.Client(transport=transport) as client:
        client.get("http://history/history/requests", params={"q": PERSON, "requester": "x"})

    (entry,) = [e for e in stdout_logs() if e["event"].startswith("HTTP Request")]
    assert "http://history/history/requests" in entry["event"]
    assert "Zbigniew" not in json.dumps(entry, ensure_ascii=False) and "q=" not in entry["event"]
