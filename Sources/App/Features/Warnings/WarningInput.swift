import Foundation
import Domain
import Vapor

/// A warning as typed in the form or sent to the API. Products come as parallel rows (vendor, product, version range
/// text, CPE 2.3 match criteria) in the form, as objects in the API.
struct WarningInput: Content {
    var issuer: String?
    var number: String?
    var issuedOn: String?
    var title: String?
    var description: String?
    /// CVE ids separated by spaces, commas or new lines (the form); the API may send an array (``WarningWriteDTO``).
    var cves: String?
    var severity: String?
    var cvssScore: String?
    var requiredAction: String?
    var deadline: String?
    /// One URL per line.
    var references: String?
    var productVendor: [String]?
    var productName: [String]?
    var productVersions: [String]?
    var productCPE: [String]?
    var version: Int?

    init() {}

    init(_ w: AuthorityWarning) {
        issuer = w.issuer
        number = w.number
        issuedOn = DisplayTime.isoDay(w.issuedOn)
        title = w.title
        description = w.details
        cves = WarningText.cves(w).joined(separator: " ")
        severity = w.severity
        cvssScore = w.cvssScore.map { String(format: "%.1f", $0) }
        requiredAction = w.requiredAction
        deadline = w.deadline.map(DisplayTime.isoDay)
        references = WarningText.references(w).joined(separator: "\n")
        let products = WarningProducts.decode(w.products)
        productVendor = products.map { $0.vendor ?? "" }
        productName = products.map { $0.product ?? "" }
        productVersions = products.map { $0.versions ?? "" }
        productCPE = products.map { $0.cpe ?? "" }
        version = w.version
    }

    /// The product rows as typed (blank rows dropped later).
    var productRows: [WarningProductInput] {
        let count = [productVendor?.count ?? 0, productName?.count ?? 0, productVersions?.count ?? 0, productCPE?.count ?? 0].max() ?? 0
        func at(_ list: [String]?, _ i: Int) -> String? { list.flatMap { i < $0.count ? $0[i] : nil } }
        return (0..<count).map { i in
            WarningProductInput(vendor: at(productVendor, i), product: at(productName, i), versions: at(productVersions, i), cpe: at(productCPE, i))
        }
    }

    struct Valid: Sendable {
        var issuer: String
        var number: String?
        var issuedOn: Date
        var title: String
        var description: String?
        var cves: [String]
        var severity: FindingSeverity?
        var cvssScore: Double?
        var requiredAction: String?
        var deadline: Date?
        var references: [String]
        var products: [WarningProductSet.ValidRow]
    }

    static let maxProducts = 500

    func validate(now: Date = Date()) throws -> Valid {
        var check = InputChecker()
        let issuer = check.requiredText("issuer", issuer, max: 500)
        let number = check.optionalText("number", number, max: 100)
        let issued = check.responseDay("issuedOn", issuedOn, required: true)
        if let issued, issued > now { check.fail("issuedOn", "validation.futureDate") }
        let title = check.requiredText("title", title, max: 500)
        let details = check.optionalText("description", description, max: 20_000)
        let cves = WarningInput.cveList(cves, field: "cves", check: &check)
        var level: FindingSeverity?
        if let raw = severity.map(Validators.trimmed), !raw.isEmpty {
            level = FindingSeverity(rawValue: raw.lowercased())
            if level == nil { check.fail("severity", "validation.unknownValue") }
        }
        var score: Double?
        if let raw = cvssScore.map(Validators.trimmed), !raw.isEmpty {
            if let value = Double(raw.replacingOccurrences(of: ",", with: ".")), (0...10).contains(value) { score = (value * 10).rounded() / 10 }
            else { check.fail("cvssScore", "warnings.badScore") }
        }
        let action = check.optionalText("requiredAction", requiredAction, max: 8000)
        let deadline = check.responseDay("deadline", deadline)
        if let deadline, let issued, deadline < issued { check.fail("deadline", "warnings.deadlineBeforeIssue") }
        var refs: [String] = []
        for line in ResponseText.lines(references) {
            guard line.count <= 2000, let url = URL(string: line), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                check.fail("references", "warnings.badReference|\(line.prefix(80))"); break
            }
            if !refs.contains(line) { refs.append(line) }
        }
        if refs.count > 200 { check.fail("references", "validation.tooLong") }
        var products: [WarningProductSet.ValidRow] = []
        let rows = productRows.filter { !$0.isBlank }
        if rows.count > Self.maxProducts { check.fail("products", "warnings.tooManyProducts|\(Self.maxProducts)") }
        for (index, row) in rows.prefix(Self.maxProducts).enumerated() {
            switch row.validated() {
            case .success(let product): products.append(product)
            case .failure(let problem): check.fail("products", "warnings.badProduct|\(index + 1)|\(problem.vi)|\(problem.en)")
            }
        }
        if !check.errors.isEmpty { throw AppError.validation(check.errors) }
        return Valid(issuer: issuer, number: number, issuedOn: issued!, title: title, description: details, cves: cves, severity: level,
                     cvssScore: score, requiredAction: action, deadline: deadline, references: refs, products: products)
    }

    /// `CVE-YYYY-NNNN` and longer, upper-cased and deduplicated in order; a bad one fails the field naming it.
    static func cveList(_ raw: String?, field: String, check: inout InputChecker) -> [String] {
        var ids: [String] = []
        for token in (raw ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0.isNewline }) {
            let id = token.uppercased()
            guard isCVE(id) else { check.fail(field, "warnings.badCVE|\(token.prefix(40))"); return ids }
            if !ids.contains(id) { ids.append(id) }
        }
        if ids.count > 1000 { check.fail(field, "validation.tooLong") }
        return ids
    }

    /// CVE-YYYY-NNNN+ (a year from 1999 and at least four digits).
    static func isCVE(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, let year = Int(parts[1]), year >= 1999,
              parts[2].count >= 4, parts[2].count <= 19, parts[2].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isNumber) else { return false }
        return true
    }
}

/// One affected-product row as typed.
struct WarningProductInput: Content, Sendable {
    var vendor: String?
    var product: String?
    /// "< 2.4.58", ">= 2.4.0, < 2.4.58", "2.4.57", "*" (every version).
    var versions: String?
    /// CPE 2.3 match criteria, e.g. `cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*`.
    var cpe: String?

    var isBlank: Bool { [vendor, product, versions, cpe].allSatisfy { Validators.trimmed($0).isEmpty } }

    /// The row read (CPE parsed, version range parsed), or what is wrong with it in both languages.
    func validated() -> Result<WarningProductSet.ValidRow, WarningProductProblem> {
        let vendor = Validators.trimmed(vendor)
        let product = Validators.trimmed(product)
        let versions = Validators.trimmed(versions)
        let cpe = Validators.trimmed(cpe)
        if [vendor, product, versions, cpe].contains(where: { $0.count > 500 }) { return .failure(.init("quá dài", "too long")) }
        var criteria: CPEName?
        if !cpe.isEmpty {
            do { criteria = try CPEName(cpe) } catch { return .failure(.init("CPE không hợp lệ: \(error.description)", "invalid CPE: \(error.description)")) }
        }
        if criteria == nil && (vendor.isEmpty || product.isEmpty) {
            return .failure(.init("cần nhà cung cấp và tên sản phẩm, hoặc CPE", "a vendor and a product, or a CPE, are needed"))
        }
        let range: VersionRange
        do { range = try VersionRange(parsing: versions) } catch {
            return .failure(.init("khoảng phiên bản \"\(versions)\" không hợp lệ: \(error.message)", error.description))
        }
        let row = WarningProduct(vendor: vendor.isEmpty ? criteria?.vendor.text?.literal : vendor,
                                 product: product.isEmpty ? criteria?.product.text?.literal : product,
                                 versions: versions.isEmpty ? nil : versions, cpe: criteria?.formattedString)
        return .success(WarningProductSet.ValidRow(row: row, cpe: criteria, range: range))
    }
}

struct WarningProductProblem: Error, CustomStringConvertible {
    var vi: String
    var en: String
    init(_ vi: String, _ en: String) {
        // The texts travel as arguments of a `key|arg|arg` message.
        self.vi = vi.replacingOccurrences(of: "|", with: "/")
        self.en = en.replacingOccurrences(of: "|", with: "/")
    }
    var description: String { en }
}

