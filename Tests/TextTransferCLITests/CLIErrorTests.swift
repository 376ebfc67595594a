import Foundation
import TextTransferTestSupport
import XCTest

/// The `text-transfer` binary on bad input: one line on standard error naming the file and the key or
/// line, a non-zero exit, and nothing the user had overwritten.
final class CLIErrorTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let model = repository.appendingPathComponent("Models/all-MiniLM-L6-v2").path
    var scratch: String!

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    typealias Run = CLIRun

    func run(_ arguments: [String], stdin: Data? = nil) throws -> Run { try runCLI(arguments, stdin: stdin) }

    func requireModel() throws {
        try PretrainedModel.require()
    }

    /// A copy of the model directory (weights linked, not copied) with some files replaced.
    func modelVariant(replacing files: [String: String], removing: [String] = []) throws -> String {
        let dir = scratch + "/model"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.model) where !removing.contains(name) {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: Self.model + "/" + name)
        }
        for (name, contents) in files {
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
            try contents.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        return dir
    }

    func assertOneLineError(_ r: Run, containing parts: [String], line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, line: line)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "one line: \(r.stderr)", line: line)
        for p in parts { XCTAssertTrue(r.stderr.contains(p), "\(r.stderr) should name \(p)", line: line) }
    }

    func testMissingModelDirectory() throws {
        let r = try run(["embed", "--model", scratch + "/nothing-here"], stdin: Data("hi\n".utf8))
        assertOneLineError(r, containing: [scratch + "/nothing-here", "no such model directory"])
    }

    func testConfigMissingKey() throws {
        try requireModel()
        let config = try String(contentsOfFile: Self.model + "/config.json", encoding: .utf8)
            .replacingOccurrences(of: "\"hidden_size\": 384,", with: "")
        let dir = try modelVariant(replacing: ["config.json": config])
        assertOneLineError(try run(["embed", "--model", dir], stdin: Data("hi\n".utf8)),
                           containing: [dir + "/config.json", "'hidden_size'", "missing key"])
    }

    func testTensorShapeDisagreesWithConfig() throws {
        try requireModel()
        let config = try String(contentsOfFile: Self.model + "/config.json", encoding: .utf8)
            .replacingOccurrences(of: "\"intermediate_size\": 1536", with: "\"intermediate_size\": 1024")
        let dir = try modelVariant(replacing: ["config.json": config])
        assertOneLineError(try run(["embed", "--model", dir], stdin: Data("hi\n".utf8)),
                           containing: ["model.safetensors", "'encoder.layer.0.intermediate.dense.weight'", "[1536, 384]", "[1024, 384]"])
    }

    func testVocabularyWithoutUnknownToken() throws {
        try requireModel()
        let vocab = try String(contentsOfFile: Self.model + "/vocab.txt", encoding: .utf8)
            .replacingOccurrences(of: "[UNK]\n", with: "[UNK-REMOVED]\n")
        let dir = try modelVariant(replacing: ["vocab.txt": vocab], removing: ["tokenizer.json"])
        assertOneLineError(try run(["embed", "--model", dir], stdin: Data("hi\n".utf8)),
                           containing: [dir + "/vocab.txt", "[UNK]"])
    }

    func testCorruptSafetensors() throws {
        try requireModel()
        let dir = try modelVariant(replacing: [:], removing: ["model.safetensors"])
        var data = try Data(contentsOf: URL(fileURLWithPath: Self.model + "/model.safetensors"))
        data = data.prefix(4096)  // truncated: tensors now run past the end of the file
        try data.write(to: URL(fileURLWithPath: dir + "/model.safetensors"))
        assertOneLineError(try run(["embed", "--model", dir], stdin: Data("hi\n".utf8)),
                           containing: [dir + "/model.safetensors"])
    }

    func testInvalidUTF8NamesTheLineAndKeepsTheOutput() throws {
        try requireModel()
        let input = scratch + "/input.txt", output = scratch + "/out.jsonl"
        try Data("fine\nalso fine\nbad \u{FF}".utf8).write(to: URL(fileURLWithPath: input))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: input))
        bytes[bytes.count - 1] = 0xFF  // a lone 0xFF byte is never valid UTF-8
        try bytes.write(to: URL(fileURLWithPath: input))
        try "precious\n".write(toFile: output, atomically: true, encoding: .utf8)
        let r = try run(["embed", "--model", Self.model, "--input", input, "--output", output])
        assertOneLineError(r, containing: [input + ":3:", "invalid UTF-8"])
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "precious\n")
    }

    func testEmbedWritesOneVectorPerLineIncludingEmptyOnes() throws {
        try requireModel()
        let r = try run(["embed", "--model", Self.model, "--threads", "1"], stdin: Data("first\n\nthird line\n".utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map { try! JSONDecoder().decode([Float].self, from: Data($0.utf8)) }
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(rows.allSatisfy { $0.count == 384 })
    }

    func testTokenizePrintsTokensIdsAndOffsets() throws {
        try requireModel()
        let r = try run(["tokenize", "--model", Self.model], stdin: Data("Héllo, world!\n".utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, #"{"tokens":["[CLS]","hello",",","world","!","[SEP]"],"ids":[101,7592,1010,2088,999,102],"offsets":[[0,0],[0,5],[5,6],[7,12],[12,13],[0,0]]}"# + "\n")
    }
}
