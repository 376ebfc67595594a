import Foundation
import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Labelled-data readers: every malformed file is an error naming its line.
final class DataReaderTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    func file(_ name: String, _ contents: String) throws -> String {
        let path = scratch + "/" + name
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func assertError(_ path: String, line: Int?, _ text: String, columns: (String, String) = ("text", "label"), sourceLine: UInt = #line) {
        XCTAssertThrowsError(try readLabeledExamples(path: path, textColumn: columns.0, labelColumn: columns.1), line: sourceLine) { error in
            guard let e = error as? DataError else { return XCTFail("\(error)", line: sourceLine) }
            XCTAssertEqual(e.file, path, line: sourceLine)
            XCTAssertEqual(e.line, line, "\(e)", line: sourceLine)
            XCTAssertTrue(e.message.contains(text), "\(e)", line: sourceLine)
        }
    }

    /// --shots: N per class, a small class whole, the same draw for the same seed and another for another,
    /// multi-label rows taken until every tag has N, the result in file order.
    func testFewShotSampleDrawsNPerClassFromTheSeed() {
        let examples = (0..<60).map { LabeledExample(text: "t\($0)", label: $0 < 40 ? "a" : $0 < 57 ? "b" : "c", line: $0 + 2) }
        let sample = fewShotSample(examples, shots: 8, seed: 5)
        XCTAssertEqual(Dictionary(grouping: sample, by: \.label).mapValues(\.count), ["a": 8, "b": 8, "c": 3])
        XCTAssertEqual(sample.map(\.line), sample.map(\.line).sorted())
        XCTAssertEqual(sample, fewShotSample(examples, shots: 8, seed: 5))
        XCTAssertNotEqual(sample, fewShotSample(examples, shots: 8, seed: 6))
        let tagged = (0..<30).map { LabeledExample(text: "m\($0)", label: ["x", "y", "x|y", "z|x"][$0 % 4], line: $0 + 2) }
        let few = fewShotSample(tagged, shots: 2, seed: 1, tagSeparator: "|")
        var counts: [String: Int] = [:]
        for e in few { for tag in e.label.split(separator: "|") { counts[String(tag), default: 0] += 1 } }
        XCTAssertTrue(["x", "y", "z"].allSatisfy { counts[$0, default: 0] >= 2 }, "\(counts)")
        XCTAssertLessThanOrEqual(few.count, 6, "no row is taken once every tag it has is full")
    }

    func testTSVReadsColumnsByName() throws {
        let path = try file("a.tsv", "id\tlabel\ttext\n1\tpos\tgreat film\n2\tneg\tdull\n")
        let examples = try readLabeledExamples(path: path)
        XCTAssertEqual(examples, [LabeledExample(text: "great film", label: "pos", line: 2), LabeledExample(text: "dull", label: "neg", line: 3)])
    }

    func testTSVErrors() throws {
        assertError(try file("m.tsv", "label\tsentence\npos\thi\n"), line: 1, "no column 'text'")
        assertError(try file("r.tsv", "label\ttext\npos\thi\nneg\n"), line: 3, "1 fields where the header has 2")
        assertError(try file("e.tsv", "label\ttext\npos\thi\nneg\t  \n"), line: 3, "empty text")
        let bad = scratch + "/u.tsv"
        try Data("label\ttext\npos\tfine\nneg\tbad \u{FF}\n".utf8).write(to: URL(fileURLWithPath: bad))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: bad))
        bytes[bytes.count - 2] = 0xFF
        try bytes.write(to: URL(fileURLWithPath: bad))
        assertError(bad, line: 3, "invalid UTF-8")
    }

    func testCSVFollowsRFC4180() throws {
        let path = try file("q.csv", "text,label\n\"comma, inside\",a\n\"say \"\"hi\"\"\",b\n\"two\nlines\",a\nplain,b\n")
        let examples = try readLabeledExamples(path: path)
        XCTAssertEqual(examples.map(\.text), ["comma, inside", "say \"hi\"", "two\nlines", "plain"])
        XCTAssertEqual(examples.map(\.line), [2, 3, 4, 6])
        assertError(try file("open.csv", "text,label\n\"never closed,a\n"), line: 2, "never closed")
        assertError(try file("stray.csv", "text,label\nab\"c,a\n"), line: 2, "quote inside an unquoted field")
        assertError(try file("ragged.csv", "text,label\nx,a,extra\n"), line: 2, "3 fields where the header has 2")
    }

    func testJSONLinesAndCustomColumns() throws {
        let path = try file("d.jsonl", "{\"sentence\": \"hi\", \"y\": 1}\n\n{\"sentence\": \"yo\", \"y\": \"two\"}\n")
        let examples = try readLabeledExamples(path: path, textColumn: "sentence", labelColumn: "y")
        XCTAssertEqual(examples.map(\.label), ["1", "two"])
        XCTAssertEqual(examples.map(\.line), [1, 3])
        assertError(try file("bad.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n[1, 2]\n"), line: 2, "not a JSON object")
        assertError(try file("miss.jsonl", "{\"text\": \"a\"}\n"), line: 1, "no 'label' field")
    }

    /// Files saved on Windows or by Excel: CRLF line breaks and a byte-order mark read as the LF file does
    /// (they used to read as one line whose header had no 'text' column).
    func testWindowsLineBreaksAndAByteOrderMarkReadAsPlainLF() throws {
        let cases: [(String, String, [Int])] = [("tsv", "label\ttext\npos\tgreat film\n\nneg\tdull\n", [2, 4]),
                                                ("csv", "label,text\npos,great film\n\nneg,\"dull\"\n", [2, 4]),
                                                ("jsonl", "{\"label\": \"pos\", \"text\": \"great film\"}\n\n{\"label\": \"neg\", \"text\": \"dull\"}\n", [1, 3])]
        for (format, lf, lines) in cases {
            let expected = try readLabeledExamples(path: try file("lf.\(format)", lf))
            XCTAssertEqual(expected.map(\.text), ["great film", "dull"], format)
            XCTAssertEqual(expected.map(\.line), lines, format)
            let windows = "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n")
            XCTAssertEqual(try readLabeledExamples(path: try file("crlf.\(format)", windows)), expected, format)
        }
        // A ragged CRLF row is still named by its own line.
        assertError(try file("ragged.tsv", "\u{FEFF}label\ttext\r\npos\thi\r\nneg\r\n"), line: 3, "1 fields where the header has 2")
    }

    func testStratifiedSplitIsSeededAndKeepsProportions() {
        let examples = (0..<100).map { LabeledExample(text: "t\($0)", label: $0 < 80 ? "a" : "b", line: $0 + 2) }
        let (train, held) = stratifiedSplit(examples, fraction: 0.1, seed: 3)
        XCTAssertEqual(held.filter { $0.label == "a" }.count, 8)
        XCTAssertEqual(held.filter { $0.label == "b" }.count, 2)
        XCTAssertEqual(train.count + held.count, 100)
        XCTAssertEqual(stratifiedSplit(examples, fraction: 0.1, seed: 3).held, held)
        XCTAssertNotEqual(stratifiedSplit(examples, fraction: 0.1, seed: 4).held, held)
    }

    func testReportAgainstHandComputedValues() {
        // gold a a a b b c, predicted a a b b c c
        let r = ClassificationReport(gold: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 2, 2], labels: ["a", "b", "c"])
        XCTAssertEqual(r.accuracy, 4.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(r.confusion, [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        XCTAssertEqual(r.perClass["a"]!.precision, 1, accuracy: 1e-12)
        XCTAssertEqual(r.perClass["a"]!.recall, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(r.perClass["b"]!.f1, 0.5, accuracy: 1e-12)            // p 1/2, r 1/2
        XCTAssertEqual(r.perClass["c"]!.f1, 2.0 / 3, accuracy: 1e-12)        // p 1/2, r 1
        XCTAssertEqual(r.macroF1, (0.8 + 0.5 + 2.0 / 3) / 3, accuracy: 1e-12) // a: p 1, r 2/3 → 0.8
        XCTAssertEqual(r.microF1, r.accuracy)
        XCTAssertLessThanOrEqual(r.accuracyInterval95[0], r.accuracy)
        XCTAssertGreaterThanOrEqual(r.accuracyInterval95[1], r.accuracy)
    }
}
