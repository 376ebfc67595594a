import ArgumentParser
import Foundation
import TextTransfer

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "WordPiece tokens of each input line as JSON: tokens, ids, offsets (special tokens included).")

    @OptionGroup var model: ModelOptions
    @Option(help: "Input file with one text per line, or - for standard input.") var input: String = "-"
    @Option(help: "Truncate to this many tokens, [CLS] and [SEP] included (default: no truncation).") var maxLength: Int?

    func run() throws {
        if let maxLength, maxLength < 2 { throw ValidationError("--max-length must be at least 2") }
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
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}

/// `s` as a JSON string literal.
func jsonString(_ s: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}
