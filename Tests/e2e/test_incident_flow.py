#!/usr/bin/env python3
"""End-to-end: an agency officer reports an incident (and loses nothing when the session expires), a
coordinator triages and shares it with the police, the police liaison works on it within the TLP rules,
and the notification report is downloaded and recorded as sent, in headless Chromium.

Run:  UNGCUU_BIN=$(swift build --show-bin-path)/ungcuu .venv-test/bin/python Tests/e2e/test_incident_flow.py
Env:  UNGCUU_E2E_SCREENSHOTS  where to save the PNGs (default: a new temp dir)
Exit: 0 = pass, 1 = a step failed (the report names the step, URL and page).

Steps:
  1. `ungcuu create-admin`; the admin adds a department and a police agency, an agency officer of the
     department, a coordinator and a police liaison (temporary passwords)
  2. the officer signs in, sets a password, fills "Báo cáo sự cố" (title, category, description, detection
     time, phone, personal data, an impact flag, a .txt attachment); the session cookie is deleted and a
     last change typed; submitting lands on /signin; after signing in again the form holds what was typed
     (restored from the browser); submitted: SC-<year>-0001 with the notification and personal-data clocks
  3. the coordinator opens the case from /incidents, accepts it with severity "high", assigns themselves,
     adds a TLP:GREEN note and a TLP:RED note naming only themselves, an IPv4 observable, shares the case
  4. the police liaison sees it in /incidents, sees the GREEN note and the observable but not the RED note,
     adds a police note and an evidence request
  5. the coordinator downloads the notification .docx ("THÔNG BÁO", the case number; rendered with
     LibreOffice when it is installed) and records it as sent: the clock shows "sent on time"
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from e2e_support import UUID_RE, Browser, By, log, nfc, run_browser_test
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from test_signin_agency import ADMIN_EMAIL, ADMIN_PASSWORD, create_admin
from test_systems_wizard import sign_in, sign_out

VN = ZoneInfo("Asia/Ho_Chi_Minh")

AGENCY_CODE = "STT-E2E"
AGENCY_NAME = nfc("Sở Tài chính Thử nghiệm")
POLICE_CODE = "CA-E2E"
POLICE_NAME = nfc("Công an tỉnh Thử nghiệm")

OFFICER = {"name": nfc("Lê Văn Cán Bộ"), "email": "canbo@e2e.test", "password": "Can-Bo-Bao-Cao-2026!",
           "role": "agency_officer", "agency": AGENCY_NAME}
COORDINATOR = {"name": nfc("Trần Thị Điều Phối"), "email": "dieuphoi.sc@e2e.test", "password": "Dieu-Phoi-Su-Co-2026!",
               "role": "coordinator", "agency": None}
POLICE = {"name": nfc("Phạm Công An"), "email": "congan@e2e.test", "password": "Cong-An-Lien-Lac-2026!",
          "role": "police", "agency": POLICE_NAME}

TITLE = nfc("Máy chủ cổng dịch vụ công bị mã hóa dữ liệu")
DESCRIPTION = nfc("Lúc 7 giờ sáng phát hiện các tệp trên máy chủ ứng dụng bị đổi đuôi .lockbit và có thư đòi tiền chuộc.")
DESCRIPTION_MORE = nfc("\nBổ sung sau khi phiên hết hạn: đã ngắt máy chủ khỏi mạng.")
CATEGORY = "ransomware"
IMPACT_FLAG = "service_interruption"
PHONE = "0912 345 678"
GREEN_NOTE = nfc("Ghi chú GREEN: đã cô lập máy chủ, đang thu thập nhật ký tường lửa.")
RED_NOTE = nfc("Ghi chú RED: nghi ngờ tài khoản quản trị bị lộ, chỉ điều phối viên biết.")
OBSERVABLE_IP = "203.0.113.45"
POLICE_NOTE = nfc("Công an tỉnh đã tiếp nhận thông tin và mở hồ sơ xác minh.")
EVIDENCE_REQUEST = nfc("Đề nghị cung cấp bản sao nhật ký tường lửa ngày phát hiện sự cố.")
RECIPIENTS = nfc("Trung tâm Giám sát an toàn không gian mạng quốc gia; Sở Tài chính Thử nghiệm")
DOCUMENT_NUMBER = "15/TB-STT"

DRAFT_KEYS_JS = (
    "return Object.keys(localStorage).filter((k) => k.startsWith('uc-draft:/incidents/new:'))"
    ".map((k) => [k, localStorage.getItem(k)]);"
)


# --- helpers -------------------------------------------------------------------

def first_sign_in(b: Browser, person: dict, temporary: str) -> None:
    """Sign in with the temporary password and choose the person's own."""
    sign_in(b, person["email"], temporary)
    b.wait_path(r"/account/password", f"the forced password change for {person['email']}")
    b.type_into("current", temporary)
    b.type_into("new", person["password"])
    b.type_into("confirm", person["password"])
    b.by_id("save").click()
    b.wait(lambda _d: not b.path().startswith("/account/password"), "leaving the password page")


def in_form(b: Browser, form_id: str, selector: str):
    """A field inside one form (several forms on the case page share field names and ids)."""
    b.wait_id(form_id)
    return b.d.find_element(By.CSS_SELECTOR, f"#{form_id} {selector}")


def fill_in(b: Browser, form_id: str, selector: str, text: str) -> None:
    el = in_form(b, form_id, selector)
    el.clear()
    el.send_keys(text)
    if nfc(el.get_attribute("value")) != nfc(text):
        b.d.execute_script("arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", el, nfc(text))
    got = nfc(el.get_attribute("value"))
    assert got == nfc(text), f"#{form_id} {selector} holds {got!r}, expected {text!r}"


def choose(b: Browser, form_id: str, name: str, value: str) -> None:
    Select(in_form(b, form_id, f'select[name="{name}"]')).select_by_value(value)


def submit_and_wait(b: Browser, button_id: str, done: str) -> None:
    button = b.by_id(button_id)
    button.click()
    # The URL may already say done=… from the previous submission: wait for the new page first.
    b.wait(EC.staleness_of(button), f"the page after #{button_id}")
    b.wait(lambda d: f"done={done}" in d.current_url, f"the confirmation done={done}")


def open_details(b: Browser, details_id: str) -> None:
    b.wait_id(details_id)
    b.d.execute_script(f"document.getElementById('{details_id}').open = true")


def open_case_from_list(b: Browser, number: str) -> str:
    b.get("/incidents")
    table = b.wait_id("incidents-table")
    rows = [r for r in table.find_elements(By.CSS_SELECTOR, "tbody tr") if number in nfc(r.text)]
    assert rows, f"{number} is not in #incidents-table: {[nfc(r.text) for r in table.find_elements(By.TAG_NAME, 'tr')]!r}"
    rows[0].find_element(By.LINK_TEXT, TITLE).click()
    return b.wait_path(rf"/incidents/{UUID_RE}/?", "the case page")


def cookie_header(b: Browser) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in b.d.get_cookies())


def full_shot(b: Browser, name: str) -> None:
    """A screenshot of the whole page (the case page is long): grow the window to the page, then restore it."""
    size = b.d.get_window_size()
    height = b.d.execute_script("return document.documentElement.scrollHeight")
    try:
        b.d.set_window_size(size["width"], min(max(height + 140, size["height"]), 8000))
        b.shot(name)
    finally:
        b.d.set_window_size(size["width"], size["height"])


def clock_state(b: Browser, kind: str) -> str:
    return b.d.find_element(By.CSS_SELECTOR, f"#clock-{kind} [data-clock]").get_attribute("data-clock")


# --- 1. the admin sets up the people ------------------------------------------

def admin_steps(b: Browser) -> dict:
    temporary: dict = {}
    with b.step("admin signs in and adds a department and a police agency"):
        sign_in(b, ADMIN_EMAIL, ADMIN_PASSWORD)
        b.wait_id("home")
        for code, name, kind in [(AGENCY_CODE, AGENCY_NAME, "department"), (POLICE_CODE, POLICE_NAME, "provincial_police")]:
            b.get("/agencies/new")
            b.type_into("code", code)
            b.type_into("name", name)
            Select(b.by_id("kind")).select_by_value(kind)
            b.by_id("save").click()
            b.wait_path(rf"/agencies/{UUID_RE}/?", f"the page of {name}")
    for person in (OFFICER, COORDINATOR, POLICE):
        with b.step(f"admin adds {person['role']} {person['email']}"):
            b.get("/users/new")
            b.type_into("name", person["name"])
            b.type_into("email", person["email"])
            Select(b.by_id("role")).select_by_value(person["role"])
            if person["agency"]:
                Select(b.by_id("agencyId")).select_by_visible_text(person["agency"])
            b.by_id("save").click()
            temporary[person["email"]] = nfc(b.wait_id("temporary-password").text).strip()
            assert temporary[person["email"]], f"no temporary password shown for {person['email']}"
    b.shot("police-liaison-created")
    with b.step("admin signs out"):
        sign_out(b)
    return temporary


# --- 2. the officer reports, and loses nothing when the session expires ---------

def officer_steps(b: Browser, temporary: str, attachment: Path) -> tuple[str, str]:
    d = b.d
    detected = (datetime.now(VN) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    with b.step("officer signs in and sets a password"):
        first_sign_in(b, OFFICER, temporary)

    with b.step("officer opens “Báo cáo sự cố” from the incident list"):
        b.get("/incidents")
        link = b.by_id("report-incident")
        assert nfc(link.text) == nfc("Báo cáo sự cố"), f"the report button reads {link.text!r}"
        link.click()
        b.wait_path(r"/incidents/new", "the report form")
        b.wait_id("incident-form")
        b.shot("report-form-empty")

    with b.step("officer fills in the report form"):
        b.type_into("title", TITLE)
        Select(b.by_id("categoryCode")).select_by_value(CATEGORY)
        b.type_into("description", DESCRIPTION)
        d.execute_script(
            "const el = document.getElementById('detectedAt'); el.value = arguments[0];"
            "el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
            detected)
        assert b.by_id("detectedAt").get_attribute("value") == detected, "the detection time was not set"
        b.type_into("contactPhone", PHONE)
        personal = d.find_element(By.CSS_SELECTOR, '#incident-form input[name="personalData"]')
        if not personal.is_selected():
            personal.click()
        flag = d.find_element(By.CSS_SELECTOR, f'#incident-form input[name="impactFlags[]"][value="{IMPACT_FLAG}"]')
        if not flag.is_selected():
            flag.click()
        d.find_element(By.CSS_SELECTOR, '#incident-form input[type="file"]').send_keys(str(attachment))
        b.shot("report-form-filled")

    with b.step("the browser keeps a copy of what was typed"):
        drafts = d.execute_script(DRAFT_KEYS_JS)
        assert drafts, "no uc-draft:/incidents/new:… entry in localStorage after typing"
        pairs = dict(json.loads(drafts[0][1])["pairs"])
        assert nfc(pairs.get("title", "")) == TITLE, f"the browser copy holds title {pairs.get('title')!r}"
        log(f"  localStorage {drafts[0][0]!r}: {len(json.loads(drafts[0][1])['pairs'])} fields")

    with b.step("the session ends; one more change is typed; submitting leads to the sign-in page"):
        assert d.get_cookie("uc_session"), "no uc_session cookie to delete"
        d.delete_cookie("uc_session")
        # Typed after the session ended: only the browser can have it (the server draft cannot be saved now).
        b.by_id("description").send_keys(DESCRIPTION_MORE)
        b.by_id("submit-report").click()
        b.wait_path(r"/signin", "the sign-in page after submitting without a session")
        b.shot("session-expired-signin")

    with b.step("officer signs in again and finds the report form as typed"):
        b.type_into("email", OFFICER["email"])
        b.type_into("password", OFFICER["password"])
        b.by_id("signin-submit").click()
        b.wait(lambda _d: b.path() != "/signin", "leaving the sign-in page")
        b.get("/incidents")
        b.by_id("report-incident").click()
        b.wait_path(r"/incidents/new", "the report form")
        b.wait(lambda _d: nfc(b.by_id("title").get_attribute("value")) == TITLE,
               f"the title {TITLE!r} to be restored", timeout=5)
        description = nfc(b.by_id("description").get_attribute("value"))
        assert description == nfc(DESCRIPTION + DESCRIPTION_MORE), (
            f"the description was not restored in full from the browser: {description!r}")
        status = nfc(b.by_id("draft-status").text)
        log(f"  draft status: {status!r}")
        assert status == nfc("Đã khôi phục nội dung chưa gửi từ trình duyệt này."), f"the draft status line reads {status!r}"
        assert b.by_id("categoryCode").get_attribute("value") == CATEGORY, "the category was not restored"
        assert b.by_id("detectedAt").get_attribute("value") == detected, "the detection time was not restored"
        assert d.find_element(By.CSS_SELECTOR, '#incident-form input[name="personalData"]').is_selected(), \
            "the personal-data box was not restored"
        assert d.find_element(By.CSS_SELECTOR, f'#incident-form input[name="impactFlags[]"][value="{IMPACT_FLAG}"]').is_selected(), \
            "the impact flag was not restored"
        b.shot("report-form-restored")

    with b.step("officer attaches the file again and submits the report"):
        d.find_element(By.CSS_SELECTOR, '#incident-form input[type="file"]').send_keys(str(attachment))
        b.by_id("submit-report").click()
        path = b.wait_path(rf"/incidents/{UUID_RE}/?", "the new case page")
        number = f"SC-{datetime.now(VN).year}-0001"
        heading = nfc(d.find_element(By.TAG_NAME, "h1").text)
        assert heading.startswith(number), f"the case heading is {heading!r}, expected it to start with {number!r}"
        assert TITLE in heading, f"the case heading {heading!r} lacks the title"
        clocks = b.by_id("clocks")
        for kind in ("NOTIFICATION", "PDP_BREACH_NOTICE"):
            assert clocks.find_elements(By.ID, f"clock-{kind}"), f"#clocks has no row #clock-{kind}: {nfc(clocks.text)!r}"
        assert nfc("Thông báo sự cố") in nfc(clocks.text), "the notification clock is not named"
        evidence = nfc(b.by_id("evidence").text)
        assert attachment.name in evidence, f"the attachment is not listed under #evidence: {evidence!r}"
        left = d.execute_script(DRAFT_KEYS_JS)
        assert not left, f"the browser still keeps a draft after the report was filed: {left!r}"
        full_shot(b, "case-reported")
        log(f"  reported: {number} at {path}")
        sign_out(b)
    return number, path


# --- 3. the coordinator triages and shares ---------------------------------------

def coordinator_steps(b: Browser, temporary: str, number: str) -> None:
    d = b.d
    with b.step("coordinator signs in, sets a password and opens the case from /incidents"):
        first_sign_in(b, COORDINATOR, temporary)
        open_case_from_list(b, number)
        b.wait_id("triage-form")
        b.shot("coordinator-case")

    with b.step("coordinator accepts the case with severity high"):
        choose(b, "triage-form", "severity", "high")
        submit_and_wait(b, "triage-submit", "incidentTriaged")
        sev = d.find_element(By.CSS_SELECTOR, ".page-head [data-severity]").get_attribute("data-severity")
        assert sev == "high", f"the severity badge says {sev!r}"
        phase = d.find_element(By.CSS_SELECTOR, ".page-head [data-phase]").get_attribute("data-phase")
        assert phase == "triaged", f"the phase after accepting is {phase!r}"

    with b.step("coordinator assigns a responder (themselves when there is none)"):
        boxes = d.find_elements(By.CSS_SELECTOR, '#assign-form input[name="userIds[]"]')
        labels = [nfc(x.find_element(By.XPATH, "..").text) for x in boxes]
        assert boxes, "no one can be assigned"
        pick = next((i for i, l in enumerate(labels) if nfc("Thành viên đội ứng cứu") in l), None)
        if pick is None:
            pick = next((i for i, l in enumerate(labels) if COORDINATOR["name"] in l), 0)
        if not boxes[pick].is_selected():
            boxes[pick].click()
        log(f"  assigning: {labels[pick]!r}")
        submit_and_wait(b, "assign-submit", "incidentAssigned")
        checked = [nfc(x.find_element(By.XPATH, "..").text)
                   for x in d.find_elements(By.CSS_SELECTOR, '#assign-form input[name="userIds[]"]') if x.is_selected()]
        assert labels[pick] in checked, f"after assigning, the ticked people are {checked!r}"

    with b.step("coordinator adds a TLP:GREEN note"):
        fill_in(b, "note-form", 'textarea[name="body"]', GREEN_NOTE)
        choose(b, "note-form", "tlp", "green")
        submit_and_wait(b, "note-submit", "noteAdded")
        assert GREEN_NOTE in b.body_text(), "the GREEN note is not on the timeline"

    with b.step("coordinator adds a TLP:RED note naming only themselves"):
        fill_in(b, "note-form", 'textarea[name="body"]', RED_NOTE)
        choose(b, "note-form", "tlp", "red")
        d.execute_script("document.querySelector('#note-form details').open = true")
        for box in d.find_elements(By.CSS_SELECTOR, '#note-form input[name="namedUserIds[]"]'):
            label = nfc(box.find_element(By.XPATH, "..").text)
            if (COORDINATOR["name"] in label) != box.is_selected():
                box.click()
        submit_and_wait(b, "note-submit", "noteAdded")
        timeline = nfc(b.by_id("timeline").text)
        assert RED_NOTE in timeline, "the RED note is not on its author's timeline"
        assert "TLP:RED" in timeline and "TLP:GREEN" in timeline, "the notes carry no TLP badges"

    with b.step("coordinator adds an IPv4 observable"):
        open_details(b, "add-observable")
        choose(b, "observable-form", "type", "ipv4")
        fill_in(b, "observable-form", 'input[name="value"]', OBSERVABLE_IP)
        fill_in(b, "observable-form", 'input[name="comment"]', nfc("Địa chỉ kết nối điều khiển"))
        submit_and_wait(b, "observable-submit", "observableAdded")
        observables = nfc(b.by_id("observables").text)
        assert OBSERVABLE_IP in observables, f"#observables lacks {OBSERVABLE_IP}: {observables!r}"

    with b.step("coordinator shares the case with the police"):
        fill_in(b, "share-form", 'input[name="note"]', nfc("Đề nghị công an tỉnh phối hợp xác minh."))
        submit_and_wait(b, "share-submit", "incidentShared")
        badge = nfc(b.by_id("shared-badge").text)
        assert badge == nfc("Đã chia sẻ với công an"), f"#shared-badge reads {badge!r}"
        b.wait_id("unshare-form")
        full_shot(b, "coordinator-case-shared")
        sign_out(b)


# --- 4. the police liaison -----------------------------------------------------

def police_steps(b: Browser, temporary: str, number: str) -> None:
    d = b.d
    with b.step("police liaison signs in, sets a password and finds the case in /incidents"):
        first_sign_in(b, POLICE, temporary)
        open_case_from_list(b, number)
        b.wait_id("timeline")
        full_shot(b, "police-case")

    with b.step("police liaison sees the GREEN note and the observable, not the RED note"):
        assert GREEN_NOTE in nfc(b.by_id("timeline").text), "the GREEN note is hidden from the police"
        assert OBSERVABLE_IP in nfc(b.by_id("observables").text), "the observable is hidden from the police"
        source = nfc(d.page_source)
        assert RED_NOTE not in source, "the police liaison can read the RED note"
        assert nfc("chỉ điều phối viên biết") not in source, "a part of the RED note reached the police page"
        for hidden in ("triage-form", "assign-form", "share-form", "record-report-form", "docx-NOTIFICATION"):
            assert not d.find_elements(By.ID, hidden), f"the police page offers #{hidden}"

    with b.step("police liaison adds a police note"):
        fill_in(b, "note-form", 'textarea[name="body"]', POLICE_NOTE)
        submit_and_wait(b, "note-submit", "noteAdded")
        notes = d.find_elements(By.CSS_SELECTOR, '#timeline li[data-kind="police_note"]')
        assert any(POLICE_NOTE in nfc(n.text) for n in notes), "the police note is not on the timeline as a police note"

    with b.step("police liaison requests evidence"):
        fill_in(b, "evidence-request-form", 'textarea[name="body"]', EVIDENCE_REQUEST)
        submit_and_wait(b, "evidence-request-submit", "evidenceRequested")
        requests = d.find_elements(By.CSS_SELECTOR, '#timeline li[data-kind="evidence_request"]')
        assert any(EVIDENCE_REQUEST in nfc(r.text) for r in requests), "the evidence request is not on the timeline"
        full_shot(b, "police-timeline")
        sign_out(b)


# --- 5. the notification report --------------------------------------------------

def report_steps(b: Browser, number: str, case_path: str) -> None:
    d = b.d
    with b.step("coordinator sees the police activity and downloads the notification .docx"):
        sign_in(b, COORDINATOR["email"], COORDINATOR["password"])
        b.wait_id("home")
        b.get(case_path)
        timeline = nfc(b.by_id("timeline").text)
        assert POLICE_NOTE in timeline and EVIDENCE_REQUEST in timeline, "the coordinator does not see the police's entries"
        href = b.by_id("docx-NOTIFICATION").get_attribute("href")
        req = urllib.request.Request(href, headers={"Cookie": cookie_header(b)})
        with urllib.request.urlopen(req, timeout=30) as resp:
            kind = resp.headers.get("Content-Type", "")
            disposition = resp.headers.get("Content-Disposition", "")
            data = resp.read()
        assert "wordprocessingml" in kind, f"content type {kind!r}"
        assert "attachment" in disposition, f"Content-Disposition {disposition!r}"
        assert data[:2] == b"PK", "the download is not a zip (DOCX) file"
        xml = nfc(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8"))
        # The Decree 30 layout: national header, "THÔNG BÁO", then the case (number, description, observables).
        for text in [nfc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), nfc("THÔNG BÁO"), nfc("Mã sự cố"), number,
                     nfc("đổi đuôi .lockbit"), OBSERVABLE_IP]:
            assert nfc(text) in xml, f"word/document.xml lacks {text!r}"
        out = b.shots / f"{number}-thong-bao.docx"
        out.write_bytes(data)
        log(f"  document: {out} ({len(data)} bytes, {disposition})")
        render_document(out)

    with b.step("coordinator records the notification as sent"):
        assert clock_state(b, "NOTIFICATION") in ("pending", "due_soon"), f"the clock is {clock_state(b, 'NOTIFICATION')!r} before sending"
        open_details(b, "record-report")
        choose(b, "record-report-form", "kind", "NOTIFICATION")
        fill_in(b, "record-report-form", 'input[name="recipients"]', RECIPIENTS)
        choose(b, "record-report-form", "channel", "official_letter")
        fill_in(b, "record-report-form", 'input[name="documentNumber"]', DOCUMENT_NUMBER)
        b.shot("record-report-form")
        submit_and_wait(b, "record-report-submit", "reportRecorded")
        state = clock_state(b, "NOTIFICATION")
        assert state == "done", f"the notification clock is {state!r} after recording, expected 'done'"
        row = nfc(b.by_id("clock-NOTIFICATION").text)
        assert nfc("Đã gửi đúng hạn") in row, f"the clock row does not say sent on time: {row!r}"
        assert DOCUMENT_NUMBER in row or RECIPIENTS in row, f"the clock row does not show the sent report: {row!r}"
        assert clock_state(b, "PDP_BREACH_NOTICE") != "done", "recording the notification closed the personal-data clock too"
        full_shot(b, "notification-sent")


def render_document(docx: Path) -> None:
    """When LibreOffice and poppler are installed, render the first page for a human to look at."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        log("  (LibreOffice or pdftoppm not installed: the document is not rendered)")
        return
    home = Path(tempfile.mkdtemp(prefix="ungcuu-lo-"))
    try:
        r = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                           env={**os.environ, "HOME": str(home)}, capture_output=True, text=True, timeout=180)
        pdf = docx.with_suffix(".pdf")
        assert r.returncode == 0 and pdf.exists(), f"LibreOffice could not convert the document: {r.stderr or r.stdout}"
        text = nfc(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout)
        for expected in [nfc("THÔNG BÁO"), nfc("Mã sự cố")]:
            assert expected in text, f"the rendered PDF lacks {expected!r}"
        stem = docx.parent / (docx.stem + "-page")
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(pdf), str(stem)], check=True, timeout=60)
        pages = sorted(docx.parent.glob(docx.stem + "-page*.png"))
        assert pages, "pdftoppm rendered no page"
        log("  rendered: " + ", ".join(str(p) for p in pages))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def all_steps(b: Browser) -> None:
    attachment = b.shots / "nhat-ky-tuong-lua.txt"
    attachment.write_text(nfc("2026-03-02 07:01:12 DENY tcp 203.0.113.45:4444 -> 10.0.0.5:445\n") * 40, encoding="utf-8")
    temporary = admin_steps(b)
    number, case_path = officer_steps(b, temporary[OFFICER["email"]], attachment)
    coordinator_steps(b, temporary[COORDINATOR["email"]], number)
    police_steps(b, temporary[POLICE["email"]], number)
    report_steps(b, number, case_path)


def main() -> int:
    return run_browser_test(
        "test_incident_flow",
        "report with an expired session, triage, TLP notes, observable, police sharing, notification .docx, sent",
        create_admin, all_steps)


if __name__ == "__main__":
    sys.exit(main())
