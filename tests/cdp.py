"""Drive headless Chromium over the DevTools protocol: navigate, click, read the DOM, take screenshots."""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


class Browser:
    """One headless Chromium with one page; responses' HTTP statuses are recorded per URL."""

    def __init__(self, profile_dir: Path, width: int = 900, height: int = 1200):
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile_dir}", "--remote-debugging-port=0",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ids = itertools.count(1)
        self.statuses: dict[str, int] = {}
        self.failures: list[str] = []
        port = self._wait_for_port(profile_dir / "DevToolsActivePort")
        self.socket = connect(self._page_socket(port), max_size=None, open_timeout=30)
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable")

    def _wait_for_port(self, marker: Path, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}")
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port")

    @staticmethod
    def _page_socket(port: int) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")

    def _handle_event(self, message: dict) -> None:
        params = message.get("params", {})
        if message.get("method") == "Network.responseReceived":
            self.statuses[params["response"]["url"]] = params["response"]["status"]
        elif message.get("method") == "Network.loadingFailed" and not params.get("canceled"):
            self.failures.append(params.get("errorText", "failed"))

    def call(self, method: str, **params) -> dict:
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=30))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._handle_event(message)

    def wait_for(self, event: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            self._handle_event(message)
            if message.get("method") == event:
                return message.get("params", {})
        raise TimeoutError(event)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def goto(self, url: str) -> str:
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        return self.evaluate("location.href")

    def click(self, selector: str) -> str:
        """Click the first element matching `selector` and wait for the page it opens."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_for("Page.loadEventFired")
        return self.evaluate("location.href")

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
