#!/usr/bin/env python3
"""End-to-end: sign in as a fresh admin and create an agency, in headless Chromium.

Run:  UNGCUU_BIN=$(swift build --show-bin-path)/ungcuu .venv-test/bin/python Tests/e2e/test_signin_agency.py
Env:  UNGCUU_E2E_SCREENSHOTS  where to save the PNGs (default: a new temp dir)
Exit: 0 = pass, 1 = a step failed (the report names the step, URL and page).

Steps:
  1. `ungcuu create-admin --password-stdin` into a temp UNGCUU_DATA_DIR
  2. `ungcuu serve` on a free loopback port; wait for GET /healthz == 200
  3. signed out, /agencies redirects to /signin
  4. sign in at /signin -> / (html lang="vi", #home)
  5. /agencies -> #new-agency -> /agencies/new; fill the form; #save
  6. -> /agencies/<uuid> showing the name
  7. /agencies?q=E2E lists it in #agencies-table
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from e2e_support import (
    UUID_RE,
    Browser,
    By,
    Server,
    StepFailed,
    install_sigterm_handler,
    log,
    make_driver,
    nfc,
    quit_driver,
    screenshot_dir,
    ungcuu_bin,
)
from selenium.webdriver.support.ui import Select

ADMIN_EMAIL = "admin@e2e.test"
ADMIN_NAME = "E2E Admin"
ADMIN_PASSWORD = "Correct-Horse-Battery-42"

AGENCY = {
    "code": "SO-E2E-01",
    "name": nfc("Sở Thử nghiệm Đầu cuối"),
    "kind": "department",
    "address": nfc("01 Đường Test"),
    "contactPhone": "0209 3850 000",
    "contactEmail": "ttcntt@e2e.test",
}


def create_admin(server: Server) -> None:
    log("* create the admin user")
    # No trailing newline: correct whether the command reads a line or all of stdin.
    r = server.run_cli(
        "create-admin", "--email", ADMIN_EMAIL, "--name", ADMIN_NAME, "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    if r.returncode != 0:
        raise StepFailed(
            f"STEP FAILED: create-admin exited with status {r.returncode}\n"
            f"--- stdout:\n{r.stdout}\n--- stderr:\n{r.stderr}"
        )
    log(f"  create-admin ok{(': ' + r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else ''}")


def browser_steps(b: Browser) -> None:
    d = b.d
    name = AGENCY["name"]

    with b.step("signed out: /agencies redirects to /signin"):
        b.get("/agencies")
        b.wait_path(r"/signin", "a redirect from /agencies to /signin")
        b.shot("signed-out-redirect-to-signin")

    with b.step("sign in at /signin"):
        b.get("/signin")
        b.type_into("email", ADMIN_EMAIL)
        b.type_into("password", ADMIN_PASSWORD)
        b.shot("signin-filled")
        b.by_id("signin-submit").click()
        b.wait_path(r"/", "the home page / after signing in")
        b.wait_id("home")
        lang = d.find_element(By.TAG_NAME, "html").get_attribute("lang")
        assert lang == "vi", f'<html lang> is {lang!r}, expected "vi"'
        b.shot("home")

    with b.step("open the new-agency form from /agencies"):
        b.get("/agencies")
        b.by_id("new-agency").click()
        b.wait_path(r"/agencies/new", "the new-agency form at /agencies/new")
        b.wait_id("code")
        b.shot("agency-form")

    with b.step("fill in and submit the new-agency form"):
        b.type_into("code", AGENCY["code"])
        b.type_into("name", name)
        Select(b.by_id("kind")).select_by_value(AGENCY["kind"])
        b.type_into("address", AGENCY["address"])
        b.type_into("contactPhone", AGENCY["contactPhone"])
        b.type_into("contactEmail", AGENCY["contactEmail"])
        b.shot("agency-form-filled")
        b.by_id("save").click()

    with b.step("land on the new agency's page"):
        path = b.wait_path(rf"/agencies/{UUID_RE}/?", "the new agency's page /agencies/<uuid>")
        log(f"  created: {path}")
        b.wait(lambda _d: name in b.body_text(), f"the page to show {name!r}")
        b.shot("agency-created")

    with b.step("find the agency at /agencies?q=E2E"):
        b.get("/agencies?q=E2E")
        table = b.wait_id("agencies-table")
        rows = [nfc(r.text) for r in table.find_elements(By.TAG_NAME, "tr")]
        b.shot("agencies-search")
        assert any(name in r for r in rows), (
            f"no row of #agencies-table contains {name!r}; rows: {rows!r}"
        )


def test_signin_agency() -> None:
    binary = ungcuu_bin()
    shots = screenshot_dir()
    data_dir = Path(tempfile.mkdtemp(prefix="ungcuu-e2e-data-"))
    server = Server(binary, data_dir)
    driver = None
    b = None
    stage = "create the admin user"
    failure: StepFailed | None = None
    log(f"binary: {binary}\ndata dir: {data_dir}\nscreenshots: {shots}")
    try:
        create_admin(server)
        stage = "start the server"
        log(f"* {stage}")
        server.start(timeout=60)
        stage = "start headless Chromium"
        log(f"* {stage}")
        driver = make_driver()
        log(f"  {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}")
        b = Browser(driver, server.base_url, shots)
        browser_steps(b)
    except StepFailed as e:
        failure = e
    except Exception as e:  # noqa: BLE001 - anything outside a browser step
        failure = StepFailed(f"STEP FAILED: {stage}\n  error: {type(e).__name__}: {e}")
    except KeyboardInterrupt as e:  # SIGINT, or SIGTERM via install_sigterm_handler
        where = b.current_step if b is not None else stage
        failure = StepFailed(f"INTERRUPTED during: {where} ({str(e) or 'SIGINT'})")
    finally:
        if b is not None and b.saved:
            log("screenshots:\n" + "\n".join(f"  {p}" for p in b.saved))
        if driver is not None:
            quit_driver(driver)
        server.stop()
    if failure is not None:
        server_log = server.log_tail(200) if server.log_path.exists() else "(the server was never started)"
        raise StepFailed(f"{failure}\n{server_log}\ndata dir kept for inspection: {data_dir}")
    shutil.rmtree(data_dir, ignore_errors=True)


def main() -> int:
    install_sigterm_handler()
    try:
        test_signin_agency()
    except StepFailed as e:
        log(str(e))
        log("E2E FAILED: test_signin_agency")
        return 1
    except KeyboardInterrupt as e:
        log(f"E2E INTERRUPTED: {str(e) or 'SIGINT'}")
        return 130
    log("E2E PASSED: test_signin_agency (sign-in redirect, sign-in, create agency, search)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
