import TextTransferEncoders
import TextTransferTokenization

extension TokenBatch {
    /// Right-pads encodings to the longest, or to `padTo` tokens. Padding ids are never attended to.
    public init(encodings: [Encoding], padTo: Int? = nil) {
        let T = max(padTo ?? 0, encodings.map(\.length).max() ?? 1)
        var ids = [Int32](), types = [Int32]()
        ids.reserveCapacity(encodings.count * T)
        types.reserveCapacity(encodings.count * T)
        for e in encodings {
            let n = e.length
            ids += e.ids[0..<n]
            ids += repeatElement(0, count: T - n)
            types += e.typeIDs[0..<n]
            types += repeatElement(0, count: T - n)
        }
        self.init(ids: ids, typeIDs: types, lengths: encodings.map { Int32($0.length) }, tokens: T)
    }
}
