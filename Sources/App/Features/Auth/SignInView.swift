import Foundation
import Plot
import Vapor

struct SignInView {
    let req: Request
    let email: String?
    let error: String?
    let next: String

    func render(status: HTTPResponseStatus = .ok) -> Page {
        let t = req.t
        return Layout(req: req).bare(title: t("signin.title"), status: status, content: [
            .el("div", ["class": "card narrow", "id": "signin"], [
                .el("h1", [:], [.txt(t("signin.title"))]),
                .el("p", ["class": "muted"], [.txt(t("signin.intro"))]),
                error.map { .el("div", ["class": "flash error", "role": "alert", "id": "signin-error"], [.txt($0)]) } ?? .empty,
                Forms.post(req, action: SiteURL.signIn.path, [
                    .void("input", ["type": "hidden", "name": "next", "value": next]),
                    Forms.input(.init(name: "email", label: t("field.email"), value: email, type: "email", required: true,
                                      autocomplete: "username", maxLength: 254)),
                    Forms.input(.init(name: "password", label: t("field.password"), type: "password", required: true,
                                      autocomplete: "current-password", maxLength: 128)),
                    Forms.submit(t("signin.submit"), id: "signin-submit"),
                ]),
            ]),
        ])
    }
}

struct TwoFactorChallengeView {
    let req: Request
    let error: String?
    let next: String

    func render(status: HTTPResponseStatus = .ok) -> Page {
        let t = req.t
        return Layout(req: req).bare(title: t("twofactor.challengeTitle"), status: status, content: [
            .el("div", ["class": "card narrow"], [
                .el("h1", [:], [.txt(t("twofactor.challengeTitle"))]),
                .el("p", ["class": "muted"], [.txt(t("twofactor.challengeIntro"))]),
                error.map { .el("div", ["class": "flash error", "role": "alert"], [.txt($0)]) } ?? .empty,
                Forms.post(req, action: SiteURL.signInTwoFactor.path, [
                    .void("input", ["type": "hidden", "name": "next", "value": next]),
                    Forms.input(.init(name: "code", label: t("twofactor.code"), required: true, autocomplete: "one-time-code",
                                      hint: t("twofactor.codeHint"), maxLength: 20)),
                    Forms.submit(t("twofactor.verify"), id: "twofactor-submit"),
                ]),
            ]),
        ])
    }
}
