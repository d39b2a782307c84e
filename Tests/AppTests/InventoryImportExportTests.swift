import Domain
import Fluent
import Formats
import Foundation
import Testing
import VaporTesting
import ZIPFoundation
@testable import App

/// Inventory export (.xlsx, CSV) and import with its per-row preview; nothing is written until the file is clean.
@Suite struct InventoryImportExportTests {
    static let header = "agencyCode,code,name,ownerName,operatorName,functionType,informationClasses,personalDataSubjects,lifecycle,goLiveDate,hosting,hostingProvider"

    static func upload(_ app: Application, as user: User, name: String, bytes: [UInt8]) async throws -> TestingHTTPResponse {
        let (cookie, csrf) = try await Make.session(app, for: user)
        var response: TestingHTTPResponse?
        try await app.testing().test(.POST, "/systems/import", headers: cookie, beforeRequest: { req in
            FormBody.multipart(&req, [("_csrf", csrf)], files: [.init(field: "file", filename: name, bytes: bytes)])
        }) { response = $0 }
        return response!
    }

    /// Confirms the previewed upload; returns the response of the confirmation.
    static func confirm(_ app: Application, as user: User, preview: TestingHTTPResponse) async throws -> TestingHTTPResponse {
        let html = preview.body.string
        let start = try #require(html.range(of: "action=\"/systems/import/"), "no confirmation form")
        let id = String(html[start.upperBound...].prefix(36))
        let (cookie, csrf) = try await Make.session(app, for: user)
        var response: TestingHTTPResponse?
        try await app.testing().test(.POST, "/systems/import/\(id)/confirm", headers: cookie, beforeRequest: { req in
            FormBody.set(&req, [("_csrf", csrf)])
        }) { response = $0 }
        return response!
    }

    /// The problems listed for each line of the preview: line → "column: message" texts.
    static func problems(_ res: TestingHTTPResponse) -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        let html = res.body.string
        for row in html.components(separatedBy: "<tr class=\"invalid\">").dropFirst() {
            let cells = row.components(separatedBy: "</tr>")[0]
            guard let line = Int(cells.components(separatedBy: "<td>").dropFirst().first?.prefix { $0.isNumber } ?? "") else { continue }
            result[line] = cells.components(separatedBy: "<li>").dropFirst().map {
                $0.components(separatedBy: "</li>")[0].replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
                    .replacingOccurrences(of: "&quot;", with: "\"")
            }
        }
        return result
    }

    static func csv(_ lines: [String]) -> [UInt8] { Array(([header] + lines).joined(separator: "\r\n").utf8) }

    /// Rewrites parts of an .xlsx package.
    static func patchXlsx(_ data: Data, _ patches: [String: (String) -> String]) throws -> [UInt8] {
        let source = try Archive(data: data, accessMode: .read)
        let target = try Archive(data: Data(), accessMode: .create)
        for entry in source where entry.type == .file {
            var bytes = Data()
            _ = try source.extract(entry) { bytes.append($0) }
            if let patch = patches[entry.path] { bytes = Data(patch(String(decoding: bytes, as: UTF8.self)).utf8) }
            let part = bytes
            try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(part.count), compressionMethod: .deflate) { position, size in
                part.subdata(in: Int(position)..<min(Int(position) + size, part.count))
            }
        }
        return Array(try #require(target.data))
    }

    @Test func anExportedWorkbookImportsBackAsUpdatesWithoutErrors() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            try await Make.system(app, agency: agency, code: "SYT-01", name: "Cổng thông tin", classes: [.public]) { input in
                input.networkAddresses = "10.10.0.0/24\n203.0.113.5"
                input.domains = "syt.test.vn"
                input.urls = "https://syt.test.vn/"
                input.contactPhone = "0205 3812 345"
                input.hosting = "cloud"
                input.hostingProvider = "Viettel IDC"
            }
            try await Make.system(app, agency: agency, code: "SYT-02", name: "Bệnh án điện tử", functionType: .citizenBusiness, subjects: 25_000,
                                  components: [.init(name: "CSDL", vendor: "Oracle", product: "database", version: "19c",
                                                     cpe: "cpe:2.3:a:oracle:database:19c:*:*:*:*:*:*:*", level: 2)]) { input in
                input.conditionalBusiness = "true"
            }
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let before = try await InformationSystem.query(on: app.db).sort(\.$code).all()
            var workbook: [UInt8] = []
            try await app.testing().test(.GET, "/systems/export.xlsx", headers: try await Make.session(app, for: officer).headers) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
                workbook = Array(res.body.readableBytesView)
            }
            let sheets = try XlsxReader.read(Data(workbook))
            #expect(sheets[0].rows.count == 3)
            #expect(sheets[1].rows.count == 2)  // header and the one component
            let preview = try await Self.upload(app, as: officer, name: "he-thong.xlsx", bytes: workbook)
            #expect(preview.status == .ok, "\(Self.problems(preview)) \(preview.element(id: "file-error") ?? "")")
            #expect(Self.problems(preview).isEmpty)
            #expect(preview.element(id: "preview-summary")?.contains("2 dòng (0 thêm mới, 2 cập nhật)") == true)
            let done = try await Self.confirm(app, as: officer, preview: preview)
            #expect(done.status == .seeOther)
            #expect(done.headers.first(name: .location)?.contains("updated=2") == true)
            let after = try await InformationSystem.query(on: app.db).sort(\.$code).all()
            #expect(after.count == 2)
            for (old, new) in zip(before, after) {
                #expect(SystemInput(old).informationClasses == SystemInput(new).informationClasses)
                #expect(new.revision == old.revision)  // nothing changed, so no new revision
                for key in [\InformationSystem.name, \.ownerName, \.operatorName] { #expect(old[keyPath: key] == new[keyPath: key]) }
                #expect(old.networkAddresses == new.networkAddresses)
                #expect(old.domains == new.domains)
                #expect(old.urls == new.urls)
                #expect(old.hostingProvider == new.hostingProvider)
                #expect(old.functionType == new.functionType)
                #expect(old.personalDataSubjects == new.personalDataSubjects)
                #expect(old.conditionalBusiness == new.conditionalBusiness)
                #expect(old.goLiveDate == new.goLiveDate)
                #expect(old.proposedLevel == new.proposedLevel)
            }
            #expect(try await SystemComponent.query(on: app.db).all().map(\.cpe) == ["cpe:2.3:a:oracle:database:19c:*:*:*:*:*:*:*"])
            #expect(try await SystemRevision.query(on: app.db).filter(\.$action == "import").count() == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "system.import").count() == 1)
            // A changed cell in the same workbook is an update with its own revision naming the field.
            let edited = try Self.patchXlsx(Data(workbook), ["xl/sharedStrings.xml": { $0.replacingOccurrences(of: "Bệnh án điện tử", with: "Bệnh án điện tử v2") }])
            let second = try await Self.upload(app, as: officer, name: "he-thong.xlsx", bytes: edited)
            #expect(second.status == .ok)
            #expect(try await Self.confirm(app, as: officer, preview: second).status == .seeOther)
            let changed = try #require(try await InformationSystem.query(on: app.db).filter(\.$code == "SYT-02").first())
            #expect(changed.name == "Bệnh án điện tử v2")
            try await app.testing().test(.GET, "/api/v1/systems/\(changed.id!)/revisions", headers: try await Make.token(app, for: officer)) { res in
                let revisions = try res.content.decode([RevisionDTO].self)
                #expect(revisions.first?.action == "import")
                #expect(revisions.first?.changes.map(\.field) == ["name"])
            }
        }
    }

    @Test func anExportedCSVImportsBackUnchanged() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            try await Make.system(app, agency: agency, code: "SYT-01", name: "-Cổng, \"thử\"", classes: [.public, .personal]) { input in
                input.networkAddresses = "10.10.0.0/24\n203.0.113.5"
                input.contactPhone = "+84 205 3812 345"
                input.purpose = "=Tiếp nhận; trả kết quả"
            }
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            var csv: [UInt8] = []
            try await app.testing().test(.GET, "/systems/export.csv", headers: try await Make.session(app, for: officer).headers) { res in
                csv = Array(res.body.readableBytesView)
            }
            #expect(String(decoding: csv, as: UTF8.self).contains("'+84 205 3812 345"))  // never run as a formula
            let preview = try await Self.upload(app, as: officer, name: "he-thong.csv", bytes: csv)
            #expect(preview.status == .ok, "\(Self.problems(preview)) \(preview.element(id: "file-error") ?? "")")
            #expect(try await Self.confirm(app, as: officer, preview: preview).status == .seeOther)
            let system = try #require(try await InformationSystem.query(on: app.db).first())
            #expect(system.contactPhone == "+84 205 3812 345")
            #expect(system.name == "-Cổng, \"thử\"")
            #expect(system.purpose == "=Tiếp nhận; trả kết quả")
            #expect(system.networkAddresses == "10.10.0.0/24\n203.0.113.5")
            #expect(system.revision == 1)  // nothing changed
        }
    }

    @Test func aCSVWithBadRowsListsEveryErrorByRowAndColumnAndWritesNothing() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            try await Make.agency(app, code: "STC")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let before = try await app.count(InformationSystem.self)
            let file = Self.csv([
                "SYT,SYT-A,Hệ thống A,Sở Y tế,TT CNTT,internal,public,0,operating,01/02/2024,provincial_data_centre,",
                "SYT,SYT-B,Hệ thống B,Sở Y tế,TT CNTT,mainframe,public,-3,operating,01/02/2024,provincial_data_centre,",
                "SYT,SYT-C,,Sở Y tế,TT CNTT,internal,public,0,operating,31/02/2024,cloud,",
                "STC,STC-A,Hệ thống của Sở khác,Sở Tài chính,TT,internal,public,0,planned,,provincial_data_centre,",
                "SYT,syt-a,Trùng mã,Sở Y tế,TT CNTT,internal,public,0,planned,,provincial_data_centre,",
            ])
            let res = try await Self.upload(app, as: officer, name: "danh-muc.csv", bytes: file)
            #expect(res.status == .unprocessableEntity)
            #expect(res.element(id: "preview-summary")?.contains("chưa có dữ liệu nào được ghi") == true)
            let problems = Self.problems(res)
            #expect(Set(problems.keys) == [3, 4, 5, 6])
            let line3 = problems[3] ?? []
            #expect(line3.contains { $0.hasPrefix("Loại hệ thống") && $0.contains("\"mainframe\"") }, "\(line3)")
            #expect(line3.contains { $0.hasPrefix("Số người dùng có thông tin riêng, thông tin cá nhân được xử lý") }, "\(line3)")
            let line4 = problems[4] ?? []
            #expect(line4.contains { $0.hasPrefix("Tên hệ thống") }, "\(line4)")
            #expect(line4.contains { $0.hasPrefix("Ngày đưa vào vận hành") }, "\(line4)")
            #expect(line4.contains { $0.hasPrefix("Nhà cung cấp") }, "\(line4)")
            #expect(problems[5] == ["Mã cơ quan: Không có cơ quan mã \"STC\" trong phạm vi của bạn."])
            #expect(problems[6] == ["Mã: Mã trùng với dòng 2 của tệp."])
            #expect(!res.body.string.contains("id=\"confirm-import\""))
            #expect(try await app.count(InformationSystem.self) == before)
            #expect(try await app.count(SystemRevision.self) == 0)
        }
    }

    @Test func aCleanCSVImportsEveryRowInOneGoWithRevisions() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            try await Make.agency(app, code: "BV", parent: health)
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            let file = Self.csv([
                "SYT,SYT-A,Hệ thống A,Sở Y tế,TT CNTT,Phục vụ hoạt động nội bộ,thông tin CÔNG CỘNG,,Đang vận hành,01/02/2024,Trung tâm dữ liệu của tỉnh,",
                "syt,SYT-B,\"Hệ thống B, có dấu phẩy\",Sở Y tế,TT CNTT,citizen_business,personal; public,\"12.000\",planned,,cloud,Viettel IDC",
                "BV,BV-A,Bệnh án điện tử,Bệnh viện,Phòng CNTT,internal,private,300,building,,own_server_room,",
            ])
            let preview = try await Self.upload(app, as: officer, name: "danh-muc.csv", bytes: file)
            #expect(preview.status == .ok, "\(Self.problems(preview)) \(preview.element(id: "file-error") ?? "")")
            #expect(preview.element(id: "preview-summary")?.contains("3 dòng (3 thêm mới, 0 cập nhật)") == true)
            #expect(try await app.count(InformationSystem.self) == 0)  // the preview writes nothing
            let done = try await Self.confirm(app, as: officer, preview: preview)
            #expect(done.status == .seeOther)
            #expect(done.headers.first(name: .location)?.contains("created=3") == true)
            let systems = try await InformationSystem.query(on: app.db).sort(\.$code).all()
            #expect(systems.map(\.code) == ["BV-A", "SYT-A", "SYT-B"])
            let b = systems[2]
            #expect(b.name == "Hệ thống B, có dấu phẩy")
            #expect(b.personalDataSubjects == 12_000)
            #expect(b.proposedLevel == 3)
            #expect(Set(b.informationClasses) == [.personal, .public])
            #expect(systems[1].functionType == .internal)
            #expect(systems[1].hosting == .provincialDataCentre)
            #expect(try await SystemRevision.query(on: app.db).filter(\.$action == "import").count() == 3)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "system.import").count() == 1)
            #expect(try await Obligation.query(on: app.db).filter(\.$ruleId == "obligations.systems").count() == 3 * SystemDuty.allCases.count)
            // Confirming the same file again updates the three rows rather than duplicating them.
            let again = try await Self.confirm(app, as: officer, preview: preview)
            #expect(again.headers.first(name: .location)?.contains("updated=3") == true)
            #expect(try await app.count(InformationSystem.self) == 3)
        }
    }

    @Test func aCSVNotInUTF8IsAFileErrorNamingTheEncoding() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            // "Sở Y tế" in Windows-1258: ơ = F5, hook above = D2, ê = EA, acute = EC.
            let windows1258: [UInt8] = Array(Self.header.utf8) + Array("\r\nSYT,SYT-A,S".utf8) + [0xF5, 0xD2] + Array(" Y t".utf8) + [0xEA, 0xEC]
                + Array(",Chu quan,TT,internal,public,0,planned,,own_server_room,\r\n".utf8)
            var invalid = Self.csv(["SYT,SYT-A,Hệ thống A,Sở Y tế,TT CNTT,internal,public,0,planned,,own_server_room,"])
            invalid.insert(contentsOf: [0xC3, 0x28], at: invalid.count - 10)
            for (name, bytes) in [("windows-1258.csv", windows1258), ("invalid-utf8.csv", invalid)] {
                let res = try await Self.upload(app, as: officer, name: name, bytes: bytes)
                #expect(res.status == .unprocessableEntity, "\(name)")
                let message = res.element(id: "file-error") ?? res.element(id: "import-error") ?? ""
                #expect(message.contains("UTF-8"), "\(name): \(message)")
                #expect(!res.body.string.contains("id=\"confirm-import\""))
            }
            #expect(try await app.count(InformationSystem.self) == 0)
            // UTF-16 with a byte-order mark (Excel's "Unicode" save) is read.
            let text = String(decoding: Self.csv(["SYT,SYT-A,Hệ thống A,Sở Y tế,TT CNTT,internal,public,0,planned,,own_server_room,"]), as: UTF8.self)
            let utf16: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            let res = try await Self.upload(app, as: officer, name: "unicode.csv", bytes: utf16)
            #expect(res.status == .ok, "\(res.element(id: "file-error") ?? res.element(id: "import-error") ?? "")")
            #expect(try await Self.confirm(app, as: officer, preview: res).status == .seeOther)
            #expect(try await InformationSystem.query(on: app.db).first()?.name == "Hệ thống A")
            // An executable is refused whatever its name.
            let exe = try await Self.upload(app, as: officer, name: "danh-muc.csv", bytes: Fixture.mz)
            #expect(exe.status == .unprocessableEntity)
            #expect(exe.element(id: "import-error")?.contains("thực thi") == true)
        }
    }

    @Test func missingHeadersAreNamed() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let file = Array("agencyCode,code,ownerName,operatorName,functionType,informationClasses,hosting\r\nSYT,SYT-A,Sở,TT,internal,public,cloud\r\n".utf8)
            let res = try await Self.upload(app, as: officer, name: "thieu-cot.csv", bytes: file)
            #expect(res.status == .unprocessableEntity)
            let message = try #require(res.element(id: "file-error"))
            #expect(message.hasPrefix("Thiếu các cột bắt buộc:"))
            #expect(message.contains("Tên hệ thống"))
            #expect(message.contains("Tình trạng"))
            #expect(!message.contains("Mã cơ quan"))
            #expect(try await app.count(InformationSystem.self) == 0)
        }
    }

    @Test func workbooksWithMergedCellsOrFormulasAreRefused() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            let t = Localizer(lang: .vi)
            let columns = InventoryColumns.systems.map { SheetColumn(t($0.titleKey)) }
            var row: [CellValue] = InventoryColumns.systems.map { _ in .text("") }
            let values: [String: CellValue] = [
                "agencyCode": .text("SYT"), "code": .text("SYT-A"), "name": .text("Hệ thống A"), "ownerName": .text("Sở Y tế"),
                "operatorName": .text("TT"), "functionType": .text("internal"), "informationClasses": .text("public"),
                "personalDataSubjects": .integer(5), "lifecycle": .text("planned"), "hosting": .text("own_server_room"),
            ]
            for (i, column) in InventoryColumns.systems.enumerated() { if let v = values[column.key] { row[i] = v } }
            let clean = try XlsxWriter.write([Sheet(name: "Hệ thống thông tin", columns: columns, rows: [row])])
            let cleanPreview = try await Self.upload(app, as: officer, name: "sach.xlsx", bytes: Array(clean))
            #expect(cleanPreview.status == .ok, "\(Self.problems(cleanPreview)) \(cleanPreview.element(id: "file-error") ?? "")")

            let merged = try Self.patchXlsx(clean, ["xl/worksheets/sheet1.xml": {
                $0.replacingOccurrences(of: "</sheetData>", with: "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"C2:D2\"/></mergeCells>")
            }])
            var res = try await Self.upload(app, as: officer, name: "o-gop.xlsx", bytes: merged)
            #expect(res.status == .unprocessableEntity)
            #expect(res.element(id: "file-error") == "Tệp có ô gộp (C2:D2); hãy bỏ gộp ô.")

            let formula = try Self.patchXlsx(clean, ["xl/worksheets/sheet1.xml": {
                $0.replacingOccurrences(of: "<c r=\"I2\"><v>5</v></c>", with: "<c r=\"I2\"><f>2+3</f><v>5</v></c>")
            }])
            #expect(formula != Array(clean))
            res = try await Self.upload(app, as: officer, name: "cong-thuc.xlsx", bytes: formula)
            #expect(res.status == .unprocessableEntity)
            #expect(res.element(id: "file-error") == "Tệp có công thức ở các ô I2; hãy thay bằng giá trị.")
            #expect(try await app.count(InformationSystem.self) == 0)
        }
    }

    @Test func anOfficerCannotImportRowsForAnotherAgencyOrUpdateItsSystems() async throws {
        try await withTestApp { app in
            let health = try await Make.agency(app, code: "SYT")
            let finance = try await Make.agency(app, code: "STC")
            let theirs = try await Make.system(app, agency: finance, code: "STC-01", name: "Kế toán")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: health)
            let file = Self.csv([
                "STC,STC-02,Mới của Sở khác,Sở Tài chính,TT,internal,public,0,planned,,own_server_room,",
                "SYT,STC-01,Chiếm mã của Sở khác,Sở Y tế,TT,internal,public,0,planned,,own_server_room,",
            ])
            let res = try await Self.upload(app, as: officer, name: "danh-muc.csv", bytes: file)
            #expect(res.status == .unprocessableEntity)
            let problems = Self.problems(res)
            #expect(problems[2] == ["Mã cơ quan: Không có cơ quan mã \"STC\" trong phạm vi của bạn."])
            #expect(problems[3] == ["Mã: Mã này đã được dùng."])
            #expect(try await app.count(InformationSystem.self) == 1)
            #expect(try await Make.reload(app, theirs).name == "Kế toán")
            // The coordinator may import for any agency.
            let coordinator = try await Make.user(app, role: .coordinator)
            let ok = try await Self.upload(app, as: coordinator, name: "danh-muc.csv",
                                           bytes: Self.csv(["STC,STC-02,Mới,Sở Tài chính,TT,internal,public,0,planned,,own_server_room,"]))
            #expect(ok.status == .ok)
            // Only the person who uploaded a file may confirm it.
            let confirmByOther = try await Self.confirm(app, as: officer, preview: ok)
            #expect(confirmByOther.status == .notFound)
            #expect(try await Self.confirm(app, as: coordinator, preview: ok).status == .seeOther)
            #expect(try await app.count(InformationSystem.self) == 2)
        }
    }

    @Test func theCSVExportHoldsTheCallersSystemsWithLabels() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app, code: "SYT")
            try await Make.system(app, agency: agency, code: "SYT-01", name: "Cổng \"Y tế\", tỉnh")
            let officer = try await Make.user(app, role: .agencyOfficer, agency: agency)
            try await app.testing().test(.GET, "/systems/export.csv", headers: try await Make.session(app, for: officer).headers) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentDisposition)?.contains("he-thong-thong-tin.csv") == true)
                let rows = try CSVReader.read(Data(res.body.readableBytesView))
                #expect(rows.count == 2)
                #expect(rows[0].first == "Mã cơ quan")
                #expect(rows[1][1] == "SYT-01")
                #expect(rows[1][2] == "Cổng \"Y tế\", tỉnh")
                #expect(rows[1].contains("Phục vụ hoạt động nội bộ"))
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "export.systems").count() == 1)
        }
    }
}
