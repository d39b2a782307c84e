import Foundation
import Detection
import Domain
import Fluent
import Vapor

/// Detection in the demo province: four Sigma rules written for UngCuu (`Resources/demo-rules/`: encoded PowerShell,
/// whoami by a service account, a new local administrator, the Security log cleared) imported and enabled; a few hundred
/// Windows events of two systems (the health records system of the health department and the document system of the
/// People's Committee office) stored through the event ingestion path, so continuous detection raises its alerts; and one
/// finished hunt over the document system (rules and indicators), which records its threat hunt. Quick: a second or two.
enum DemoDetection {
    static let rulesFolder = "Resources/demo-rules"
    /// Indicators of the demo's intrusion (documentation ranges and reserved names, never real ones).
    static let badIP = "203.0.113.66"
    static let badDomain = "update-check.example.org"

    static func seed(app: Application, now: Date = Date()) async throws {
        let folder = Bundle.module.bundleURL.appendingPathComponent(rulesFolder)
        let collected = RuleImport.collect(paths: [folder])
        _ = try await RuleImport.run(collected, actor: .system("demo"), app: app)

        guard let records = try await InformationSystem.query(on: app.db).filter(\.$code == "SYT-HSSK").first(),
              let documents = try await InformationSystem.query(on: app.db).filter(\.$code == "VP-QLVB").first() else { return }
        let events = Self.events(records: records, documents: documents, now: now)
        try await EventIngestor.commit(events, app: app)

        // A responder's hunt over the document system, finished.
        guard let responder = try await User.query(on: app.db).filter(\.$role == .responder).first() else { return }
        let subject = try await SubjectLoader.subject(for: responder, on: app.db)
        var input = HuntInput()
        input.name = "Săn lùng định kỳ 6 tháng – Hệ thống quản lý văn bản và điều hành"
        input.purpose = "Kiểm chứng giả thuyết máy chủ web bị chiếm quyền qua tài khoản dịch vụ; dò các dấu hiệu trong cảnh báo của cơ quan chức năng."
        input.ruleMode = "all"
        input.ips = badIP
        input.domains = badDomain
        input.systemIds = [documents.id!.uuidString]
        let valid = try await input.validate(subject: subject, now: now, on: app.db)
        let actor = AuditActor(userId: responder.id, label: "\(responder.name) <\(responder.email)>", clientAddress: nil)
        let hunt = try await HuntService.record(valid, subject: subject, actor: actor, app: app, enqueue: false)
        try await HuntRunner.run(.direct(app: app), huntId: hunt.requireID())
    }

    /// Windows events as the EVTX reader flattens them: mostly ordinary activity, with the traces of an intrusion.
    static func events(records: InformationSystem, documents: InformationSystem, now: Date) -> [IncomingEvent] {
        var generator = SystemRandomNumberGenerator()
        var out: [IncomingEvent] = []
        func add(_ system: InformationSystem, host: String, minutesAgo: Int, _ fields: [String: EventValue]) {
            let time = now.addingTimeInterval(-Double(minutesAgo) * 60)
            var event = FlatEvent(fields: fields)
            event["Computer"] = .string(host)
            event["TimeCreated_SystemTime"] = .string(iso(time))
            let owner = EventIngestor.Owner(agencyId: system.$agency.id, systemId: system.id, sourceId: nil)
            out.append(EventIngestor.incoming(event, owner: owner, receivedAt: now, time: time, host: host))
        }
        func sysmon(_ id: Int64, _ extra: [String: EventValue]) -> [String: EventValue] {
            ["EventID": .int(id), "Channel": .string("Microsoft-Windows-Sysmon/Operational"), "Provider_Name": .string("Microsoft-Windows-Sysmon"),
             "Level": .int(4)].merging(extra) { _, new in new }
        }
        func security(_ id: Int64, provider: String = "Microsoft-Windows-Security-Auditing", _ extra: [String: EventValue]) -> [String: EventValue] {
            ["EventID": .int(id), "Channel": .string("Security"), "Provider_Name": .string(provider), "Level": .int(0)].merging(extra) { _, new in new }
        }
        func process(_ image: String, _ commandLine: String, user: String, parent: String = "C:\\Windows\\explorer.exe") -> [String: EventValue] {
            sysmon(1, ["Image": .string(image), "CommandLine": .string(commandLine), "User": .string(user), "ParentImage": .string(parent),
                       "IntegrityLevel": .string("Medium"), "ProcessId": .int(Int64.random(in: 1000...9000, using: &generator)),
                       "Hashes": .string("SHA256=" + String(repeating: "ab", count: 32))])
        }
        let ordinary: [(String, String)] = [
            ("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p"),
            ("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\""),
            ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -NoProfile -File C:\\Scripts\\sao-luu.ps1"),
            ("C:\\Windows\\System32\\notepad.exe", "notepad.exe C:\\Users\\Public\\ghichu.txt"),
            ("C:\\Program Files\\Microsoft SQL Server\\MSSQL15\\MSSQL\\Binn\\sqlservr.exe", "sqlservr.exe -sMSSQLSERVER"),
        ]
        for (system, hosts) in [(records, ["HSSK-APP01", "HSSK-DB01"]), (documents, ["QLVB-WEB01", "QLVB-APP02"])] {
            for index in 0..<140 {
                let host = hosts[index % hosts.count]
                let minutes = Int.random(in: 60...(20 * 24 * 60), using: &generator)
                switch index % 4 {
                case 0, 1:
                    let (image, line) = ordinary[index % ordinary.count]
                    add(system, host: host, minutesAgo: minutes, process(image, line, user: "LANGSON\\nv.\(["an", "binh", "chi", "dung"][index % 4])"))
                case 2:
                    add(system, host: host, minutesAgo: minutes, security(4624, ["TargetUserName": .string("nv.an"), "LogonType": .int(3),
                                                                               "IpAddress": .string("10.20.1.\(50 + index % 40)")]))
                default:
                    add(system, host: host, minutesAgo: minutes, sysmon(3, ["Image": .string("C:\\Windows\\System32\\svchost.exe"),
                                                                          "DestinationIp": .string("10.0.0.\(index % 20 + 1)"), "DestinationPort": .int(443)]))
                }
            }
        }
        let encoded = "powershell.exe -NoP -W Hidden -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA"
        // The health records system: a service account probing, one encoded command.
        add(records, host: "HSSK-APP01", minutesAgo: 3 * 24 * 60, process("C:\\Windows\\System32\\whoami.exe", "whoami /all", user: "LANGSON\\svc_backup",
                                                                         parent: "C:\\Windows\\System32\\cmd.exe"))
        add(records, host: "HSSK-APP01", minutesAgo: 3 * 24 * 60 - 5,
            process("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", encoded, user: "LANGSON\\svc_backup", parent: "C:\\Windows\\System32\\cmd.exe"))
        // The document system: the intrusion, step by step.
        let web = "QLVB-WEB01"
        add(documents, host: web, minutesAgo: 2 * 24 * 60 + 40, process("C:\\Windows\\System32\\whoami.exe", "whoami", user: "QLVB-WEB01\\svc_iis",
                                                                        parent: "C:\\Windows\\System32\\inetsrv\\w3wp.exe"))
        add(documents, host: web, minutesAgo: 2 * 24 * 60 + 35, process("C:\\Windows\\System32\\whoami.exe", "whoami /priv", user: "QLVB-WEB01\\svc_iis",
                                                                        parent: "C:\\Windows\\System32\\inetsrv\\w3wp.exe"))
        for step in 0..<3 {
            add(documents, host: web, minutesAgo: 2 * 24 * 60 + 30 - step * 7,
                process("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", encoded, user: "QLVB-WEB01\\svc_iis",
                        parent: "C:\\Windows\\System32\\inetsrv\\w3wp.exe"))
        }
        for step in 0..<4 {
            add(documents, host: web, minutesAgo: 2 * 24 * 60 + 20 - step * 3,
                sysmon(3, ["Image": .string("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"), "DestinationIp": .string(badIP),
                           "DestinationPort": .int(8443), "User": .string("QLVB-WEB01\\svc_iis")]))
        }
        add(documents, host: web, minutesAgo: 2 * 24 * 60 + 21,
            sysmon(22, ["Image": .string("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"), "QueryName": .string(badDomain),
                        "QueryResults": .string("::ffff:\(badIP);")]))
        add(documents, host: web, minutesAgo: 2 * 24 * 60 + 10,
            security(4732, ["TargetSid": .string("S-1-5-32-544"), "TargetUserName": .string("Administrators"),
                            "MemberSid": .string("S-1-5-21-3623811015-3361044348-30300820-1109"), "SubjectUserName": .string("svc_iis")]))
        add(documents, host: web, minutesAgo: 2 * 24 * 60,
            security(1102, provider: "Microsoft-Windows-Eventlog", ["SubjectUserName": .string("svc_iis"), "SubjectDomainName": .string("QLVB-WEB01")]))
        return out.sorted { $0.time < $1.time }
    }

    private static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
