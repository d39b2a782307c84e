#!/usr/bin/env python3
"""Check that headless Chromium + chromedriver + Selenium work on this machine.

Run: .venv-test/bin/python Tests/e2e/browser_smoke.py   (or scripts/test.sh --browser-smoke)
Saves a screenshot of a small Vietnamese page into $UNGCUU_E2E_SCREENSHOTS
(default: a new temp dir) and prints its path. Exit 0 = works.
"""

from __future__ import annotations

import sys
import urllib.parse

from e2e_support import By, log, make_driver, nfc, quit_driver, screenshot_dir

HTML = "<html lang='vi'><meta charset='utf-8'><h1 id='t'>xin chào</h1><p>Sở Thử nghiệm Đầu cuối</p></html>"


def main() -> int:
    shots = screenshot_dir()
    driver = make_driver()
    try:
        caps = driver.capabilities
        log(f"{caps.get('browserName')} {caps.get('browserVersion')}, "
            f"chromedriver {caps.get('chrome', {}).get('chromedriverVersion', '?').split(' ')[0]}")
        driver.get("data:text/html;charset=utf-8," + urllib.parse.quote(HTML))
        text = nfc(driver.find_element(By.ID, "t").text)
        if text != "xin chào":
            log(f"unexpected heading text: {text!r}")
            return 1
        path = shots / "browser-smoke.png"
        if not driver.save_screenshot(str(path)):
            log("save_screenshot returned False")
            return 1
        with open(path, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                log(f"{path} is not a PNG")
                return 1
        log(f"screenshot: {path}")
        log("browser smoke ok")
        return 0
    finally:
        quit_driver(driver)


if __name__ == "__main__":
    sys.exit(main())
