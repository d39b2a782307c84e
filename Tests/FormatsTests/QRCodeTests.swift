import Testing
@testable import Formats

@Suite("QR code")
struct QRCodeTests {
    // MARK: Golden symbols
    //
    // Both matrices were produced by Nayuki's qrcodegen 1.8.0 (which also chose the same
    // version and mask) and are identical to segno 1.6.6 and python-qrcode 8 forced to that
    // version and mask.

    @Test func encodesVersion1Medium() throws {
        let code = try QRCode(text: "UngCuu", errorCorrection: .medium)
        #expect(code.version == 1)
        #expect(code.mask == 3)
        #expect(rows(of: code) == [
            "#######.###.#.#######",
            "#.....#.#.#.#.#.....#",
            "#.###.#..#....#.###.#",
            "#.###.#.##..#.#.###.#",
            "#.###.#...#...#.###.#",
            "#.....#..#....#.....#",
            "#######.#.#.#.#######",
            "........#.#..........",
            "#.##.###..#...#..#.##",
            "..#......##.#..#.#..#",
            "....#.####..#########",
            ".##.##.##.#.##...#...",
            ".#..###.##.#.#..#..#.",
            "........#.#..#.....##",
            "#######.##...##.###..",
            "#.....#.#######..##.#",
            "#.###.#..#.#..##.#.##",
            "#.###.#.#....#.#...#.",
            "#.###.#.####.#...#...",
            "#.....#...###.##....#",
            "#######.##.##..####..",
        ])
    }

    /// Version 7 carries version information and splits its data into four blocks.
    @Test func encodesVersion7MediumOTPAuthURI() throws {
        let uri = "otpauth://totp/UngCuu:an%40example.vn?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=UngCuu&digits=6&period=30"
        let code = try QRCode(text: uri, errorCorrection: .medium)
        #expect(code.version == 7)
        #expect(code.mask == 4)
        #expect(rows(of: code) == [
            "#######.#.....##.##.#.#...###.####..#.#######",
            "#.....#......#...####...#......##..#..#.....#",
            "#.###.#..#.##.##......###.....#.##.#..#.###.#",
            "#.###.#.#.#.###....##.#.##.##..#...##.#.###.#",
            "#.###.#.#....##..#..########.##..####.#.###.#",
            "#.....#.##.#....##.##...#.#.#.#..#....#.....#",
            "#######.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#######",
            "........#.##.....####...##...###.............",
            "#...#.###.##..#..#.######.##..#.###.######..#",
            "###....#...######.#.##.##.#######..##.##..#..",
            "########......#..###..##.####....#...##.##.#.",
            ".##.#..#..####...#....#....##..##.#..#.....##",
            "#....##..#.....####.#.#.#..##.####...#.#.....",
            "..#..#.##......##..######.#.#.####.##.#...##.",
            "###.####..#.##...#####........##.#..#.#.####.",
            "####.#.###.##.#..#.#.....#....####.#.........",
            ".####.#..#...#.#.##....#..##.#..#........##.#",
            "##...#.######...######..#.########..#.##...##",
            "#..####...#.#.##...#..#...###..#..###..#...#.",
            ".#...#...#.###..#..#.##..##.###.#####.......#",
            ".##.#####..##..##.#.######.#....#...#####..#.",
            ".##.#...#.......#...#...#..####.##.##...###..",
            "..#.#.#.##.##..#.#..#.#.#...##..##.##.#.##.#.",
            "#.###...#.##.##.....#...##.###.#...##...#..#.",
            "##..#####.##.#....#######.##..#.###.######...",
            "#####..#.#..#######..########.#..#.#...#.#.#.",
            "..#.####....#.#..#...######.###....#...#.#.#.",
            ".#.##..#.###.....##..##..#.##.#########.....#",
            ".####.#.##..#.#...####.####..##.###.#.###....",
            "#.###..###.#.#.#.#.#....#.#...#.##..####..##.",
            "..##..#.....#...#..#...#.#.##.##...###..#.##.",
            "#..##..#...#...##..###..##.....####.#.###...#",
            "....#.##.##..#.#.##.##....##.##.#......####.#",
            ".####....###....#..#..##..##.##..#.#.#.#.####",
            "....#.##.###.#..#.#.###.####.######.#...#.##.",
            ".####...##.##.#######.##....##..#.#..###.....",
            "#..##.#.##.#####.########.##....##..#####..##",
            "........#.....###.#.#...########.#..#...#.##.",
            "#######.#...##..#####.#.##.##......##.#.##.#.",
            "#.....#...##.###..#.#...#.##...##.###...#..#.",
            "#.###.#.#...#......#######.#...##..######..##",
            "#.###.#....#..##.#........#.###..#.#..##.###.",
            "#.###.#..#...#.#.#..#.##..#..##.##.#....#..#.",
            "#.....#..###...######.##.....#..###..#...#...",
            "#######.#......###.##..####..#..#.##..##....#",
        ])
    }

    @Test func textIsEncodedAsUTF8Bytes() throws {
        let text = "Tiếng Việt"
        let fromText = try QRCode(text: text, errorCorrection: .quartile)
        let fromBytes = try QRCode(bytes: Array(text.utf8), errorCorrection: .quartile)
        #expect(rows(of: fromText) == rows(of: fromBytes))
    }

    // MARK: Versions and capacity

    @Test func sizeIsFourModulesPerVersionPlus17() throws {
        #expect(try QRCode(text: "").size == 21)
        #expect(try QRCode(text: "a").size == 21)
        for version in 1...40 {
            let code = try QRCode(bytes: [0x41], errorCorrection: .low, forcedVersion: version, forcedMask: 0)
            #expect(code.size == 4 * version + 17)
        }
    }

    @Test(arguments: [
        // Byte capacities of versions 1, 2 and 40 (ISO/IEC 18004 table 7).
        (QRCode.ErrorCorrection.low, 17, 32, 2953),
        (.medium, 14, 26, 2331),
        (.quartile, 11, 20, 1663),
        (.high, 7, 14, 1273),
    ])
    func choosesTheSmallestVersionThatFits(
        level: QRCode.ErrorCorrection, version1: Int, version2: Int, version40: Int
    ) throws {
        #expect(try QRCode(bytes: bytes(version1), errorCorrection: level).version == 1)
        #expect(try QRCode(bytes: bytes(version1 + 1), errorCorrection: level).version == 2)
        #expect(try QRCode(bytes: bytes(version2), errorCorrection: level).version == 2)
        #expect(try QRCode(bytes: bytes(version2 + 1), errorCorrection: level).version == 3)
        #expect(try QRCode(bytes: bytes(version40), errorCorrection: level).size == 177)
        #expect(throws: QRCode.EncodeError.dataTooLong(maximumBytes: version40)) {
            try QRCode(bytes: bytes(version40 + 1), errorCorrection: level)
        }
    }

    @Test func tooLongTextThrows() {
        #expect(throws: QRCode.EncodeError.dataTooLong(maximumBytes: 2331)) {
            try QRCode(text: String(repeating: "x", count: 4000))
        }
    }

    // MARK: Building blocks (published reference values)

    @Test func reedSolomonMatchesPublishedExamples() {
        let divisor = QRCode.ReedSolomon.generatorPolynomial(degree: 10)
        // ISO/IEC 18004 annex I: "01234567" as 1-M.
        let annexData: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11,
                                  0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(QRCode.ReedSolomon.remainder(of: annexData[...], divisor: divisor)
            == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
        // "HELLO WORLD" as 1-M, the widely used worked example.
        let helloData: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(QRCode.ReedSolomon.remainder(of: helloData[...], divisor: divisor)
            == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func formatAndVersionInformationMatchTheStandardTables() {
        #expect(QRCode.formatInformation(errorCorrection: .low, mask: 0) == 0b111011111000100)
        #expect(QRCode.formatInformation(errorCorrection: .medium, mask: 0) == 0b101010000010010)
        #expect(QRCode.formatInformation(errorCorrection: .quartile, mask: 0) == 0b011010101011111)
        #expect(QRCode.formatInformation(errorCorrection: .high, mask: 7) == 0b000100000111011)
        #expect(QRCode.versionInformation(version: 7) == 0x07C94)
        #expect(QRCode.versionInformation(version: 40) == 0x28C69)
    }

    @Test func alignmentPatternCentersMatchTheStandardTable() {
        #expect(QRCode.ModuleGrid.alignmentPatternCenters(version: 1) == [])
        #expect(QRCode.ModuleGrid.alignmentPatternCenters(version: 2) == [6, 18])
        #expect(QRCode.ModuleGrid.alignmentPatternCenters(version: 7) == [6, 22, 38])
        #expect(QRCode.ModuleGrid.alignmentPatternCenters(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRCode.ModuleGrid.alignmentPatternCenters(version: 36) == [6, 24, 50, 76, 102, 128, 154])
        #expect(QRCode.ModuleGrid.alignmentPatternCenters(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    @Test func outsideTheSymbolIsLight() throws {
        let code = try QRCode(text: "UngCuu")
        #expect(code.isDark(x: 0, y: 0))
        #expect(!code.isDark(x: -1, y: 0))
        #expect(!code.isDark(x: 0, y: code.size))
    }

    // MARK: SVG

    @Test func svgIsAStandaloneElementWithOnePath() throws {
        let svg = try QRCode(text: "UngCuu").svg()
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" width="116" height="116" viewBox="0 0 29 29""#))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains(#"shape-rendering="crispEdges""#))
        #expect(svg.ranges(of: "<path").count == 1)
        #expect(!svg.contains("<title"))
        #expect(!svg.lowercased().contains("<script"))
        #expect(!svg.contains("href"))
    }

    @Test func svgPathCoversExactlyTheDarkModules() throws {
        let code = try QRCode(text: "otpauth://totp/UngCuu:an?secret=JBSWY3DPEHPK3PXP", errorCorrection: .high)
        let quietZone = 2
        let svg = code.svg(moduleSize: 3, quietZone: quietZone)
        #expect(svg.contains(#"width="\#(3 * (code.size + 4))""#))
        #expect(svg.contains(#"viewBox="0 0 \#(code.size + 4) \#(code.size + 4)""#))

        // The path is a list of "M<x> <y>h<run>v1h-<run>z" rectangles in viewBox units.
        let d = try #require(svg.split(separator: #" d=""#).last?.split(separator: "\"").first)
        var painted = Set<[Int]>()
        for rectangle in d.split(separator: "z") {
            let numbers = rectangle.split(whereSeparator: { "Mhv- ".contains($0) }).compactMap { Int($0) }
            try #require(numbers.count == 5 && numbers[3] == 1 && numbers[4] == numbers[2])
            for x in numbers[0]..<(numbers[0] + numbers[2]) {
                #expect(painted.insert([x - quietZone, numbers[1] - quietZone]).inserted)
            }
        }
        for y in 0..<code.size {
            for x in 0..<code.size {
                #expect(painted.contains([x, y]) == code.isDark(x: x, y: y))
            }
        }
    }

    @Test func svgTitleIsEscaped() throws {
        let svg = try QRCode(text: "x").svg(title: "<script>alert(\"1\")</script> & 'Ứng' \u{0}\u{7}")
        #expect(svg.contains(
            "<title>&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; &apos;Ứng&apos; </title>"
        ))
        #expect(!svg.lowercased().contains("<script"))
        #expect(!svg.contains("\u{0}"))
    }

    // MARK: Helpers

    private func rows(of code: QRCode) -> [String] {
        (0..<code.size).map { y in
            String((0..<code.size).map { x in code.isDark(x: x, y: y) ? "#" : "." })
        }
    }

    private func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    }
}
