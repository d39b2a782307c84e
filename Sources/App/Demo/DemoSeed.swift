import Foundation
import Domain
import Fluent
import Vapor

/// A demo province: the People's Committee, the police, departments and sectors, communes and wards,
/// a response team, and one user per role with a random password printed once.
enum DemoSeed {
    struct Login { let role: Role; let email: String; let password: String }

    /// Does nothing and returns nil unless the database has no agencies and no users.
    static func seedIfEmpty(app: Application) async throws -> [Login]? {
        guard try await Agency.query(on: app.db).count() == 0, try await User.query(on: app.db).count() == 0 else { return nil }
        let passwords = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, UserService.temporaryPassword()) })
        var hashes: [Role: String] = [:]
        for (role, password) in passwords { hashes[role] = try await Passwords.hash(password, app: app) }
        let finalHashes = hashes
        let rules = app.rules
        let logins = try await app.write { db in
            func agency(_ code: String, _ name: String, _ kind: AgencyKind, _ parent: Agency?, phone: String, email: String,
                        address: String) async throws -> Agency {
                let agency = Agency(code: code, name: name, kind: kind, parentId: parent?.id, address: address, contactPhone: phone, contactEmail: email)
                try await agency.create(on: db)
                try await AuditLog.append(AuditEntry("agency.create", recordType: "agency", recordId: agency.id?.uuidString,
                                                     agencyId: agency.id, after: agency.auditSnapshot), by: .system("demo"), on: db)
                return agency
            }
            let province = try await agency("UBND-LS", "Ủy ban nhân dân tỉnh Lạng Sơn", .provincialCommittee, nil,
                                            phone: "0205 3812 345", email: "vanphong@langson.gov.vn", address: "Số 1 Hoàng Văn Thụ, phường Lương Văn Tri")
            let police = try await agency("CA-LS", "Công an tỉnh Lạng Sơn", .provincialPolice, province,
                                          phone: "0205 3870 113", email: "pa05@langson.gov.vn", address: "Số 2 Hùng Vương, phường Đông Kinh")
            let team = try await agency("DUCSC-LS", "Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Lạng Sơn", .responseTeam, province,
                                        phone: "0205 3999 115", email: "ungcuu@langson.gov.vn", address: "Số 2 Hùng Vương, phường Đông Kinh")
            _ = team
            let departments: [(String, String)] = [
                ("VP-UBND", "Văn phòng Ủy ban nhân dân tỉnh"), ("SKHCN", "Sở Khoa học và Công nghệ"), ("STC", "Sở Tài chính"),
                ("SYT", "Sở Y tế"), ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"),
                ("SNNMT", "Sở Nông nghiệp và Môi trường"),
            ]
            var created: [String: Agency] = [:]
            for (index, (code, name)) in departments.enumerated() {
                created[code] = try await agency(code, name, .department, province, phone: "0205 38\(String(format: "%02d", 20 + index)) 000",
                                                 email: "\(code.lowercased().replacingOccurrences(of: "-", with: ""))@langson.gov.vn",
                                                 address: "Phường Đông Kinh, tỉnh Lạng Sơn")
            }
            _ = try await agency("BHXH", "Bảo hiểm xã hội tỉnh Lạng Sơn", .sector, province, phone: "0205 3811 222",
                                 email: "bhxh@langson.gov.vn", address: "Phường Chi Lăng, tỉnh Lạng Sơn")
            _ = try await agency("TTCNTT-SYT", "Trung tâm Công nghệ thông tin Y tế", .publicServiceUnit, created["SYT"],
                                 phone: "0205 3811 333", email: "cntt.syt@langson.gov.vn", address: "Phường Đông Kinh, tỉnh Lạng Sơn")
            let communes: [(String, String, AgencyKind)] = [
                ("P-DK", "Ủy ban nhân dân phường Đông Kinh", .ward), ("P-LVT", "Ủy ban nhân dân phường Lương Văn Tri", .ward),
                ("P-TT", "Ủy ban nhân dân phường Tam Thanh", .ward), ("X-HL", "Ủy ban nhân dân xã Hữu Lũng", .commune),
                ("X-DD", "Ủy ban nhân dân xã Đồng Đăng", .commune), ("X-CL", "Ủy ban nhân dân xã Chi Lăng", .commune),
            ]
            var firstCommune: Agency?
            for (code, name, kind) in communes {
                let commune = try await agency(code, name, kind, province, phone: "0205 3700 \(String(format: "%03d", code.count * 37))",
                                               email: "\(code.lowercased().replacingOccurrences(of: "-", with: ""))@langson.gov.vn",
                                               address: name.replacingOccurrences(of: "Ủy ban nhân dân ", with: "") + ", tỉnh Lạng Sơn")
                if firstCommune == nil { firstCommune = commune }
            }
            let people: [(Role, String, String, Agency?)] = [
                (.admin, "Nguyễn Văn Quản", "quantri@demo.ungcuu.vn", nil),
                (.coordinator, "Trần Thị Điều Phối", "dieuphoi@demo.ungcuu.vn", team),
                (.responder, "Lê Minh Ứng", "ungcuu@demo.ungcuu.vn", team),
                (.agencyOfficer, "Phạm Thu Hà", "chuyentrach.syt@demo.ungcuu.vn", created["SYT"]),
                (.police, "Hoàng Đức An", "pa05@demo.ungcuu.vn", police),
                (.leader, "Vũ Quốc Trưởng", "lanhdao@demo.ungcuu.vn", province),
            ]
            var logins: [Login] = []
            var users: [Role: User] = [:]
            for (role, name, email, agency) in people {
                let user = User(email: email, name: name, phone: "0912 000 00\(logins.count)", role: role, agencyId: agency?.id,
                                passwordHash: finalHashes[role]!)
                try await user.create(on: db)
                users[role] = user
                try await AuditLog.append(AuditEntry("user.create", recordType: "user", recordId: user.id?.uuidString,
                                                     agencyId: agency?.id, after: user.auditSnapshot), by: .system("demo"), on: db)
                logins.append(Login(role: role, email: email, password: passwords[role]!))
            }
            try await DemoSystems.seed(agencies: created, rules: rules, on: db)
            try await DemoResponse.seed(province: province, team: team, agencies: created, rules: rules, on: db)
            try await DemoProactive.seed(rules: rules, on: db)
            try await DemoIncidents.seed(users: users, rules: rules, on: db)
            return logins
        }
        // Detection needs the province in place and writes in transactions of its own (ingestion, the hunt).
        try await DemoDetection.seed(app: app)
        return logins
    }
}

/// `ungcuu demo [--hostname H] [--port P]`: migrates, seeds the demo province when the database
/// is empty (printing the logins once), then serves.
struct DemoCommand: AsyncCommand {
    typealias Signature = ServeCommand.Signature
    var help: String { "Seeds a demo province on an empty database, then serves." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        if let logins = try await DemoSeed.seedIfEmpty(app: app) {
            context.console.print("UngCuu demo province created. These logins are shown only now:")
            for login in logins {
                context.console.print("  \(login.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(login.email)  \(login.password)")
            }
        } else {
            context.console.print("The database already has data; no demo accounts were created.")
        }
        try await ServerStart.prepare(app)
        try await app.servers.asyncCommand.run(using: context, signature: signature)
    }
}
