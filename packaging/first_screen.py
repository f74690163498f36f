#!/usr/bin/env python3
"""Starts an installed Bulk Collect through WebDriver and waits for its first screen.

Usage: first_screen.py APPLICATION [SCREENSHOT]

With EXPECT_WINDOW set, also waits for a (native) window of that title, e.g. the update dialog.

`tauri-driver` (path in TAURI_DRIVER) starts WebKitWebDriver, which starts APPLICATION on the
caller's X display with the caller's environment (so BULK_COLLECT_DATA_DIR reaches the app). The
check reads the page the webview shows: the first-run heading, and both ways in. Exits non-zero,
saying what it saw, when the screen does not appear within 60 s. Only the standard library: the
WebDriver protocol is JSON over HTTP on loopback.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HEADING = "Welcome to Bulk Collect"
CHOICES = ("Use your Coresignal account", "Try it first")
TIMEOUT = 60.0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        return json.loads(answer.read() or b"{}")["value"]


def wait_for_port(port, driver):
    """Waits until `port` listens (tauri-driver's, then the WebKitWebDriver it starts)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if driver.poll() is not None:
            sys.exit(f"tauri-driver exited ({driver.returncode}) before it listened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("tauri-driver did not listen within 20 s")


def wait_for_window(title):
    """Waits up to 20 s for a visible window named exactly `title`; exits if none appears."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], capture_output=True, text=True
        )
        if found.returncode == 0 and found.stdout.strip():
            print(f"window {title!r} is shown")
            return
        time.sleep(0.2)
    sys.exit(f"no window {title!r} appeared within 20 s")


def page_text(port, session):
    # Through a script, not WebDriver's element text: WebKitWebDriver drops the connection on an
    # element's text while a native GTK dialog of the app (the update offer) is open.
    script = {"script": "return document.body.innerText;", "args": []}
    return call(port, "POST", f"/session/{session}/execute/sync", script)


def main():
    application = sys.argv[1]
    screenshot = sys.argv[2] if len(sys.argv) > 2 else None
    port, native = free_port(), free_port()
    driver = subprocess.Popen(
        [os.environ["TAURI_DRIVER"], "--port", str(port), "--native-port", str(native)],
        start_new_session=True,
    )
    try:
        wait_for_port(port, driver)
        wait_for_port(native, driver)
        started = time.monotonic()
        capabilities = {"browserName": "wry", "tauri:options": {"application": application}}
        session = call(port, "POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})["sessionId"]
        text = ""
        while time.monotonic() - started < TIMEOUT:
            try:
                text = page_text(port, session)
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException, KeyError):
                text = ""
            if HEADING in text and all(choice in text for choice in CHOICES):
                break
            time.sleep(0.2)
        else:
            sys.exit(f"the first screen did not appear within {TIMEOUT:.0f} s; the window showed:\n{text!r}")
        print(f"first screen after {time.monotonic() - started:.1f} s: {HEADING!r}, {' / '.join(CHOICES)}")
        window = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^Bulk Collect$"],
            capture_output=True, text=True,
        )
        if window.returncode != 0 or not window.stdout.strip():
            sys.exit("no visible window named 'Bulk Collect' on the display")
        geometry = subprocess.run(
            ["xwininfo", "-id", window.stdout.split()[0]], capture_output=True, text=True, check=True
        ).stdout
        size = [line.split(":")[1].strip() for line in geometry.splitlines() if "Width:" in line or "Height:" in line]
        print(f"window 'Bulk Collect' is mapped, {'x'.join(size)}")
        if os.environ.get("EXPECT_WINDOW"):
            wait_for_window(os.environ["EXPECT_WINDOW"])
        if screenshot:
            subprocess.run(["import", "-window", "root", screenshot], check=True)
            print(f"screenshot: {screenshot}")
        call(port, "DELETE", f"/session/{session}")
    finally:
        os.killpg(driver.pid, signal.SIGTERM)
        driver.wait(timeout=10)


if __name__ == "__main__":
    main()
