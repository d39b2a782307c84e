import Foundation
import Domain
import Fluent
import SQLKit
import Vapor

/// Team changes shared by pages and API: each with its audit event and refreshed duties in one transaction.
enum TeamService {
    static let decisionRecordType = "team_decision"

    static func create(_ input: TeamInput, req: Request) async throws -> ResponseTeam {
        let subject = try req.requireSubject()
        let valid = try await input.validate(subject: subject, on: req.db)
        let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let rules = req.application.rules
        return try await req.write { db in
            let team = ResponseTeam()
            apply(valid, to: team)
            team.version = 1
            try await team.create(on: db)
            let id = try team.requireID()
            _ = try await StoredFileService.record(files, recordType: decisionRecordType, recordId: id, agencyId: valid.agencyId, actor: actor, on: db)
            try await AuditLog.append(AuditEntry("team.create", recordType: "team", recordId: id.uuidString, agencyId: valid.agencyId,
                                                 after: team.auditSnapshot), by: actor, on: db)
            try await ResponseObligationRefresher.refreshTeams([id], rules: rules, on: db)
            return team
        }
    }

    static func update(_ team: ResponseTeam, with input: TeamInput, req: Request) async throws -> ResponseTeam {
        let subject = try req.requireSubject()
        let id = try team.requireID()
        try await authorizeManage(team, req: req)
        if let opened = input.version, opened != team.version { throw AppError.conflict("team_changed", messageKey: "teams.changedMeanwhile") }
        let valid = try await input.validate(subject: subject, on: req.db)
        let files = try StoredFileService.accept(input.files ?? [], limit: req.application.config.maxUploadBytes)
        try StoredFileService.writeBytes(files, dataDirectory: req.application.config.dataDirectory)
        let actor = req.auditActor
        let rules = req.application.rules
        let before = team.auditSnapshot
        let expected = team.version
        try await req.write { db in
            // Claimed with a conditional update, so two edits from the same version cannot both pass.
            let claimed = try await (db as! any SQLDatabase).raw("""
                UPDATE response_teams SET version = version + 1 WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING version
                """).all()
            guard claimed.count == 1 else { throw AppError.conflict("team_changed", messageKey: "teams.changedMeanwhile") }
            apply(valid, to: team)
            team.version = expected + 1
            try await team.save(on: db)
            _ = try await StoredFileService.record(files, recordType: decisionRecordType, recordId: id, agencyId: valid.agencyId, actor: actor, on: db)
            try await AuditLog.append(AuditEntry("team.update", recordType: "team", recordId: id.uuidString, agencyId: valid.agencyId,
                                                 before: before, after: team.auditSnapshot), by: actor, on: db)
            try await ResponseObligationRefresher.refreshTeams([id], rules: rules, on: db)
        }
        return team
    }

    static func delete(_ team: ResponseTeam, req: Request) async throws {
        let id = try team.requireID()
        try await authorizeManage(team, req: req)
        let actor = req.auditActor
        try await req.write { db in
            try await Obligation.query(on: db).filter(\.$subjectId == id).delete()
            try await StoredFile.query(on: db).filter(\.$recordType == decisionRecordType).filter(\.$recordId == id).delete()
            try await team.delete(on: db)
            try await AuditLog.append(AuditEntry("team.delete", recordType: "team", recordId: id.uuidString, agencyId: team.agencyId,
                                                 before: team.auditSnapshot), by: actor, on: db)
        }
    }

    // MARK: members

    static func addMember(_ input: MemberInput, to team: ResponseTeam, req: Request) async throws -> TeamMember {
        let id = try team.requireID()
        try await authorizeManage(team, req: req)
        let rules = req.application.rules
        let valid = try input.validate(rules: rules.responseObligations())
        let actor = req.auditActor
        return try await req.write { db in
            let position = (try await TeamMember.query(on: db).filter(\.$teamId == id).max(\.$position) ?? -1) + 1
            let member = TeamMember()
            member.teamId = id
            member.position = position
            apply(valid, to: member)
            try await member.create(on: db)
            try await AuditLog.append(AuditEntry("team.member.add", recordType: "team", recordId: id.uuidString, agencyId: team.agencyId,
                                                 after: ["member": valid.name, "teamRole": valid.teamRole, "expert": String(valid.expert)]), by: actor, on: db)
            try await ResponseObligationRefresher.refreshTeams([id], rules: rules, on: db)
            return member
        }
    }

    static func updateMember(_ member: TeamMember, in team: ResponseTeam, with input: MemberInput, req: Request) async throws {
        let id = try team.requireID()
        try await authorizeManage(team, req: req)
        let rules = req.application.rules
        let valid = try input.validate(rules: rules.responseObligations())
        let actor = req.auditActor
        let before: [String: String?] = ["member": member.name, "teamRole": member.teamRole, "expert": String(member.expert)]
        try await req.write { db in
            apply(valid, to: member)
            try await member.save(on: db)
            try await AuditLog.append(AuditEntry("team.member.update", recordType: "team", recordId: id.uuidString, agencyId: team.agencyId,
                                                 before: before, after: ["member": valid.name, "teamRole": valid.teamRole, "expert": String(valid.expert)]),
                                      by: actor, on: db)
            try await ResponseObligationRefresher.refreshTeams([id], rules: rules, on: db)
        }
    }

    static func deleteMember(_ member: TeamMember, in team: ResponseTeam, req: Request) async throws {
        let id = try team.requireID()
        try await authorizeManage(team, req: req)
        let rules = req.application.rules
        let actor = req.auditActor
        try await req.write { db in
            try await member.delete(on: db)
            try await AuditLog.append(AuditEntry("team.member.delete", recordType: "team", recordId: id.uuidString, agencyId: team.agencyId,
                                                 before: ["member": member.name]), by: actor, on: db)
            try await ResponseObligationRefresher.refreshTeams([id], rules: rules, on: db)
        }
    }

    // MARK: lookups

    /// The team, or 404 when it does not exist or the caller may not see it.
    static func find(_ req: Request) async throws -> ResponseTeam {
        let subject = try req.requireSubject()
        guard let id = req.parameters.get("id", as: UUID.self), let team = try await ResponseTeam.visible(id, to: subject, on: req.db) else {
            throw AppError.notFound
        }
        return team
    }

    static func findMember(_ req: Request, in team: ResponseTeam) async throws -> TeamMember {
        guard let mid = req.parameters.get("mid", as: UUID.self),
              let member = try await TeamMember.query(on: req.db).filter(\.$id == mid).filter(\.$teamId == team.requireID()).first() else {
            throw AppError.notFound
        }
        return member
    }

    static func members(of team: ResponseTeam, on db: any Database) async throws -> [TeamMember] {
        try await TeamMember.query(on: db).filter(\.$teamId == team.requireID()).sort(\.$position).all()
    }

    /// 403 when the caller sees the team but may not change it (audited), as elsewhere.
    static func authorizeManage(_ team: ResponseTeam, req: Request) async throws {
        let subject = try req.requireSubject()
        if Policy.canManage(team: team.kind, agencyId: team.agencyId, subject: subject) { return }
        try await req.audit(AuditEntry("access.denied", recordType: "team", recordId: team.id?.uuidString,
                                       details: ["action": Action.manageTeams.rawValue, "path": req.url.path, "method": req.method.rawValue]))
        throw AppError.forbidden
    }

    private static func apply(_ v: TeamInput.Valid, to team: ResponseTeam) {
        team.name = v.name
        team.kind = v.kind
        team.agencyId = v.agencyId
        team.decisionNumber = v.decisionNumber
        team.decisionDate = v.decisionDate
        team.validFrom = v.validFrom
        team.validTo = v.validTo
        team.notes = v.notes
    }

    private static func apply(_ v: MemberInput.Valid, to m: TeamMember) {
        m.name = v.name
        m.organisation = v.organisation
        m.teamRole = v.teamRole
        m.expert = v.expert
        m.outsourced = v.outsourced
        m.skills = v.skills
        m.certifications = v.certifications
        m.phone = v.phone
        m.email = v.email
    }
}
