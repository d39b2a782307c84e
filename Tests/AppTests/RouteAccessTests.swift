import Domain
import Foundation
import Testing
import VaporTesting
@testable import App

@Suite struct RouteAccessTests {
    static func path(of route: Route) -> String {
        "/" + route.path.map { component in
            if case .parameter = component { return UUID().uuidString } else { return component.description }
        }.joined(separator: "/")
    }

    @Test func everyNonPublicRouteRefusesAnonymousCallers() async throws {
        try await withTestApp { app in
            for route in app.routes.all {
                guard let access = route.userInfo[Access.userInfoKey] as? Access else {
                    Issue.record("route \(route.description) declares no access rule"); continue
                }
                if access == .open { continue }
                let path = Self.path(of: route)
                try await app.testing().test(route.method, path) { res in
                    if path.hasPrefix("/api/") {
                        #expect(res.status == .unauthorized, "\(route.method) \(path)")
                    } else {
                        #expect(res.status == .seeOther, "\(route.method) \(path)")
                        #expect(res.headers.first(name: .location)?.hasPrefix("/signin") == true, "\(route.method) \(path)")
                    }
                }
            }
        }
    }

    @Test func roleRestrictedRoutesRefuseTheWrongRoles() async throws {
        try await withTestApp { app in
            let agency = try await Make.agency(app)
            for role in Role.allCases {
                let user = try await Make.user(app, role: role, agency: agency)
                let bearer = try await Make.token(app, for: user)
                let (cookie, csrf) = try await Make.session(app, for: user)
                let subject = try await SubjectLoader.subject(for: user, on: app.db)
                for route in app.routes.all {
                    guard case .action(let action)? = route.userInfo[Access.userInfoKey] as? Access,
                          !Policy.can(subject, action) else { continue }
                    let path = Self.path(of: route)
                    let isAPI = path.hasPrefix("/api/")
                    try await app.testing().test(route.method, path, headers: isAPI ? bearer : cookie, beforeRequest: { req in
                        if !isAPI && route.method == .POST { try req.content.encode(["_csrf": csrf], as: .urlEncodedForm) }
                    }) { res in
                        #expect(res.status == .forbidden, "\(role) \(route.method) \(path)")
                    }
                }
            }
        }
    }

    @Test func pagesSendSecurityHeaders() async throws {
        try await withTestApp { app in
            try await app.testing(method: .running(port: 0)).test(.GET, "/signin") { res in
                let csp = res.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(res.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(res.headers.first(name: "Referrer-Policy") != nil)
                #expect(res.headers.contentType?.description.contains("charset=utf-8") == true)
            }
        }
    }

    @Test func healthAndReadinessAnswerWithoutSigningIn() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/healthz") { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/readyz") { #expect($0.status == .ok) }
        }
    }

    @Test func metricsNeedAnAdministratorTokenOffLoopback() async throws {
        try await withTestApp { app in
            let officer = try await Make.user(app, role: .agencyOfficer, agency: try await Make.agency(app))
            let admin = try await Make.user(app, role: .admin)
            try await app.testing().test(.GET, "/metrics") { #expect($0.status == .unauthorized) }
            try await app.testing().test(.GET, "/metrics", headers: try await Make.token(app, for: officer)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/metrics", headers: try await Make.token(app, for: admin)) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("ungcuu_http_requests_total"))
                #expect(res.body.string.contains("ungcuu_http_request_duration_seconds_bucket"))
                #expect(res.body.string.contains("ungcuu_db_ping_seconds"))
            }
        }
    }
}

@Suite struct OpenAPITests {
    @Test func documentAndRegisteredAPIRoutesAgree() async throws {
        try await withTestApp { app in
            let registered = Set(app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                route.method.rawValue.lowercased() + " /" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" } else { return component.description }
                }.joined(separator: "/")
            })
            var documented = Set<String>()
            try await app.testing().test(.GET, "/api/v1/openapi.json") { res in
                #expect(res.status == .ok)
                let doc = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: Any]
                #expect(doc["openapi"] as? String == "3.1.0")
                for (path, methods) in doc["paths"] as! [String: [String: Any]] {
                    for method in methods.keys { documented.insert(method + " " + path) }
                }
            }
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented))")
            #expect(documented.subtracting(registered).isEmpty, "documented but missing: \(documented.subtracting(registered))")
        }
    }
}

@Suite struct CatalogueTests {
    @Test func vietnameseAndEnglishHaveTheSameKeys() {
        let catalogue = Catalog.shared
        #expect(Set(catalogue.entries[.vi]!.keys) == Set(catalogue.entries[.en]!.keys))
    }

    @Test func everyKeyUsedInTheSourceExists() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // Only the App speaks through the catalogue; Domain and Formats carry their own bilingual text.
        let sources = root.appendingPathComponent("Sources/App")
        let keys = Set(Catalog.shared.entries[.vi]!.keys)
        let prefixes = ["account.", "agencies.", "agency.has", "audit.", "common.", "error.", "field.", "flash.", "form.", "home.", "layout.",
                        "nav.", "password.", "settings.", "signin.", "table.", "tokens.", "twofactor.", "users.", "validation.",
                        "systems.", "components.", "controls.", "dossier.", "wizard.", "inventory.", "obligations.", "authorities.", "assessments.",
                        "history.", "rules.", "files.", "file.", "tabular."]
        let pattern = try NSRegularExpression(pattern: "\"([a-zA-Z]+\\.[a-zA-Z.]+)\"")
        var missing: [String] = []
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if prefixes.contains(where: key.hasPrefix), !key.hasPrefix("audit.verify"), !keys.contains(key),
                   !key.hasSuffix(".swift"), !key.hasSuffix(".csv") { missing.append(key) }
            }
        }
        #expect(missing.isEmpty, "missing catalogue keys: \(missing)")
        for prefix in ["role.", "agencyKind.", "userStatus."] {
            let cases: [String] = switch prefix {
            case "role.": Role.allCases.map(\.rawValue)
            case "agencyKind.": AgencyKind.allCases.map(\.rawValue)
            default: User.Status.allCases.map(\.rawValue)
            }
            for value in cases { #expect(keys.contains(prefix + value), "\(prefix + value)") }
        }
        let enums: [String: [String]] = [
            "functionType.": FunctionType.allCases.map(\.rawValue), "infoClass.": InformationClass.allCases.map(\.rawValue),
            "onlineService.": OnlineServiceLevel.allCases.map(\.rawValue), "infraScope.": InfrastructureScope.allCases.map(\.rawValue),
            "ics.": IndustrialControlCriticality.allCases.map(\.rawValue), "lifecycle.": LifecycleStatus.allCases.map(\.rawValue),
            "hosting.": HostingKind.allCases.map(\.rawValue), "obligationState.": ObligationState.allCases.map(\.rawValue),
            "dossierState.": DossierState.allCases.map(\.rawValue), "dossierTransition.": DossierTransition.allCases.map(\.rawValue),
            "flash.dossier_": DossierTransition.allCases.map(\.rawValue), "controlStatus.": ControlStatus.allCases.map(\.rawValue),
            "planStatus.": PlanStatus.allCases.map(\.rawValue), "confidence.": Confidence.allCases.map(\.rawValue),
            "controlFamily.": ControlFamily.allCases.map(\.rawValue),
        ]
        for (prefix, values) in enums {
            for value in values { #expect(keys.contains(prefix + value), "\(prefix + value)") }
        }
    }
}
