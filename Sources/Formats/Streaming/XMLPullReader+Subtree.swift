import Foundation

// Helpers for readers that walk a document: called right after the start event of an element.
extension XMLPullReader {
    /// Consumes the element just started and returns all the text inside it (its descendants' too),
    /// trimmed; past `maxBytes` the rest is read but dropped, and the result ends with "…".
    public func readText(maxBytes: Int? = nil) throws -> String {
        let cap = maxBytes ?? limits.maxTokenBytes
        let target = depth - 1
        var result = ""
        while let event = try next() {
            switch event {
            case .text(let piece):
                if result.utf8.count <= cap { result += piece }
            case .endElement:
                if depth == target {
                    return ScanText.capped(ScanText.trimmed(result), maxBytes: cap)
                }
            case .startElement:
                break
            }
        }
        return result
    }

    /// Consumes the element just started, with everything inside it.
    public func skipElement() throws {
        let target = depth - 1
        while let event = try next() {
            if case .endElement = event, depth == target { return }
        }
    }
}
