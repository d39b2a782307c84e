import Foundation
import Testing
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Unzips an in-memory package into path → bytes.
func unzipEntries(_ data: Data) throws -> [String: Data] {
    let archive = try Archive(data: data, accessMode: .read)
    var result: [String: Data] = [:]
    for entry in archive where entry.type == .file {
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        result[entry.path] = bytes
    }
    return result
}

/// Unzips and decodes one part as UTF-8.
func unzipText(_ data: Data, _ path: String) throws -> String {
    let entries = try unzipEntries(data)
    let part = try #require(entries[path], "missing part \(path)")
    return String(decoding: part, as: UTF8.self)
}

/// Builds a ZIP package from literal part texts.
func makeZip(_ parts: [(String, String)]) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            let start = Int(position)
            return data.subdata(in: start..<min(start + size, data.count))
        }
    }
    return try #require(archive.data)
}

/// A date at noon in Asia/Ho_Chi_Minh.
func vietnamDate(_ year: Int, _ month: Int, _ day: Int, hour: Int = 12) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour))!
}

/// Checks that `xml` is well-formed, returning the parser error if not.
func xmlError(_ xml: String) -> String? {
    let parser = XMLParser(data: Data(xml.utf8))
    return parser.parse() ? nil : "\(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)"
}
