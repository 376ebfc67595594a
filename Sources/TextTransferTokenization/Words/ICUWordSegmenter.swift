/// Word segmentation on ICU's break iterator: Unicode word boundaries (UAX #29) with ICU's dictionaries
/// for scripts written without spaces (Chinese, Japanese, Thai, Khmer, Lao, Burmese). Options choose which
/// kinds of token to keep and how to rewrite each; offsets always refer to the input as given.
///
///     let segmenter = try ICUWordSegmenter()
///     segmenter.words("ฉันรักภาษาไทย")   // ["ฉัน", "รัก", "ภาษา", "ไทย"]
public struct ICUWordSegmenter: WordSegmenter {
    public let options: WordSegmentationOptions
    private let breaker: ICUBreaker
    private let addresses = WebAddressScanner()

    public init(options: WordSegmentationOptions = WordSegmentationOptions()) throws {
        self.options = options
        breaker = try ICUBreaker(.words, locale: options.locale)
    }

    public func segments(_ text: String) -> [WordSegment] {
        let units = Array(text.utf16)
        guard !units.isEmpty else { return [] }
        let scalarOffset = Self.scalarOffsets(units)
        let (bounds, status) = breaker.boundaries(units)
        let special = addresses.spans(in: text)  // kept whole, or dropped whole
        var out: [WordSegment] = []
        var nextSpecial = 0
        var covered = 0  // UTF-16 offset up to which special spans have consumed the text
        func emit(_ range: Range<Int>, _ kind: WordSegment.Kind) {
            guard keeps(kind) else { return }
            let raw = String(decoding: units[range], as: UTF16.self)
            let rewritten = rewrite(raw, kind)
            guard !rewritten.isEmpty else { return }
            out.append(WordSegment(text: rewritten, range: scalarOffset[range.lowerBound]..<scalarOffset[range.upperBound], kind: kind))
        }
        /// A segment ICU found, by its rule status: 100s numbers, 200–499 letters, kana and ideographs.
        func emitICU(_ range: Range<Int>, status: Int32) {
            switch status {
            case 100..<200: emit(range, .number)
            case 200..<500: emit(range, .word)
            default:
                let scalars = String(decoding: units[range], as: UTF16.self).unicodeScalars
                if scalars.allSatisfy(\.properties.isWhitespace) { return }
                emit(range, UnicodeTransforms.isEmoji(scalars.first!) ? .emoji : .punctuation)
            }
        }
        for i in 1..<bounds.count {
            var start = max(Int(bounds[i - 1]), covered)
            let end = Int(bounds[i])
            while nextSpecial < special.count, special[nextSpecial].range.lowerBound < end {
                let span = special[nextSpecial]
                if span.range.lowerBound > start { emitICU(start..<span.range.lowerBound, status: status[i]) }
                emit(span.range, span.kind == .url ? .url : .email)
                covered = span.range.upperBound
                start = max(start, covered)
                nextSpecial += 1
            }
            if start < end { emitICU(start..<end, status: status[i]) }
        }
        return out
    }

    private func keeps(_ kind: WordSegment.Kind) -> Bool {
        switch kind {
        case .word: true
        case .number: options.keepNumbers
        case .punctuation: options.keepPunctuation
        case .emoji: options.keepEmoji
        case .url: options.keepURLs
        case .email: options.keepEmails
        }
    }

    /// The token as the options want it: normalized, case-folded, accents stripped. URLs and e-mail
    /// addresses are left as written (case matters in a URL's path).
    private func rewrite(_ token: String, _ kind: WordSegment.Kind) -> String {
        guard kind != .url && kind != .email else { return token }
        var t = token
        switch options.normalization {
        case .nfc?: t = UnicodeTransforms.apply(.nfc, to: t)
        case .nfkc?: t = UnicodeTransforms.apply(.nfkc, to: t)
        case nil: break
        }
        if options.caseFolding { t = UnicodeTransforms.apply(.caseFold, to: t) }
        if options.stripAccents { t = UnicodeTransforms.stripAccents(t) }
        return t
    }

    /// For each UTF-16 offset, the number of Unicode scalars before it.
    static func scalarOffsets(_ units: [UInt16]) -> [Int] {
        var offsets = [Int](repeating: 0, count: units.count + 1)
        var scalars = 0
        for (i, u) in units.enumerated() {
            offsets[i] = scalars
            if !UTF16.isTrailSurrogate(u) { scalars += 1 }
        }
        offsets[units.count] = scalars
        return offsets
    }
}
