import Foundation

/// Finds URLs and e-mail addresses, which ICU's word rules split at ':', '/' and '@', so that the word
/// segmenter can keep each as one token.
struct WebAddressScanner: Sendable {
    enum Kind { case url, email }

    // Scheme or www. up to whitespace, quotes or angle brackets; trailing sentence punctuation is trimmed below.
    private static let url = try! NSRegularExpression(pattern: #"\b(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>"'“”‘’]+"#)
    private static let email = try! NSRegularExpression(pattern: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)

    /// Non-overlapping spans in UTF-16 units, in order.
    func spans(in text: String) -> [(range: Range<Int>, kind: Kind)] {
        // Each pattern runs only where its anchor is ("://" or "www." for a URL, "@" for an address):
        // the regular expressions cost more than the rest of segmentation on ordinary sentences.
        let bytes = Array(text.utf8)
        let mayHaveURL = contains(bytes, "://") || contains(bytes, "www.")
        let mayHaveEmail = bytes.contains(UInt8(ascii: "@"))
        guard mayHaveURL || mayHaveEmail else { return [] }
        let string = text as NSString
        let whole = NSRange(location: 0, length: string.length)
        var found: [(range: Range<Int>, kind: Kind)] = []
        for match in mayHaveURL ? Self.url.matches(in: text, range: whole) : [] {
            var end = match.range.location + match.range.length
            while end > match.range.location, let last = Unicode.Scalar(string.character(at: end - 1)),
                  ".,;:!?)]}".unicodeScalars.contains(last) { end -= 1 }
            found.append((match.range.location..<end, .url))
        }
        for match in mayHaveEmail ? Self.email.matches(in: text, range: whole) : [] {
            let range = match.range.location..<(match.range.location + match.range.length)
            if !found.contains(where: { $0.range.overlaps(range) }) { found.append((range, .email)) }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    private func contains(_ bytes: [UInt8], _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard bytes.count >= n else { return false }
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: n)
        return (0...(bytes.count - n)).contains { i in pattern.indices.allSatisfy { bytes[i + $0] == pattern[$0] } }
    }
}
