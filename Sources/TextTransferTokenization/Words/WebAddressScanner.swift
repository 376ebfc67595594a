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
        let (mayHaveURL, mayHaveEmail) = Self.anchors(text)
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

    /// Whether the text holds "://" or "www." (a URL may start there) and "@": one pass over its UTF-8
    /// bytes, the last four kept in a word.
    private static func anchors(_ text: String) -> (url: Bool, email: Bool) {
        var (url, email, last) = (false, false, UInt32(0))
        for byte in text.utf8 {
            last = last << 8 | UInt32(byte)
            email = email || byte == UInt8(ascii: "@")
            url = url || last & 0xFF_FFFF == 0x3A_2F2F || last == 0x7777_772E  // "://", "www."
        }
        return (url, email)
    }
}
