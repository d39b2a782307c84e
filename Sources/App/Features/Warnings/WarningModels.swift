import Foundation
import Domain
import Fluent

/// What an agency did about one affected system (`warning_systems.state`).
enum WarningSystemState: String, CaseIterable, Codable, Sendable {
    /// Matched (or added by a coordinator); nobody has acted yet.
    case affected
    /// The agency acknowledged the warning (đã tiếp nhận).
    case acknowledged
    /// The agency recorded the remediation (đã khắc phục), with a note and evidence.
    case remediated
    /// The agency (or a coordinator) established that the system is not affected, with a reason.
    case notAffected = "not_affected"

    /// Still needs remediation.
    var isOpen: Bool { self == .affected || self == .acknowledged }
}

/// How a warning was recorded (`authority_warnings.origin`).
enum WarningOrigin: String, CaseIterable, Codable, Sendable {
    case manual, csaf, nvd
}

/// How a system came to be affected (`warning_systems.origin`).
enum WarningRowOrigin: String, CaseIterable, Codable, Sendable {
    /// The matcher found it from the system's components.
    case matched
    /// A coordinator added it by hand, with a reason.
    case manual
}

/// Record type of the remediation evidence in `stored_files`.
enum WarningFiles {
    static let recordType = "warning_system"
}

/// Short texts about a warning used in duties, notifications and audit events.
enum WarningText {
    /// "123/CATTT-NCSC, 01/10/2026" (number and date), else the title cut short, with the date.
    static func reference(_ w: AuthorityWarning) -> String {
        let day = DisplayTime.date(w.issuedOn)
        if let number = w.number, !number.isEmpty { return "\(number), \(day)" }
        return "\(w.title.count > 80 ? String(w.title.prefix(79)) + "…" : w.title), \(day)"
    }

    /// The number, else the first CVE id, else the title cut short: a name for lists and notifications.
    static func label(_ w: AuthorityWarning) -> String {
        if let number = w.number, !number.isEmpty { return number }
        return w.title.count > 60 ? String(w.title.prefix(59)) + "…" : w.title
    }

    static func cves(_ w: AuthorityWarning) -> [String] {
        (w.cves ?? "").split(separator: " ").map(String.init)
    }

    static func references(_ w: AuthorityWarning) -> [String] {
        (w.refs ?? "").split(whereSeparator: \.isNewline).map(String.init)
    }
}

/// Names of affected-system rows (the subjects of WARNING_REMEDIATION_DUE) for the obligation tables.
enum WarningSubjects {
    /// "123/CATTT-NCSC · Cổng dịch vụ công (HT-01)" for the rows the subject may read.
    static func names(_ rowIds: [UUID], subject: Subject, on db: any Database) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for chunk in rowIds.chunked(500) {
            let rows = try await WarningScope.rows(subject, on: db).filter(\.$id ~~ Array(chunk)).all()
            guard !rows.isEmpty else { continue }
            let warnings = try await AuthorityWarning.query(on: db).filter(\.$id ~~ Array(Set(rows.map(\.warningId)))).all()
            let systems = try await InformationSystem.query(on: db).filter(\.$id ~~ Array(Set(rows.map(\.systemId)))).all()
            let w = Dictionary(uniqueKeysWithValues: warnings.map { ($0.id!, $0) })
            let s = Dictionary(uniqueKeysWithValues: systems.map { ($0.id!, $0) })
            for row in rows {
                guard let warning = w[row.warningId], let system = s[row.systemId] else { continue }
                names[row.id!] = "\(WarningText.label(warning)) · \(system.name) (\(system.code))"
            }
        }
        return names
    }
}

extension WarningFiles {
    /// Remediation evidence is read with the row it belongs to: the warning's readers whose scope holds the system
    /// now (never the police liaison). nil when the file is not one of these.
    static func mayRead(_ file: StoredFile, subject: Subject, on db: any Database) async throws -> Bool? {
        guard file.recordType == recordType else { return nil }
        return try await WarningScope.rows(subject, on: db).filter(\.$id == file.recordId).first() != nil
    }
}
