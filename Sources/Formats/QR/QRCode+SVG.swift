extension QRCode {
    /// A standalone `<svg>` element: a white background and one black `<path>` holding every
    /// dark module, in a viewBox measured in modules (quiet zone included).
    ///
    /// - Parameters:
    ///   - moduleSize: pixels per module for the `width`/`height` attributes (at least 1).
    ///   - quietZone: light border in modules (the standard asks for 4; at least 0).
    ///   - title: accessible name, emitted as an XML-escaped `<title>`.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, title: String? = nil) -> String {
        let moduleSize = max(1, moduleSize)
        let quietZone = max(0, quietZone)
        let extent = size + 2 * quietZone
        let pixels = extent * moduleSize

        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(pixels)" height="\#(pixels)""#
        svg += #" viewBox="0 0 \#(extent) \#(extent)" shape-rendering="crispEdges""#
        if let title {
            svg += #" role="img"><title>\#(Self.xmlEscaped(title))</title>"#
        } else {
            svg += ">"
        }
        svg += #"<rect width="\#(extent)" height="\#(extent)" fill="white"/>"#
        svg += #"<path fill="black" d=""#
        svg += darkModulesPath(offset: quietZone)
        svg += #""/></svg>"#
        return svg
    }

    /// One closed rectangle per horizontal run of dark modules.
    private func darkModulesPath(offset: Int) -> String {
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < size, isDark(x: x, y: y) {
                    x += 1
                }
                path += "M\(start + offset) \(y + offset)h\(x - start)v1h-\(x - start)z"
            }
        }
        return path
    }

    /// Escapes text for XML character data or attribute values, dropping characters XML 1.0
    /// does not allow at all (C0 controls other than tab, LF, CR; U+FFFE and U+FFFF).
    static func xmlEscaped(_ text: String) -> String {
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
