import Foundation
import XCTest
import TextTransferTestSupport

/// `predict` as people feed it: piped lines, a CSV with a header (only its text column classified), JSON
/// Lines with ids, and an output file written atomically beside what the user had.
final class PredictCommandTests: XCTestCase {
    func testPipedTextsArePredictedOnePerLine() throws {
        let base = try BadInputFixtures.base()
        let run = try runCLI(["predict", "--model", base + "/cls"], stdin: Data("hello a\nworld b\n".utf8))
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, run.stdout)
        XCTAssertEqual(lines.map { $0.split(separator: "\t").last.map(String.init) }, ["hello a", "world b"])
        let arguments = try runCLI(["predict", "--model", base + "/cls", "hello a", "world b"])
        XCTAssertEqual(arguments.stdout, run.stdout, "piped texts and arguments give the same predictions")
    }

    func testACSVPredictsOnlyItsTextColumnAndNamesRowsByID() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "predict-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = "id,review,stars\nr1,\"hello a, hello\",5\nr2,world b,1\nr3,\"a \"\"quoted\"\" b\",3\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: dir + "/reviews.csv"))
        let run = try runCLI(["predict", "--model", base + "/cls", "--input", dir + "/reviews.csv", "--text-column", "review",
                              "--id-column", "id", "--format", "jsonl", "--output", dir + "/out.jsonl"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "", "the predictions go to --output")
        let objects = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.compactMap { $0["id"] as? String }, ["r1", "r2", "r3"])
        let single = try runCLI(["predict", "--model", base + "/cls", "--format", "jsonl", "hello a, hello", "world b", "a \"quoted\" b"])
        let expected = single.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        for (ours, reference) in zip(objects, expected) {
            XCTAssertEqual(ours["label"] as? String, reference?["label"] as? String)
            XCTAssertEqual(ours["probabilities"] as? [String: Double], reference?["probabilities"] as? [String: Double],
                           "only the review column is classified: the same as the texts given alone")
        }
        let missing = try runCLI(["predict", "--model", base + "/cls", "--input", dir + "/reviews.csv"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("\(dir)/reviews.csv:1: no column 'text'"), missing.stderr)
    }

    func testJSONLinesInputAndTSVFromStandardInput() throws {
        let base = try BadInputFixtures.base()
        let jsonl = "{\"text\": \"hello a\", \"n\": 1}\n\n{\"text\": \"world b\", \"n\": 2}\n"
        let run = try runCLI(["predict", "--model", base + "/cls", "--input", "-", "--input-format", "jsonl", "--format", "jsonl"],
                             stdin: Data(jsonl.utf8))
        XCTAssertEqual(run.status, 0, run.stderr)
        let texts = run.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["text"] as? String
        }
        XCTAssertEqual(texts, ["hello a", "world b"])
        let empty = try runCLI(["predict", "--model", base + "/cls", "--input", "-", "--input-format", "tsv"],
                               stdin: Data("text\nhello a\n \n".utf8))
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.stderr.contains("<stdin>:3: empty text"), empty.stderr)
    }

    func testLogitsAreTheHeadsOutputAndAClassifierEmbedsWithItsEncoder() throws {
        let base = try BadInputFixtures.base()
        let run = try runCLI(["predict", "--model", base + "/cls", "--format", "jsonl", "--logits", "hello a", "world b"])
        XCTAssertEqual(run.status, 0, run.stderr)
        for line in run.stdout.split(separator: "\n") {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let logits = try XCTUnwrap(object["logits"] as? [Double], line.description)
            let probabilities = try XCTUnwrap(object["probabilities"] as? [String: Double])
            XCTAssertEqual(logits.count, probabilities.count, "a softmax head has one logit per label")
            let peak = logits.max()!, total = logits.map { exp($0 - peak) }.reduce(0, +)
            for (p, q) in zip(probabilities.values.sorted(), logits.map { exp($0 - peak) / total }.sorted()) {
                XCTAssertEqual(p, q, accuracy: 1e-5, "the probabilities are the softmax of the logits")
            }
        }
        let embedded = try runCLI(["embed", "--model", base + "/cls", "--format", "tsv"], stdin: Data("hello a\nworld b\n".utf8))
        XCTAssertEqual(embedded.status, 0, embedded.stderr)
        let rows = embedded.stdout.split(separator: "\n").map { $0.split(separator: "\t").compactMap { Float($0) } }
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows.allSatisfy { $0.count == rows[0].count && $0.count > 0 && $0.allSatisfy(\.isFinite) }, embedded.stdout)
        XCTAssertNotEqual(rows[0], rows[1], "two texts, two embeddings")
        let bag = try runCLI(["embed", "--model", base + "/bag"], stdin: Data("hello a\n".utf8))
        XCTAssertNotEqual(bag.status, 0)
        XCTAssertTrue(bag.stderr.contains("has no sentence embeddings"), bag.stderr)
    }
}
