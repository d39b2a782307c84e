import Foundation
import Domain
import Fluent
import Vapor

/// Response team pages.
enum TeamsController {
    static func index(req: Request) async throws -> Page {
        TeamsIndex.View(req: req, model: try await TeamsIndex.query(subject: try req.requireSubject(), on: req.db)).render()
    }

    static func show(req: Request) async throws -> Page {
        try await showPage(req: req, team: try await TeamService.find(req), memberInput: MemberInput(), memberErrors: [:])
    }

    static func new(req: Request) async throws -> Page {
        let subject = try req.requireSubject()
        var input = TeamInput()
        input.kind = subject.role == .coordinator ? TeamKind.provincial.rawValue : TeamKind.agency.rawValue
        input.agencyId = subject.agencyId?.uuidString.lowercased()
        return try await form(req: req, team: nil, input: input, errors: [:])
    }

    static func create(req: Request) async throws -> Response {
        var input = try req.content.decode(TeamInput.self)
        do {
            let team = try await TeamService.create(input, req: req)
            return req.redirect(to: SiteURL.teams(.show(.value(team.id!))).path(query: ["done": "teamCreated"]))
        } catch let error as AppError where error.status == .unprocessableEntity {
            input.files = nil
            return try await form(req: req, team: nil, input: input, errors: error.fields, status: .unprocessableEntity).encodeResponse(for: req)
        }
    }

    static func edit(req: Request) async throws -> Page {
        let team = try await TeamService.find(req)
        try await TeamService.authorizeManage(team, req: req)
        return try await form(req: req, team: team, input: TeamInput(team), errors: [:])
    }

    static func update(req: Request) async throws -> Response {
        let team = try await TeamService.find(req)
        var input = try req.content.decode(TeamInput.self)
        do {
            _ = try await TeamService.update(team, with: input, req: req)
            return req.redirect(to: SiteURL.teams(.show(.value(team.id!))).path(query: ["done": "teamUpdated"]))
        } catch let error as AppError where error.status == .unprocessableEntity || error.code == "team_changed" {
            input.files = nil
            if error.code == "team_changed" { input.version = team.version }
            let fields = error.code == "team_changed" ? ["form": error.messageKey] : error.fields
            return try await form(req: req, team: team, input: input, errors: fields, status: error.status).encodeResponse(for: req)
        }
    }

    static func delete(req: Request) async throws -> Response {
        try await TeamService.delete(try await TeamService.find(req), req: req)
        return req.redirect(to: SiteURL.teams(.index).path(query: ["done": "teamDeleted"]))
    }

    static func addMember(req: Request) async throws -> Response {
        let team = try await TeamService.find(req)
        let input = try req.content.decode(MemberInput.self)
        do {
            _ = try await TeamService.addMember(input, to: team, req: req)
            return req.redirect(to: SiteURL.teams(.show(.value(team.id!))).path(query: ["done": "memberAdded"]) + "#members")
        } catch let error as AppError where error.status == .unprocessableEntity {
            var page = try await showPage(req: req, team: team, memberInput: input, memberErrors: error.fields)
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    static func editMember(req: Request) async throws -> Page {
        let team = try await TeamService.find(req)
        try await TeamService.authorizeManage(team, req: req)
        let member = try await TeamService.findMember(req, in: team)
        return memberForm(req: req, team: team, member: member, input: MemberInput(member), errors: [:])
    }

    static func updateMember(req: Request) async throws -> Response {
        let team = try await TeamService.find(req)
        let member = try await TeamService.findMember(req, in: team)
        let input = try req.content.decode(MemberInput.self)
        do {
            try await TeamService.updateMember(member, in: team, with: input, req: req)
            return req.redirect(to: SiteURL.teams(.show(.value(team.id!))).path(query: ["done": "memberUpdated"]) + "#members")
        } catch let error as AppError where error.status == .unprocessableEntity {
            var page = memberForm(req: req, team: team, member: member, input: input, errors: error.fields)
            page.status = .unprocessableEntity
            return try await page.encodeResponse(for: req)
        }
    }

    static func deleteMember(req: Request) async throws -> Response {
        let team = try await TeamService.find(req)
        try await TeamService.deleteMember(try await TeamService.findMember(req, in: team), in: team, req: req)
        return req.redirect(to: SiteURL.teams(.show(.value(team.id!))).path(query: ["done": "memberDeleted"]) + "#members")
    }

    // MARK: helpers

    private static func showPage(req: Request, team: ResponseTeam, memberInput: MemberInput, memberErrors: [String: String]) async throws -> Page {
        let id = try team.requireID()
        let model = TeamShowView.Model(
            team: team, agency: try await Agency.find(team.agencyId, on: req.db),
            members: try await TeamService.members(of: team, on: req.db),
            files: try await StoredFileService.files(recordType: TeamService.decisionRecordType, recordIds: [id], on: req.db)[id] ?? [],
            obligations: try await Obligation.query(on: req.db).filter(\.$subjectKind == "team").filter(\.$subjectId == id).sort(\.$dutyId).all(),
            roles: req.application.rules.responseObligations())
        return TeamShowView(req: req, model: model, memberInput: memberInput, memberErrors: memberErrors).render()
    }

    private static func memberForm(req: Request, team: ResponseTeam, member: TeamMember, input: MemberInput, errors: [String: String]) -> Page {
        let t = req.t
        let id = team.id!
        return Layout(req: req).page(title: t("members.edit"), section: .teams, content: [
            .el("p", ["class": "crumbs"], [.link(SiteURL.teams(.show(.value(id))).path, team.name)]),
            .el("h1", [:], [.txt(t("members.edit"))]),
            Forms.errorSummary(errors, t: t),
            Forms.post(req, action: SiteURL.teams(.memberEdit(.value(id), .value(member.id!))).path, id: "member-form", cls: "form",
                       MemberFields.fields(input: input, errors: errors, roles: req.application.rules.responseObligations(), t: t, lang: req.lang.rawValue)
                           + [Forms.submit(t("common.save"))]),
        ])
    }

    private static func form(req: Request, team: ResponseTeam?, input: TeamInput, errors: [String: String],
                             status: HTTPResponseStatus = .ok) async throws -> Page {
        let agencies = try await SystemsController.agencyChoices(subject: try req.requireSubject(), req: req, editable: false)
        var page = TeamFormView(req: req, team: team, input: input, errors: errors, agencies: agencies).render()
        page.status = status
        return page
    }
}
