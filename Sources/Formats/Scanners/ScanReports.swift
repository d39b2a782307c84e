import Foundation

/// The report readers by format, and the check of a claimed format against the content.
public enum ScanReports {
    public static func reader(for format: ScannerFormat, source: ByteSource,
                              limits: ScanLimits = ScanLimits()) -> any ScanReportReader {
        let base: any ScanReportReader = switch format {
        case .nmap: NmapReportReader(source: source, limits: limits)
        case .openvas: OpenVASReportReader(source: source, limits: limits)
        case .nessus: NessusReportReader(source: source, limits: limits)
        case .nuclei: NucleiReportReader(source: source, limits: limits)
        case .trivy: TrivyReportReader(source: source, limits: limits)
        case .sarif: SarifReportReader(source: source, limits: limits)
        }
        return SanitizedScanReader(base: base)
    }

    /// A reader for the content of `source`, whose first ``ScanFormatDetector/prefixLength`` bytes are looked at
    /// (peeked: nothing is consumed). With `claimed` nil the detected format is used; with a claim, content
    /// detected as another format, or of the other syntax (JSON for an XML format or the reverse), is an error
    /// naming both ("Nessus (.nessus) expected, but the content is Trivy JSON"). Content that is not recognised
    /// but could be the claimed format is given to its reader, which reports what is wrong.
    public static func reader(source: ByteSource, claimed: ScannerFormat?,
                              limits: ScanLimits = ScanLimits()) throws -> (format: ScannerFormat, reader: any ScanReportReader) {
        let prefix = Data(try source.peek(ScanFormatDetector.prefixLength))
        let detected = ScanFormatDetector.detect(prefix: prefix)
        let syntax = ScanFormatDetector.syntax(of: prefix)
        guard let claimed else {
            guard let detected else {
                let what = syntax.map { "\($0) of no known scanner" } ?? (prefix.isEmpty ? "empty" : "not XML or JSON")
                throw ScanParseError(format: nil, location: nil, message: "Unrecognised report: the content is \(what).")
            }
            return (detected, reader(for: detected, source: source, limits: limits))
        }
        if let detected, detected != claimed {
            throw ScanParseError(format: claimed, location: nil,
                                 message: "\(claimed.displayName) expected, but the content is \(detected.displayName).")
        }
        if detected == nil, let syntax, syntax != expectedSyntax(claimed) {
            throw ScanParseError(format: claimed, location: nil,
                                 message: "\(claimed.displayName) expected, but the content is \(syntax) of no known scanner.")
        }
        return (claimed, reader(for: claimed, source: source, limits: limits))
    }

    static func expectedSyntax(_ format: ScannerFormat) -> String {
        switch format {
        case .nmap, .openvas, .nessus: "XML"
        case .nuclei, .trivy, .sarif: "JSON"
        }
    }
}
