import Foundation
import Testing
@testable import Formats

@Suite("Mail composer")
struct MailComposerTests {
    static let date = ExchangeIdentifiers.parseTimestamp("2026-11-25T07:30:00Z")!

    static func message(html: String? = "<p>Sự cố <b>SC-2026-0042</b> đã được giao cho bạn.</p>") -> MailMessage {
        MailMessage(
            from: MailAddress("ungcuu@langson.gov.vn", name: "Hệ thống ứng cứu sự cố tỉnh Lạng Sơn"),
            to: [MailAddress("hoa.nt@langson.gov.vn", name: "Nguyễn Thị Hoa"), MailAddress("pa05@congan.langson.gov.vn")],
            cc: [MailAddress("it@example.org", name: "Nhóm \"CNTT\", Sở Y tế")],
            bcc: [MailAddress("audit@langson.gov.vn")],
            subject: "[UngCuu] Sự cố SC-2026-0042 đã được giao cho bạn: mã độc tống tiền tại Cổng dịch vụ công tỉnh Lạng Sơn",
            textBody: "Xin chào,\nSự cố SC-2026-0042 đã được giao cho bạn.\n.\nTrân trọng.",
            htmlBody: html,
            date: date,
            messageID: "<sc-2026-0042.assigned@langson.gov.vn>",
            extraHeaders: [MailHeader("Auto-Submitted", "auto-generated"), MailHeader("X-UngCuu-Event", "incident.assigned")])
    }

    static func compose(_ message: MailMessage = message()) throws -> String {
        String(decoding: try MailComposer.compose(message), as: UTF8.self)
    }

    /// Header block unfolded into name → value.
    static func headers(_ text: String) -> [String: String] {
        let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
        var result: [String: String] = [:]
        var current: String?
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let name = current {
                result[name, default: ""] += line
            } else if let colon = line.firstIndex(of: ":") {
                current = String(line[..<colon])
                result[current!] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
        }
        return result
    }

    /// Decodes RFC 2047 "B" words (and joins adjacent ones, as RFC 2047 §6.2 says).
    static func decodeWords(_ value: String) -> String {
        var out = ""
        var pendingSpace = ""
        var lastWasWord = false
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            if token.hasPrefix("=?UTF-8?B?"), token.hasSuffix("?="),
               let data = Data(base64Encoded: String(token.dropFirst(10).dropLast(2))) {
                if !lastWasWord { out += pendingSpace }
                out += String(decoding: data, as: UTF8.self)
                lastWasWord = true
            } else {
                out += pendingSpace + token
                lastWasWord = false
            }
            pendingSpace = " "
        }
        return out
    }

    @Test func headersAreEncodedAndDecodeBack() throws {
        let text = try Self.compose()
        let headers = Self.headers(text)
        #expect(headers["Date"] == "Wed, 25 Nov 2026 14:30:00 +0700")
        #expect(headers["Message-ID"] == "<sc-2026-0042.assigned@langson.gov.vn>")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Auto-Submitted"] == "auto-generated")
        #expect(headers["X-UngCuu-Event"] == "incident.assigned")
        #expect(Self.decodeWords(headers["Subject"] ?? "") == Self.message().subject)
        #expect(Self.decodeWords(headers["From"] ?? "") == "Hệ thống ứng cứu sự cố tỉnh Lạng Sơn <ungcuu@langson.gov.vn>")
        #expect(Self.decodeWords(headers["To"] ?? "") == "Nguyễn Thị Hoa <hoa.nt@langson.gov.vn>, pa05@congan.langson.gov.vn")
        #expect(Self.decodeWords(headers["Cc"] ?? "") == "Nhóm \"CNTT\", Sở Y tế <it@example.org>")
        #expect(headers["Bcc"] == nil)
        #expect(!text.contains("audit@langson.gov.vn"))
        #expect(Self.message().envelopeRecipients == ["hoa.nt@langson.gov.vn", "pa05@congan.langson.gov.vn", "it@example.org", "audit@langson.gov.vn"])
    }

    @Test func everyLineIsShortASCIIAndEndsInCRLF() throws {
        let data = try MailComposer.compose(Self.message())
        #expect(data.allSatisfy { $0 < 0x80 })
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.count <= 76, "line too long: \(line)")
        }
    }

    @Test func multipartAlternativeWithBase64Parts() throws {
        let text = try Self.compose()
        let headers = Self.headers(text)
        let contentType = try #require(headers["Content-Type"])
        #expect(contentType.hasPrefix("multipart/alternative;"))
        let boundary = try #require(contentType.firstMatch(of: /boundary="([^"]+)"/)?.1)
        let parts = text.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4) // preamble, text, html, closing "--"
        #expect(parts[3].hasPrefix("--"))
        func body(_ part: String) -> String {
            let pieces = part.components(separatedBy: "\r\n\r\n")
            let encoded = pieces.dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
            return String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self)
        }
        #expect(parts[1].contains("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64"))
        #expect(parts[2].contains("Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64"))
        #expect(body(parts[1]) == "Xin chào,\r\nSự cố SC-2026-0042 đã được giao cho bạn.\r\n.\r\nTrân trọng.")
        #expect(body(parts[2]) == "<p>Sự cố <b>SC-2026-0042</b> đã được giao cho bạn.</p>")
    }

    @Test func textOnlyMessageIsASinglePart() throws {
        let text = try Self.compose(Self.message(html: nil))
        let headers = Self.headers(text)
        #expect(headers["Content-Type"] == "text/plain; charset=UTF-8")
        #expect(headers["Content-Transfer-Encoding"] == "base64")
        #expect(!text.contains("multipart"))
    }

    @Test func asciiNamesWithSpecialsAreQuoted() throws {
        var message = Self.message(html: nil)
        message.to = [MailAddress("it@example.org", name: "Team, \"IT\" \\ Ops"), MailAddress("b@example.org", name: "Bob Smith")]
        #expect(Self.headers(try Self.compose(message))["To"] == "\"Team, \\\"IT\\\" \\\\ Ops\" <it@example.org>, Bob Smith <b@example.org>")
    }

    @Test func plainASCIISubjectsStayReadable() throws {
        var message = Self.message(html: nil)
        message.subject = "[UngCuu] Incident SC-2026-0042 assigned"
        #expect(Self.headers(try Self.compose(message))["Subject"] == "[UngCuu] Incident SC-2026-0042 assigned")
        message.subject = "Looks like =?UTF-8?B?x?= but is not"
        #expect(Self.headers(try Self.compose(message))["Subject"]?.hasPrefix("=?UTF-8?B?") == true)
    }

    @Test func encodedWordsNeverSplitACharacter() {
        let text = String(repeating: "Ứng cứu sự cố an toàn thông tin mạng — ", count: 5)
        let words = MIMEHeaderEncoding.encodedWords(text, firstBudget: 60)
        #expect(words.count > 3)
        #expect(words[0].count <= 60)
        var decoded = ""
        for word in words {
            #expect(word.count <= 75)
            let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            let part = data.flatMap { String(data: $0, encoding: .utf8) }
            #expect(part != nil, "a word ends inside a character")
            decoded += part ?? ""
        }
        #expect(decoded == text)
    }

    @Test(arguments: ["subject", "fromName", "fromAddress", "toAddress", "ccName", "bccAddress", "replyTo", "extraValue", "extraName", "messageID"])
    func lineBreaksInAnyHeaderAreRefused(field: String) {
        var message = Self.message()
        let evil = "x\r\nBcc: victim@example.com"
        switch field {
        case "subject": message.subject = "Hello\nBcc: victim@example.com"
        case "fromName": message.from.displayName = evil
        case "fromAddress": message.from.address = "a@b.vn\r\nX: y"
        case "toAddress": message.to[0].address = "a@b.vn\nX: y"
        case "ccName": message.cc[0].displayName = "Nhóm\rX"
        case "bccAddress": message.bcc[0].address = "a@b.vn\r\n"
        case "replyTo": message.replyTo = MailAddress("r@b.vn", name: evil)
        case "extraValue": message.extraHeaders.append(MailHeader("X-Note", evil))
        case "extraName": message.extraHeaders.append(MailHeader("X-Note\r\nBcc", "v"))
        default: message.messageID = "<a@b>\r\nBcc: victim@example.com"
        }
        #expect {
            try MailComposer.compose(message)
        } throws: { error in
            if case MailError.headerInjection = error { return true }
            return false
        }
    }

    @Test func badAddressesHeaderNamesAndMessageIDsAreRefused() {
        var message = Self.message()
        message.to = [MailAddress("không-phải-địa-chỉ@ví-dụ.vn")]
        #expect(throws: MailError.invalidAddress(field: "To", address: "không-phải-địa-chỉ@ví-dụ.vn")) { try MailComposer.compose(message) }
        message = Self.message()
        message.from = MailAddress("Sở Y tế <soyte@x.vn>")
        #expect(throws: MailError.invalidAddress(field: "From", address: "Sở Y tế <soyte@x.vn>")) { try MailComposer.compose(message) }
        message = Self.message()
        message.extraHeaders = [MailHeader("Subject", "again")]
        #expect(throws: MailError.invalidHeaderName("Subject")) { try MailComposer.compose(message) }
        message = Self.message()
        message.messageID = "no-at-sign"
        #expect(throws: MailError.invalidMessageID("no-at-sign")) { try MailComposer.compose(message) }
        message = Self.message()
        message.to = []; message.cc = []; message.bcc = []
        #expect(throws: MailError.noRecipients) { try MailComposer.compose(message) }
    }

    @Test func generatedMessageIDsUseTheSendersDomain() throws {
        var message = Self.message(html: nil)
        message.messageID = nil
        let id = try #require(Self.headers(try Self.compose(message))["Message-ID"])
        #expect(id.wholeMatch(of: /<[0-9a-f-]{36}@langson\.gov\.vn>/) != nil)
    }

    @Test func writesSampleWhenAsked() throws {
        guard let path = ProcessInfo.processInfo.environment["UNGCUU_MAIL_OUT"] else { return }
        try MailComposer.compose(Self.message()).write(to: URL(fileURLWithPath: path))
    }

    @Test func dotStuffing() {
        let input = Data(".first\r\nmiddle\n.\r\n..two\rlast.\r".utf8)
        #expect(String(decoding: SMTPData.dotStuffed(input), as: UTF8.self) == "..first\r\nmiddle\r\n..\r\n...two\r\nlast.\r\n")
        #expect(String(decoding: SMTPData.dataPayload(Data("a\r\n.\r\n".utf8)), as: UTF8.self) == "a\r\n..\r\n.\r\n")
        #expect(String(decoding: SMTPData.dataPayload(Data("no end".utf8)), as: UTF8.self) == "no end\r\n.\r\n")
        #expect(String(decoding: SMTPData.dataPayload(Data()), as: UTF8.self) == ".\r\n")
    }

    @Test func composedMessagesSurviveDotStuffing() throws {
        let data = try MailComposer.compose(Self.message())
        // Base64 and headers never start a line with ".", so stuffing changes nothing but the terminator.
        #expect(SMTPData.dotStuffed(data) == data)
    }

    @Test func dateUsesTheGivenZone() {
        #expect(MIMEHeaderEncoding.date(Self.date, timeZone: TimeZone(secondsFromGMT: 0)!) == "Wed, 25 Nov 2026 07:30:00 +0000")
        #expect(MIMEHeaderEncoding.date(ExchangeIdentifiers.parseTimestamp("2026-01-04T18:05:09Z")!) == "Mon, 05 Jan 2026 01:05:09 +0700")
    }
}
