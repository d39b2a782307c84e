import Foundation
import Plot
import Vapor

enum ErrorPage {
    static func render(_ error: AppError, req: Request) -> HTML {
        let t = req.t
        var content: [Body] = [
            .el("h1", [:], [.txt(t(error.messageKey))]),
            .el("p", ["class": "muted"], [.txt(t("error.code", String(error.status.code), error.code))]),
        ]
        if !error.fields.isEmpty {
            content.append(.el("ul", [:], error.fields.sorted { $0.key < $1.key }.map { .el("li", [:], [.txt("\($0.key): \(t($0.value))")]) }))
        }
        if req.currentUser == nil && error.status == .unauthorized {
            content.append(.link(SiteURL.signIn.path, t("signin.title"), cls: "button primary"))
        } else {
            content.append(.link(SiteURL.home.path, t("error.backHome"), cls: "button"))
        }
        let layout = Layout(req: req)
        let body = [Body.el("div", ["class": "card narrow", "id": "error"], content)]
        return req.currentUser == nil
            ? layout.bare(title: t(error.messageKey), status: error.status, content: body).html
            : layout.page(title: t(error.messageKey), section: .none, content: body).html
    }
}
