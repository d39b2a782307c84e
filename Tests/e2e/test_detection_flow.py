#!/usr/bin/env python3
"""End-to-end: a coordinator imports Sigma rules, an agency officer uploads a Windows event log (EVTX) of a system and
sees the events and the alerts that continuous detection raised, the coordinator hunts over the system with the rules and
the system gets its threat-hunting record, the officer promotes an alert to an incident with the events as evidence, and
an officer of another agency sees none of it, in headless Chromium.

Run:  UNGCUU_BIN=$(swift build --show-bin-path)/ungcuu .venv-test/bin/python Tests/e2e/test_detection_flow.py
Env:  UNGCUU_E2E_SCREENSHOTS  where to save the PNGs (default: a new temp dir)
      UNGCUU_E2E_EVTX         the EVTX file to upload (default: the shared corpus' EVTX-ATTACK-SAMPLES
                              AutomatedTestingTools/Malware/rundll32_cmd_schtask.evtx: 50 Sysmon events of one host)
      UNGCUU_E2E_SIGMA_RULES  the folder of Windows Sigma rules to take the three rules from (default: the shared
                              corpus' sigma/rules/windows)
Exit: 0 = pass (or skipped, with a message, when the corpus is absent), 1 = a step failed (the report names the step,
      URL and page).

The three rules each fire on one record of the EVTX file (`ungcuu hunt --rules <rule> <evtx>`): "Potentially
Suspicious Execution From Parent Process In Public Folder" (high, record 4), "Scheduled Task Creation Via Schtasks.EXE"
(low, record 22) and "Potentially Suspicious Rundll32 Activity" (medium, record 24).

Steps:
  1. `ungcuu create-admin`; the admin adds two departments, an agency officer of each and a coordinator (temporary
     passwords); the coordinator registers a system of the first department
  2. the coordinator imports the three rules on /detection/rules as a zip built here: the import result counts 3 new
     rules; the list shows each with its level, ATT&CK tags, Sigma status and "Đang bật"
  3. the officer uploads the EVTX file to the system on /events/upload; the import page shows the progress until
     "Đã nhập" with 50 events; /events lists the system's events (host MSEDGEWIN10) and one event's fields; /alerts
     lists the three alerts that continuous detection raised, for the officer's department and system
  4. the coordinator starts a hunt on /hunts/new with the three rules ticked, the system in scope and a range covering
     the log (October 2020); it completes with 3 hits in 3 groups with their events; the system is listed with a
     threat-hunting record, which opens; the system page's "scan and hunt" card shows the hunt of today
  5. the officer opens the high alert and promotes it to an incident ("Chuyển thành sự cố"); the incident page opens
     with the alert's events as a JSON-lines evidence file and the timeline entry; the alert links to the incident
  6. the second department's officer sees no alert and no event, and the first department's alert is not found
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from e2e_support import UUID_RE, Browser, By, log, nfc, run_browser_test
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from test_incident_flow import first_sign_in, full_shot, in_form, open_details
from test_proactive_flow import click_and_wait, nav, set_date, shoot, table_rows
from test_signin_agency import ADMIN_EMAIL, ADMIN_PASSWORD, create_admin
from test_systems_wizard import sign_in, sign_out

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SHARED = Path(__file__).resolve().parents[2].parent / "shared/corpora"

EVTX = Path(os.environ.get("UNGCUU_E2E_EVTX",
                           SHARED / "evtx/EVTX-ATTACK-SAMPLES/AutomatedTestingTools/Malware/rundll32_cmd_schtask.evtx"))
RULES_DIR = Path(os.environ.get("UNGCUU_E2E_SIGMA_RULES", SHARED / "sigma/rules/windows"))
EVTX_EVENTS = 50
EVTX_HOST = "MSEDGEWIN10"
HUNT_FROM = "2020-10-01"

# The rules: path under RULES_DIR, title, level as the UI says it, ATT&CK tags as the list shows them.
RULES = [
    {"path": "process_creation/proc_creation_win_susp_execution_from_public_folder_as_parent.yml",
     "title": "Potentially Suspicious Execution From Parent Process In Public Folder", "level": nfc("Cao"),
     "tags": ["execution", "T1564", "T1059"]},
    {"path": "process_creation/proc_creation_win_schtasks_creation.yml",
     "title": "Scheduled Task Creation Via Schtasks.EXE", "level": nfc("Thấp"), "tags": ["persistence", "T1053.005"]},
    {"path": "process_creation/proc_creation_win_rundll32_susp_activity.yml",
     "title": "Potentially Suspicious Rundll32 Activity", "level": nfc("Trung bình"), "tags": ["T1218.011"]},
]
PROMOTED = RULES[0]

AGENCY_CODE = "STNMT-E2E"
AGENCY_NAME = nfc("Sở Tài nguyên và Môi trường Thử nghiệm")
OTHER_CODE = "SGTVT-E2E"
OTHER_NAME = nfc("Sở Giao thông Vận tải Thử nghiệm")
SYSTEM_CODE = "QLDD-E2E"
SYSTEM_NAME = nfc("Hệ thống quản lý đất đai thử nghiệm")

OFFICER = {"name": nfc("Lê Văn Giám Sát"), "email": "canbo.giamsat@e2e.test", "password": "Can-Bo-Giam-Sat-2026!",
           "role": "agency_officer", "agency": AGENCY_NAME}
OTHER_OFFICER = {"name": nfc("Phan Thị Giao Thông"), "email": "canbo.giaothong@e2e.test", "password": "Can-Bo-Giao-Thong-2026!",
                 "role": "agency_officer", "agency": OTHER_NAME}
COORDINATOR = {"name": nfc("Hoàng Văn Săn Lùng"), "email": "dieuphoi.sanlung@e2e.test", "password": "Dieu-Phoi-San-Lung-2026!",
               "role": "coordinator", "agency": None}

HUNT_NAME = nfc("Săn lùng định kỳ 6 tháng — hệ thống quản lý đất đai")
HUNT_PURPOSE = nfc("Rà soát nhật ký Sysmon của máy trạm quản trị theo nghĩa vụ săn lùng 6 tháng một lần.")
PHONE = "0912 000 606"


# --- helpers -------------------------------------------------------------------

def rules_zip(folder: Path) -> Path:
    """The three rules in a zip, as a folder of rules would be packed (relative paths kept)."""
    path = folder / "sigma-rules-e2e.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for rule in RULES:
            z.write(RULES_DIR / rule["path"], "rules/windows/" + rule["path"])
    return path


def row_with(b: Browser, table_id: str, text: str):
    rows = [r for r in table_rows(b, table_id) if text in nfc(r.text)]
    assert rows, f"no row of #{table_id} contains {text!r}: {[nfc(r.text) for r in table_rows(b, table_id)]!r}"
    return rows[0]


def detection_tab(b: Browser, label: str, path: str) -> None:
    """Follow a tab of the detection section (alerts, hunts, events, rules)."""
    tab = b.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, f'nav.tabs a[href="{path}"]')), f"the tab {label!r}")
    assert nfc(tab.text) == nfc(label), f"the tab to {path} reads {tab.text!r}"
    tab.click()
    b.wait_path(re.escape(path) + "/?", f"the page {path}")


def wait_finished(b: Browser, progress_id: str, what: str, timeout: float = 180) -> None:
    """The page polls its job and reloads once it finishes: wait for the progress card to go."""
    b.wait(lambda d: not d.find_elements(By.ID, progress_id), f"{what} to finish (#{progress_id} gone)", timeout=timeout)


def today() -> str:
    return datetime.now(VN).strftime("%d/%m/%Y")


# --- 1. set-up: people and the system ------------------------------------------------

def admin_steps(b: Browser) -> dict:
    temporary: dict = {}
    with b.step("admin signs in and adds two departments"):
        sign_in(b, ADMIN_EMAIL, ADMIN_PASSWORD)
        b.wait_id("home")
        for code, name in ((AGENCY_CODE, AGENCY_NAME), (OTHER_CODE, OTHER_NAME)):
            b.get("/agencies/new")
            b.type_into("code", code)
            b.type_into("name", name)
            Select(b.by_id("kind")).select_by_value("department")
            b.by_id("save").click()
            b.wait_path(rf"/agencies/{UUID_RE}/?", f"the page of {name}")
    for person in (OFFICER, OTHER_OFFICER, COORDINATOR):
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
    with b.step("admin signs out"):
        sign_out(b)
    return temporary


def coordinator_setup(b: Browser, temporary: str) -> str:
    """Registers the system; returns its id."""
    d = b.d
    with b.step("coordinator signs in, sets a password and registers a system of the department"):
        first_sign_in(b, COORDINATOR, temporary)
        b.get("/systems/new")
        Select(b.by_id("agencyId")).select_by_visible_text(AGENCY_NAME)
        b.type_into("code", SYSTEM_CODE)
        b.type_into("name", SYSTEM_NAME)
        b.type_into("ownerName", nfc("Ủy ban nhân dân tỉnh Thử nghiệm"))
        b.type_into("operatorName", AGENCY_NAME)
        Select(b.by_id("functionType")).select_by_value("internal")
        d.find_element(By.CSS_SELECTOR, 'input[name="informationClasses[]"][value="public"]').click()
        Select(b.by_id("lifecycle")).select_by_value("operating")
        set_date(b, "goLiveDate", "2022-06-01")
        Select(b.by_id("hosting")).select_by_value("provincial_data_centre")
        b.by_id("save").click()
        path = b.wait_path(rf"/systems/{UUID_RE}/?", "the new system's page")
        system_id = re.search(UUID_RE, path).group(0).lower()
    log(f"  system {SYSTEM_CODE}: /systems/{system_id}")
    return system_id


# --- 2. the coordinator imports the rules ---------------------------------------------

def coordinator_rules_steps(b: Browser, archive: Path) -> None:
    with b.step("coordinator opens the rules from the detection section: none yet"):
        nav(b, "/alerts")
        b.wait_path(r"/alerts/?", "the alerts page")
        detection_tab(b, "Luật phát hiện (Sigma)", "/detection/rules")
        assert nfc(b.by_id("rules-total").text).startswith("0 "), f"#rules-total: {b.by_id('rules-total').text!r}"
        shoot(b, "detection-rules-empty")

    with b.step("coordinator uploads a zip of three Windows rules"):
        b.by_id("import-rules").click()
        b.wait_path(r"/detection/rules/import", "the import form")
        b.by_id("files").send_keys(str(archive))
        shoot(b, "detection-rules-import-form")
        button = b.by_id("import-submit")
        button.click()
        b.wait(EC.staleness_of(button), "the import result")
        summary = nfc(b.wait_id("import-summary").text)
        assert summary.startswith(nfc("Đã nhập 3 luật mới, cập nhật 0 luật, 0 luật không đổi; 0 luật chưa hỗ trợ; 0 tệp lỗi")), \
            f"#import-summary reads {summary!r}"
        created = nfc(b.by_id("import-created").text)
        for rule in RULES:
            assert rule["title"] in created, f"{rule['title']!r} is not among the new rules: {created!r}"
        shoot(b, "detection-rules-import-result")

    with b.step("the rule list shows each rule with its level, tags, status and switch"):
        b.get("/detection/rules")
        assert nfc(b.by_id("rules-total").text).startswith("3 "), f"#rules-total: {b.by_id('rules-total').text!r}"
        for rule in RULES:
            text = nfc(row_with(b, "rules", rule["title"]).text)
            for expected in [rule["level"], *rule["tags"], nfc("Thử nghiệm"), nfc("Đang bật")]:
                assert expected in text, f"the row of {rule['title']!r} lacks {expected!r}: {text!r}"
        active = nfc(b.by_id("stat-active").text)
        assert active.startswith("3"), f"#stat-active reads {active!r}"
        shoot(b, "detection-rules-list")
        sign_out(b)


# --- 3. the officer uploads the event log ---------------------------------------------

def officer_upload_steps(b: Browser, temporary: str, system_id: str) -> None:
    d = b.d
    with b.step("officer signs in and opens the upload form from the events page"):
        first_sign_in(b, OFFICER, temporary)
        nav(b, "/alerts")
        b.wait_path(r"/alerts/?", "the alerts page")
        detection_tab(b, "Sự kiện nhật ký", "/events")
        assert nfc("Chưa có sự kiện nào.") in nfc(b.by_id("events").text), "the officer's events page is not empty before the upload"
        b.by_id("upload-events").click()
        b.wait_path(r"/events/upload", "the upload form")
        b.wait_id("upload-form")
        Select(b.by_id("systemId")).select_by_value(system_id)
        b.by_id("files").send_keys(str(EVTX))
        shoot(b, "detection-upload-form")

    with b.step(f"officer uploads {EVTX.name}; the import finishes with {EVTX_EVENTS} events"):
        b.by_id("upload-submit").click()
        b.wait_path(rf"/events/imports/{UUID_RE}/?", "the import page")
        b.wait_id("import-facts")
        if d.find_elements(By.ID, "import-progress"):
            shoot(b, "detection-import-progress")
        wait_finished(b, "import-progress", "the import")
        state = nfc(b.by_id("import-state").text)
        assert state == nfc("Đã nhập"), f"#import-state reads {state!r}"
        accepted = nfc(b.by_id("events-accepted").text)
        assert accepted == str(EVTX_EVENTS), f"#events-accepted reads {accepted!r}"
        facts = nfc(b.by_id("import-facts").text)
        assert SYSTEM_NAME in facts, f"the import does not name the system: {facts!r}"
        assert EVTX.name in nfc(b.by_id("import-files").text), "the import does not list the file"
        shoot(b, "detection-import-done")

    with b.step("the system's events are listed and one opens with its fields"):
        b.by_id("import-events").click()
        b.wait_path(r"/events/?", "the events page")
        assert system_id in d.current_url, f"the events page is not filtered on the system: {d.current_url}"
        rows = table_rows(b, "events")
        texts = [nfc(r.text) for r in rows]
        assert len(rows) >= 20, f"the events page lists {len(rows)} events: {texts[:5]!r}"
        assert all(EVTX_HOST in t for t in texts), f"not every event is of {EVTX_HOST}: {texts[:5]!r}"
        assert any(SYSTEM_CODE in t for t in texts), f"the events do not name the system: {texts[:3]!r}"
        shoot(b, "detection-events")
        rows[0].find_element(By.CSS_SELECTOR, 'a[href^="/events/"]').click()
        b.wait_path(r"/events/[^/]+", "an event's page")
        fields = nfc(b.by_id("event-fields").text)
        assert "EventID" in fields and "Channel" in fields, f"#event-fields lacks the system fields: {fields[:300]!r}"
        shoot(b, "detection-event")

    with b.step("continuous detection raised the three alerts"):
        nav(b, "/alerts")
        b.wait_path(r"/alerts/?", "the alerts page")
        total = nfc(b.by_id("alerts-total").text)
        assert total.startswith("3 "), f"#alerts-total reads {total!r}: {[nfc(r.text) for r in table_rows(b, 'alerts')]!r}"
        for rule in RULES:
            text = nfc(row_with(b, "alerts", rule["title"]).text)
            for expected in (rule["level"], EVTX_HOST, AGENCY_NAME, SYSTEM_CODE, nfc("Mới")):
                assert expected in text, f"the alert of {rule['title']!r} lacks {expected!r}: {text!r}"
        # The high alert told the department's officers.
        unread = b.d.find_elements(By.ID, "unread-count")
        assert unread and int(unread[0].text) >= 1, "the officer has no unread notification of the high alert"
        shoot(b, "detection-alerts")
        sign_out(b)


# --- 4. the coordinator hunts -----------------------------------------------------------

def coordinator_hunt_steps(b: Browser, system_id: str) -> str:
    d = b.d
    with b.step("coordinator opens the hunt form from the detection section"):
        sign_in(b, COORDINATOR["email"], COORDINATOR["password"])
        b.wait_id("home")
        nav(b, "/alerts")
        b.wait_path(r"/alerts/?", "the alerts page")
        detection_tab(b, "Săn lùng", "/hunts")
        b.by_id("new-hunt").click()
        b.wait_path(r"/hunts/new", "the hunt form")
        b.wait_id("hunt-form")

    with b.step("coordinator ticks the three rules, the system and a range covering the log, and starts the hunt"):
        b.type_into("name", HUNT_NAME)
        b.type_into("purpose", HUNT_PURPOSE)
        assert b.by_id("ruleMode-selection").is_selected(), "the rule choice is not “the rules ticked” by default"
        items = b.by_id("rule-list").find_elements(By.TAG_NAME, "li")
        for rule in RULES:
            li = [i for i in items if rule["title"] in nfc(i.text)]
            assert li, f"{rule['title']!r} is not offered: {[nfc(i.text) for i in items]!r}"
            box = li[0].find_element(By.CSS_SELECTOR, 'input[type="checkbox"][name="ruleIds[]"]')
            box.click()
            assert box.is_selected(), f"{rule['title']!r} could not be ticked"
        set_date(b, "from", HUNT_FROM)
        set_date(b, "to", datetime.now(VN).strftime("%Y-%m-%d"))
        Select(b.by_id("systemIds")).select_by_value(system_id)
        shoot(b, "detection-hunt-form")
        b.by_id("start-hunt").click()
        path = b.wait_path(rf"/hunts/{UUID_RE}/?", "the hunt's page")
        hunt_id = re.search(UUID_RE, path).group(0).lower()
        if d.find_elements(By.ID, "hunt-progress"):
            shoot(b, "detection-hunt-running")

    with b.step("the hunt completes with the three hits and their events"):
        wait_finished(b, "hunt-progress", "the hunt")
        head = nfc(d.find_element(By.CSS_SELECTOR, ".page-head").text)
        assert HUNT_NAME in head and nfc("Hoàn thành") in head, f"the hunt is not completed: {head!r}"
        assert not d.find_elements(By.ID, "hunt-error"), f"the hunt failed: {b.by_id('hunt-error').text!r}"
        summary = nfc(b.by_id("hunt-hit-summary").text)
        assert summary.startswith(nfc("3 sự kiện khớp")), f"#hunt-hit-summary reads {summary!r}"
        groups = d.find_elements(By.CSS_SELECTOR, "#hunt-results section.hit-group")
        titles = [nfc(g.find_element(By.TAG_NAME, "h3").text) for g in groups]
        assert len(groups) == 3, f"the hunt shows {len(groups)} groups: {titles!r}"
        for rule in RULES:
            group = [g for g in groups if rule["title"] in nfc(g.find_element(By.TAG_NAME, "h3").text)]
            assert group, f"no group for {rule['title']!r}: {titles!r}"
            hits = group[0].find_elements(By.CSS_SELECTOR, "table.hits > tbody > tr")
            assert len(hits) == 1 and EVTX_HOST in nfc(hits[0].text), f"the group of {rule['title']!r}: {[nfc(h.text) for h in hits]!r}"
            assert SYSTEM_CODE in nfc(hits[0].text), f"the hit does not name the system: {nfc(hits[0].text)!r}"
        # Show the fields of the high rule's event.
        first = [g for g in groups if PROMOTED["title"] in nfc(g.text)][0]
        details = first.find_element(By.CSS_SELECTOR, "table.hits details")
        d.execute_script("arguments[0].open = true", details)
        fields = nfc(details.text)
        assert "ParentImage" in fields and "CommandLine" in fields, f"the hit's event lacks its fields: {fields[:300]!r}"
        shoot(b, "detection-hunt-results")

    with b.step("the system is recorded as hunted: the hunt's record and the system's card"):
        row = row_with(b, "hunt-system-table", SYSTEM_CODE)
        text = nfc(row.text)
        assert AGENCY_NAME in text and "3" in text, f"the system's row: {text!r}"
        row.find_element(By.LINK_TEXT, nfc("Xem bản ghi")).click()
        b.wait_path(rf"/proactive/assessments/{UUID_RE}/?", "the threat-hunting record")
        page = b.body_text()
        for expected in (nfc("Săn lùng mối nguy hại"), SYSTEM_NAME, "UngCuu (Sigma, IoC)"):
            assert expected in page, f"the record lacks {expected!r}"
        shoot(b, "detection-hunt-assessment")
        b.get(f"/systems/{system_id}")
        hunt_line = nfc(b.by_id("proactive-hunt").text)
        assert today() in hunt_line, f"#proactive-hunt does not show today's hunt: {hunt_line!r}"
        table = nfc(b.by_id("proactive-table").text)
        assert nfc("Săn lùng mối nguy hại") in table, f"#proactive-table lacks the hunt: {table!r}"
        d.execute_script("document.getElementById('proactive').scrollIntoView()")
        # "level" is both the level card and the add-a-component form's select (older than these pages).
        b.shot("detection-system-hunted")
        sign_out(b)
    return hunt_id


# --- 5. the officer promotes the alert ------------------------------------------------

def officer_promote_steps(b: Browser) -> str:
    d = b.d
    with b.step(f"officer opens the alert of {PROMOTED['title']!r}"):
        sign_in(b, OFFICER["email"], OFFICER["password"])
        b.wait_id("home")
        nav(b, "/alerts")
        b.wait_path(r"/alerts/?", "the alerts page")
        row_with(b, "alerts", PROMOTED["title"]).find_element(By.LINK_TEXT, PROMOTED["title"]).click()
        path = b.wait_path(rf"/alerts/{UUID_RE}/?", "the alert page")
        alert_id = re.search(UUID_RE, path).group(0).lower()
        assert nfc(b.by_id("alert-title").text) == PROMOTED["title"], f"#alert-title: {b.by_id('alert-title').text!r}"
        assert nfc(b.by_id("alert-host").text) == EVTX_HOST, f"#alert-host: {b.by_id('alert-host').text!r}"
        events = table_rows(b, "alert-events")
        assert len(events) == 1, f"#alert-events lists {len(events)} events"
        assert "EventID=1" in nfc(events[0].text), f"the alert's event: {nfc(events[0].text)!r}"
        shoot(b, "detection-alert")

    with b.step("officer promotes the alert to an incident"):
        open_details(b, "promote")
        title = nfc(b.by_id("promote-title").get_attribute("value"))
        assert title, "the incident title is not proposed"
        category = Select(b.by_id("promote-category")).first_selected_option
        log(f"  proposed: title {title!r}, category {category.get_attribute('value')!r}")
        description = nfc(b.by_id("promote-description").get_attribute("value"))
        assert PROMOTED["title"] in description, f"the proposed description does not name the rule: {description!r}"
        contact = in_form(b, "promote-form", 'input[name="contactName"]')
        assert nfc(contact.get_attribute("value")) == OFFICER["name"], f"the contact is not the officer: {contact.get_attribute('value')!r}"
        b.type_into("promote-contact-phone", PHONE)
        shoot(b, "detection-promote-form")
        button = b.by_id("promote-submit")
        button.click()
        b.wait(EC.staleness_of(button), "the page after promoting")
        path = b.wait_path(rf"/incidents/{UUID_RE}/?", "the new incident's page")
        b.wait(lambda dr: "done=alertPromoted" in dr.current_url, "the confirmation done=alertPromoted")
        incident_id = re.search(UUID_RE, path).group(0).lower()

    with b.step("the incident holds the alert's events as evidence"):
        page = b.body_text()
        assert title in page, f"the incident page does not show its title {title!r}"
        details = nfc(b.by_id("details").text)
        assert f"{SYSTEM_CODE} · {SYSTEM_NAME}" in details, f"#details does not name the system: {details!r}"
        evidence = nfc(b.by_id("evidence").text)
        assert re.search(r"alert-\S+\.jsonl", evidence), f"#evidence lists no events file: {evidence!r}"
        timeline = [nfc(li.text) for li in d.find_elements(By.CSS_SELECTOR, "#timeline li")]
        assert any(nfc("Tạo từ cảnh báo phát hiện") in t and PROMOTED["title"] in t for t in timeline), \
            f"the timeline does not tell the case came from the alert: {timeline!r}"
        full_shot(b, "detection-incident")

    with b.step("the alert is marked promoted and links to the incident"):
        b.get(f"/alerts/{alert_id}")
        status = nfc(b.by_id("alert-status").text)
        assert status == nfc("Đã chuyển thành sự cố"), f"#alert-status reads {status!r}"
        link = b.by_id("alert-incident")
        assert f"/incidents/{incident_id}" in link.get_attribute("href"), f"#alert-incident links to {link.get_attribute('href')!r}"
        assert not d.find_elements(By.ID, "triage-card"), "a promoted alert still offers triage"
        shoot(b, "detection-alert-promoted")
        sign_out(b)
    return alert_id


# --- 6. another department's officer sees none of it ------------------------------------

def other_officer_steps(b: Browser, temporary: str, alert_id: str) -> None:
    d = b.d
    with b.step("the other department's officer sees no alert and no event"):
        first_sign_in(b, OTHER_OFFICER, temporary)
        nav(b, "/alerts")
        b.wait_path(r"/alerts/?", "the alerts page")
        total = nfc(b.by_id("alerts-total").text)
        assert total.startswith("0 "), f"the other officer's #alerts-total reads {total!r}"
        shoot(b, "detection-other-officer-alerts")
        detection_tab(b, "Sự kiện nhật ký", "/events")
        events = nfc(b.by_id("events").text)
        assert EVTX_HOST not in events and nfc("Chưa có sự kiện nào.") in events, f"the other officer sees events: {events[:300]!r}"
        b.get(f"/alerts/{alert_id}")
        page = b.body_text()
        assert not d.find_elements(By.ID, "alert-title") and PROMOTED["title"] not in page, \
            f"the other officer can open the first department's alert: {page[:300]!r}"
        shoot(b, "detection-other-officer-alert-denied")
        sign_out(b)


def all_steps(b: Browser) -> None:
    work = Path(tempfile.mkdtemp(prefix="ungcuu-e2e-rules-"))
    try:
        archive = rules_zip(work)
        temporary = admin_steps(b)
        system_id = coordinator_setup(b, temporary[COORDINATOR["email"]])
        coordinator_rules_steps(b, archive)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    officer_upload_steps(b, temporary[OFFICER["email"]], system_id)
    coordinator_hunt_steps(b, system_id)
    alert_id = officer_promote_steps(b)
    other_officer_steps(b, temporary[OTHER_OFFICER["email"]], alert_id)


def main() -> int:
    missing = [str(p) for p in [EVTX, *(RULES_DIR / r["path"] for r in RULES)] if not p.is_file()]
    if missing:
        log("E2E SKIPPED: test_detection_flow (the corpus is absent: " + ", ".join(missing)
            + "; set UNGCUU_E2E_EVTX / UNGCUU_E2E_SIGMA_RULES)")
        return 0
    return run_browser_test(
        "test_detection_flow",
        "Sigma zip import, EVTX upload with import progress, events, continuous-detection alerts, hunt with hits and "
        "threat-hunting record, alert promoted to an incident with evidence, other agency isolated",
        create_admin, all_steps)


if __name__ == "__main__":
    sys.exit(main())
