"""A real local HTTP server standing in for the 企业微信 / 钉钉 robot endpoints."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest


@pytest.fixture
def robot():
    """Records every POST; `robot.fail = "http"` answers 500, `"errcode"` answers
    {"errcode": 310000}; `None` answers {"errcode": 0, "errmsg": "ok"} like the real robots."""
    state = SimpleNamespace(requests=[], fail=None)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            parsed = urllib.parse.urlsplit(self.path)
            state.requests.append(
                SimpleNamespace(
                    path=parsed.path,
                    query=dict(urllib.parse.parse_qsl(parsed.query)),
                    content_type=self.headers.get("Content-Type"),
                    json=json.loads(raw),
                )
            )
            if state.fail == "http":
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"boom")
                return
            answer = (
                {"errcode": 310000, "errmsg": "sign not match"}
                if state.fail
                else {
                    "errcode": 0,
                    "errmsg": "ok",
                }
            )
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def private_queue(tmp_path, monkeypatch):
    """Jobs enqueued after commit go to a queue of this test, not the developer's."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    storage = SqliteStorage("zonedesk", filename=str(tmp_path / "queue.sqlite3"))
    monkeypatch.setattr(HUEY, "storage", storage)
    return HUEY
