import Foundation
import TextTransferCore
import TextTransferTokenization

/// One labelled text and where it came from.
public struct LabeledExample: Sendable, Equatable {
    public var text: String
    /// The second text of a pair (premise and hypothesis, two questions), or nil.
    public var textPair: String?
    public var label: String
    /// 1-based line of the record in its file (the first line of a multi-line CSV record).
    public var line: Int

    public init(text: String, textPair: String? = nil, label: String, line: Int = 0) {
        self.text = text
        self.textPair = textPair
        self.label = label
        self.line = line
    }
}

/// Bad input data, named by file and line.
public struct DataError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// What `localizedDescription` shows: the same one line as `description`.
    public var errorDescription: String? { description }

    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// File formats for labelled text, chosen from the extension unless given.
public enum DataFormat: String, Sendable, Codable, CaseIterable {
    case tsv, csv, jsonl

    public init(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": self = .csv
        case "jsonl", "json", "ndjson": self = .jsonl
        default: self = .tsv
        }
    }
}

/// One row of a TSV, CSV or JSON Lines file: its fields by column name and its 1-based line (the first
/// line of a multi-line CSV record).
public struct TableRow: Sendable, Equatable {
    public let fields: [String: String]
    public let line: Int
}

/// The rows of a table — TSV or CSV (RFC 4180 quoting) with a header row naming the columns, or JSON
/// Lines with one object per line (strings and numbers become fields) — from `data`, named `name` in
/// errors. A header without one of `requiredColumns`, a ragged row, invalid UTF-8, a bad quote or JSON
/// is an error naming the file and line; blank lines are skipped.
public func readTableRows(data: Data, name: String, format: DataFormat, requiredColumns: [String]) throws -> [TableRow] {
    guard let text = String(validating: data, as: UTF8.self) else {
        throw DataError(file: name, line: firstInvalidUTF8Line(in: data), message: "invalid UTF-8")
    }
    var rows: [TableRow] = []
    switch format {
    case .jsonl:
        for (index, raw) in textLines(text).enumerated() where !raw.allSatisfy(\.isWhitespace) {
            let line = index + 1
            guard let object = (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] else {
                throw DataError(file: name, line: line, message: "not a JSON object")
            }
            var fields: [String: String] = [:]
            for (k, v) in object {
                if let s = v as? String { fields[k] = s } else if let n = v as? NSNumber { fields[k] = n.stringValue }
            }
            rows.append(TableRow(fields: fields, line: line))
        }
    case .tsv, .csv:
        let records = format == .tsv ? tsvRecords(text) : try csvRecords(String(droppingByteOrderMark(text)), path: name)
        guard let header = records.first else { throw DataError(file: name, message: "empty file: a header row is needed") }
        for column in requiredColumns where !header.fields.contains(column) {
            throw DataError(file: name, line: 1, message: "no column '\(column)' in the header (\(header.fields.joined(separator: ", ")))")
        }
        for record in records.dropFirst() {
            if record.fields.count == 1 && record.fields[0].isEmpty { continue }  // a blank line
            guard record.fields.count == header.fields.count else {
                throw DataError(file: name, line: record.line,
                                message: "\(record.fields.count) fields where the header has \(header.fields.count)")
            }
            rows.append(TableRow(fields: Dictionary(zip(header.fields, record.fields), uniquingKeysWith: { first, _ in first }),
                                 line: record.line))
        }
    }
    return rows
}

/// Reads labelled examples from a table (`readTableRows`): `textColumn` and `labelColumn` pick the
/// fields. Every problem — a missing column, a ragged row, an empty text or label, invalid UTF-8, a bad
/// quote or JSON — is an error naming the file and line.
public func readLabeledExamples(path: String, format: DataFormat? = nil, textColumn: String = "text",
                                labelColumn: String = "label", textPairColumn: String? = nil) throws -> [LabeledExample] {
    guard let data = readFileContents(atPath: path) else {
        throw DataError(file: path, message: "cannot read the file")
    }
    let columns = [textColumn, labelColumn] + (textPairColumn.map { [$0] } ?? [])
    let rows = try readTableRows(data: data, name: path, format: format ?? DataFormat(path: path), requiredColumns: columns)
    let examples = try rows.map { row in
        let line = row.line
        guard let t = row.fields[textColumn] else { throw DataError(file: path, line: line, message: "no '\(textColumn)' field") }
        guard let l = row.fields[labelColumn] else { throw DataError(file: path, line: line, message: "no '\(labelColumn)' field") }
        guard !t.allSatisfy(\.isWhitespace) else { throw DataError(file: path, line: line, message: "empty text") }
        guard !l.allSatisfy(\.isWhitespace) else { throw DataError(file: path, line: line, message: "empty label") }
        var pair: String?
        if let textPairColumn {
            guard let p = row.fields[textPairColumn] else { throw DataError(file: path, line: line, message: "no '\(textPairColumn)' field") }
            pair = p
        }
        return LabeledExample(text: t, textPair: pair, label: l, line: line)
    }
    guard !examples.isEmpty else { throw DataError(file: path, message: "no examples: the file has no rows after its header") }
    return examples
}

struct Record { let fields: [String]; let line: Int }

func tsvRecords(_ text: String) -> [Record] {
    textLines(text).enumerated().map { index, line in
        Record(fields: line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init), line: index + 1)
    }
}

/// RFC 4180: comma-separated fields, optionally in double quotes; "" inside quotes is a quote; quoted
/// fields may span lines.
func csvRecords(_ text: String, path: String) throws -> [Record] {
    var records: [Record] = []
    var fields: [String] = []
    var field = ""
    var line = 1, recordLine = 1
    var quoted = false, wasQuoted = false
    var iterator = Array(text.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar? = nil
    func next() -> Unicode.Scalar? {
        if let p = pending { pending = nil; return p }
        return iterator.next()
    }
    func endRecord() {
        fields.append(field)
        records.append(Record(fields: fields, line: recordLine))
        fields = []
        field = ""
        wasQuoted = false
    }
    var any = false
    while let c = next() {
        any = true
        if quoted {
            if c == "\"" {
                if let n = next() {
                    if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                } else { quoted = false }
            } else {
                if c == "\n" { line += 1 }
                field.unicodeScalars.append(c)
            }
            continue
        }
        switch c {
        case "\"":
            guard field.isEmpty && !wasQuoted else {
                throw DataError(file: path, line: line, message: "a quote inside an unquoted field (RFC 4180 needs the whole field quoted)")
            }
            quoted = true
            wasQuoted = true
        case ",":
            fields.append(field)
            field = ""
            wasQuoted = false
        case "\r":
            continue
        case "\n":
            endRecord()
            line += 1
            recordLine = line
        default:
            guard !wasQuoted else { throw DataError(file: path, line: line, message: "text after a closing quote") }
            field.unicodeScalars.append(c)
        }
    }
    if quoted { throw DataError(file: path, line: recordLine, message: "a quoted field is never closed") }
    if any && (!field.isEmpty || !fields.isEmpty || wasQuoted) { endRecord() }
    return records
}

/// A stratified split: `fraction` of each label's examples (at least one where a label has two or
/// more) go to the second part, drawn with `seed`.
public func stratifiedSplit(_ examples: [LabeledExample], fraction: Double, seed: UInt64) -> (train: [LabeledExample], held: [LabeledExample]) {
    var generator = RandomGenerator(seed: seed)
    var train: [LabeledExample] = [], held: [LabeledExample] = []
    let groups = Dictionary(grouping: examples.indices, by: { examples[$0].label })
    for label in groups.keys.sorted() {
        var members = groups[label]!
        members.shuffle(using: &generator)
        let count = members.count >= 2 ? max(1, Int((Double(members.count) * fraction).rounded())) : 0
        held += members.prefix(count).map { examples[$0] }
        train += members.dropFirst(count).map { examples[$0] }
    }
    let byLine = { (a: LabeledExample, b: LabeledExample) in a.line < b.line }
    return (train.sorted(by: byLine), held.sorted(by: byLine))
}

/// A few-shot sample: `shots` examples of each class drawn with `seed`, as SetFit's `sample_dataset` does
/// (all of a class's examples when it has fewer). With `tagSeparator` (multi-label rows), a row is taken
/// while any of its tags still has fewer than `shots`, visiting rows in one seeded order. In file order.
public func fewShotSample(_ examples: [LabeledExample], shots: Int, seed: UInt64, tagSeparator: String? = nil) -> [LabeledExample] {
    precondition(shots >= 1, "shots must be at least 1")
    var generator = RandomGenerator(seed: seed)
    var order = Array(examples.indices)
    order.shuffle(using: &generator)
    var taken: [String: Int] = [:]
    var chosen: [Int] = []
    for i in order {
        let label = examples[i].label
        let tags = tagSeparator.map { label.components(separatedBy: $0).filter { !$0.isEmpty } } ?? [label]
        guard tags.contains(where: { taken[$0, default: 0] < shots }) else { continue }
        chosen.append(i)
        for tag in tags { taken[tag, default: 0] += 1 }
    }
    return chosen.sorted().map { examples[$0] }
}
