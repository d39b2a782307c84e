import Detection
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

/// Continuous detection and alerts: grouping by rule, host and window; officers' isolation; triage with the version; promotion
/// to an incident with the events as evidence.
@Suite struct AlertsTests {
    /// A province with two agencies, a system in the first, people of every triage role, and two enabled rules on Windows
    /// Security events: failed logons (high) and a cleared log (low).
    struct World {
        let w: ScanWorld
        let system: InformationSystem
        let failedLogon: DetectionRule
        let logCleared: DetectionRule

        static func make(_ app: Application) async throws -> World {
            let w = try await ScanWorld.make(app)
            let system = try await Make.system(app, agency: w.agency, code: "HT-DET", name: "Cổng dịch vụ công")
            let zip = try SigmaRulesTests.makeZip([
                ("failed.yml", Array(SigmaRulesTests.yaml(id: "det-failed-logon", title: "Failed logon", level: "high", eventId: 4625).utf8)),
                ("cleared.yml", Array(SigmaRulesTests.yaml(id: "det-log-cleared", title: "Security log cleared", level: "low", eventId: 1102,
                                                           tags: ["attack.defense-evasion", "attack.t1070.001"]).utf8)),
            ])
            try await SigmaRulesTests.importAPI(app, zip, headers: w.coordinator)
            return World(w: w, system: system, failedLogon: try await SigmaRulesTests.rule(app, "det-failed-logon"),
                         logCleared: try await SigmaRulesTests.rule(app, "det-log-cleared"))
        }
    }

    /// A Windows Security event as the EVTX reader flattens it.
    static func event(_ eventId: Int, host: String, at time: Date, user: String = "admin") -> FlatEvent {
        FlatEvent(fields: [
            "EventID": .int(Int64(eventId)), "Channel": .string("Security"), "Computer": .string(host),
            "Provider_Name": .string("Microsoft-Windows-Security-Auditing"),
            "TimeCreated_SystemTime": .string(ISO8601DateFormatter().string(from: time)), "TargetUserName": .string(user),
        ])
    }

    nonisolated(unsafe) static var nextBatch: Int64 = 1
    static let batchLock = NSLock()

    /// Stores nothing (the event store is another feature's): hands the events to continuous detection as ingestion does,
    /// inside a write transaction.
    @discardableResult
    static func ingest(_ app: Application, _ events: [(FlatEvent, Date)], agency: Agency?, system: InformationSystem? = nil) async throws -> Int {
        let batch = batchLock.withLock {
            let next = nextBatch
            nextBatch += 1
            return next
        }
        let stored = events.enumerated().map { index, item in
            StoredEvent(id: StoredEventID(batch: batch, index: Int32(index)), incoming: IncomingEvent(
                time: item.1, receivedAt: Date(), agencyID: agency?.id, systemID: system?.id, sourceID: nil, host: item.0.host, event: item.0))
        }
        return try await app.write { db in try await ContinuousDetection.process(stored, app: app, on: db) }
    }

    /// A time at the start of an hour (so events a few minutes apart share the window).
    static func hourStart(hoursAgo: Int) -> Date {
        let now = Date().timeIntervalSince1970
        return Date(timeIntervalSince1970: (now / 3600).rounded(.down) * 3600 - Double(hoursAgo) * 3600)
    }

    static func alerts(_ app: Application) async throws -> [DetectionAlert] {
        try await DetectionAlert.query(on: app.db).sort(\.$createdAt).sort(\.$host).all()
    }

    @Test func matchesGroupIntoOneAlertPerRuleHostAndWindowAndLaterBatchesJoinIt() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let w = world.w
            let base = Self.hourStart(hoursAgo: 3)
            // Two failed logons on WS-01 in one hour, an unrelated event, and a cleared log on the same host.
            let matched = try await Self.ingest(app, [
                (Self.event(4625, host: "WS-01", at: base.addingTimeInterval(60)), base.addingTimeInterval(60)),
                (Self.event(4625, host: "WS-01", at: base.addingTimeInterval(120)), base.addingTimeInterval(120)),
                (Self.event(4624, host: "WS-01", at: base.addingTimeInterval(180)), base.addingTimeInterval(180)),
                (Self.event(1102, host: "WS-01", at: base.addingTimeInterval(240)), base.addingTimeInterval(240)),
            ], agency: w.agency, system: world.system)
            #expect(matched == 3)
            var alerts = try await Self.alerts(app)
            #expect(alerts.count == 2)
            let failed = try #require(alerts.first { $0.ruleId == world.failedLogon.id })
            #expect(failed.eventCount == 2 && failed.host == "WS-01" && failed.agencyId == w.agency.id && failed.systemId == world.system.id)
            #expect(failed.status == "new" && failed.level == "high")
            #expect(failed.windowStart == base && failed.windowEnd == base.addingTimeInterval(3600))
            #expect(try await AlertEvent.query(on: app.db).filter(\.$alertId == failed.id!).count() == 2)
            // A second batch: same host (other case), same hour → the same alert; another host → another alert; next hour → another.
            try await Self.ingest(app, [
                (Self.event(4625, host: "ws-01", at: base.addingTimeInterval(1800)), base.addingTimeInterval(1800)),
                (Self.event(4625, host: "WS-02", at: base.addingTimeInterval(1800)), base.addingTimeInterval(1800)),
                (Self.event(4625, host: "WS-01", at: base.addingTimeInterval(3700)), base.addingTimeInterval(3700)),
            ], agency: w.agency, system: world.system)
            alerts = try await Self.alerts(app)
            #expect(alerts.count == 4)
            let joined = try #require(try await DetectionAlert.find(failed.id, on: app.db))
            #expect(joined.eventCount == 3 && joined.lastEventAt == base.addingTimeInterval(1800) && joined.version == 1)
            let positions = try await AlertEvent.query(on: app.db).filter(\.$alertId == failed.id!).sort(\.$position).all()
            #expect(positions.map(\.position) == [0, 1, 2])
            #expect(positions.first?.eventRef.contains("-0") == true)
            #expect(positions.first?.snapshot.contains("\"Computer\"") == true)
            #expect(alerts.filter { $0.ruleId == world.failedLogon.id }.count == 3)
            // The rule counts its hits.
            let rule = try await SigmaRulesTests.rule(app, "det-failed-logon")
            #expect(rule.hitCount == 5 && rule.lastHitAt != nil)
            // A disabled rule stops raising alerts at once (this instance changed it).
            try await app.testing().test(.PATCH, SiteURL.api(.sigmaRules(.one(.value(rule.id!)))).path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["enabled": false, "version": rule.version])
            }) { res in #expect(res.status == .ok) }
            #expect(try await Self.ingest(app, [(Self.event(4625, host: "WS-09", at: base), base)], agency: w.agency) == 0)
        }
    }

    @Test func keptEventsAreCappedWhileTheCountKeepsGrowing() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let base = Self.hourStart(hoursAgo: 2)
            let many = (0..<(ContinuousDetection.maxEventsPerAlert + 30)).map { i -> (FlatEvent, Date) in
                let t = base.addingTimeInterval(Double(i))
                return (Self.event(4625, host: "SRV-DB", at: t), t)
            }
            try await Self.ingest(app, Array(many.prefix(150)), agency: world.w.agency)
            try await Self.ingest(app, Array(many.dropFirst(150)), agency: world.w.agency)
            let alert = try #require(try await Self.alerts(app).first)
            #expect(alert.eventCount == ContinuousDetection.maxEventsPerAlert + 30)
            #expect(try await AlertEvent.query(on: app.db).filter(\.$alertId == alert.id!).count() == ContinuousDetection.maxEventsPerAlert)
        }
    }

    @Test func officersSeeOnlyTheirAgenciesAlertsAndUnknownSourcesAreCoordinatorsOnly() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let w = world.w
            let t = Self.hourStart(hoursAgo: 1)
            try await Self.ingest(app, [(Self.event(4625, host: "HEALTH-01", at: t), t)], agency: w.agency)
            try await Self.ingest(app, [(Self.event(4625, host: "FIN-01", at: t), t), (Self.event(1102, host: "FIN-01", at: t), t)], agency: w.otherAgency)
            try await Self.ingest(app, [(Self.event(4625, host: "UNKNOWN-01", at: t), t)], agency: nil)
            let all = try await Self.alerts(app)
            #expect(all.count == 4)
            let mine = try #require(all.first { $0.host == "HEALTH-01" })
            let theirs = try #require(all.first { $0.host == "FIN-01" })
            let unknown = try #require(all.first { $0.host == "UNKNOWN-01" })
            func hosts(_ headers: HTTPHeaders, _ query: [String: String] = [:]) async throws -> (hosts: [String], counts: [String: Int]) {
                var out: ([String], [String: Int]) = ([], [:])
                try await app.testing().test(.GET, SiteURL.api(.alerts(.list)).path(query: query), headers: headers) { res in
                    #expect(res.status == .ok, "\(res.body.string)")
                    let body = try JSONBody.object(res)
                    out = ((body["items"] as? [[String: Any]] ?? []).compactMap { $0["host"] as? String }.sorted(), body["counts"] as? [String: Int] ?? [:])
                }
                return out
            }
            let officer = try await hosts(w.officer)
            #expect(officer.hosts == ["HEALTH-01"])
            #expect(officer.counts["new"] == 1, "counts never include another agency's alerts")
            #expect(try await hosts(w.otherOfficer).hosts == ["FIN-01", "FIN-01"])
            let coordinator = try await hosts(w.coordinator)
            #expect(coordinator.hosts == ["FIN-01", "FIN-01", "HEALTH-01", "UNKNOWN-01"] && coordinator.counts["new"] == 4)
            #expect(try await hosts(w.coordinator, ["agency": "none"]).hosts == ["UNKNOWN-01"])
            #expect(try await hosts(w.leader, ["level": "low"]).hosts == ["FIN-01"])
            #expect(try await hosts(w.officer, ["agency": w.otherAgency.id!.uuidString]).hosts.isEmpty)
            // Another agency's alert and an unknown source's: 404 for the officer, on pages and the API alike.
            for alert in [theirs, unknown] {
                try await app.testing().test(.GET, SiteURL.api(.alerts(.one(.value(alert.id!)))).path, headers: w.officer) { res in
                    #expect(res.status == .notFound)
                }
                try await app.testing().test(.GET, SiteURL.alerts(.show(.value(alert.id!))).path, headers: w.officerSession.headers) { res in
                    #expect(res.status == .notFound)
                }
                try await app.testing().test(.POST, SiteURL.api(.alerts(.triage(.value(alert.id!)))).path, headers: w.officer, beforeRequest: { req in
                    JSONBody.set(&req, ["action": "acknowledge", "version": 1])
                }) { res in #expect(res.status == .notFound) }
            }
            try await app.testing().test(.GET, SiteURL.alerts(.index).path, headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("HEALTH-01"))
                #expect(!res.body.string.contains("FIN-01") && !res.body.string.contains("UNKNOWN-01"))
                #expect(res.statNumbers(section: "alert-counts") == [1, 0, 0, 0])
            }
            try await app.testing().test(.GET, SiteURL.alerts(.show(.value(mine.id!))).path, headers: w.officerSession.headers) { res in
                #expect(res.status == .ok)
                #expect(res.element(id: "alert-host") == "HEALTH-01")
                #expect(res.body.string.contains("id=\"alert-events\""))
                #expect(res.body.string.contains("TargetUserName"))
            }
            // The rule page counts only what the reader may see.
            try await app.testing().test(.GET, SiteURL.sigmaRules(.show(.value(world.failedLogon.id!))).path, headers: w.officerSession.headers) { res in
                #expect(res.body.string.contains("HEALTH-01") && !res.body.string.contains("FIN-01"))
            }
            // Bulk with an alert the officer cannot see: 404, nothing changed.
            try await app.testing().test(.POST, SiteURL.api(.alerts(.bulk)).path, headers: w.officer, beforeRequest: { req in
                JSONBody.set(&req, ["action": "acknowledge", "ids": [mine.id!.uuidString, theirs.id!.uuidString]])
            }) { res in #expect(res.status == .notFound) }
            #expect(try await DetectionAlert.find(mine.id, on: app.db)?.status == "new")
        }
    }

    @Test func highAlertsNotifyTheAgencysOfficersAndTheCoordinators() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let w = world.w
            let t = Self.hourStart(hoursAgo: 1)
            let coordinatorId = try #require(try await User.query(on: app.db).filter(\.$role == .coordinator).first()?.id)
            try await Self.ingest(app, [(Self.event(4625, host: "HEALTH-02", at: t), t)], agency: w.agency)
            let rows = try await UserNotification.query(on: app.db).all()
            let recipients = Set(rows.map { $0.$user.id })
            #expect(recipients.contains(w.officerUser.id!) && recipients.contains(coordinatorId))
            #expect(rows.allSatisfy { $0.kind == .detectionAlert })
            let otherOfficer = try #require(try await User.query(on: app.db).filter(\.$role == .agencyOfficer).filter(\.$agency.$id == w.otherAgency.id!).first())
            #expect(!recipients.contains(otherOfficer.id!))
            // Joining the open alert, and low alerts, notify nobody.
            try await Self.ingest(app, [(Self.event(4625, host: "HEALTH-02", at: t), t), (Self.event(1102, host: "HEALTH-02", at: t), t)], agency: w.agency)
            #expect(try await UserNotification.query(on: app.db).count() == rows.count)
        }
    }

    @Test func triageNeedsTheVersionAndAFalsePositiveNeedsAReason() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let w = world.w
            let t = Self.hourStart(hoursAgo: 1)
            try await Self.ingest(app, [(Self.event(4625, host: "HEALTH-03", at: t), t)], agency: w.agency)
            let alert = try #require(try await Self.alerts(app).first)
            let path = SiteURL.api(.alerts(.triage(.value(alert.id!)))).path
            func triage(_ body: [String: Any], headers: HTTPHeaders, expect status: HTTPStatus) async throws -> [String: Any] {
                var out: [String: Any] = [:]
                try await app.testing().test(.POST, path, headers: headers, beforeRequest: { req in JSONBody.set(&req, body) }) { res in
                    #expect(res.status == status, "\(body): \(res.body.string)")
                    out = (try? JSONBody.object(res)) ?? [:]
                }
                return out
            }
            _ = try await triage(["action": "acknowledge"], headers: w.officer, expect: .preconditionRequired)
            _ = try await triage(["action": "acknowledge", "version": 5], headers: w.officer, expect: .conflict)
            _ = try await triage(["action": "archive", "version": 1], headers: w.officer, expect: .unprocessableEntity)
            _ = try await triage(["action": "acknowledge", "version": 1], headers: w.leader, expect: .forbidden)
            let acknowledged = try await triage(["action": "acknowledge", "version": 1], headers: w.officer, expect: .ok)
            #expect(acknowledged["status"] as? String == "acknowledged" && acknowledged["version"] as? Int == 2)
            // The alert stays open: new events still join it, without changing its version.
            try await Self.ingest(app, [(Self.event(4625, host: "HEALTH-03", at: t), t)], agency: w.agency)
            #expect(try await DetectionAlert.find(alert.id, on: app.db)?.eventCount == 2)
            let fpError = try await triage(["action": "false_positive", "version": 2], headers: w.officer, expect: .unprocessableEntity)
            #expect(((fpError["error"] as? [String: Any])?["fields"] as? [String: String])?["reason"] != nil)
            let fp = try await triage(["action": "false_positive", "version": 2, "reason": "Quét mật khẩu định kỳ của bộ phận CNTT"], headers: w.officer,
                                      expect: .ok)
            #expect(fp["status"] as? String == "false_positive" && fp["falsePositiveReason"] as? String == "Quét mật khẩu định kỳ của bộ phận CNTT")
            #expect((fp["history"] as? [[String: Any]])?.map { $0["action"] as? String } == ["acknowledge", "false_positive"])
            let closed = try await triage(["action": "acknowledge", "version": 3], headers: w.officer, expect: .conflict)
            #expect((closed["error"] as? [String: Any])?["code"] as? String == "alert_closed")
            // A closed alert takes no more events: the next match of that host and hour opens a new one.
            try await Self.ingest(app, [(Self.event(4625, host: "HEALTH-03", at: t), t)], agency: w.agency)
            let all = try await Self.alerts(app)
            #expect(all.count == 2 && all.filter { $0.status == "new" }.count == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["alert.acknowledge", "alert.false_positive"]).count() == 2)
            // The page form: a stale version shows the alert as it is now.
            let session = w.officerSession
            let fresh = try #require(all.first { $0.status == "new" })
            try await app.testing().test(.POST, SiteURL.alerts(.triage(.value(fresh.id!))).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("action", "acknowledge"), ("version", "7")])
            }) { res in
                #expect(res.status == .conflict)
                #expect(res.element(id: "form-errors") != nil)
            }
            try await app.testing().test(.POST, SiteURL.alerts(.triage(.value(fresh.id!))).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("action", "acknowledge"), ("version", "1")])
            }) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location)?.contains("done=alertAcknowledged") == true)
            }
        }
    }

    @Test func bulkAcknowledgeAndFalsePositiveFromTheList() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let w = world.w
            let t = Self.hourStart(hoursAgo: 1)
            try await Self.ingest(app, [(Self.event(4625, host: "A", at: t), t), (Self.event(4625, host: "B", at: t), t),
                                        (Self.event(4625, host: "C", at: t), t)], agency: w.agency)
            let alerts = try await Self.alerts(app)
            let session = w.coordinatorSession
            let ids = alerts.prefix(2).map { ("ids[]", $0.id!.uuidString) }
            try await app.testing().test(.POST, SiteURL.alerts(.bulk).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("action", "false_positive"), ("next", "/alerts")] + ids)
            }) { res in
                #expect(res.status == .unprocessableEntity, "a reason is required")
                #expect(res.element(id: "bulk-reason-error") != nil)
            }
            try await app.testing().test(.POST, SiteURL.alerts(.bulk).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("action", "false_positive"), ("reason", "Máy thử nghiệm"), ("next", "/alerts")] + ids)
            }) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/alerts?done=alertsBulkChanged&changed=2&unchanged=0")
            }
            try await app.testing().test(.POST, SiteURL.api(.alerts(.bulk)).path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["action": "acknowledge", "ids": alerts.map { $0.id!.uuidString }])
            }) { res in
                let body = try JSONBody.object(res)
                #expect(body["changed"] as? Int == 1 && body["unchanged"] as? Int == 2)
            }
            let statuses = try await Self.alerts(app).map(\.status).sorted()
            #expect(statuses == ["acknowledged", "false_positive", "false_positive"])
        }
    }

    @Test func promotingAnAlertCreatesAnIncidentWithItsEventsAsEvidence() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let w = world.w
            let t = Self.hourStart(hoursAgo: 1)
            try await Self.ingest(app, [(Self.event(4625, host: "PORTAL-01", at: t.addingTimeInterval(5)), t.addingTimeInterval(5)),
                                        (Self.event(4625, host: "PORTAL-01", at: t.addingTimeInterval(9), user: "guest"), t.addingTimeInterval(9))],
                                  agency: w.agency, system: world.system)
            let alert = try #require(try await Self.alerts(app).first)
            let session = w.officerSession
            // The officer has no phone on file: the form asks for it, and nothing is created.
            try await app.testing().test(.POST, SiteURL.alerts(.triage(.value(alert.id!))).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("action", "promote"), ("version", "1"), ("categoryCode", "unauthorised_access")])
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.element(id: "promote-contact-phone-error") != nil)
            }
            #expect(try await Incident.query(on: app.db).count() == 0)
            var location = ""
            try await app.testing().test(.POST, SiteURL.alerts(.triage(.value(alert.id!))).path, headers: session.headers, beforeRequest: { req in
                FormBody.set(&req, [("_csrf", session.csrf), ("action", "promote"), ("version", "1"), ("categoryCode", "unauthorised_access"),
                                    ("contactPhone", "0912345678")])
            }) { res in
                #expect(res.status == .seeOther, "\(res.body.string.prefix(500))")
                location = res.headers.first(name: .location) ?? ""
            }
            let incident = try #require(try await Incident.query(on: app.db).first())
            #expect(location.hasPrefix(SiteURL.incidents(.show(.value(incident.id!))).path))
            #expect(incident.title == "Failed logon — PORTAL-01" && incident.agencyId == w.agency.id)
            #expect(abs(incident.detectedAt.timeIntervalSince(t.addingTimeInterval(5))) < 1)
            #expect(incident.description.contains("det-failed-logon") && incident.description.contains("PORTAL-01"))
            #expect(try await IncidentSystem.query(on: app.db).filter(\.$incidentId == incident.id!).first()?.systemId == world.system.id)
            // The alert is promoted and linked.
            let promoted = try #require(try await DetectionAlert.find(alert.id, on: app.db))
            #expect(promoted.status == "promoted" && promoted.incidentId == incident.id && promoted.version == 2)
            // The evidence: a JSON-lines file of the two events, stored and attached to the case.
            let evidence = try #require(try await IncidentEvidence.query(on: app.db).filter(\.$incidentId == incident.id!).first())
            let file = try #require(try await StoredFile.find(evidence.fileId, on: app.db))
            #expect(file.originalName.hasSuffix(".jsonl") && file.recordType == "incident_evidence")
            let bytes = try Data(contentsOf: StoredFileService.path(for: file.sha256, dataDirectory: app.config.dataDirectory))
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.last?.contains("\"guest\"") == true)
            // The case page shows the evidence; the alert page links to the case.
            try await app.testing().test(.GET, SiteURL.incidents(.show(.value(incident.id!))).path, headers: session.headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(file.originalName))
            }
            try await app.testing().test(.GET, SiteURL.alerts(.show(.value(alert.id!))).path, headers: session.headers) { res in
                #expect(res.body.string.contains("id=\"alert-incident\""))
                #expect(!res.body.string.contains("id=\"triage-card\""), "a closed alert has no triage forms")
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "alert.promote").count() == 1)
            // Promoting again: closed.
            try await app.testing().test(.POST, SiteURL.api(.alerts(.triage(.value(alert.id!)))).path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["action": "promote", "version": 2, "incident": ["contactPhone": "0912345678"]])
            }) { res in #expect(res.status == .conflict) }
            #expect(try await Incident.query(on: app.db).count() == 1)
        }
    }

    @Test func promotingThroughTheAPIWithAStaleVersionCreatesNothing() async throws {
        try await withTestApp { app in
            let world = try await World.make(app)
            let w = world.w
            let t = Self.hourStart(hoursAgo: 1)
            // An unknown source: the coordinator names the agency responsible.
            try await Self.ingest(app, [(Self.event(1102, host: "LAPTOP-7", at: t), t)], agency: nil)
            let alert = try #require(try await Self.alerts(app).first)
            let path = SiteURL.api(.alerts(.triage(.value(alert.id!)))).path
            let incidentFields: [String: Any] = ["contactPhone": "0987654321", "agencyId": w.otherAgency.id!.uuidString]
            try await app.testing().test(.POST, path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["action": "promote", "version": 4, "incident": incidentFields])
            }) { res in #expect(res.status == .conflict) }
            #expect(try await Incident.query(on: app.db).count() == 0)
            try await app.testing().test(.POST, path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["action": "promote", "version": 1, "incident": ["contactPhone": "0987654321"]])
            }) { res in
                #expect(res.status == .unprocessableEntity, "no agency: \(res.body.string)")
                let fields = try JSONBody.error(res).fields
                #expect(fields["agencyId"] != nil)
            }
            try await app.testing().test(.POST, path, headers: w.coordinator, beforeRequest: { req in
                JSONBody.set(&req, ["action": "promote", "version": 1, "incident": incidentFields])
            }) { res in
                #expect(res.status == .created, "\(res.body.string)")
                let body = try JSONBody.object(res)
                #expect(body["status"] as? String == "promoted" && body["incidentId"] as? String != nil)
            }
            let incident = try #require(try await Incident.query(on: app.db).first())
            #expect(incident.agencyId == w.otherAgency.id && incident.categoryCode == "unauthorised_access")
            #expect(try await IncidentEvidence.query(on: app.db).filter(\.$incidentId == incident.id!).count() == 1)
        }
    }
}
