/// A QR Code symbol (ISO/IEC 18004, model 2) holding its data in byte mode.
///
/// The encoder picks the smallest version (1–40) that holds the data at the requested
/// error-correction level, then the mask pattern with the lowest penalty score.
/// The error-correction level is used as given, never raised.
public struct QRCode: Sendable {
    public enum ErrorCorrection: Sendable { case low, medium, quartile, high }

    public enum EncodeError: Error, Equatable, Sendable {
        case dataTooLong(maximumBytes: Int)
    }

    /// Modules per side: `4 * version + 17`.
    public let size: Int
    let version: Int
    let mask: Int
    /// Row-major; `true` is dark.
    private let modules: [Bool]

    public init(bytes: [UInt8], errorCorrection: ErrorCorrection = .medium) throws(QRCode.EncodeError) {
        try self.init(bytes: bytes, errorCorrection: errorCorrection, forcedVersion: nil, forcedMask: nil)
    }

    /// Encodes the text's UTF-8 bytes in byte mode.
    public init(text: String, errorCorrection: ErrorCorrection = .medium) throws(QRCode.EncodeError) {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection)
    }

    /// Like `init(bytes:errorCorrection:)`, but lets tests pin the version and/or the mask.
    init(
        bytes: [UInt8],
        errorCorrection: ErrorCorrection,
        forcedVersion: Int?,
        forcedMask: Int?
    ) throws(QRCode.EncodeError) {
        let version: Int
        if let forcedVersion {
            precondition((1...40).contains(forcedVersion), "QR versions are 1...40")
            let capacity = Self.byteCapacity(version: forcedVersion, errorCorrection: errorCorrection)
            guard bytes.count <= capacity else { throw .dataTooLong(maximumBytes: capacity) }
            version = forcedVersion
        } else {
            guard let smallest = (1...40).first(where: {
                bytes.count <= Self.byteCapacity(version: $0, errorCorrection: errorCorrection)
            }) else {
                throw .dataTooLong(maximumBytes: Self.byteCapacity(version: 40, errorCorrection: errorCorrection))
            }
            version = smallest
        }
        if let forcedMask {
            precondition((0...7).contains(forcedMask), "QR masks are 0...7")
        }

        let data = Self.dataCodewords(for: bytes, version: version, errorCorrection: errorCorrection)
        let codewords = Self.interleavedCodewords(data: data, version: version, errorCorrection: errorCorrection)

        var grid = ModuleGrid(version: version)
        grid.drawCodewords(codewords)
        let mask = forcedMask ?? grid.lowestPenaltyMask(errorCorrection: errorCorrection)
        grid.applyMask(mask)
        grid.drawFormatInformation(errorCorrection: errorCorrection, mask: mask)

        self.size = grid.size
        self.version = version
        self.mask = mask
        self.modules = grid.modules
    }

    /// Whether the module at column `x`, row `y` is dark; coordinates outside the symbol
    /// (such as the quiet zone) are light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }
}

// MARK: - Data codewords

extension QRCode {
    /// The most bytes a symbol of this version and level holds in a single byte-mode segment.
    static func byteCapacity(version: Int, errorCorrection: ErrorCorrection) -> Int {
        let dataBits = dataCodewordCount(version: version, errorCorrection: errorCorrection) * 8
        return (dataBits - modeIndicatorBits - characterCountBits(version: version)) / 8
    }

    private static let modeIndicatorBits = 4
    private static let byteModeIndicator = 0b0100

    private static func characterCountBits(version: Int) -> Int {
        version <= 9 ? 8 : 16
    }

    /// Mode indicator, character count, the bytes, terminator, then pad codewords up to capacity.
    static func dataCodewords(for bytes: [UInt8], version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, errorCorrection: errorCorrection)
        var writer = BitWriter()
        writer.append(byteModeIndicator, bitCount: modeIndicatorBits)
        writer.append(bytes.count, bitCount: characterCountBits(version: version))
        for byte in bytes {
            writer.append(Int(byte), bitCount: 8)
        }
        writer.append(0, bitCount: min(4, capacity * 8 - writer.bitCount))
        writer.append(0, bitCount: (8 - writer.bitCount % 8) % 8)

        var codewords = writer.bytes
        codewords.reserveCapacity(capacity)
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords, and interleaves:
    /// first the data codewords column by column, then the ECC codewords column by column.
    static func interleavedCodewords(data: [UInt8], version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        let blockCount = errorCorrectionBlockCount(version: version, errorCorrection: errorCorrection)
        let eccLength = eccCodewordsPerBlock(version: version, errorCorrection: errorCorrection)
        let totalCodewords = rawDataModuleCount(version: version) / 8
        // Blocks come in two groups; those in the second carry one data codeword more.
        let shortBlockCount = blockCount - totalCodewords % blockCount
        let shortBlockDataLength = totalCodewords / blockCount - eccLength
        assert(data.count == totalCodewords - blockCount * eccLength)

        let divisor = ReedSolomon.generatorPolynomial(degree: eccLength)
        var dataBlocks: [ArraySlice<UInt8>] = []
        var eccBlocks: [[UInt8]] = []
        var offset = data.startIndex
        for blockIndex in 0..<blockCount {
            let length = shortBlockDataLength + (blockIndex < shortBlockCount ? 0 : 1)
            let block = data[offset..<(offset + length)]
            offset += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(of: block, divisor: divisor))
        }

        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords)
        for column in 0...shortBlockDataLength {
            for block in dataBlocks where column < block.count {
                result.append(block[block.startIndex + column])
            }
        }
        for column in 0..<eccLength {
            for ecc in eccBlocks {
                result.append(ecc[column])
            }
        }
        assert(result.count == totalCodewords)
        return result
    }
}

/// Accumulates big-endian bit fields into bytes.
private struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var bitCount = 0

    mutating func append(_ value: Int, bitCount count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) {
            if bitCount % 8 == 0 {
                bytes.append(0)
            }
            if (value >> shift) & 1 != 0 {
                bytes[bytes.count - 1] |= 0x80 >> UInt8(bitCount % 8)
            }
            bitCount += 1
        }
    }
}

// MARK: - Capacity tables

extension QRCode.ErrorCorrection {
    /// Row in the capacity tables below.
    fileprivate var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two-bit level indicator in the format information (note: not in L, M, Q, H order).
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }
}

extension QRCode {
    /// Modules left for codewords (data, ECC and remainder bits) once the function patterns,
    /// format and version information are placed.
    static func rawDataModuleCount(version: Int) -> Int {
        var count = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentCount = version / 7 + 2
            count -= (25 * alignmentCount - 10) * alignmentCount - 55
            if version >= 7 {
                count -= 36
            }
        }
        return count
    }

    static func dataCodewordCount(version: Int, errorCorrection: ErrorCorrection) -> Int {
        rawDataModuleCount(version: version) / 8
            - eccCodewordsPerBlock(version: version, errorCorrection: errorCorrection)
            * errorCorrectionBlockCount(version: version, errorCorrection: errorCorrection)
    }

    static func eccCodewordsPerBlock(version: Int, errorCorrection: ErrorCorrection) -> Int {
        Int(eccCodewordsPerBlockTable[errorCorrection.tableIndex][version - 1])
    }

    static func errorCorrectionBlockCount(version: Int, errorCorrection: ErrorCorrection) -> Int {
        Int(errorCorrectionBlockCountTable[errorCorrection.tableIndex][version - 1])
    }

    // ISO/IEC 18004 table 9, indexed [level][version - 1] with levels in L, M, Q, H order.
    // The block sizes follow from these two figures and the raw module count.
    private static let eccCodewordsPerBlockTable: [[UInt8]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let errorCorrectionBlockCountTable: [[UInt8]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}
