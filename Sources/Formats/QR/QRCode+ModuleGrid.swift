extension QRCode {
    /// The symbol under construction: module colours plus which modules belong to function
    /// patterns (finder, timing, alignment, format and version information), which are
    /// never used for codewords nor masked.
    struct ModuleGrid {
        let version: Int
        let size: Int
        /// Row-major; `true` is dark.
        private(set) var modules: [Bool]
        private var isFunction: [Bool]

        /// A grid with every function pattern drawn and the format area reserved.
        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            modules = Array(repeating: false, count: size * size)
            isFunction = modules
            drawFunctionPatterns()
        }

        private mutating func setFunctionModule(x: Int, y: Int, isDark: Bool) {
            modules[y * size + x] = isDark
            isFunction[y * size + x] = true
        }

        // MARK: Function patterns

        private mutating func drawFunctionPatterns() {
            for index in 0..<size {
                setFunctionModule(x: 6, y: index, isDark: index % 2 == 0)
                setFunctionModule(x: index, y: 6, isDark: index % 2 == 0)
            }

            drawFinderPattern(centerX: 3, centerY: 3)
            drawFinderPattern(centerX: size - 4, centerY: 3)
            drawFinderPattern(centerX: 3, centerY: size - 4)

            let positions = Self.alignmentPatternCenters(version: version)
            let last = positions.count - 1
            for (column, x) in positions.enumerated() {
                for (row, y) in positions.enumerated() {
                    // Those three corners are taken by the finder patterns.
                    let overlapsFinder = (column == 0 && row == 0)
                        || (column == 0 && row == last)
                        || (column == last && row == 0)
                    if !overlapsFinder {
                        drawAlignmentPattern(centerX: x, centerY: y)
                    }
                }
            }

            // Reserve the format information area; the real bits go in once the mask is chosen.
            drawFormatInformation(bits: 0)
            drawVersionInformation()
        }

        /// The 7×7 finder pattern plus its light separator, clipped to the symbol.
        private mutating func drawFinderPattern(centerX: Int, centerY: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = centerX + dx, y = centerY + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let ring = max(abs(dx), abs(dy))
                    setFunctionModule(x: x, y: y, isDark: ring != 2 && ring != 4)
                }
            }
        }

        private mutating func drawAlignmentPattern(centerX: Int, centerY: Int) {
            for dy in -2...2 {
                for dx in -2...2 {
                    setFunctionModule(x: centerX + dx, y: centerY + dy, isDark: max(abs(dx), abs(dy)) != 1)
                }
            }
        }

        /// Row/column coordinates of alignment pattern centres (ISO/IEC 18004 annex E): the
        /// first is always 6, the last `size - 7`, the rest evenly spaced by an even step,
        /// with any slack going into the first gap.
        static func alignmentPatternCenters(version: Int) -> [Int] {
            guard version > 1 else { return [] }
            let count = version / 7 + 2
            // Equivalent to the table in the standard, including its odd one out, version 32.
            let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
            let last = version * 4 + 17 - 7
            return [6] + (0..<(count - 1)).reversed().map { last - $0 * step }
        }

        mutating func drawFormatInformation(errorCorrection: ErrorCorrection, mask: Int) {
            drawFormatInformation(bits: QRCode.formatInformation(errorCorrection: errorCorrection, mask: mask))
        }

        /// Both copies of the 15-bit format information, plus the always-dark module.
        private mutating func drawFormatInformation(bits: Int) {
            func bit(_ index: Int) -> Bool { (bits >> index) & 1 != 0 }

            // Around the top-left finder, skipping the timing patterns.
            for index in 0...5 {
                setFunctionModule(x: 8, y: index, isDark: bit(index))
            }
            setFunctionModule(x: 8, y: 7, isDark: bit(6))
            setFunctionModule(x: 8, y: 8, isDark: bit(7))
            setFunctionModule(x: 7, y: 8, isDark: bit(8))
            for index in 9..<15 {
                setFunctionModule(x: 14 - index, y: 8, isDark: bit(index))
            }

            // Split between the top-right and bottom-left finders.
            for index in 0..<8 {
                setFunctionModule(x: size - 1 - index, y: 8, isDark: bit(index))
            }
            for index in 8..<15 {
                setFunctionModule(x: 8, y: size - 15 + index, isDark: bit(index))
            }
            setFunctionModule(x: 8, y: size - 8, isDark: true)
        }

        /// Two 6×3 copies of the 18-bit version information, versions 7 and up.
        private mutating func drawVersionInformation() {
            guard version >= 7 else { return }
            let bits = QRCode.versionInformation(version: version)
            for index in 0..<18 {
                let isDark = (bits >> index) & 1 != 0
                let a = size - 11 + index % 3
                let b = index / 3
                setFunctionModule(x: a, y: b, isDark: isDark)
                setFunctionModule(x: b, y: a, isDark: isDark)
            }
        }

        // MARK: Codewords and masking

        /// Places the codewords' bits in the zigzag order: two-module-wide columns from the
        /// right, alternately upwards and downwards, skipping function modules. Remainder
        /// modules stay light (before masking).
        mutating func drawCodewords(_ codewords: [UInt8]) {
            let bitCount = codewords.count * 8
            var bitIndex = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 {
                    right = 5 // The vertical timing pattern is not part of any column pair.
                }
                let upward = ((right + 1) & 2) == 0
                for step in 0..<size {
                    let y = upward ? size - 1 - step : step
                    for x in [right, right - 1] where bitIndex < bitCount {
                        let index = y * size + x
                        guard !isFunction[index] else { continue }
                        modules[index] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 != 0
                        bitIndex += 1
                    }
                }
                right -= 2
            }
            assert(bitIndex == bitCount)
        }

        /// XORs the mask pattern over every non-function module; applying it twice undoes it.
        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, x: x, y: y) {
                    modules[y * size + x].toggle()
                }
            }
        }

        /// The eight mask conditions of ISO/IEC 18004 table 10 (x is the column, y the row).
        private static func maskInverts(_ mask: Int, x: Int, y: Int) -> Bool {
            switch mask {
            case 0: (x + y) % 2 == 0
            case 1: y % 2 == 0
            case 2: x % 3 == 0
            case 3: (x + y) % 3 == 0
            case 4: (x / 3 + y / 2) % 2 == 0
            case 5: x * y % 2 + x * y % 3 == 0
            case 6: (x * y % 2 + x * y % 3) % 2 == 0
            case 7: ((x + y) % 2 + x * y % 3) % 2 == 0
            default: preconditionFailure("QR masks are 0...7")
            }
        }

        /// Tries every mask (with its format information, which is scored too) on a copy.
        /// Ties go to the lower mask number.
        func lowestPenaltyMask(errorCorrection: ErrorCorrection) -> Int {
            var best = (mask: 0, penalty: Int.max)
            for mask in 0..<8 {
                var candidate = self
                candidate.applyMask(mask)
                candidate.drawFormatInformation(errorCorrection: errorCorrection, mask: mask)
                let penalty = candidate.penaltyScore()
                if penalty < best.penalty {
                    best = (mask, penalty)
                }
            }
            return best.mask
        }

        // MARK: Penalty score

        /// The penalty of ISO/IEC 18004 §7.8.3: runs of five or more same-coloured modules
        /// (N1 = 3, +1 per extra module), 2×2 same-coloured blocks (N2 = 3), finder-like
        /// 1:1:3:1:1 patterns with four light modules on one side (N3 = 40), and dark/light
        /// imbalance (N4 = 10 per 5% away from half). The finder-like rule follows Nayuki's
        /// reading, counting the area beyond the symbol as light.
        func penaltyScore() -> Int {
            var score = 0
            for y in 0..<size {
                score += linePenalty { modules[y * size + $0] }
            }
            for x in 0..<size {
                score += linePenalty { modules[$0 * size + x] }
            }

            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let index = y * size + x
                    let color = modules[index]
                    if color == modules[index + 1], color == modules[index + size], color == modules[index + size + 1] {
                        score += 3
                    }
                }
            }

            let total = size * size
            let dark = modules.count(where: { $0 })
            // The smallest k with |dark/total - 1/2| <= (k + 1) * 5%.
            let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
            score += k * 10
            return score
        }

        /// Run-length (N1) and finder-like (N3) penalties along one row or column.
        private func linePenalty(_ isDarkAt: (Int) -> Bool) -> Int {
            var score = 0
            var runIsDark = false
            var runLength = 0
            var history = RunHistory(lineLength: size)
            for position in 0..<size {
                let isDark = isDarkAt(position)
                if isDark == runIsDark {
                    runLength += 1
                    if runLength == 5 {
                        score += 3
                    } else if runLength > 5 {
                        score += 1
                    }
                } else {
                    history.push(runLength)
                    if !runIsDark {
                        score += history.finderLikePatternCount() * 40
                    }
                    runIsDark = isDark
                    runLength = 1
                }
            }
            score += history.finishLine(lastRunIsDark: runIsDark, lastRunLength: runLength) * 40
            return score
        }
    }
}

/// The lengths of the latest seven runs in a line, newest first, alternating in colour; used to
/// spot dark-light-dark-light-dark runs in 1:1:3:1:1 proportion flanked by light.
private struct RunHistory {
    private var runs = [Int](repeating: 0, count: 7)
    private let lineLength: Int

    init(lineLength: Int) {
        self.lineLength = lineLength
    }

    mutating func push(_ length: Int) {
        var length = length
        if runs[0] == 0 {
            length += lineLength // The first run is light and continues into the quiet zone.
        }
        runs.removeLast()
        runs.insert(length, at: 0)
    }

    /// Called when a light run ends: counts the pattern with ≥ 4 light modules on either side.
    func finderLikePatternCount() -> Int {
        let unit = runs[1]
        let core = unit > 0 && runs[2] == unit && runs[3] == unit * 3 && runs[4] == unit && runs[5] == unit
        let lightAfter = core && runs[0] >= unit * 4 && runs[6] >= unit
        let lightBefore = core && runs[6] >= unit * 4 && runs[0] >= unit
        return (lightAfter ? 1 : 0) + (lightBefore ? 1 : 0)
    }

    /// Closes the line as if the quiet zone followed, and counts a pattern ending there.
    mutating func finishLine(lastRunIsDark: Bool, lastRunLength: Int) -> Int {
        var lightLength = lastRunLength
        if lastRunIsDark {
            push(lastRunLength)
            lightLength = 0
        }
        push(lightLength + lineLength)
        return finderLikePatternCount()
    }
}

// MARK: - Format and version information

extension QRCode {
    /// The 15-bit format information: level and mask, BCH(15,5) check bits, XOR 0x5412.
    static func formatInformation(errorCorrection: ErrorCorrection, mask: Int) -> Int {
        let data = errorCorrection.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 {
            remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
        }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18-bit version information: version and BCH(18,6) check bits.
    static func versionInformation(version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 {
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
        }
        return version << 12 | remainder
    }
}
