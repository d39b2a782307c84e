"""Helpers for UngCuu's browser tests: plain Python + Selenium, no pytest.

- `Server` runs `$UNGCUU_BIN serve` on a free loopback port with its own data
  directory and always stops it.
- `make_driver()` starts headless Debian Chromium through Debian's chromedriver.
- `Browser` wraps a driver with screenshots per step, waits, and failure reports
  that name the step, the URL and an excerpt of the page.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

# Never let Selenium Manager try to reach the network: we give it both paths.
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = os.environ.get("UNGCUU_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("UNGCUU_E2E_CHROMEDRIVER", "/usr/bin/chromedriver")

UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class StepFailed(Exception):
    """A test step failed; the message is already a full report."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def log(msg: str) -> None:
    print(msg, flush=True)


def install_sigterm_handler() -> None:
    """Turn SIGTERM (e.g. from `timeout`) into an exception so cleanup runs."""

    def _raise(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _raise)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def screenshot_dir() -> Path:
    d = os.environ.get("UNGCUU_E2E_SCREENSHOTS")
    path = Path(d) if d else Path(tempfile.mkdtemp(prefix="ungcuu-e2e-shots-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def ungcuu_bin() -> str:
    b = os.environ.get("UNGCUU_BIN")
    if not b:
        raise StepFailed("UNGCUU_BIN is not set (path of the built `ungcuu` executable)")
    if not (os.path.isfile(b) and os.access(b, os.X_OK)):
        raise StepFailed(f"UNGCUU_BIN={b} is not an executable file")
    return b


class Server:
    """`ungcuu serve` on 127.0.0.1:<free port>, with its log in the data dir."""

    def __init__(self, binary: str, data_dir: Path):
        self.binary = binary
        self.data_dir = data_dir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        self.proc: subprocess.Popen | None = None
        self._log_file = None

    def env(self) -> dict:
        env = dict(os.environ)
        env["UNGCUU_DATA_DIR"] = str(self.data_dir)
        env["UNGCUU_BASE_URL"] = self.base_url
        return env

    def run_cli(self, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [self.binary, *args]
        log(f"$ UNGCUU_DATA_DIR={self.data_dir} {shlex.join(cmd)}")
        return subprocess.run(
            cmd,
            input=stdin,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, timeout: float = 60) -> None:
        cmd = [self.binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)]
        log(f"$ UNGCUU_DATA_DIR={self.data_dir} UNGCUU_BASE_URL={self.base_url} {shlex.join(cmd)}")
        self._log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited with status {self.proc.returncode} before /healthz answered"
                )
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        log(f"server is up at {self.base_url} (pid {self.proc.pid})")
                        return
                    last = f"HTTP {r.status}"
            except urllib.error.HTTPError as e:
                last = f"HTTP {e.code}"
            except (urllib.error.URLError, OSError) as e:
                last = str(getattr(e, "reason", e))
            time.sleep(0.25)
        raise RuntimeError(f"GET {self.base_url}/healthz did not return 200 within {timeout:.0f}s (last: {last})")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 80) -> str:
        text = self.log_text().splitlines()
        return f"--- last {min(lines, len(text))} lines of the server log ({self.log_path}):\n" + "\n".join(text[-lines:])


def make_driver() -> webdriver.Chrome:
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--password-store=basic",
    ):
        opts.add_argument(arg)
    # chromedriver gives Chromium a fresh temporary profile and removes it on quit.
    driver = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


def quit_driver(driver) -> None:
    with contextlib.suppress(Exception):
        driver.quit()


class Browser:
    """A driver plus a base URL, numbered screenshots and step reports."""

    def __init__(self, driver, base_url: str, shots: Path, timeout: float = 15):
        self.d = driver
        self.base_url = base_url
        self.shots = shots
        self.timeout = timeout
        self.n = 0
        self.saved: list[Path] = []
        self.current_step = "(none)"

    # --- navigation and waits -------------------------------------------
    def url(self, path: str) -> str:
        return self.base_url + path

    def get(self, path: str) -> None:
        self.d.get(self.url(path))

    def path(self) -> str:
        return urlparse(self.d.current_url).path

    def wait(self, condition, what: str, timeout: float | None = None):
        try:
            return WebDriverWait(self.d, timeout or self.timeout).until(condition)
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout or self.timeout:.0f}s waiting for {what}") from None

    def wait_path(self, pattern: str, what: str | None = None) -> str:
        rx = re.compile(pattern)
        self.wait(lambda d: rx.fullmatch(urlparse(d.current_url).path) is not None,
                  what or f"the URL path to match {pattern!r}")
        return self.path()

    def wait_id(self, element_id: str):
        return self.wait(EC.presence_of_element_located((By.ID, element_id)), f"an element with id {element_id!r}")

    def by_id(self, element_id: str):
        return self.wait_id(element_id)

    def body_text(self) -> str:
        return nfc(self.d.find_element(By.TAG_NAME, "body").text)

    def type_into(self, element_id: str, text: str) -> None:
        """Type text into an input, falling back to JS if chromedriver mangles it."""
        el = self.by_id(element_id)
        el.clear()
        el.send_keys(text)
        got = nfc(el.get_attribute("value"))
        if got != nfc(text):
            log(f"  note: #{element_id} read back {got!r} after send_keys; setting the value directly")
            self.d.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                el,
                nfc(text),
            )
            got = nfc(el.get_attribute("value"))
            if got != nfc(text):
                raise AssertionError(f"#{element_id} holds {got!r}, expected {text!r}")

    # --- screenshots and reports ------------------------------------------
    def shot(self, name: str) -> Path:
        self.n += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
        p = self.shots / f"{self.n:02d}-{safe}.png"
        try:
            if self.d.save_screenshot(str(p)):
                self.saved.append(p)
                log(f"  screenshot: {p}")
            else:
                log(f"  (screenshot {p} could not be saved)")
        except WebDriverException as e:
            log(f"  (screenshot {p} failed: {e.msg})")
        return p

    def report(self, step: str, error: BaseException) -> str:
        lines = [f"STEP FAILED: {step}", f"  error: {type(error).__name__}: {error}"]
        try:
            lines.append(f"  current URL: {self.d.current_url}")
            lines.append(f"  title: {self.d.title!r}")
            cookies = ", ".join(c.get("name", "?") for c in self.d.get_cookies()) or "(none)"
            lines.append(f"  cookies: {cookies}")
            text = self.body_text()
            lines.append("  visible text (first 1500 chars):")
            lines.append("    " + text[:1500].replace("\n", "\n    "))
            src = self.d.page_source
            lines.append("  page source (first 3000 chars):")
            lines.append("    " + src[:3000].replace("\n", "\n    "))
        except Exception as e:  # the browser itself may be gone
            lines.append(f"  (could not read the page: {e})")
        return "\n".join(lines)

    @contextlib.contextmanager
    def step(self, name: str):
        """Run one step; on failure take a screenshot and raise a full report."""
        self.current_step = name
        log(f"* {name}")
        try:
            yield
        except StepFailed:
            raise
        except Exception as e:  # noqa: BLE001 - report anything, then fail
            with contextlib.suppress(Exception):
                self.shot(f"FAILED-{name}")
            raise StepFailed(self.report(name, e)) from e


def run_browser_test(name: str, summary: str, prepare, steps) -> int:
    """The frame every browser test shares: a fresh data dir, `prepare(server)` (CLI set-up), the server,
    headless Chromium, `steps(browser)`, then a report that names the failed step with the server log.
    Returns the process exit status."""
    install_sigterm_handler()
    binary = ungcuu_bin()
    shots = screenshot_dir()
    data_dir = Path(tempfile.mkdtemp(prefix="ungcuu-e2e-data-"))
    server = Server(binary, data_dir)
    driver = None
    b = None
    stage = "prepare the data directory"
    failure: StepFailed | None = None
    log(f"binary: {binary}\ndata dir: {data_dir}\nscreenshots: {shots}")
    try:
        prepare(server)
        stage = "start the server"
        log(f"* {stage}")
        server.start(timeout=60)
        stage = "start headless Chromium"
        log(f"* {stage}")
        driver = make_driver()
        log(f"  {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}")
        b = Browser(driver, server.base_url, shots)
        steps(b)
    except StepFailed as e:
        failure = e
    except KeyboardInterrupt as e:  # SIGINT, or SIGTERM via install_sigterm_handler
        where = b.current_step if b is not None else stage
        log(f"E2E INTERRUPTED during: {where} ({str(e) or 'SIGINT'})")
        return 130
    except Exception as e:  # noqa: BLE001 - anything outside a browser step
        failure = StepFailed(f"STEP FAILED: {stage}\n  error: {type(e).__name__}: {e}")
    finally:
        if b is not None and b.saved:
            log("screenshots:\n" + "\n".join(f"  {p}" for p in b.saved))
        if driver is not None:
            quit_driver(driver)
        server.stop()
    if failure is not None:
        server_log = server.log_tail(200) if server.log_path.exists() else "(the server was never started)"
        log(f"{failure}\n{server_log}\ndata dir kept for inspection: {data_dir}")
        log(f"E2E FAILED: {name}")
        return 1
    shutil.rmtree(data_dir, ignore_errors=True)
    log(f"E2E PASSED: {name} ({summary})")
    return 0
