/// Splits long documents into sentences with ICU's sentence break iterator (UAX #29), e.g. to encode a
/// review sentence by sentence within a model's maximum length.
public struct ICUSentenceSegmenter: Sendable {
    private let breaker: ICUBreaker

    public init(locale: String = "") throws {
        breaker = try ICUBreaker(.sentences, locale: locale)
    }

    /// Each sentence with its span in Unicode scalars; trailing whitespace stays with its sentence, as ICU
    /// gives it, and a whitespace-only text has no sentences.
    public func sentences(_ text: String) -> [(text: String, range: Range<Int>)] {
        let units = Array(text.utf16)
        guard !units.isEmpty else { return [] }
        let scalarOffset = ICUWordSegmenter.scalarOffsets(units)
        let bounds = breaker.boundaries(units).bounds
        return (1..<bounds.count).compactMap { i in
            let range = Int(bounds[i - 1])..<Int(bounds[i])
            let sentence = String(decoding: units[range], as: UTF16.self)
            guard sentence.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
            return (sentence, scalarOffset[range.lowerBound]..<scalarOffset[range.upperBound])
        }
    }
}
