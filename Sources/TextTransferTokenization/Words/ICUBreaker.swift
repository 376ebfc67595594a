import _TextTransferICU

/// An opened ICU break iterator for words or sentences. ICU clones it for each call, so one instance
/// serves any number of threads.
final class ICUBreaker: @unchecked Sendable {
    enum Kind: Int32 { case words = 0, sentences = 1 }

    private let handle: OpaquePointer

    init(_ kind: Kind, locale: String) throws {
        guard let handle = tt_icu_breaker_open(kind.rawValue, locale) else {
            throw TokenizerError(file: "ICU", message: "cannot open a \(kind) break iterator for locale '\(locale)'")
        }
        self.handle = handle
    }

    deinit { tt_icu_breaker_close(handle) }

    /// Boundaries in UTF-16 units (the first 0, the last `text.count`) and the ICU rule status of the
    /// segment ending at each.
    func boundaries(_ text: [UInt16]) -> (bounds: [Int32], status: [Int32]) {
        var bounds = [Int32](repeating: 0, count: text.count + 1)
        var status = [Int32](repeating: 0, count: text.count + 1)
        let n = text.withUnsafeBufferPointer { t in
            tt_icu_boundaries(handle, t.baseAddress, Int32(t.count), &bounds, &status, Int32(bounds.count))
        }
        precondition(n >= 1, "ICU break iteration failed on a text of \(text.count) UTF-16 units")
        bounds.removeSubrange(Int(n)...)
        status.removeSubrange(Int(n)...)
        return (bounds, status)
    }
}
