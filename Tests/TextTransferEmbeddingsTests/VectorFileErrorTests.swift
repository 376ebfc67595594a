import Foundation
import TextTransferEmbeddings
import XCTest

/// Malformed vector files: each gives an error naming the line or byte offset, or under `lenient` is
/// skipped and counted.
final class VectorFileErrorTests: XCTestCase {
    private func write(_ contents: [UInt8], _ name: String) throws -> String {
        let path = try FixtureFiles.temporaryDirectory(for: self) + "/" + name
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func expectError(_ text: String, line: Int, containing fragment: String, format: VectorFileFormat? = nil,
                             file: StaticString = #filePath, sourceLine: UInt = #line) throws {
        let path = try write(Array(text.utf8), "bad.txt")
        XCTAssertThrowsError(try WordVectors(contentsOf: path, options: VectorLoadOptions(format: format)), file: file, line: sourceLine) { error in
            let e = error as! VectorFileError
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: sourceLine)
            XCTAssertTrue(e.description.contains(fragment), "\(e)", file: file, line: sourceLine)
            XCTAssertTrue(e.description.hasPrefix(path + ":\(line): "), "\(e)", file: file, line: sourceLine)
        }
    }

    func testTextFileErrorsNameTheLine() throws {
        try expectError("a 1 2 3\nb 1 2\nc 1 2 3\n", line: 2, containing: "2 values where the file has 3")
        try expectError("a 1 2 3\nb 1 x 3\n", line: 2, containing: "value 2 of 'b' is not a number: 'x'")
        try expectError("a 1 2 3\nb 1 nan 3\n", line: 2, containing: "not finite")
        try expectError("a 1 2 3\nb 1 2 3\na 4 5 6\n", line: 3, containing: "duplicate word 'a'")
        try expectError("3 2\na 1 2\nb 3 4\n", line: 1, containing: "declares 3 words but the file has 2")
        try expectError("2 2\na 1 2\nb 3 4\nc 5 6\n", line: 1, containing: "declares 2 words but the file has 3")
    }

    func testInvalidUTF8NamesTheLine() throws {
        let path = try write(Array("a 1 2\n".utf8) + [0x62, 0xFF, 0x20, 0x31, 0x20, 0x32, 0x0A], "bad.txt")
        XCTAssertThrowsError(try WordVectors(contentsOf: path)) { error in
            XCTAssertEqual((error as! VectorFileError).line, 2)
            XCTAssertTrue("\(error)".contains("not valid UTF-8"))
        }
    }

    func testLenientSkipsAndCounts() throws {
        let path = try write(Array("a 1 2 3\nb 1 2\nc 1 x 3\na 7 8 9\nd 4 5 6\n".utf8), "messy.txt")
        let vectors = try WordVectors(contentsOf: path, options: VectorLoadOptions(lenient: true))
        XCTAssertEqual(vectors.words, ["a", "d"])
        XCTAssertEqual(vectors.report.skipped, ["ragged": 1, "non-numeric": 1, "duplicate": 1])
        XCTAssertEqual(vectors.vector(for: "a"), [1, 2, 3])
    }

    func testTruncatedWord2VecBinaryNamesTheByteOffset() throws {
        var bytes = Array("2 3\n".utf8)
        for (word, v) in [("ab", Float(1)), ("cd", 2)] {
            bytes += Array((word + " ").utf8)
            for k in 0..<3 { withUnsafeBytes(of: (v + Float(k)).bitPattern.littleEndian) { bytes += $0 } }
            bytes.append(0x0A)
        }
        let whole = try WordVectors(contentsOf: try write(bytes, "ok.bin"))
        XCTAssertEqual(whole.report.format, .word2vecBinary)
        XCTAssertEqual(whole.vector(for: "cd"), [2, 3, 4])
        let cut = try write(Array(bytes.prefix(bytes.count - 5)), "cut.bin")
        XCTAssertThrowsError(try WordVectors(contentsOf: cut)) { error in
            let e = error as! VectorFileError
            XCTAssertEqual(e.byteOffset, 4 + 3 + 12 + 1 + 3, "\(e)")
            XCTAssertTrue(e.description.contains("truncated"), "\(e)")
        }
    }

    func testSafetensorsThatIsNotAVectorTable() throws {
        let path = try FixtureFiles.temporaryDirectory(for: self) + "/model.safetensors"
        let header = Array(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#.utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        try Data(bytes + header + [0, 0, 0, 0]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try WordVectors(contentsOf: path)) { error in
            XCTAssertTrue("\(error)".contains("not a word-vector table"), "\(error)")
        }
    }
}
