import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// Reads the lines of a file, or of standard input for "-", as UTF-8 text: one text per line, the
/// line break (LF or CRLF) removed, and a byte-order mark before the first. Invalid UTF-8 is an error
/// naming the file and line.
func readInputLines(_ path: String) throws -> [String] {
    let data = try readInputData(path)
    let name = path == "-" ? "<stdin>" : path
    var lines: [String] = []
    var start = data.startIndex
    var number = 1
    func take(_ end: Data.Index) throws {
        var slice = data[start..<end]
        if slice.last == 0x0D { slice = slice.dropLast() }
        if number == 1, slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        guard let line = String(validating: slice, as: UTF8.self) else {
            throw InputError(message: "\(name):\(number): invalid UTF-8")
        }
        lines.append(line)
    }
    for i in data.indices where data[i] == 0x0A {
        try take(i)
        start = i + 1
        number += 1
    }
    if start < data.endIndex { try take(data.endIndex) }
    return lines
}

/// All the bytes of a file, or of standard input for "-".
func readInputData(_ path: String) throws -> Data {
    if path == "-" { return try readStandardInput() }
    guard let contents = readFileContents(atPath: path) else { throw InputError(message: "\(path): cannot read the file") }
    return contents
}

struct InputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Writes `data` to `path` atomically (a failed run never leaves a half-written file where the user's
/// file was), refusing any of `inputs`; "-" writes to standard output.
func writeOutput(_ data: Data, to path: String, inputs: [String] = []) throws {
    if path == "-" {
        try writeStandardOutput(data)
    } else {
        try writeAtomically(data, to: path, inputs: inputs)
    }
}

/// The texts of a file, with their labels when it has them: a .txt file (or "-") is one text per line,
/// blank lines dropped, no labels; any other is labelled data (.tsv, .csv, .jsonl).
func readTexts(_ path: String, textColumn: String, labelColumn: String) throws -> (texts: [String], labels: [String]?) {
    if path.hasSuffix(".txt") || path == "-" {
        return (try readInputLines(path).filter { !$0.allSatisfy(\.isWhitespace) }, nil)
    }
    let examples = try readLabeledExamples(path: path, textColumn: textColumn, labelColumn: labelColumn)
    return (examples.map(\.text), examples.map(\.label))
}
