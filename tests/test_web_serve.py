"""`papercast serve` runs the reader app beside the weekly schedule: a real subprocess against a real
Prefect server; the app answers on --web-port while the deployment is served, and stops with it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
import pytest

from conftest import PROJECT, free_port
from webapp import SECRET, site_config

pytestmark = pytest.mark.slow


def test_serve_runs_the_reader_app_beside_the_schedule(tmp_path, prefect_server):
    port = free_port()
    config = site_config(tmp_path, f"http://127.0.0.1:{port}/")
    serve = subprocess.Popen([sys.executable, "-m", "papercast.cli", "serve", "--config", str(config),
                              "--web-port", str(port)], env={**prefect_server, "PAPERCAST_WEB_SECRET": SECRET},
                             cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        answered = wait_for(f"http://127.0.0.1:{port}/healthz", serve)
        assert answered == "ok\n"
        assert httpx.get(f"http://127.0.0.1:{port}/unsubscribe?r=x&s=y", timeout=5).status_code == 403
    finally:
        serve.send_signal(signal.SIGINT)
        out, err = serve.communicate(timeout=60)
    assert f"papercast: reader app on http://127.0.0.1:{port}/" in err
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)


def test_serve_with_base_url_and_no_secret_stops_in_one_line(tmp_path, prefect_server):
    config = site_config(tmp_path, "https://papers.example.org/")
    env = {key: value for key, value in prefect_server.items() if key != "PAPERCAST_WEB_SECRET"}
    done = subprocess.run([sys.executable, "-m", "papercast.cli", "serve", "--config", str(config)], env=env,
                          cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("papercast: error: [web]: environment variable PAPERCAST_WEB_SECRET is not set")


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"papercast serve exited: {process.stderr.read()[-2000:]}")
        try:
            return httpx.get(url, timeout=2).text
        except httpx.TransportError:
            time.sleep(0.3)
    pytest.fail("the reader app did not answer")
