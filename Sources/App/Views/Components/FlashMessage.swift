import Foundation
import Vapor

/// After a redirect, `?done=<event>` shows the catalogue message `flash.<event>`; unknown events show nothing.
enum FlashMessage {
    static func from(_ req: Request) -> Flash? {
        guard let done = req.query[String.self, at: "done"], done.count < 40,
              done.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        let key = "flash." + done
        let text = req.t(key)
        return text == key ? nil : Flash(kind: .success, text: text)
    }
}
