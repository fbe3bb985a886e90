"""structlog JSON logs. Only ids and codes are ever bound: never names, numbers or documents."""

import logging
import sys
import threading
import time
import traceback

import structlog


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route stdlib and structlog through one JSON renderer on stdout."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # The chain is changed in place: a logger cached on first use keeps the list it was given, so
    # one used before this call (or under an earlier configuration) follows this one too.
    processors = structlog.get_config()["processors"]
    processors[:] = [
        # A line below the level is dropped first, before any of its processing is paid for.
        structlog.stdlib.filter_by_level,
        *shared,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ]
    structlog.configure(
        processors=processors,
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            redact_exceptions,
            structlog.processors.JSONRenderer(),
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    handler.addFilter(RepeatThrottle(("aiokafka", "faststream")))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    structlog.contextvars.bind_contextvars(service=service)
    # aiokafka logs connection chatter at INFO; keep it for warnings.
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # httpx logs every request's URL: the query goes (a search, a filter may name a person).
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(f, DropQueries) for f in httpx_logger.filters):
        httpx_logger.addFilter(DropQueries())


class DropQueries(logging.Filter):
    """Log a URL argument without its query string and fragment."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_without_query(arg) for arg in record.args)
        return True


def _without_query(value: object) -> object:
    if hasattr(value, "copy_with") and hasattr(value, "query"):  # an httpx.URL
        return str(value.copy_with(query=None, fragment=None))
    return value


class RepeatThrottle(logging.Filter):
    """The same line of a client library at most once per `window_s`: a broker that lost its
    topics made every consumer log UnknownTopicOrPartition thousands of times a minute. The next
    line let through says how many like it were dropped."""

    def __init__(self, prefixes: tuple[str, ...], *, window_s: float = 10.0) -> None:
        super().__init__()
        self.prefixes, self.window_s = prefixes, window_s
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or not record.name.startswith(self.prefixes):
            return True
        key, now = (record.name, str(record.msg)), time.monotonic()
        with self._lock:
            last, dropped = self._seen.get(key, (None, 0))
            if last is not None and now - last < self.window_s:
                self._seen[key] = (last, dropped + 1)
                return False
            if len(self._seen) > 1000:
                self._seen.clear()
            self._seen[key] = (now, 0)
        if dropped:
            record.msg = f"{record.msg} [{dropped} like it dropped in {self.window_s:.0f} s]"
        return True


def redact_exceptions(_logger, _method, event_dict: dict) -> dict:
    """Keep an exception's class and frames, never its message or locals: both can hold PII."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if exc_info and exc_info[0] is not None:
        chain = []
        exc: BaseException | None = exc_info[1]
        while exc is not None and len(chain) < 5:
            frames = traceback.extract_tb(exc.__traceback__)[-8:]
            chain.append(
                {
                    "exc_type": type(exc).__name__,
                    "frames": [f"{f.filename}:{f.lineno}:{f.name}" for f in frames],
                }
            )
            exc = exc.__cause__ or exc.__context__
        event_dict["exception"] = chain
    return event_dict


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
