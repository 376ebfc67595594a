import Foundation
import TextTransferEmbeddings
import XCTest

/// Vectors of a skip-gram model trained by Debian's fasttext (Tools/golden/make_fasttext_fixtures.py)
/// against fastText's own: full precision from its C++ (Python binding) and `fasttext print-word-vectors`.
final class FastTextParityTests: XCTestCase {
    func testInAndOutOfVocabularyVectorsEqualFastText() throws {
        let model = try WordVectors(contentsOf: FixtureFiles.path("imdb_skipgram.bin"))
        XCTAssertEqual(model.report.format, .fastTextBinary)
        XCTAssertEqual(model.count, 5228)
        XCTAssertEqual(model.dimension, 8)
        let expected = try FixtureFiles.json("fasttext_vectors.json") as! [String: Any]
        let vectors = expected["vectors"] as! [String: [Double]]
        let inVocabulary = Set(expected["in_vocabulary"] as! [String])
        var worst = 0.0, outside = 0
        for (word, reference) in vectors {
            XCTAssertEqual(model.row(of: word) != nil, inVocabulary.contains(word), word)
            if !inVocabulary.contains(word) { outside += 1 }
            let ours = try XCTUnwrap(model.vector(for: word), word)
            for (a, b) in zip(ours, reference) { worst = max(worst, abs(Double(a) - b)) }
        }
        print("fastText parity: \(vectors.count) words (\(outside) out of vocabulary), max |difference| \(worst)")
        XCTAssertEqual(outside, 16)
        XCTAssertLessThanOrEqual(worst, 1e-5)
    }

    func testPrintWordVectorsOutputWithinItsPrintedPrecision() throws {
        let model = try WordVectors(contentsOf: FixtureFiles.path("imdb_skipgram.bin"))
        var rows = 0, worst = 0.0
        for (word, printed) in try PrintedWordVectors.rows("fasttext_print_word_vectors.txt") {
            let ours = try XCTUnwrap(model.vector(for: word), word)
            worst = max(worst, PrintedWordVectors.assertWithinPrintedPrecision(ours, printed, word))
            rows += 1
        }
        print("print-word-vectors: \(rows) rows, max |difference| \(worst) (printed to 5 significant digits)")
        XCTAssertEqual(rows, 143)
    }

    func testConvertedTableKeepsWordAndSubwordVectorsExactly() throws {
        let model = try WordVectors(contentsOf: FixtureFiles.path("imdb_skipgram.bin"))
        let path = try FixtureFiles.temporaryDirectory(for: self) + "/imdb.safetensors"
        try model.write(to: path)
        let table = try WordVectors(contentsOf: path)
        XCTAssertEqual(table.report.format, .safetensors)
        XCTAssertEqual(table.words, model.words)
        XCTAssertEqual(table.vectors.values, model.vectors.values)
        for word in ["moviee", "café", "東京", "qwertyzzz"] {
            XCTAssertEqual(table.vector(for: word), model.vector(for: word), word)
        }
    }

    func testTruncatedModelNamesTheByteOffset() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: FixtureFiles.path("imdb_skipgram.bin")))
        let dir = try FixtureFiles.temporaryDirectory(for: self)
        for cut in [3, 70, 30_000, data.count - 100] {
            let path = dir + "/cut\(cut).bin"
            try data.prefix(cut).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try WordVectors(contentsOf: path, options: VectorLoadOptions(format: .fastTextBinary))) { error in
                let e = error as! VectorFileError
                XCTAssertNotNil(e.byteOffset, "\(e)")
                XCTAssertTrue(e.description.contains("truncated"), "\(e)")
            }
        }
    }
}
