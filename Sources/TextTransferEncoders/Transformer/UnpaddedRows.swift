import Foundation

/// Where each sequence of a right-padded batch sits once its padding rows are squeezed out: sequence b's
/// `lengths[b]` real rows start at row `starts[b]`, back to back. Every layer but attention works row by
/// row, so an encoder can run on the `rows` real rows alone and skip the padding's work.
struct UnpaddedRows {
    let starts: [Int]
    let lengths: [Int32]
    let rows: Int
    let paddedTokens: Int

    init(lengths: [Int32], paddedTokens: Int) {
        var starts: [Int] = []
        starts.reserveCapacity(lengths.count)
        var total = 0
        for length in lengths {
            starts.append(total)
            total += Int(length)
        }
        self.starts = starts
        self.lengths = lengths
        self.rows = total
        self.paddedTokens = paddedTokens
    }

    /// Moves the real rows of `x` (B, T, width) to its front, in order (the regions may overlap: memmove).
    func squeeze(_ x: UnsafeMutablePointer<Float>, width: Int) {
        for (b, start) in starts.enumerated() where start != b * paddedTokens {
            memmove(x + start * width, x + b * paddedTokens * width, Int(lengths[b]) * width * MemoryLayout<Float>.stride)
        }
    }

    /// The inverse of `squeeze`: each sequence's rows back at b·T, its padding rows zero (moving the last
    /// sequence first, since each moves down).
    func unsqueeze(_ x: UnsafeMutablePointer<Float>, width: Int) {
        for b in starts.indices.reversed() {
            let n = Int(lengths[b])
            let padded = x + b * paddedTokens * width
            if starts[b] != b * paddedTokens { memmove(padded, x + starts[b] * width, n * width * MemoryLayout<Float>.stride) }
            (padded + n * width).update(repeating: 0, count: (paddedTokens - n) * width)
        }
    }
}
