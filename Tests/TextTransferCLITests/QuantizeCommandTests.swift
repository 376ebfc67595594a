import Foundation
import XCTest
import TextTransferTestSupport

/// `quantize` writes a smaller copy that predicts exactly as the original does at that precision, loads in
/// it by default, is not named model.safetensors, and never replaces the original or other files.
final class QuantizeCommandTests: XCTestCase {
    func testAQuantizedCopyPredictsAsTheOriginalAtItsPrecision() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "quantize-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let texts = ["hello a", "world b", "hello b a", "a b"]
        for precision in ["bf16", "int8"] {
            let output = dir + "/cls-" + precision
            let run = try runCLI(["quantize", "--model", base + "/cls", "--precision", precision, "--output", output])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("6 Linear weights in \(precision)"), run.stdout)
            let fm = FileManager.default
            XCTAssertFalse(fm.fileExists(atPath: output + "/model.safetensors"), "transformers must not read it as fp32 weights")
            let size = { (path: String) in try XCTUnwrap(fm.attributesOfItem(atPath: path)[.size] as? Int) }
            XCTAssertLessThan(try size(output + "/model.\(precision).safetensors"), try size(base + "/cls/model.safetensors"))

            let original = try runCLI(["predict", "--model", base + "/cls", "--precision", precision, "--logits", "--format", "jsonl"] + texts)
            let copy = try runCLI(["predict", "--model", output, "--logits", "--format", "jsonl"] + texts)
            XCTAssertEqual(copy.status, 0, copy.stderr)
            XCTAssertEqual(copy.stdout, original.stdout, "\(precision): the copy computes in \(precision) by default, from the same values")
            let float32 = try runCLI(["predict", "--model", base + "/cls", "--logits", "--format", "jsonl"] + texts)
            XCTAssertNotEqual(copy.stdout, float32.stdout, "\(precision) is not fp32")
        }
        let again = try runCLI(["quantize", "--model", dir + "/cls-int8", "--precision", "bf16", "--output", dir + "/twice"])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("model.int8.safetensors: is already int8"), again.stderr)
    }

    func testQuantizeRefusesWhatItCannotDoAndReplacesNothing() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "quantize-refusals-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/mine", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: dir + "/mine/notes.txt"))
        let cases: [([String], String)] = [
            (["--model", base + "/cls", "--precision", "fp32", "--output", dir + "/a"], "--precision must be bf16 or int8"),
            (["--model", base + "/cls", "--precision", "int8", "--output", dir + "/mine"], "is a directory without model.int8.safetensors"),
            (["--model", base + "/cls", "--precision", "int8", "--output", base], "an input of this run"),
            (["--model", base + "/bag", "--precision", "int8", "--output", dir + "/b"], "no Transformer encoder blocks"),
            (["--model", dir + "/absent", "--precision", "int8", "--output", dir + "/c"], "model.safetensors: missing"),
        ]
        for (arguments, message) in cases {
            let run = try runCLI(["quantize"] + arguments)
            XCTAssertNotEqual(run.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        }
        XCTAssertEqual(try String(contentsOfFile: dir + "/mine/notes.txt", encoding: .utf8), "keep me")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b"))
    }
}
