import Foundation
import TextTransferCore

/// The token strings of a WordPiece model and their ids.
public final class Vocabulary: Sendable {
    public let tokens: [String]
    public let ids: [String: Int32]
    /// Where the vocabulary was read from, for error messages and fingerprints.
    public let source: String

    public var count: Int { tokens.count }

    /// Builds a vocabulary where token `i` has id `i`. A repeated token keeps its last id, as
    /// transformers' `load_vocab` does.
    public init(tokens: [String], source: String = "<memory>") {
        self.tokens = tokens
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() { ids[t] = Int32(i) }
        self.ids = ids
        self.source = source
    }

    /// Reads `vocab.txt`: one token per line, the id being the line number counted from 0.
    public static func load(vocabTxt path: String) throws -> Vocabulary {
        guard let data = readFileContents(atPath: path) else {
            throw TokenizerError(file: path, message: "cannot read the vocabulary file")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let line = firstInvalidUTF8Line(in: data)
            throw TokenizerError(file: path, line: line, message: "invalid UTF-8")
        }
        var lines = textLines(text).map { line in
            // Matches tokenizers' WordPiece::read_file, which trims the end of each line.
            String(line.reversed().drop(while: { $0.isWhitespace }).reversed())
        }
        if lines.last == "" { lines.removeLast() }
        return Vocabulary(tokens: lines, source: path)
    }

    /// The id of `token`, if present.
    public func id(_ token: String) -> Int32? { ids[token] }

    /// The id of a required special token, or an error naming the file.
    public func requiredID(_ token: String) throws -> Int32 {
        guard let id = ids[token] else {
            throw TokenizerError(file: source, key: token, message: "the vocabulary has no \(token) token")
        }
        return id
    }
}

/// The 1-based line of the first invalid UTF-8 sequence in `data`, for errors that name the line.
public func firstInvalidUTF8Line(in data: Data) -> Int {
    var line = 1
    var start = data.startIndex
    for i in data.indices where data[i] == 0x0A {
        if String(validating: data[start..<i], as: UTF8.self) == nil { return line }
        line += 1
        start = i + 1
    }
    return line
}
