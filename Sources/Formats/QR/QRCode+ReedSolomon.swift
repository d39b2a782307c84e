extension QRCode {
    /// Reed–Solomon error correction over GF(2⁸) with the QR reducing polynomial
    /// x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator roots α⁰ … αⁿ⁻¹, α = 2.
    enum ReedSolomon {
        /// The generator polynomial's coefficients from the highest power down, without the
        /// leading coefficient (always 1), so `degree` entries.
        static func generatorPolynomial(degree: Int) -> [UInt8] {
            precondition((1...255).contains(degree))
            // Start from the constant 1 and multiply by (x - αⁱ) for each root.
            var coefficients = [UInt8](repeating: 0, count: degree)
            coefficients[degree - 1] = 1
            var root: UInt8 = 1
            for _ in 0..<degree {
                for index in 0..<degree {
                    coefficients[index] = multiply(coefficients[index], root)
                    if index + 1 < degree {
                        coefficients[index] ^= coefficients[index + 1]
                    }
                }
                root = multiply(root, 2)
            }
            return coefficients
        }

        /// The ECC codewords: the remainder of data(x) · xⁿ divided by the generator.
        static func remainder(of data: ArraySlice<UInt8>, divisor: [UInt8]) -> [UInt8] {
            var remainder = [UInt8](repeating: 0, count: divisor.count)
            for byte in data {
                let factor = byte ^ remainder[0]
                remainder.removeFirst()
                remainder.append(0)
                if factor != 0 {
                    for index in remainder.indices {
                        remainder[index] ^= multiply(divisor[index], factor)
                    }
                }
            }
            return remainder
        }

        static func multiply(_ lhs: UInt8, _ rhs: UInt8) -> UInt8 {
            guard lhs != 0, rhs != 0 else { return 0 }
            return exponents[(Int(logarithms[Int(lhs)]) + Int(logarithms[Int(rhs)])) % 255]
        }

        /// αⁱ for i in 0..<255.
        private static let exponents: [UInt8] = {
            var table = [UInt8](repeating: 0, count: 255)
            var value = 1
            for power in 0..<255 {
                table[power] = UInt8(value)
                value <<= 1
                if value & 0x100 != 0 {
                    value ^= 0x11D
                }
            }
            return table
        }()

        /// logₐ(x) for x in 1...255; entry 0 is unused.
        private static let logarithms: [UInt8] = {
            var table = [UInt8](repeating: 0, count: 256)
            for (power, value) in exponents.enumerated() {
                table[Int(value)] = UInt8(power)
            }
            return table
        }()
    }
}
