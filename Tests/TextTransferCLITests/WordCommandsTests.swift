import Foundation
import XCTest

/// `tokenize --words`, `vectors` and `convert` through the binary: their output, and bad vector files as a
/// one-line error naming file and line with exit status 1 (or skipped and counted under --lenient).
final class WordCommandsTests: XCTestCase {
    private var scratch: String!

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "cli-words-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    func testTokenizeWordsPrintsSegmentsWithOffsetsAndKinds() throws {
        let r = try runCLI(["tokenize", "--words", "--case-fold"], stdin: Data("Visit www.example.com, ฉันรักภาษาไทย 42\n".utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["words"] as! [String], ["visit", "www.example.com", ",", "ฉัน", "รัก", "ภาษา", "ไทย", "42"])
        XCTAssertEqual(json["kinds"] as! [String], ["word", "url", "punctuation", "word", "word", "word", "word", "number"])
        XCTAssertEqual((json["offsets"] as! [[Int]]).first, [0, 5])
    }

    func testVectorsAndConvert() throws {
        let glove = scratch + "/tiny.txt"
        try "the 0.5 -1\nmovie 0.25 2\n".write(toFile: glove, atomically: true, encoding: .utf8)
        let r = try runCLI(["vectors", "--embeddings", glove, "Movie", "zzz"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "Movie 0.25 2.0\nzzz 0.0 0.0\n")
        XCTAssertTrue(r.stderr.contains("1 of 2 words have no vector"), r.stderr)
        let table = scratch + "/tiny.safetensors"
        XCTAssertEqual(try runCLI(["convert", "--embeddings", glove, "--output", table]).status, 0)
        XCTAssertEqual(try runCLI(["vectors", "--embeddings", table, "the"]).stdout, "the 0.5 -1.0\n")
    }

    func testBadVectorFileIsOneLineNamingTheLine() throws {
        let bad = scratch + "/bad.txt"
        try "the 0.5 -1\nmovie 0.25\nfilm 1 2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        // Restricted loading parses only the rows it keeps: the bad row counts once "movie" is asked for.
        XCTAssertEqual(try runCLI(["vectors", "--embeddings", bad, "the"]).status, 0)
        let r = try runCLI(["vectors", "--embeddings", bad, "movie"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "text-transfer: \(bad):2: 1 values where the file has 2 per word\n")
        let lenient = try runCLI(["vectors", "--embeddings", bad, "--lenient", "film", "movie"])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertEqual(lenient.stdout, "film 1.0 2.0\nmovie 0.0 0.0\n")
        XCTAssertTrue(lenient.stderr.contains("skipped 1 malformed rows"), lenient.stderr)
        // convert never leaves a half-written table behind, and an existing one survives a failure.
        let table = scratch + "/keep.safetensors"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: table))
        XCTAssertEqual(try runCLI(["convert", "--embeddings", bad, "--output", table]).status, 1)
        XCTAssertEqual(try String(contentsOfFile: table, encoding: .utf8), "precious")
    }

    /// `--limit N` keeps the first rows: on a file sorted by label that can leave classes out, which the
    /// run warns about before training refuses a single label.
    func testLimitOnASortedFileWarnsAboutMissingLabels() throws {
        let data = scratch + "/sorted.tsv"
        try "label\ttext\na\tgood film\na\tgreat fun\nb\tdull mess\nb\tawful plot\n".write(toFile: data, atomically: true, encoding: .utf8)
        let r = try runCLI(["train", "--train", data, "--dev", data, "--encoder", "bag", "--word-tokens", "--embedding-width", "4",
                            "--epochs", "1", "--limit", "2", "--output", scratch + "/model"])
        XCTAssertTrue(r.stderr.contains("the first 2 training rows lack the label(s) b; is the file sorted by label?"), r.stderr)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("at least two labels"), r.stderr)
    }
}
