import Foundation
import XCTest
import TextTransferCore
@testable import TextTransferIO

/// The safetensors reader: round trip through the writer, and every header violation rejected with the
/// file and tensor named.
final class SafetensorsReaderTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "safetensors-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// A file with the given header JSON and `dataBytes` bytes of data.
    func file(header: String, dataBytes: Int, headerLength: UInt64? = nil) throws -> String {
        let path = directory + "/\(UUID().uuidString).safetensors"
        var data = Data()
        withUnsafeBytes(of: (headerLength ?? UInt64(header.utf8.count)).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header.utf8)
        data.append(Data(count: dataBytes))
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func assertRejected(_ path: String, containing text: String, key: String? = nil, line: UInt = #line) {
        XCTAssertThrowsError(try SafetensorsReader(path: path), line: line) { error in
            guard let e = error as? ModelFileError else { return XCTFail("unexpected \(error)", line: line) }
            XCTAssertEqual(e.file, path, line: line)
            XCTAssertEqual(e.key, key, line: line)
            XCTAssertTrue(e.message.contains(text), "\(e)", line: line)
            XCTAssertFalse("\(e)".contains("\n"), "one line", line: line)
        }
    }

    func testWriterRoundTripIsExactAndF32IsNotCopied() throws {
        let a = Tensor(shape: [2, 3], values: [1, -2, 3.5, .pi, 0, -0.25])
        let b = Tensor(shape: [5], values: [9, 8, 7, 6, 5])
        let path = directory + "/t.safetensors"
        try SafetensorsWriter.write(["a": a, "b": b], metadata: ["format": "pt"], to: path)
        let reader = try SafetensorsReader(path: path)
        XCTAssertEqual(reader.names, ["a", "b"])
        XCTAssertEqual(reader.metadata, ["format": "pt"])
        XCTAssertEqual(try reader.tensor("a").values, a.values)
        XCTAssertEqual(try reader.tensor("b").shape, [5])
        XCTAssertEqual(try reader.tensor("b").values, b.values)
        XCTAssertNotEqual(try reader.tensor("a").storage.pointer, a.storage.pointer)
    }

    func testHalfPrecisionIsConverted() throws {
        // F16 1.0 = 0x3C00, BF16 -2.0 = 0xC000.
        let path = try file(header: #"{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]}}"#, dataBytes: 0)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data.append(contentsOf: [0x00, 0x3C, 0x00, 0xC0])
        try data.write(to: URL(fileURLWithPath: path))
        let reader = try SafetensorsReader(path: path)
        XCTAssertEqual(try reader.tensor("h").values, [1])
        XCTAssertEqual(try reader.tensor("b").values, [-2])
    }

    func testTooShortFile() throws {
        let path = directory + "/short.safetensors"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        assertRejected(path, containing: "too short")
    }

    func testHeaderLengthOverTheLimit() throws {
        assertRejected(try file(header: "{}", dataBytes: 0, headerLength: 1 << 40), containing: "exceeds the limit")
    }

    func testHeaderLengthPastTheEnd() throws {
        assertRejected(try file(header: "{}", dataBytes: 0, headerLength: 500), containing: "runs past the end")
    }

    func testHeaderThatIsNotJSON() throws {
        assertRejected(try file(header: "{not json", dataBytes: 0), containing: "not valid JSON")
    }

    func testUnknownDtype() throws {
        assertRejected(try file(header: #"{"w":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}"#, dataBytes: 4),
                       containing: "unknown dtype F17", key: "w")
    }

    func testShapeDisagreesWithByteRange() throws {
        assertRejected(try file(header: #"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#, dataBytes: 12),
                       containing: "needs 16 bytes but data_offsets give 12", key: "w")
    }

    func testRangeOutsideTheFile() throws {
        assertRejected(try file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 8),
                       containing: "run past the data section", key: "w")
    }

    func testOverlappingRanges() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        assertRejected(try file(header: header, dataBytes: 12), containing: "overlaps tensor 'a'", key: "b")
    }

    func testBadShapeAndOffsets() throws {
        assertRejected(try file(header: #"{"w":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, dataBytes: 4),
                       containing: "shape is not a list", key: "w")
        assertRejected(try file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, dataBytes: 4),
                       containing: "data_offsets", key: "w")
    }

    func testMissingTensorIsNamed() throws {
        let path = directory + "/t.safetensors"
        try SafetensorsWriter.write(["a": Tensor(zeros: [1])], to: path)
        XCTAssertThrowsError(try SafetensorsReader(path: path).tensor("nope")) { error in
            XCTAssertEqual("\(error)", "\(path): 'nope': no such tensor")
        }
    }

    func testConfigMissingKeyIsNamed() throws {
        let path = directory + "/config.json"
        try #"{"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "intermediate_size": 16}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BertConfiguration.load(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): 'num_attention_heads': missing key")
        }
    }

    func testConfigInconsistentHeadsIsNamed() throws {
        let path = directory + "/config.json"
        try #"{"vocab_size": 10, "hidden_size": 10, "num_hidden_layers": 1, "num_attention_heads": 3, "intermediate_size": 16}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BertConfiguration.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("'num_attention_heads': hidden_size 10 is not a multiple"), "\(error)")
        }
    }
}
