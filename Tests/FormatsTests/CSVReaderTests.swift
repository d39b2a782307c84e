import Foundation
import Testing
@testable import Formats

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func quotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let csv = "Tên,Ghi chú,Số\n\"Sở Y tế, Lạng Sơn\",\"Nói \"\"khẩn\"\"\",1\n\"dòng 1\ndòng 2\",,\"\"\n"
        #expect(try CSVReader.read(Data(csv.utf8)) == [
            ["Tên", "Ghi chú", "Số"],
            ["Sở Y tế, Lạng Sơn", "Nói \"khẩn\"", "1"],
            ["dòng 1\ndòng 2", "", ""],
        ])
    }

    @Test func semicolonsAreDetected() throws {
        let csv = "Tên hệ thống;Cấp độ;Điểm\nCổng thông tin;2;7,5\n"
        #expect(try CSVReader.read(Data(csv.utf8)) == [["Tên hệ thống", "Cấp độ", "Điểm"], ["Cổng thông tin", "2", "7,5"]])
        #expect(CSVReader.detectDelimiter("\"a,b,c\";d;e\n") == ";")
        #expect(CSVReader.detectDelimiter("a,b;c,d\n") == ",")
        #expect(CSVReader.detectDelimiter("a\tb\tc\n") == "\t")
    }

    @Test func byteOrderMarkAndCRLF() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("Mã,Tên\r\n01,\"Hà\r\nNội\"\r\n\r\n02,Huế\r\n".utf8))
        #expect(try CSVReader.read(data) == [["Mã", "Tên"], ["01", "Hà\nNội"], ["02", "Huế"]])
    }

    @Test func bareCarriageReturnsEndLines() throws {
        #expect(try CSVReader.read(Data("a,b\rc,d".utf8)) == [["a", "b"], ["c", "d"]])
    }

    @Test func lastLineWithoutNewlineAndEmptyFields() throws {
        #expect(try CSVReader.read(Data("a,,c\n,,\nx".utf8)) == [["a", "", "c"], ["", "", ""], ["x"]])
    }

    @Test func utf16WithByteOrderMark() throws {
        let text = "Tên;Cấp độ\r\nCổng;2\r\n"
        var little = Data([0xFF, 0xFE])
        for unit in text.utf16 { little.append(UInt8(unit & 0xFF)); little.append(UInt8(unit >> 8)) }
        var big = Data([0xFE, 0xFF])
        for unit in text.utf16 { big.append(UInt8(unit >> 8)); big.append(UInt8(unit & 0xFF)) }
        let expected = [["Tên", "Cấp độ"], ["Cổng", "2"]]
        #expect(try CSVReader.read(little) == expected)
        #expect(try CSVReader.read(big) == expected)
    }

    @Test func invalidUTF8NamesTheFirstBadLine() {
        // "Sở" in Windows-1258 on line 3.
        var data = Data("Tên,Cấp độ\nCổng,2\n".utf8)
        data.append(contentsOf: [0x53, 0xD5, 0x2C, 0x33, 0x0A])
        data.append(Data("ok,4\n".utf8))
        #expect {
            try CSVReader.read(data)
        } throws: { error in
            guard case .encoding(let detail) = error as? TabularError else { return false }
            return detail.hasPrefix("line 3:")
        }
    }

    @Test func nulBytesWithoutBOMAreAnEncodingError() {
        let data = Data([0x61, 0x00, 0x2C, 0x00, 0x62, 0x00])
        #expect {
            try CSVReader.read(data)
        } throws: { error in
            (error as? TabularError)?.code == "tabular.encoding"
        }
    }

    @Test func unterminatedQuoteNamesTheLineItStarted() {
        let csv = "a,b\nc,\"mở\nvẫn mở\n"
        #expect(throws: TabularError.malformed("line 2: a quoted field is not closed (missing \")")) {
            try CSVReader.read(Data(csv.utf8))
        }
    }

    @Test func textAfterAClosingQuoteIsKept() throws {
        #expect(try CSVReader.read(Data("\"a\"b,c\"d\n".utf8)) == [["ab", "c\"d"]])
    }

    @Test func explicitDelimiter() throws {
        #expect(try CSVReader.read(Data("a;b,c\n".utf8), delimiter: ",") == [["a;b", "c"]])
    }

    @Test func emptyInput() throws {
        #expect(try CSVReader.read(Data()) == [])
        #expect(try CSVReader.read(Data([0xEF, 0xBB, 0xBF])) == [])
    }
}
