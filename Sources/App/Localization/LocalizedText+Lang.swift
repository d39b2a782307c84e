import Foundation
import Domain

extension LocalizedText {
    /// The text in the reader's language (rule data carries both).
    func text(_ lang: Lang) -> String { lang == .vi ? vi : en }
}
