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

import sys

from e2e_support import UUID_RE, Browser, By, Server, StepFailed, log, nfc, run_browser_test
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


def main() -> int:
    return run_browser_test("test_signin_agency", "sign-in redirect, sign-in, create agency, search", create_admin, browser_steps)


if __name__ == "__main__":
    sys.exit(main())
