import Foundation
import Testing
@testable import Formats

@Suite("Header map")
struct HeaderMapTests {
    static let map = HeaderMap([
        .init("name", aliases: ["Tên hệ thống", "Tên HTTT", "System name"]),
        .init("level", aliases: ["Cấp độ", "Cấp độ đề xuất"]),
        .init("owner", aliases: ["Đơn vị chủ quản"]),
        .init("note", aliases: ["Ghi chú"], required: false),
    ])

    @Test func matchesIgnoringCaseDiacriticsAndPunctuation() throws {
        let match = try Self.map.resolve(["TEN HE THONG (*)", " cap do ", "Đơn vị chủ quản:", "Cột lạ", ""])
        #expect(match.indices == ["name": 0, "level": 1, "owner": 2])
        #expect(match.unknown == ["Cột lạ"])
        #expect(match.missing.isEmpty)
        #expect(match.missingOptional == ["note"])
        #expect(match.value("level", in: ["x", " 2 ", "y"]) == "2")
        #expect(match.value("note", in: ["x"]) == nil)
    }

    @Test func acceptsAnyAliasAndTheKey() throws {
        let match = try Self.map.resolve(["system name", "CẤP ĐỘ ĐỀ XUẤT", "owner", "ghi chu"])
        #expect(match.indices == ["name": 0, "level": 1, "owner": 2, "note": 3])
    }

    @Test func reportsMissingRequiredHeadersByTitle() {
        #expect(throws: TabularError.missingHeaders(["Cấp độ", "Đơn vị chủ quản"])) {
            try Self.map.resolve(["Tên hệ thống", "Ghi chú"])
        }
        #expect(Self.map.match(["Tên hệ thống"]).missing == ["Cấp độ", "Đơn vị chủ quản"])
    }

    @Test func duplicatesKeepTheFirstColumn() {
        let match = Self.map.match(["Tên hệ thống", "Cấp độ", "Đơn vị chủ quản", "Tên HTTT"])
        #expect(match.indices["name"] == 0)
        #expect(match.duplicates == ["Tên HTTT"])
    }

    @Test func normalize() {
        #expect(HeaderMap.normalize("Tên hệ thống (*)") == "ten he thong")
        #expect(HeaderMap.normalize("ĐƠN VỊ  chủ-quản") == "don vi chu quan")
        #expect(HeaderMap.normalize("  ") == "")
    }
}
