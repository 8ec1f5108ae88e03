"""Start a real Neo4j Community server for the tests, from Maven Central jars.

The jars are fetched once with Maven into a cache outside the repository
(``~/.cache/wijkkaart/neo4j-<version>/lib``); the server runs on a free loopback
port with authentication off and is stopped when the test session ends.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POM = Path(__file__).parent / "neo4j_server" / "pom.xml"
HEAP = "768m"
PAGECACHE = "64m"
JVM_FLAGS = [
    "-Xms256m", f"-Xmx{HEAP}", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Dlog4j2.disable.jmx=true",
]
CONF = """server.default_listen_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{port}
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=false
dbms.usage_report.enabled=false
server.memory.pagecache.size={pagecache}
"""


class Unavailable(RuntimeError):
    """Java or Maven is missing, or the server would not start; the message says why."""


def neo4j_version() -> str:
    match = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text())
    assert match, "tests/neo4j_server/pom.xml names no neo4j.version"
    return match.group(1)


def jar_dir() -> Path:
    """The cached server jars, fetched with Maven the first time."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    lib = cache / "wijkkaart" / f"neo4j-{neo4j_version()}" / "lib"
    if lib.is_dir() and any(lib.glob("neo4j-server-*.jar")):
        return lib
    if shutil.which("mvn") is None:
        raise Unavailable("Maven (mvn) is not installed, so the Neo4j jars cannot be fetched")
    partial = lib.with_name("lib.partial")
    shutil.rmtree(partial, ignore_errors=True)
    result = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
         f"-DoutputDirectory={partial}", "-DincludeScope=runtime"],
        capture_output=True, text=True, timeout=1200, check=False)
    if result.returncode != 0:
        raise Unavailable(f"Maven could not fetch the Neo4j jars:\n{result.stdout[-2000:]}")
    partial.rename(lib)
    return lib


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Neo4jServer:
    uri: str
    process: subprocess.Popen[bytes]
    home: Path
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.home, ignore_errors=True)


def jvm_flags(heap: str = HEAP) -> list[str]:
    """The JVM flags with a maximum heap of ``heap`` (e.g. ``"768m"``, ``"4g"``); the
    initial heap is 256m, or the whole heap when it is larger than the default."""
    initial = "256m" if heap == HEAP else heap
    return [f"-Xms{initial}" if f.startswith("-Xms") else f"-Xmx{heap}" if f.startswith("-Xmx")
            else f for f in JVM_FLAGS]


def start_server(timeout: float = 120.0, auth: bool = False, heap: str = HEAP,
                 pagecache: str = PAGECACHE) -> Neo4jServer:
    """A started server, ready for Bolt connections; raises Unavailable otherwise.

    With ``auth`` the server checks passwords (user ``neo4j``, password ``neo4j``).
    ``heap`` is the JVM heap and ``pagecache`` Neo4j's page cache (the tests keep the
    small defaults; the benchmark asks for more)."""
    if shutil.which("java") is None:
        raise Unavailable("Java is not installed, so no Neo4j server can run here")
    lib = jar_dir()
    home = Path(tempfile.mkdtemp(prefix="wijkkaart-neo4j-"))
    (home / "conf").mkdir()
    port = _free_port()
    conf = CONF.format(port=port, pagecache=pagecache)
    if auth:
        conf = conf.replace("auth_enabled=false", "auth_enabled=true")
    (home / "conf" / "neo4j.conf").write_text(conf)
    log = home / "console.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["java", *jvm_flags(heap), "-cp", f"{lib}/*", "org.neo4j.server.CommunityEntryPoint",
             f"--home-dir={home}", f"--config-dir={home / 'conf'}", "--console-mode"],
            stdout=out, stderr=subprocess.STDOUT, cwd=home)
    server = Neo4jServer(f"bolt://127.0.0.1:{port}", process, home, log)
    _wait_until_ready(server, timeout, auth)
    return server


def _wait_until_ready(server: Neo4jServer, timeout: float, auth: bool) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            text = server.log.read_text(errors="replace")[-3000:]
            server.stop()
            raise Unavailable(f"Neo4j stopped while starting:\n{text}")
        try:
            with GraphDatabase.driver(server.uri, auth=("neo4j", "neo4j") if auth else None
                                      ) as driver:
                driver.verify_connectivity()
            return
        except AuthError:  # the server is up; it asks for a new initial password
            return
        except (ServiceUnavailable, OSError):
            time.sleep(1.0)
    text = server.log.read_text(errors="replace")[-3000:]
    server.stop()
    raise Unavailable(f"Neo4j did not start within {timeout:.0f} s:\n{text}")


class Neo4jServers:
    """Test servers by slot, started when first asked for, each with one database.

    ``WIJKKAART_TEST_NEO4J_URI`` (and ``…_URI_2`` for the second slot) use servers that
    are already running instead. Where no server can run, the Neo4j tests are skipped
    with the reason, unless ``WIJKKAART_REQUIRE_NEO4J=1`` makes that a failure.
    """

    def __init__(self) -> None:
        self._servers: dict[int, Neo4jServer] = {}
        self._uris: dict[int, str] = {}
        self._content: dict[int, tuple[Path, int]] = {}
        self._unavailable: str | None = None

    AUTH_SLOT = 9

    def uri(self, slot: int) -> str:
        """The Bolt URI of the slot's server (slot AUTH_SLOT: one that checks passwords)."""
        import pytest

        if slot in self._uris:
            return self._uris[slot]
        given = os.environ.get("WIJKKAART_TEST_NEO4J_URI" + ("" if slot == 0 else f"_{slot + 1}"))
        if given:
            self._uris[slot] = given
            return given
        if self._unavailable is None:
            try:
                self._servers[slot] = start_server(auth=slot == self.AUTH_SLOT)
                self._uris[slot] = self._servers[slot].uri
                return self._uris[slot]
            except Unavailable as exc:
                self._unavailable = str(exc)
        if os.environ.get("WIJKKAART_REQUIRE_NEO4J") == "1":
            pytest.fail(f"Neo4j is required here but unavailable: {self._unavailable}")
        pytest.skip(f"Neo4j tests skipped: {self._unavailable}")

    def fresh(self, slot: int) -> Any:
        """An empty, initialised store on the slot's server."""
        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore(self.uri(slot))
        store.init()
        store.load([])
        self._content.pop(slot, None)
        return store

    def with_content(self, slot: int, template: Path) -> Any:
        """A store holding the content of an SQLite template file; reloaded only when a
        test changed it (every write adds to the audit sequence)."""
        from graph.neo4j_store import Neo4jStore
        from graph.sqlite_store import SqliteStore

        store = Neo4jStore(self.uri(slot))
        known = self._content.get(slot)
        if known is None or known[0] != template or _audit_sequence(store) != known[1]:
            store.init()
            source = SqliteStore(str(template))
            store.load(source.dump())
            source.close()
            self._content[slot] = (template, _audit_sequence(store))
        return store

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()
        self._servers.clear()


def _audit_sequence(store: Any) -> int:
    rows = store._rows("MATCH (s:Sequence {name: 'audit'}) RETURN s.value AS v")
    return int(rows[0]["v"]) if rows else 0
