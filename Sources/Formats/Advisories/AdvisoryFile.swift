import Domain
import Foundation

/// What an advisory file holds, told from its content (never its name).
public enum AdvisoryFileKind: String, Sendable, Codable, CaseIterable {
    /// An NVD CVE JSON 2.0 API page or data feed: `{"format": "NVD_CVE", …, "vulnerabilities": [{"cve": …}, …]}`.
    case nvdFeed = "nvd_feed"
    /// One NVD CVE record: `{"cve": …}`, a bare `cve` object, or a vunnel snapshot `{"item": {"cve": …}}`.
    case nvdRecord = "nvd_record"
    /// A CSAF 2.0 document (`{"document": {"csaf_version": "2.0", …}, "product_tree": …, "vulnerabilities": …}`).
    case csaf

    public var displayName: String {
        switch self {
        case .nvdFeed: "NVD CVE JSON 2.0 (feed)"
        case .nvdRecord: "NVD CVE JSON 2.0 (record)"
        case .csaf: "CSAF 2.0"
        }
    }
}

/// Why an advisory file could not be read: where (a JSON path, or line and column for malformed JSON) and what.
public struct AdvisoryFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: AdvisoryFileKind?
    /// `$.vulnerabilities[3].cve.configurations[0].nodes[0].cpeMatch[1].criteria`, or `line 12, column 4 (byte 201), at $…`.
    public var location: String
    public var message: String

    public init(kind: AdvisoryFileKind?, location: String, message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { (kind.map { "\($0.displayName): " } ?? "") + "\(location): \(message)" }
}

/// One advisory read from a file: for NVD, one CVE record; for CSAF, the whole document.
public struct AdvisoryItem: Sendable {
    public var advisory: Advisory
    public var nvd: NVDCVERecord?
    public var csaf: CSAFDocument?
    /// Where in the file (`$.vulnerabilities[12]`, `$`).
    public var path: String
}

/// Reads NVD CVE JSON 2.0 (feeds, pages, single records) and CSAF 2.0 documents, detected from the content. A feed
/// is streamed one record at a time, so a feed of any size needs the memory of one record; a single record or a
/// CSAF document is read whole (at most ``maxDocumentBytes``).
public final class AdvisoryFile {
    public let kind: AdvisoryFileKind
    /// The largest single record or CSAF document read whole.
    public static let maxDocumentBytes = 64 << 20

    private var stream: JSONElementStream?
    private var pending: [AdvisoryItem] = []
    private var finished = false

    /// Opens a file on disk.
    public convenience init(url: URL, limits: ScanLimits = ScanLimits()) throws {
        let kind = try Self.detect(try Self.source(url), limits: limits)
        try self.init(kind: kind, limits: limits, open: { try Self.source(url) }, whole: {
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            guard size <= Self.maxDocumentBytes else {
                throw AdvisoryFileError(kind: kind, location: "$", message: "a single document larger than \(Self.maxDocumentBytes >> 20) MB")
            }
            return try Data(contentsOf: url)
        })
    }

    /// Reads bytes held in memory.
    public convenience init(data: Data, limits: ScanLimits = ScanLimits()) throws {
        let kind = try Self.detect(ByteSource(data: data), limits: limits)
        try self.init(kind: kind, limits: limits, open: { ByteSource(data: data) }, whole: {
            guard data.count <= Self.maxDocumentBytes else {
                throw AdvisoryFileError(kind: kind, location: "$", message: "a single document larger than \(Self.maxDocumentBytes >> 20) MB")
            }
            return data
        })
    }

    private init(kind: AdvisoryFileKind, limits: ScanLimits, open: () throws -> ByteSource, whole: () throws -> Data) throws {
        self.kind = kind
        if kind != .nvdFeed { try Self.checkSyntax(try open(), kind: kind, limits: limits) }
        switch kind {
        case .nvdFeed:
            stream = JSONElementStream(source: try open(), path: ["vulnerabilities"], limits: limits)
        case .nvdRecord:
            let data = try whole()
            do {
                pending = try NVDCVEReader.records(data).map { AdvisoryItem(advisory: $0.advisory, nvd: $0, csaf: nil, path: "$") }
            } catch let error as AdvisoryReadError {
                throw AdvisoryFileError(kind: kind, location: error.path, message: error.message)
            }
        case .csaf:
            let data = try whole()
            do {
                let document = try CSAFAdvisoryReader.read(data)
                pending = [AdvisoryItem(advisory: document.advisory, nvd: nil, csaf: document, path: "$")]
            } catch let error as AdvisoryReadError {
                throw AdvisoryFileError(kind: kind, location: error.path, message: error.message)
            }
        }
    }

    /// The next advisory; nil after the last (a feed's rest having been read and checked).
    public func next() throws -> AdvisoryItem? {
        if !pending.isEmpty { return pending.removeFirst() }
        guard let stream, !finished else { return nil }
        do {
            guard let element = try stream.next() else {
                finished = true
                return nil
            }
            let path = "$.vulnerabilities[\(stream.index)]"
            let record = try NVDCVEReader.record(element, path: path)
            return AdvisoryItem(advisory: record.advisory, nvd: record, csaf: nil, path: path)
        } catch let error as AdvisoryReadError {
            throw AdvisoryFileError(kind: kind, location: error.path, message: error.message)
        } catch let error as ScanParseError {
            throw AdvisoryFileError(kind: kind, location: error.location ?? "$", message: error.message)
        }
    }

    /// Reads a document read whole once as a stream first, so that malformed JSON is reported with its line and
    /// column (the whole-document parser only says that it failed).
    static func checkSyntax(_ source: ByteSource, kind: AdvisoryFileKind, limits: ScanLimits) throws {
        let reader = JSONStreamReader(source: source, limits: limits)
        do {
            try reader.skipValue()
            _ = try reader.next()
        } catch let error as ScanParseError {
            throw AdvisoryFileError(kind: kind, location: error.location ?? "$", message: error.message)
        }
    }

    static func source(_ url: URL) throws -> ByteSource {
        do {
            return try ByteSource(url: url)
        } catch {
            throw AdvisoryFileError(kind: nil, location: url.path, message: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Tells the kind from the top-level members, read as a stream (values skipped): `document` makes a CSAF
    /// document; `vulnerabilities` (without `document`) or `format`/`resultsPerPage`/`totalResults` an NVD feed;
    /// `cve`, `item`, or `id` with `descriptions` one NVD record.
    public static func detect(_ source: ByteSource, limits: ScanLimits = ScanLimits()) throws -> AdvisoryFileKind {
        let reader = JSONStreamReader(source: source, limits: limits)
        var keys = Set<String>()
        do {
            guard try reader.peekKind() == .object else {
                let kind = try reader.peekKind()
                throw AdvisoryFileError(kind: nil, location: "$", message: kind == nil
                    ? "the file is empty" : "expected a JSON object (a CSAF 2.0 document or NVD CVE JSON 2.0)")
            }
            _ = try reader.enterObject()
            while let key = try reader.nextKey() {
                keys.insert(key)
                if key == "document" { return .csaf }
                if key == "cve" || key == "item" { return .nvdRecord }
                try reader.skipValue()
            }
        } catch let error as ScanParseError {
            throw AdvisoryFileError(kind: nil, location: error.location ?? "$", message: error.message)
        }
        if keys.contains("vulnerabilities") || keys.contains("format") || keys.contains("resultsPerPage") || keys.contains("totalResults") {
            return .nvdFeed
        }
        if keys.contains("id") && keys.contains("descriptions") { return .nvdRecord }
        throw AdvisoryFileError(kind: nil, location: "$", message:
            "neither a CSAF 2.0 document (no \"document\") nor NVD CVE JSON 2.0 (no \"vulnerabilities\", \"cve\" or \"id\" with \"descriptions\")")
    }
}

extension AdvisoryItem {
    /// The advisory split per CVE where the source says which products each CVE affects (CSAF vulnerabilities);
    /// an NVD record is one CVE already.
    public var perCVE: [Advisory] {
        guard let csaf else { return [advisory] }
        var out: [Advisory] = []
        for v in csaf.vulnerabilities {
            guard let cve = v.cve else { continue }
            let ids = Set(v.affectedProductIds.isEmpty ? v.fixedProductIds : v.affectedProductIds)
            var products = advisory.products.filter { $0.productId.map(ids.contains) ?? true }
            // The reader keeps one of products that read alike; when this CVE's own ids were dropped that way, it
            // is matched with the document's products.
            if products.isEmpty { products = advisory.products }
            out.append(Advisory(id: cve, title: v.title ?? advisory.title, cves: [cve], products: products))
        }
        return out.isEmpty ? [advisory] : out
    }
}
