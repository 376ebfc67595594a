/// FNV-1a, 64 bits, over lines of text: the digest tokenizers give as their fingerprint.
public struct Fingerprint: Sendable {
    private var hash: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    /// Adds `text` and a line break.
    public mutating func mix(_ text: String) {
        for byte in text.utf8 { step(byte) }
        step(0x0A)
    }

    private mutating func step(_ byte: UInt8) {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }

    public var hex: String { String(hash, radix: 16) }
}
