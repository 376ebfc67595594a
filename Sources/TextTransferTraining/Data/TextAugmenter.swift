import TextTransferCore
import TextTransferTokenization

/// New texts for a distillation transfer set, after Tang et al. (2019, "Distilling Task-Specific Knowledge
/// from BERT into Simple Neural Networks", §3.3): each word is masked with probability `maskProbability`,
/// else replaced with probability `replaceProbability` by another word of the same kind; then, with
/// probability `ngramProbability`, the text is cut to a random n-gram of 1…`longestNgram` tokens.
///
/// Words are ICU word segments, so Thai and Chinese (written without spaces) work as English does; the
/// text between words is kept as written. Tang et al. replace a word by one with the same part-of-speech
/// tag; without a tagger for every language, "the same kind" here is the same ICU kind (letters or
/// number) in the same Unicode script, drawn from the words the corpus uses at least twice.
///
///     let augmenter = try TextAugmenter(corpus: train.map(\.text))
///     let more = augmenter.augment(train.map(\.text), copies: 4, seed: 42)
public struct TextAugmenter: Sendable {
    public struct Settings: Sendable, Equatable, Codable {
        public var maskProbability: Float = 0.1
        public var replaceProbability: Float = 0.1
        public var ngramProbability: Float = 0.25
        public var longestNgram = 5
        /// What a masked word becomes: BERT's mask token, which a WordPiece teacher reads as one token
        /// and `WordTokenizer` as the unknown word.
        public var maskToken = "[MASK]"

        public init() {}

        enum CodingKeys: String, CodingKey {
            case maskProbability = "mask_probability", replaceProbability = "replace_probability"
            case ngramProbability = "ngram_probability", longestNgram = "longest_ngram", maskToken = "mask_token"
        }
    }

    /// A replacement class: the ICU kind and the script of the word.
    private struct WordClass: Hashable {
        var kind: WordSegment.Kind
        var script: Int32
    }

    public let settings: Settings
    private let segmenter: ICUWordSegmenter
    private let replacements: [WordClass: [String]]

    /// Learns the replacement words from `corpus`; `locale` chooses ICU's break rules.
    public init(corpus: [String], settings: Settings = Settings(), locale: String = "") throws {
        var options = WordSegmentationOptions()
        options.locale = locale
        segmenter = try ICUWordSegmenter(options: options)
        self.settings = settings
        var counts: [String: (kind: WordSegment.Kind, count: Int)] = [:]
        for text in corpus {
            for segment in segmenter.segments(text) where Self.isWord(segment) {
                counts[segment.text, default: (segment.kind, 0)].count += 1
            }
        }
        // Words used at least twice (a word seen once is often a typo); all of a class's words when
        // none of them is. Sorted, so that the same corpus gives the same lists in any dictionary order.
        var frequent: [WordClass: [String]] = [:], all: [WordClass: [String]] = [:]
        for (word, seen) in counts.sorted(by: { $0.key < $1.key }) {
            let c = Self.wordClass(word, kind: seen.kind)
            all[c, default: []].append(word)
            if seen.count >= 2 { frequent[c, default: []].append(word) }
        }
        replacements = all.merging(frequent) { _, frequentWords in frequentWords }
    }

    /// Up to `copies` new texts for each of `texts`, in order: never a text of `texts` itself and never
    /// the same text twice (a short text may have fewer distinct variants). The same seed gives the same
    /// texts.
    public func augment(_ texts: [String], copies: Int, seed: UInt64) -> [String] {
        guard copies > 0 else { return [] }
        var generator = RandomGenerator(seed: seed)
        var seen = Set(texts)
        var out: [String] = []
        out.reserveCapacity(texts.count * copies)
        for text in texts {
            let segments = segmenter.segments(text)
            guard !segments.isEmpty else { continue }
            let scalars = Array(text.unicodeScalars)
            var made = 0
            // A few tries per copy: with short texts most draws change nothing or repeat.
            for _ in 0..<(3 * copies) where made < copies {
                let variant = self.variant(scalars, segments, &generator)
                if seen.insert(variant).inserted {
                    out.append(variant)
                    made += 1
                }
            }
        }
        return out
    }

    /// One draw: mask or replace each word, then maybe keep an n-gram of the result.
    private func variant(_ scalars: [Unicode.Scalar], _ segments: [WordSegment], _ g: inout RandomGenerator) -> String {
        var pieces: [String] = []  // the text of each segment after masking and replacing
        pieces.reserveCapacity(segments.count)
        for segment in segments {
            guard Self.isWord(segment) else { pieces.append(segment.text); continue }
            let x = g.nextUnitFloat()
            if x < settings.maskProbability {
                pieces.append(settings.maskToken)
            } else if x < settings.maskProbability + settings.replaceProbability,
                      let choices = replacements[Self.wordClass(segment.text, kind: segment.kind)], !choices.isEmpty {
                pieces.append(choices[Int(g.next() % UInt64(choices.count))])
            } else {
                pieces.append(segment.text)
            }
        }
        var first = 0, last = segments.count - 1
        if g.nextUnitFloat() < settings.ngramProbability {
            let n = min(1 + Int(g.next() % UInt64(settings.longestNgram)), segments.count)
            first = Int(g.next() % UInt64(segments.count - n + 1))
            last = first + n - 1
        }
        // Segments with what stood between them in the original (spaces, or nothing in Thai).
        var out = String.UnicodeScalarView()
        for i in first...last {
            if i > first { out.append(contentsOf: scalars[segments[i - 1].range.upperBound..<segments[i].range.lowerBound]) }
            out.append(contentsOf: pieces[i].unicodeScalars)
        }
        return String(out)
    }

    private static func isWord(_ segment: WordSegment) -> Bool { segment.kind == .word || segment.kind == .number }

    private static func wordClass(_ word: String, kind: WordSegment.Kind) -> WordClass {
        WordClass(kind: kind, script: UnicodeScript.code(of: word))
    }
}
