"""The load generator reads real HTTP answers over keep-alive connections (or a new connection
per request where the server closes it) and counts errors."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from regie.api.bench import percentile
from regie.api.loadgen import run_plan


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    connections: set[int] = set()  # shared by every handler

    def do_GET(self) -> None:
        Handler.connections.add(id(self.connection))
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"world"):
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        status = 404 if self.path == "/missing" else 200
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.connections.clear()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def plan(port: int, targets: dict[str, list[str]], clients: int = 3) -> dict[str, object]:
    return {
        "port": port,
        "clients": clients,
        "seconds": 0.5,
        "seed": 1,
        "weights": dict.fromkeys(targets, 1),
        "targets": targets,
        "headers": {kind: {"Authorization": "Bearer x"} for kind in targets},
    }


def test_closed_loop_clients_keep_their_connections(server: int) -> None:
    result = asyncio.run(run_plan(plan(server, {"list": ["/a"], "detail": ["/chunked"]})))
    done = len(result["latencies_ms"]["list"]) + len(result["latencies_ms"]["detail"])
    assert done > 20
    assert result["errors"] == {"list": 0, "detail": 0}
    assert len(Handler.connections) == 3  # one keep-alive connection per client
    assert result["cpu_s"] >= 0
    assert result["elapsed_s"] >= 0.5


def test_an_answer_other_than_200_is_an_error(server: int) -> None:
    result = asyncio.run(run_plan(plan(server, {"detail": ["/missing"]}, clients=1)))
    assert result["latencies_ms"]["detail"] == []
    assert result["errors"]["detail"] > 0


def test_a_closed_port_is_an_error_not_a_hang() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    result = asyncio.run(run_plan(plan(port, {"list": ["/a"]}, clients=1)))
    assert result["latencies_ms"]["list"] == []
    assert result["errors"]["list"] > 0


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([], 0.5) != percentile([], 0.5)  # NaN


class ClosingHandler(BaseHTTPRequestHandler):
    """Answers each request and closes the connection, as gunicorn's synchronous workers do."""

    protocol_version = "HTTP/1.1"
    connections = 0  # connections accepted (setup runs once per connection)
    answered = 0
    lock = threading.Lock()  # handlers run in threads of their own

    def setup(self) -> None:
        with ClosingHandler.lock:
            ClosingHandler.connections += 1
        super().setup()

    def do_GET(self) -> None:
        with ClosingHandler.lock:
            ClosingHandler.answered += 1
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_that_closes_each_connection_gets_a_new_one_per_request() -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ClosingHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ClosingHandler.connections = ClosingHandler.answered = 0
    try:
        result = asyncio.run(run_plan(plan(int(httpd.server_address[1]), {"list": ["/a"]}, clients=2)))
    finally:
        httpd.shutdown()
        httpd.server_close()
    done = len(result["latencies_ms"]["list"])
    assert done > 10
    assert result["errors"] == {"list": 0}
    assert ClosingHandler.connections == ClosingHandler.answered >= done  # one connection per request
