import ArgumentParser
import Foundation
import TextTransfer

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokens of each input line as JSON: WordPiece tokens, ids and offsets (special tokens included), or with --words the ICU word segments, or with --sentences the sentences.",
        discussion: "EXAMPLES:\n  text-transfer tokenize < texts.txt\n  text-transfer tokenize --words --case-fold --normalization nfkc < texts.txt\n  text-transfer tokenize --sentences < reviews.txt")

    @OptionGroup var model: ModelOptions
    @Option(help: "Input file with one text per line, or - for standard input.") var input: String = "-"
    @Option(help: "Truncate to this many tokens, [CLS] and [SEP] included (default: no truncation).") var maxLength: Int?
    @Flag(help: "Print ICU word segments with their offsets and kinds instead of WordPiece tokens.") var words = false
    @Flag(help: "Print ICU sentences with their offsets.") var sentences = false
    @OptionGroup var segmentation: WordSegmentationFlags

    func run() throws {
        if let maxLength, maxLength < 2 { throw ValidationError("--max-length must be at least 2") }
        if words && sentences { throw ValidationError("choose --words or --sentences, not both") }
        if words || sentences {
            let options = try segmentation.options()
            return reportingErrors { try printSegments(options: options) }
        }
        reportingErrors {
            let tokenizer = try BertTokenizer(directory: model.model)
            var out = ""
            for line in try readInputLines(input) {
                let e = tokenizer.encode(line, maxLength: maxLength)
                let tokens = tokenizer.tokens(e.ids).map(jsonString).joined(separator: ",")
                let ids = e.ids.map(String.init).joined(separator: ",")
                let offsets = e.offsets.map { "[\($0.lowerBound),\($0.upperBound)]" }.joined(separator: ",")
                out += "{\"tokens\":[\(tokens)],\"ids\":[\(ids)],\"offsets\":[\(offsets)]}\n"
            }
            try writeStandardOutput(Data(out.utf8))
        }
    }
}

extension TokenizeCommand {
    /// One JSON object per line: `words`, `offsets` (Unicode scalars) and `kinds`, or `sentences` and `offsets`.
    func printSegments(options: WordSegmentationOptions) throws {
        let words = try ICUWordSegmenter(options: options)
        let sentences = try ICUSentenceSegmenter(locale: options.locale)
        var out = ""
        for line in try readInputLines(input) {
            let pieces: [(text: String, range: Range<Int>, kind: String?)] = self.sentences
                ? sentences.sentences(line).map { ($0.text, $0.range, nil) }
                : words.segments(line).map { ($0.text, $0.range, $0.kind.rawValue) }
            let texts = pieces.map { jsonString($0.text) }.joined(separator: ",")
            let offsets = pieces.map { "[\($0.range.lowerBound),\($0.range.upperBound)]" }.joined(separator: ",")
            if self.sentences {
                out += "{\"sentences\":[\(texts)],\"offsets\":[\(offsets)]}\n"
            } else {
                let kinds = pieces.map { "\"\($0.kind!)\"" }.joined(separator: ",")
                out += "{\"words\":[\(texts)],\"offsets\":[\(offsets)],\"kinds\":[\(kinds)]}\n"
            }
        }
        try writeStandardOutput(Data(out.utf8))
    }
}

/// `s` as a JSON string literal.
func jsonString(_ s: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}
