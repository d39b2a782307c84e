#!/usr/bin/env python3
"""Writes an inventory workbook of N systems spread over the given agency codes (stdlib only).

Usage: make_inventory_xlsx.py OUT.xlsx ROWS AGENCY_CODE...
The columns are those of UngCuu's own export, so the file imports as is.
"""
import random
import sys
import zipfile
from xml.sax.saxutils import escape

HEADERS = ["Mã cơ quan", "Mã", "Tên hệ thống", "Chủ quản hệ thống thông tin", "Đơn vị vận hành", "Mục đích, phạm vi",
           "Loại hệ thống (theo chức năng)", "Loại thông tin được xử lý",
           "Số người dùng có thông tin riêng, thông tin cá nhân được xử lý", "Dịch vụ công trực tuyến", "Tình trạng",
           "Ngày đưa vào vận hành", "Hạ tầng triển khai", "Địa chỉ IP, dải mạng", "Tên miền"]


def col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def main() -> None:
    out, rows, agencies = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    rnd = random.Random(85)
    kinds = [("internal", ["private"], 0, "none"), ("citizen_business", ["public"], 0, "information_only"),
             ("citizen_business", ["personal", "private"], 25000, "partial"), ("citizen_business", ["personal"], 4000, "level2"),
             ("infrastructure", ["private"], 0, "none")]
    data = [HEADERS]
    for n in range(1, rows + 1):
        function, classes, users, online = kinds[n % len(kinds)]
        lifecycle = ["operating", "operating", "operating", "building", "planned"][n % 5]
        go_live = f"{2015 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}" if lifecycle != "planned" else ""
        data.append([agencies[n % len(agencies)], f"HT-{n:05d}", f"Hệ thống thông tin số {n}", "Ủy ban nhân dân tỉnh",
                     f"Đơn vị vận hành {n % 50}", "Phục vụ công tác chuyên môn", function, "; ".join(classes),
                     str(users + rnd.randint(0, 50)), online, lifecycle, go_live, "provincial_data_centre",
                     f"10.{n // 250 % 250}.{n % 250}.10", f"ht{n}.tinh.gov.vn"])
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(data, start=1):
        cells = "".join(f'<c r="{col(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for c, v in enumerate(row) if v != "")
        sheet.append(f'<row r="{r}">{cells}</row>')
    sheet.append("</sheetData></worksheet>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hệ thống" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", "".join(sheet))


if __name__ == "__main__":
    main()
