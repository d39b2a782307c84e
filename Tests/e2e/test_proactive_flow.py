#!/usr/bin/env python3
"""End-to-end: an agency officer imports a scanner report into a system and works on a finding; a coordinator records
an authority warning that the system's components match; the officer acknowledges it and records the remediation with
evidence; the coordinator sees it done and opens the province's scan and hunt overview, in headless Chromium.

Run:  UNGCUU_BIN=$(swift build --show-bin-path)/ungcuu .venv-test/bin/python Tests/e2e/test_proactive_flow.py
Env:  UNGCUU_E2E_SCREENSHOTS  where to save the PNGs (default: a new temp dir)
      UNGCUU_E2E_SCANNER_REPORT  the nmap report to upload (default: the shared corpus' nmap_script_vulners.xml)
Exit: 0 = pass, 1 = a step failed (the report names the step, URL and page).

Steps:
  1. `ungcuu create-admin`; the admin adds a department, an agency officer of it and a coordinator (temporary
     passwords); the coordinator registers a system of the department declaring 192.168.1.0/24 and adds the
     component Apache HTTP Server 2.4.57 (vendor apache, product http_server)
  2. the officer opens the system from /systems, follows "Nhập kết quả rà quét", uploads a real nmap report (host
     192.168.0.1, OpenSSH 7.4 with two vulners CVEs); the host is outside the declared range, so the page asks which
     hosts to keep: the officer keeps it; the import result counts 3 findings; the findings list shows them with
     their severities; the officer opens CVE-2018-15919, moves it to "Đang khắc phục" with a note and sees the history
  3. the coordinator records a warning through the form (issuer, number, date, title, CVE, apache http_server
     < 2.4.58, deadline): the system is listed as affected with a reason naming 2.4.57; a second warning (nginx) matches
     nothing
  4. the officer's /warnings lists the Apache warning and not the nginx one; the officer acknowledges it for the
     system ("Đã tiếp nhận"), then records the remediation with a note and an evidence file ("Đã khắc phục")
  5. the coordinator sees the remediation on the warning and the system in /proactive with its last scan and open
     findings
"""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from e2e_support import UUID_RE, Browser, By, log, nfc, run_browser_test
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from test_incident_flow import first_sign_in, full_shot, in_form
from test_signin_agency import ADMIN_EMAIL, ADMIN_PASSWORD, create_admin
from test_systems_wizard import sign_in, sign_out

VN = ZoneInfo("Asia/Ho_Chi_Minh")

REPORT = Path(os.environ.get("UNGCUU_E2E_SCANNER_REPORT",
                             Path(__file__).resolve().parents[2].parent / "shared/corpora/scanners/nmap/nmap_script_vulners.xml"))
REPORT_HOST = "192.168.0.1"
REPORT_CVE = "CVE-2018-15919"

AGENCY_CODE = "SXD-E2E"
AGENCY_NAME = nfc("Sở Xây dựng Thử nghiệm")
SYSTEM_CODE = "CPXD-E2E"
SYSTEM_NAME = nfc("Cổng cấp phép xây dựng trực tuyến thử nghiệm")
DECLARED = "192.168.1.0/24"

OFFICER = {"name": nfc("Đỗ Văn Cán Bộ"), "email": "canbo.raquet@e2e.test", "password": "Can-Bo-Ra-Quet-2026!",
           "role": "agency_officer", "agency": AGENCY_NAME}
COORDINATOR = {"name": nfc("Vũ Thị Điều Phối"), "email": "dieuphoi.canhbao@e2e.test", "password": "Dieu-Phoi-Canh-Bao-2026!",
               "role": "coordinator", "agency": None}

PERFORMER = nfc("Tổ kỹ thuật Sở Xây dựng")
FINDING_NOTE = nfc("Đã lên lịch nâng cấp OpenSSH trong đợt bảo trì cuối tuần.")

WARNING = {
    "issuer": nfc("Cục An toàn thông tin, Bộ Thông tin và Truyền thông"),
    "number": "1234/CATTT-NCSC",
    "title": nfc("Cảnh báo lỗ hổng bảo mật trong Apache HTTP Server"),
    "description": nfc("Các lỗ hổng cho phép tấn công từ chối dịch vụ và chèn phản hồi HTTP trên Apache HTTP Server trước 2.4.58."),
    "cves": "CVE-2023-45802 CVE-2023-43622",
    "vendor": "apache",
    "product": "http_server",
    "versions": "< 2.4.58",
    "action": nfc("Cập nhật Apache HTTP Server lên phiên bản 2.4.58 hoặc mới hơn."),
}
OTHER_WARNING_TITLE = nfc("Cảnh báo lỗ hổng trong máy chủ web nginx")
REMEDIATION_NOTE = nfc("Đã nâng cấp Apache HTTP Server lên 2.4.58 ngày hôm nay; đã kiểm tra lại dịch vụ.")


# --- helpers -------------------------------------------------------------------

def fill(b: Browser, form_id: str, name: str, text: str) -> None:
    el = in_form(b, form_id, f'[name="{name}"]')
    el.clear()
    el.send_keys(text)
    if nfc(el.get_attribute("value")) != nfc(text):
        b.d.execute_script("arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", el, nfc(text))
    got = nfc(el.get_attribute("value"))
    assert got == nfc(text), f"#{form_id} [name={name}] holds {got!r}, expected {text!r}"


def set_date(b: Browser, element_id: str, iso: str) -> None:
    b.wait_id(element_id)
    b.d.execute_script("const el = document.getElementById(arguments[0]); el.value = arguments[1];"
                       "el.dispatchEvent(new Event('change', {bubbles: true}));", element_id, iso)
    got = b.by_id(element_id).get_attribute("value")
    assert got == iso, f"#{element_id} holds {got!r}, expected {iso!r}"


def click_and_wait(b: Browser, element, done: str) -> None:
    """Submit, wait for the new page, then for `done=…` in its URL."""
    element.click()
    b.wait(EC.staleness_of(element), "the next page")
    b.wait(lambda d: f"done={done}" in d.current_url, f"the confirmation done={done}")


def nav(b: Browser, href: str) -> None:
    """Follow the side navigation, as a user would."""
    link = b.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, f'#sidenav a[href="{href}"]')), f"the navigation link to {href}")
    link.click()


def unique_ids(b: Browser, ignore: frozenset = frozenset()) -> None:
    """Every id on the page is used once (labels, fragments and these tests rely on it)."""
    dupes = b.d.execute_script(
        "const seen = {}; for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;"
        "return Object.keys(seen).filter((k) => seen[k] > 1);")
    dupes = [x for x in dupes if x not in ignore]
    assert not dupes, f"ids used more than once on {b.path()}: {dupes!r}"


def shoot(b: Browser, name: str) -> None:
    """Check the page, then a screenshot of all of it."""
    unique_ids(b)
    full_shot(b, name)


def table_rows(b: Browser, table_id: str) -> list:
    table = b.wait_id(table_id)
    return table.find_elements(By.CSS_SELECTOR, "tbody tr")


# --- 1. set-up: people, the system and its component --------------------------------

def admin_steps(b: Browser) -> dict:
    temporary: dict = {}
    with b.step("admin signs in and adds the department"):
        sign_in(b, ADMIN_EMAIL, ADMIN_PASSWORD)
        b.wait_id("home")
        b.get("/agencies/new")
        b.type_into("code", AGENCY_CODE)
        b.type_into("name", AGENCY_NAME)
        Select(b.by_id("kind")).select_by_value("department")
        b.by_id("save").click()
        b.wait_path(rf"/agencies/{UUID_RE}/?", f"the page of {AGENCY_NAME}")
    for person in (OFFICER, COORDINATOR):
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
    """Registers the system with its declared range and an Apache component; returns the system id."""
    d = b.d
    with b.step("coordinator signs in, sets a password and registers a system declaring 192.168.1.0/24"):
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
        set_date(b, "goLiveDate", "2023-03-01")
        Select(b.by_id("hosting")).select_by_value("provincial_data_centre")
        b.type_into("networkAddresses", DECLARED)
        b.by_id("save").click()
        path = b.wait_path(rf"/systems/{UUID_RE}/?", "the new system's page")
        system_id = re.search(UUID_RE, path).group(0).lower()

    with b.step("coordinator adds the component Apache HTTP Server 2.4.57"):
        d.execute_script("document.getElementById('component-form').closest('details').open = true")
        fill(b, "component-form", "name", "Apache HTTP Server")
        fill(b, "component-form", "vendor", "apache")
        fill(b, "component-form", "product", "http_server")
        fill(b, "component-form", "version", "2.4.57")
        click_and_wait(b, b.by_id("add-component"), "componentAdded")
        components = nfc(b.by_id("components-table").text)
        assert "http_server" in components and "2.4.57" in components, f"#components-table: {components!r}"
        sign_out(b)
    log(f"  system {SYSTEM_CODE}: /systems/{system_id}")
    return system_id


# --- 2. the officer imports a scanner report and works on a finding --------------------

def officer_import_steps(b: Browser, temporary: str, system_id: str) -> None:
    d = b.d
    with b.step("officer signs in and opens the system from /systems"):
        first_sign_in(b, OFFICER, temporary)
        nav(b, "/systems")
        b.wait_path(r"/systems/?", "the systems list")
        d.find_element(By.LINK_TEXT, SYSTEM_NAME).click()
        b.wait_path(rf"/systems/{system_id}/?", "the system page")
        # "level" is both the level card and the add-a-component form's select (older than these pages).
        unique_ids(b, ignore=frozenset({"level"}))

    with b.step("officer follows “Nhập kết quả rà quét” and uploads the nmap report"):
        link = b.by_id("system-import-scan")
        assert nfc(link.text) == nfc("Nhập kết quả rà quét"), f"the import link reads {link.text!r}"
        link.click()
        b.wait_path(r"/scans/new", "the upload form")
        assert system_id in d.current_url, f"the upload form is not for the system: {d.current_url}"
        form = b.wait_id("scan-form")
        assert nfc("Nhập kết quả rà quét lỗ hổng") in b.body_text(), "the upload page has no Vietnamese title"
        form.find_element(By.CSS_SELECTOR, 'input[type="file"][name="file"]').send_keys(str(REPORT))
        assert Select(b.by_id("format")).first_selected_option.get_attribute("value") == "auto", "the format is not detected by default"
        b.type_into("performer", PERFORMER)
        shoot(b, "proactive-upload-form")
        b.by_id("upload-scan").click()

    with b.step("the report's host is outside 192.168.1.0/24: the officer keeps it"):
        b.wait_path(rf"/scans/{UUID_RE}/?", "the import page")
        b.wait(lambda dr: "done=scanAwaiting" in dr.current_url, "the page asking which hosts to keep")
        card = b.by_id("confirm-hosts")
        assert nfc("nằm ngoài") in nfc(b.by_id("out-of-scope").text), f"#out-of-scope: {b.by_id('out-of-scope').text!r}"
        box = card.find_element(By.CSS_SELECTOR, f'input[name="keep[]"][value="{REPORT_HOST}"]')
        assert not box.is_selected(), "a host outside the declared addresses is kept by default"
        performer = nfc(in_form(b, "confirm-form", 'input[name="performer"]').get_attribute("value"))
        assert performer == PERFORMER, f"the confirm form lost who performed the scan: {performer!r}"
        box.click()
        shoot(b, "proactive-confirm-hosts")
        click_and_wait(b, b.by_id("confirm-import"), "scanImported")

    with b.step("the import result counts the findings and records the scan"):
        state = nfc(b.by_id("scan-state").text)
        assert state == nfc("Đã nhập"), f"#scan-state reads {state!r}"
        counts = nfc(b.by_id("scan-counts").text)
        assert counts.startswith(nfc("3 lỗ hổng trong báo cáo: mới 3")), f"#scan-counts reads {counts!r}"
        assert b.d.find_elements(By.ID, "scan-assessment"), "the import did not record a scan (no #scan-assessment link)"
        assert REPORT_HOST in nfc(b.by_id("scan-hosts").text), "the kept host is not listed"
        shoot(b, "proactive-import-result")

    with b.step("officer opens the findings of the import"):
        b.by_id("scan-findings").click()
        b.wait_path(r"/findings/?", "the findings list")
        rows = table_rows(b, "findings")
        texts = [nfc(r.text) for r in rows]
        assert len(rows) == 3, f"the findings list has {len(rows)} rows: {texts!r}"
        assert nfc(b.by_id("findings-total").text).startswith("3 "), f"#findings-total: {b.by_id('findings-total').text!r}"
        cve_rows = [t for t in texts if REPORT_CVE in t]
        assert cve_rows and nfc("Trung bình") in cve_rows[0], f"{REPORT_CVE} is not listed as medium: {texts!r}"
        assert any(nfc("Thông tin") in t and "5022" in t for t in texts), f"the open port 5022 is not listed as info: {texts!r}"
        assert all(nfc("Chưa khắc phục") in t for t in texts), f"new findings are not all open: {texts!r}"
        shoot(b, "proactive-findings-list")

    with b.step(f"officer opens {REPORT_CVE} and moves it to “Đang khắc phục”"):
        row = next(r for r in table_rows(b, "findings") if REPORT_CVE in nfc(r.text))
        row.find_element(By.CSS_SELECTOR, 'a[href^="/findings/"]').click()
        b.wait_path(rf"/findings/{UUID_RE}/?", "the finding page")
        assert REPORT_CVE in nfc(b.by_id("finding-cves").text), "the finding page does not name the CVE"
        assert REPORT_HOST in nfc(b.by_id("finding-place").text), "the finding page does not name the host"
        Select(b.by_id("status")).select_by_value("in_progress")
        b.type_into("reason", FINDING_NOTE)
        click_and_wait(b, b.by_id("save-status"), "findingStatusChanged")
        head = nfc(d.find_element(By.CSS_SELECTOR, ".page-head").text)
        assert nfc("Đang khắc phục") in head, f"the status shown is not in progress: {head!r}"
        history = [nfc(r.text) for r in table_rows(b, "finding-history")]
        changed = [h for h in history if nfc("Chưa khắc phục → Đang khắc phục") in h]
        assert changed, f"the history lacks the change: {history!r}"
        assert FINDING_NOTE in changed[0] and OFFICER["name"] in changed[0], f"the change lacks its note or author: {changed[0]!r}"
        assert any(nfc("Phát hiện mới") in h for h in history), f"the history lacks the import: {history!r}"
        shoot(b, "proactive-finding-page")
        sign_out(b)


# --- 3. the coordinator records the authority warnings ---------------------------------

def fill_warning(b: Browser, title: str, vendor: str, product: str, versions: str, cves: str, deadline: str) -> None:
    b.by_id("new-warning").click()
    b.wait_path(r"/warnings/new", "the new-warning form")
    b.wait_id("warning-form")
    b.type_into("issuer", WARNING["issuer"])
    b.type_into("number", WARNING["number"] if vendor == "apache" else "1250/CATTT-NCSC")
    set_date(b, "issuedOn", datetime.now(VN).strftime("%Y-%m-%d"))
    b.type_into("title", title)
    b.type_into("description", WARNING["description"] if vendor == "apache" else title)
    b.type_into("cves", cves)
    Select(b.by_id("severity")).select_by_value("high")
    b.type_into("product-vendor-0", vendor)
    b.type_into("product-name-0", product)
    b.type_into("product-versions-0", versions)
    b.type_into("requiredAction", WARNING["action"])
    set_date(b, "deadline", deadline)


def coordinator_warning_steps(b: Browser, system_id: str) -> None:
    d = b.d
    deadline = (datetime.now(VN) + timedelta(days=14)).strftime("%Y-%m-%d")
    with b.step("coordinator records the Apache warning through the form"):
        sign_in(b, COORDINATOR["email"], COORDINATOR["password"])
        b.wait_id("home")
        nav(b, "/warnings")
        b.wait_path(r"/warnings/?", "the warnings list")
        fill_warning(b, WARNING["title"], WARNING["vendor"], WARNING["product"], WARNING["versions"], WARNING["cves"], deadline)
        shoot(b, "proactive-warning-form")
        click_and_wait(b, b.by_id("save"), "warningCreated")
        b.wait_path(rf"/warnings/{UUID_RE}/?", "the warning page")
        assert nfc(b.by_id("warning-title").text) == WARNING["title"], f"#warning-title: {b.by_id('warning-title').text!r}"
        assert "CVE-2023-45802" in b.by_id("warning-cves").text, "the warning does not list its CVE"
        assert "http_server" in b.by_id("products").text and "2.4.58" in b.by_id("products").text, "the product table lacks the range"

    with b.step("the system is listed as affected, with the reason"):
        article = b.by_id(f"system-{system_id}")
        text = nfc(article.text)
        assert SYSTEM_NAME in text and AGENCY_NAME in text, f"the affected system is not named: {text!r}"
        assert article.get_attribute("data-state") == "affected", f"the row's state is {article.get_attribute('data-state')!r}"
        assert nfc("Chưa tiếp nhận") in text, f"the state is not shown: {text!r}"
        reasons = nfc(article.find_element(By.CSS_SELECTOR, "ul.reasons").text)
        assert "2.4.57" in reasons and "2.4.58" in reasons, f"the reason does not explain the match: {reasons!r}"
        log(f"  reason: {reasons!r}")
        assert nfc("Hệ thống bị ảnh hưởng (1)") in nfc(b.by_id("affected").text), "not exactly one affected system"
        shoot(b, "proactive-warning-coordinator")

    with b.step("coordinator records a warning on nginx, which matches no system"):
        nav(b, "/warnings")
        b.wait_path(r"/warnings/?", "the warnings list")
        fill_warning(b, OTHER_WARNING_TITLE, "f5", "nginx", "< 1.25.3", "CVE-2023-44487", deadline)
        click_and_wait(b, b.by_id("save"), "warningCreated")
        b.wait_id("no-affected")
        sign_out(b)


# --- 4. the officer acknowledges and remediates ---------------------------------------

def officer_warning_steps(b: Browser, system_id: str, evidence: Path) -> None:
    d = b.d
    with b.step("officer sees only the warning touching their system"):
        sign_in(b, OFFICER["email"], OFFICER["password"])
        b.wait_id("home")
        nav(b, "/warnings")
        b.wait_path(r"/warnings/?", "the warnings list")
        listed = nfc(b.wait_id("warnings-table").text)
        assert WARNING["title"] in listed, f"the officer does not see the Apache warning: {listed!r}"
        assert OTHER_WARNING_TITLE not in listed, "the officer sees a warning touching none of their systems"
        assert len(table_rows(b, "warnings-table")) == 1, f"the officer's list: {listed!r}"
        shoot(b, "proactive-warnings-officer")
        d.find_element(By.LINK_TEXT, WARNING["title"]).click()
        b.wait_path(rf"/warnings/{UUID_RE}/?", "the warning page")

    with b.step("officer acknowledges the warning for the system"):
        article = b.by_id(f"system-{system_id}")
        assert article.get_attribute("data-state") == "affected", f"the row's state is {article.get_attribute('data-state')!r}"
        assert not d.find_elements(By.ID, "add-system-form"), "the officer is offered the coordinators' add-a-system form"
        assert not d.find_elements(By.ID, "edit-warning"), "the officer is offered to edit the warning"
        click_and_wait(b, b.by_id(f"acknowledge-{system_id}"), "warningResponse_acknowledged")
        article = b.by_id(f"system-{system_id}")
        assert article.get_attribute("data-state") == "acknowledged", f"after acknowledging the state is {article.get_attribute('data-state')!r}"
        text = nfc(article.text)
        assert nfc(f"Đã tiếp nhận: {OFFICER['name']}") in text, f"the acknowledgement is not shown: {text!r}"
        assert not d.find_elements(By.ID, f"acknowledge-{system_id}"), "the acknowledge button is still offered"

    with b.step("officer records the remediation with a note and an evidence file"):
        d.execute_script("document.getElementById(arguments[0]).closest('details').open = true", f"remediate-{system_id}")
        b.type_into(f"note-{system_id}", REMEDIATION_NOTE)
        b.by_id(f"files-{system_id}").send_keys(str(evidence))
        click_and_wait(b, b.by_id(f"remediate-submit-{system_id}"), "warningResponse_remediated")
        article = b.by_id(f"system-{system_id}")
        assert article.get_attribute("data-state") == "remediated", f"after remediating the state is {article.get_attribute('data-state')!r}"
        text = nfc(article.text)
        for expected in (nfc("Đã khắc phục"), nfc(f"Đã khắc phục: {OFFICER['name']}"), REMEDIATION_NOTE, evidence.name):
            assert expected in text, f"the system's row lacks {expected!r}: {text!r}"
        assert not d.find_elements(By.ID, f"remediate-{system_id}"), "the remediation form is still offered"
        shoot(b, "proactive-warning-officer")
        sign_out(b)


# --- 5. the coordinator's view -------------------------------------------------------

def coordinator_overview_steps(b: Browser, system_id: str) -> None:
    d = b.d
    with b.step("coordinator sees the remediation on the warning"):
        sign_in(b, COORDINATOR["email"], COORDINATOR["password"])
        b.wait_id("home")
        nav(b, "/warnings")
        row = next(r for r in table_rows(b, "warnings-table") if WARNING["title"] in nfc(r.text))
        assert "1/1" in nfc(row.text), f"the list does not count the system as done: {nfc(row.text)!r}"
        row.find_element(By.LINK_TEXT, WARNING["title"]).click()
        b.wait_path(rf"/warnings/{UUID_RE}/?", "the warning page")
        assert b.by_id(f"system-{system_id}").get_attribute("data-state") == "remediated", "the coordinator does not see the remediation"

    with b.step("coordinator opens the scan and hunt overview"):
        nav(b, "/proactive")
        b.wait_path(r"/proactive/?", "the overview")
        b.wait_id("proactive-stats")
        assert nfc("Rà quét lỗ hổng, săn lùng mối nguy hại") in b.body_text(), "the overview has no Vietnamese title"
        row = b.by_id(f"system-{system_id}")
        text = nfc(row.text)
        assert SYSTEM_NAME in text, f"the overview row: {text!r}"
        assert row.find_elements(By.CSS_SELECTOR, 'a[href^="/proactive/assessments/"]'), f"the overview shows no last scan: {text!r}"
        # The scan counts at the report's own date (nmap ran on 17/02/2020), so the duty stays overdue.
        assert "17/02/2020" in text and PERFORMER in text, f"the last scan (date, performer) is not shown: {text!r}"
        findings = nfc(row.find_element(By.CSS_SELECTOR, ".open-findings").text)
        assert findings not in ("", "0"), f"the overview shows no open findings: {findings!r}"
        log(f"  overview row: {text!r}")
        shoot(b, "proactive-overview")


def all_steps(b: Browser) -> None:
    assert REPORT.is_file(), f"the scanner report {REPORT} is missing"
    evidence = b.shots / "bien-ban-nang-cap-apache.txt"
    evidence.write_text(nfc("Biên bản nâng cấp Apache HTTP Server 2.4.57 → 2.4.58\n") * 20, encoding="utf-8")
    temporary = admin_steps(b)
    system_id = coordinator_setup(b, temporary[COORDINATOR["email"]])
    officer_import_steps(b, temporary[OFFICER["email"]], system_id)
    coordinator_warning_steps(b, system_id)
    officer_warning_steps(b, system_id, evidence)
    coordinator_overview_steps(b, system_id)


def main() -> int:
    return run_browser_test(
        "test_proactive_flow",
        "nmap import with host choice, findings, status history, authority warning matched, acknowledged and remediated, overview",
        create_admin, all_steps)


if __name__ == "__main__":
    sys.exit(main())
