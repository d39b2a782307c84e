import Foundation
import Domain
import Fluent
import Vapor

/// `/api/v1/teams` and members.
enum TeamsAPIController {
    static func list(req: Request) async throws -> Paged<TeamDTO> {
        let subject = try req.requireSubject()
        let params = try PageParams(req: req)
        let query = ResponseTeam.scoped(to: subject, on: req.db).sort(\.$kind, .descending).sort(\.$name)
        if let raw = req.query[String.self, at: "kind"] {
            guard let kind = TeamKind(rawValue: raw) else { throw AppError.validation(FieldErrors(["kind": "validation.unknownValue"])) }
            query.filter(\.$kind == kind)
        }
        let (items, total) = try await params.apply(query)
        let experts = try await TeamsIndex.expertCounts(items.compactMap(\.id), on: req.db)
        return Paged(items: items.map { TeamDTO($0, members: nil, experts: experts[$0.id!] ?? 0) }, total: total, page: params.page, per: params.per)
    }

    static func get(req: Request) async throws -> TeamDTO {
        let team = try await TeamService.find(req)
        let members = try await TeamService.members(of: team, on: req.db)
        return TeamDTO(team, members: members, experts: members.filter(\.expert).count)
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.content.decode(TeamWriteDTO.self)
        let team = try await TeamService.create(body.merged(into: TeamInput()), req: req)
        let response = Response(status: .created)
        try response.content.encode(TeamDTO(team, members: [], experts: 0))
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.teams(.team(.value(team.id!)))).path)
        return response
    }

    static func update(req: Request) async throws -> TeamDTO {
        let team = try await TeamService.find(req)
        let body = try req.content.decode(TeamWriteDTO.self)
        var base = TeamInput(team)
        base.version = nil
        let updated = try await TeamService.update(team, with: body.merged(into: base), req: req)
        let members = try await TeamService.members(of: updated, on: req.db)
        return TeamDTO(updated, members: members, experts: members.filter(\.expert).count)
    }

    static func delete(req: Request) async throws -> HTTPStatus {
        try await TeamService.delete(try await TeamService.find(req), req: req)
        return .noContent
    }

    static func members(req: Request) async throws -> [MemberDTO] {
        try await TeamService.members(of: try await TeamService.find(req), on: req.db).map(MemberDTO.init)
    }

    static func addMember(req: Request) async throws -> Response {
        let team = try await TeamService.find(req)
        let body = try req.content.decode(MemberWriteDTO.self)
        let member = try await TeamService.addMember(body.merged(into: MemberInput()), to: team, req: req)
        let response = Response(status: .created)
        try response.content.encode(MemberDTO(member))
        return response
    }

    static func updateMember(req: Request) async throws -> MemberDTO {
        let team = try await TeamService.find(req)
        let member = try await TeamService.findMember(req, in: team)
        let body = try req.content.decode(MemberWriteDTO.self)
        try await TeamService.updateMember(member, in: team, with: body.merged(into: MemberInput(member)), req: req)
        return MemberDTO(member)
    }

    static func deleteMember(req: Request) async throws -> HTTPStatus {
        let team = try await TeamService.find(req)
        try await TeamService.deleteMember(try await TeamService.findMember(req, in: team), in: team, req: req)
        return .noContent
    }
}
