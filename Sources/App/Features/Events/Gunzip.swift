import Foundation
import ZIPFoundation

/// Inflates a gzip body (RFC 1952, one member) with a bound on the output, so a small compressed body cannot
/// expand into unbounded memory. The DEFLATE data is inflated by ZIPFoundation (zlib); the header and the trailer
/// (CRC-32 and length) are checked here.
enum Gunzip {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case notGzip
        case damaged(String)
        case tooLarge(limit: Int)

        var description: String {
            switch self {
            case .notGzip: return "the body is not gzip data (it does not start with 1f 8b 08)"
            case .damaged(let why): return "the gzip body is damaged: \(why)"
            case .tooLarge(let limit): return "the body inflates beyond \(limit) bytes"
            }
        }
    }

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 3 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 8 }

    static func inflate(_ bytes: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        guard isGzip(bytes), bytes.count >= 18 else { throw .notGzip }
        let flags = bytes[3]
        guard flags & 0xE0 == 0 else { throw .damaged("reserved header flags are set") }
        var offset = 10
        if flags & 0x04 != 0 { // FEXTRA
            guard offset + 2 <= bytes.count else { throw .damaged("truncated header") }
            offset += 2 + Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 { // FNAME, FCOMMENT: zero-terminated
            while offset < bytes.count, bytes[offset] != 0 { offset += 1 }
            offset += 1
        }
        if flags & 0x02 != 0 { offset += 2 } // FHCRC
        guard offset + 8 <= bytes.count else { throw .damaged("truncated header") }
        let deflated = Data(bytes[offset..<(bytes.count - 8)])
        let trailer = bytes[(bytes.count - 8)...].map(UInt32.init)
        let t = trailer.startIndex
        let expectedCRC = trailer[t] | trailer[t + 1] << 8 | trailer[t + 2] << 16 | trailer[t + 3] << 24
        let expectedSize = trailer[t + 4] | trailer[t + 5] << 8 | trailer[t + 6] << 16 | trailer[t + 7] << 24

        let chunk = 64 * 1024
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, deflated.count * 4))
        var overflow = false
        let crc: CRC32
        do {
            crc = try Data.decompress(size: Int64(deflated.count), bufferSize: chunk, skipCRC32: false, provider: { position, size in
                // zlib is told `size` bytes are available on every call, so every chunk is exactly that long: past the
                // end it is padded with zeros, which a truncated stream reads as an invalid block. A stream that goes on
                // asking far past the end is refused.
                let start = Int(position)
                guard start <= deflated.count + 4 * chunk else { throw Failure.damaged("the compressed data ends too early") }
                var piece = start < deflated.count ? deflated.subdata(in: start..<min(start + size, deflated.count)) : Data()
                if piece.count < size { piece.append(Data(count: size - piece.count)) }
                return piece
            }, consumer: { data in
                if output.count + data.count > limit {
                    overflow = true
                    throw Failure.tooLarge(limit: limit)
                }
                output.append(contentsOf: data)
            })
        } catch let failure as Failure {
            throw failure
        } catch {
            if overflow { throw .tooLarge(limit: limit) }
            throw .damaged("invalid compressed data")
        }
        guard crc == expectedCRC, UInt32(truncatingIfNeeded: output.count) == expectedSize else {
            throw .damaged("the checksum or length in the trailer does not match (several gzip members are not supported)")
        }
        return output
    }
}
