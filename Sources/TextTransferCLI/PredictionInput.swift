import Foundation
import TextTransferIO
import TextTransferTraining
#if canImport(Glibc)
import Glibc
#endif

/// The texts `predict` classifies, wherever they came from: the command line, a file of lines, a
/// table's column, or standard input.
struct PredictionInput {
    var texts: [String]
    /// The second text of each pair, or nil.
    var pairs: [String]?
    /// Each row's id (a table's `--id-column`), or nil.
    var ids: [String]?

    /// How an input file is read: one text per line, or a table with a header row (or JSON Lines).
    enum Format: String, CaseIterable {
        case lines, tsv, csv, jsonl

        /// From the file's extension: .tsv, .csv and .jsonl/.json/.ndjson are tables; anything else
        /// (.txt, no extension, standard input) is lines.
        init(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "tsv": self = .tsv
            case "csv": self = .csv
            case "jsonl", "json", "ndjson": self = .jsonl
            default: self = .lines
            }
        }
    }

    /// Reads `path` ("-" is standard input) as `format`. Lines keep their order and count (a blank line
    /// is classified too, so output line i answers input line i); with `tabSeparatedPairs`, a tab splits
    /// each line into a text and its pair. A table needs `textColumn` in its header, and `pairColumn`
    /// and `idColumn` when they are given; an empty text is an error naming the line.
    static func read(_ path: String, format: Format, textColumn: String, pairColumn: String?, idColumn: String?,
                     tabSeparatedPairs: Bool) throws -> PredictionInput {
        if format == .lines {
            guard pairColumn == nil, idColumn == nil else {
                throw InputError(message: "\(displayName(path)): --text-pair-column and --id-column need a table (.tsv, .csv, .jsonl or --input-format)")
            }
            return fromLines(try readInputLines(path), tabSeparatedPairs: tabSeparatedPairs)
        }
        let name = displayName(path)
        let data = try readInputData(path)
        let tableFormat: DataFormat = format == .csv ? .csv : format == .jsonl ? .jsonl : .tsv
        let columns = [textColumn] + [pairColumn, idColumn].compactMap { $0 }
        let rows = try readTableRows(data: data, name: name, format: tableFormat, requiredColumns: columns)
        guard !rows.isEmpty else { throw InputError(message: "\(name): no rows to classify") }
        func field(_ row: TableRow, _ column: String) throws -> String {
            guard let value = row.fields[column] else { throw InputError(message: "\(name):\(row.line): no '\(column)' field") }
            return value
        }
        var input = PredictionInput(texts: [], pairs: pairColumn.map { _ in [] }, ids: idColumn.map { _ in [] })
        for row in rows {
            let text = try field(row, textColumn)
            guard !text.allSatisfy(\.isWhitespace) else { throw InputError(message: "\(name):\(row.line): empty text") }
            input.texts.append(text)
            if let pairColumn { input.pairs!.append(try field(row, pairColumn)) }
            if let idColumn { input.ids!.append(try field(row, idColumn)) }
        }
        return input
    }

    /// Texts given as arguments (or lines of a file), split at the first tab into pairs when asked.
    static func fromLines(_ lines: [String], tabSeparatedPairs: Bool) -> PredictionInput {
        guard tabSeparatedPairs else { return PredictionInput(texts: lines) }
        let split = lines.map { $0.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
        return PredictionInput(texts: split.map { $0[0] }, pairs: split.map { $0.count > 1 ? $0[1] : "" })
    }

    /// Whether standard input is a terminal: then nobody piped texts in, and waiting for them would look
    /// like a hang.
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    private static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }
}
