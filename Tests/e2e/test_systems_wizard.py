#!/usr/bin/env python3
"""End-to-end: register a system, walk the level wizard, move the dossier to approval and download
its explanation document, in headless Chromium.

Run:  UNGCUU_BIN=$(swift build --show-bin-path)/ungcuu .venv-test/bin/python Tests/e2e/test_systems_wizard.py
Exit: 0 = pass, 1 = a step failed (the report names the step, URL and page).

Steps:
  1. `ungcuu create-admin`; the admin adds an agency and a coordinator (temporary password)
  2. the coordinator signs in, sets a password, registers a system in that agency
  3. wizard: identify → classify information (personal data of 12.000 users) → classify the system
     → proposed level 3 with criterion L3.2c met; open the dossier
  4. submit → appraise → submit for approval → approve with a decision number and date
  5. the system shows "Cấp độ 3"; the explanation .docx downloads and carries the Decree 30 header
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from e2e_support import UUID_RE, Browser, By, StepFailed, log, nfc, run_browser_test
from selenium.webdriver.support.ui import Select
from test_signin_agency import ADMIN_EMAIL, ADMIN_PASSWORD, create_admin

AGENCY_CODE = "SYT-E2E"
AGENCY_NAME = nfc("Sở Y tế Thử nghiệm")
COORDINATOR_EMAIL = "dieuphoi@e2e.test"
COORDINATOR_PASSWORD = "Dieu-Phoi-Manh-2026!"
SYSTEM_NAME = nfc("Hệ thống hồ sơ sức khỏe thử nghiệm")


def sign_in(b: Browser, email: str, password: str) -> None:
    b.get("/signin")
    b.type_into("email", email)
    b.type_into("password", password)
    b.by_id("signin-submit").click()


def sign_out(b: Browser) -> None:
    b.by_id("signout").click()
    b.wait_path(r"/signin", "the sign-in page after signing out")


def admin_steps(b: Browser) -> str:
    with b.step("admin signs in and adds an agency"):
        sign_in(b, ADMIN_EMAIL, ADMIN_PASSWORD)
        b.wait_id("home")
        b.get("/agencies/new")
        b.type_into("code", AGENCY_CODE)
        b.type_into("name", AGENCY_NAME)
        Select(b.by_id("kind")).select_by_value("department")
        b.by_id("save").click()
        b.wait_path(rf"/agencies/{UUID_RE}/?", "the new agency's page")
    with b.step("admin adds a coordinator and reads the temporary password"):
        b.get("/users/new")
        b.type_into("name", nfc("Trần Điều Phối"))
        b.type_into("email", COORDINATOR_EMAIL)
        Select(b.by_id("role")).select_by_value("coordinator")
        b.by_id("save").click()
        temporary = nfc(b.wait_id("temporary-password").text).strip()
        assert temporary, "no temporary password shown"
        b.shot("coordinator-created")
        sign_out(b)
    return temporary


def coordinator_steps(b: Browser, temporary: str) -> None:
    d = b.d
    with b.step("coordinator signs in and sets a password"):
        sign_in(b, COORDINATOR_EMAIL, temporary)
        b.wait_path(r"/account/password", "the forced password change")
        b.type_into("current", temporary)
        b.type_into("new", COORDINATOR_PASSWORD)
        b.type_into("confirm", COORDINATOR_PASSWORD)
        b.by_id("save").click()
        b.wait(lambda _d: not b.path().startswith("/account/password"), "leaving the password page")

    with b.step("register a system"):
        b.get("/systems")
        b.by_id("new-system").click()
        b.wait_path(r"/systems/new", "the new-system form")
        Select(b.by_id("agencyId")).select_by_visible_text(AGENCY_NAME)
        b.type_into("code", "HSSK-E2E")
        b.type_into("name", SYSTEM_NAME)
        b.type_into("ownerName", nfc("Ủy ban nhân dân tỉnh Thử nghiệm"))
        b.type_into("operatorName", AGENCY_NAME)
        Select(b.by_id("functionType")).select_by_value("internal")
        d.find_element(By.CSS_SELECTOR, 'input[name="informationClasses[]"][value="public"]').click()
        Select(b.by_id("lifecycle")).select_by_value("operating")
        d.execute_script("document.getElementById('goLiveDate').value = '2024-05-15'")
        Select(b.by_id("hosting")).select_by_value("provincial_data_centre")
        b.type_into("networkAddresses", "10.9.8.7\n10.9.9.0/28")
        b.shot("system-form")
        b.by_id("save").click()
        b.wait_path(rf"/systems/{UUID_RE}/?", "the new system's page")
        b.wait(lambda _d: SYSTEM_NAME in b.body_text(), "the system name on its page")
        obligations = nfc(b.by_id("obligations").text)
        assert nfc("Quá hạn") in obligations, f"an operating system without a level should have an overdue duty: {obligations!r}"
        b.shot("system-created")

    with b.step("wizard step 1: identify the system"):
        b.by_id("classify").click()
        b.wait_id("wizard-steps")
        b.shot("wizard-1")
        b.by_id("wizard-next").click()
        b.wait(lambda _d: "step=2" in d.current_url, "step 2")

    with b.step("wizard step 2: personal data of 12.000 users"):
        d.find_element(By.CSS_SELECTOR, 'input[name="informationClasses[]"][value="personal"]').click()
        b.type_into("personalDataSubjects", "12000")
        b.shot("wizard-2")
        b.by_id("wizard-next").click()
        b.wait(lambda _d: "step=3" in d.current_url, "step 3")

    with b.step("wizard step 3: serving citizens with online services"):
        Select(b.by_id("functionType")).select_by_value("citizen_business")
        Select(b.by_id("onlineServiceLevel")).select_by_value("level2")
        b.shot("wizard-3")
        b.by_id("wizard-next").click()
        b.wait(lambda _d: "step=4" in d.current_url, "step 4")

    with b.step("wizard step 4: proposed level 3 because of 10.000+ users"):
        level = nfc(b.wait_id("proposed-level").text)
        assert level == nfc("Cấp độ 3"), f"proposed level is {level!r}"
        criterion = nfc(b.by_id("criterion-L3.2c").text)
        assert nfc("Đáp ứng") in criterion and "12.000" in criterion, f"criterion L3.2c: {criterion!r}"
        b.shot("wizard-4")
        b.by_id("open-dossier-button").click()
        b.wait_path(rf"/systems/{UUID_RE}/dossiers/{UUID_RE}/?", "the dossier page")

    for transition, extra in [("submit", None), ("appraise", None), ("submit_for_approval", None), ("approve", "decision")]:
        with b.step(f"dossier: {transition}"):
            b.wait_id(f"action-{transition}")
            d.execute_script(f"document.getElementById('action-{transition}').open = true")
            if extra == "decision":
                b.type_into(f"{transition}-decisionNumber", "45/QĐ-UBND")
                d.execute_script(f"document.getElementById('{transition}-decisionDate').value = '2026-11-20'")
            b.type_into(f"{transition}-comment", nfc("Ý kiến thử nghiệm"))
            if transition == "submit":
                # A real document, larger than one network chunk, attached to the step.
                pdf = b.shots / "ho-so-de-xuat.pdf"
                pdf.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n")
                d.find_element(By.ID, f"{transition}-files").send_keys(str(pdf))
            b.by_id(f"do-{transition}").click()
            b.wait(lambda _d: f"done=dossier_{transition}" in d.current_url, f"the {transition} confirmation")
    b.shot("dossier-approved")

    with b.step("the attached document is listed and downloads"):
        link = d.find_element(By.LINK_TEXT, "ho-so-de-xuat.pdf")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
        with urllib.request.urlopen(urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookies}), timeout=30) as resp:
            assert resp.headers.get("Content-Type") == "application/pdf", resp.headers.get("Content-Type")
            assert "attachment" in resp.headers.get("Content-Disposition", ""), resp.headers.get("Content-Disposition")
            assert resp.read().startswith(b"%PDF-1.4"), "the download is not the uploaded PDF"

    with b.step("download the explanation .docx"):
        href = b.by_id("download-docx").get_attribute("href")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
        req = urllib.request.Request(href, headers={"Cookie": cookies})
        with urllib.request.urlopen(req, timeout=30) as resp:
            kind = resp.headers.get("Content-Type", "")
            data = resp.read()
        assert "wordprocessingml" in kind, f"content type {kind!r}"
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        for text in [nfc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "THUYẾT MINH", SYSTEM_NAME, nfc("cấp độ 3")]:
            assert nfc(text) in nfc(xml), f"the document lacks {text!r}"
        assert re.search(r"ngày \d\d tháng \d\d? năm \d{4}", nfc(xml)), "no Decree 30 date line"
        out = b.shots / "thuyet-minh.docx"
        out.write_bytes(data)
        log(f"  document: {out} ({len(data)} bytes)")
        render_document(out)

    with b.step("the system now shows the approved level"):
        b.by_id("download-docx")  # still on the dossier page
        d.find_element(By.CSS_SELECTOR, "p.crumbs a").click()
        b.wait(lambda _d: nfc("Cấp độ 3") in nfc(b.by_id("level").text), "level 3 on the system page")
        b.shot("system-approved")


def render_document(docx: Path) -> None:
    """Convert the .docx to PDF with LibreOffice and render its first page, as a reader would see it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        raise StepFailed("STEP FAILED: LibreOffice (libreoffice-writer-nogui) and poppler-utils are needed to render the document")
    home = Path(tempfile.mkdtemp(prefix="ungcuu-lo-"))
    try:
        r = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                           env={**os.environ, "HOME": str(home)}, capture_output=True, text=True, timeout=180)
        pdf = docx.with_suffix(".pdf")
        assert r.returncode == 0 and pdf.exists(), f"LibreOffice could not convert the document: {r.stderr or r.stdout}"
        text = nfc(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout)
        for expected in [nfc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), nfc("THUYẾT MINH"), nfc("Nơi nhận")]:
            assert expected in text, f"the rendered PDF lacks {expected!r}"
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(pdf), str(docx.parent / "thuyet-minh-page")],
                       check=True, timeout=60)
        pages = sorted(docx.parent.glob("thuyet-minh-page*.png"))
        assert pages, "pdftoppm rendered no page"
        log("  rendered: " + ", ".join(str(p) for p in pages))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def all_steps(b: Browser) -> None:
    coordinator_steps(b, admin_steps(b))


def main() -> int:
    return run_browser_test("test_systems_wizard", "register, wizard, dossier to approval, explanation .docx", create_admin, all_steps)


if __name__ == "__main__":
    sys.exit(main())
