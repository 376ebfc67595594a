import Foundation
import TextTransferEmbeddings
import TextTransferTestSupport
import XCTest

/// word2vec text/binary files written by gensim and the GloVe files of ../shared/data load with the values
/// gensim reads (Tools/golden/make_word2vec_fixtures.py).
final class Word2VecParityTests: XCTestCase {
    func testGensimWrittenTextAndBinaryFilesLoadIdentically() throws {
        let expected = try FixtureFiles.json("word2vec_expected.json") as! [String: [String: Any]]
        for (name, format) in [("word2vec.txt", VectorFileFormat.word2vecText), ("word2vec.bin", .word2vecBinary)] {
            let vectors = try WordVectors(contentsOf: FixtureFiles.path(name))
            XCTAssertEqual(vectors.report.format, format, name)
            let reference = expected[name]!
            XCTAssertEqual(vectors.words, reference["words"] as! [String], name)
            let values = (reference["vectors"] as! [[Double]]).flatMap { $0.map(Float.init) }
            XCTAssertEqual(vectors.vectors.values, values, name)
        }
    }

    func testSharedGloveFilesLoadLikeGensim() throws {
        let expected = try FixtureFiles.json("glove_expected.json") as! [String: [String: Any]]
        for (name, reference) in expected {
            let vectors = try WordVectors(contentsOf: try TestData.path("Tests/Data/word_vectors/" + name))
            XCTAssertEqual(vectors.report.format, .glove)
            XCTAssertEqual(vectors.count, reference["count"] as! Int, name)
            XCTAssertEqual(vectors.dimension, reference["dimension"] as! Int, name)
            for row in reference["rows"] as! [[String: Any]] {
                let r = row["row"] as! Int
                XCTAssertEqual(vectors.words[r], row["word"] as! String)
                XCTAssertEqual(Array(vectors.vector(at: r)), (row["vector"] as! [Double]).map(Float.init), "\(name) row \(r)")
            }
        }
    }

    func testConvertRoundTripIsLossless() throws {
        let dir = try FixtureFiles.temporaryDirectory(for: self)
        for source in [try TestData.path("Tests/Data/word_vectors/glove.6B.50d.top2445.txt"), FixtureFiles.path("word2vec.bin")] {
            let original = try WordVectors(contentsOf: source)
            try original.write(to: dir + "/table.safetensors")
            let table = try WordVectors(contentsOf: dir + "/table.safetensors")
            XCTAssertEqual(table.words, original.words)
            XCTAssertEqual(table.vectors.values.map(\.bitPattern), original.vectors.values.map(\.bitPattern))
        }
    }

    func testRestrictedAndLimitedLoadsKeepOnlyWhatWasAsked() throws {
        let path = try TestData.path("Tests/Data/word_vectors/glove.6B.50d.top2445.txt")
        let full = try WordVectors(contentsOf: path)
        let wanted: Set<String> = ["movie", "the", "notaword-xyz", "film"]
        for source in [path, FixtureFiles.path("word2vec.txt")] {
            let restricted = try WordVectors(contentsOf: source, options: VectorLoadOptions(vocabulary: wanted))
            XCTAssertTrue(Set(restricted.words).isSubset(of: wanted))
        }
        let restricted = try WordVectors(contentsOf: path, options: VectorLoadOptions(vocabulary: wanted))
        XCTAssertEqual(Set(restricted.words), ["movie", "the", "film"])
        for w in restricted.words { XCTAssertEqual(restricted.vector(for: w), full.vector(for: w)) }
        // GloVe has no header: its first row sets the width even when that word is not wanted.
        let withoutFirst = try WordVectors(contentsOf: path, options: VectorLoadOptions(vocabulary: ["movie", "film"]))
        XCTAssertEqual(withoutFirst.dimension, 50)
        XCTAssertEqual(withoutFirst.vector(for: "film"), full.vector(for: "film"))
        let first = try WordVectors(contentsOf: path, options: VectorLoadOptions(maxWords: 10))
        XCTAssertEqual(first.words, Array(full.words.prefix(10)))
        let dir = try FixtureFiles.temporaryDirectory(for: self)
        try full.write(to: dir + "/t.safetensors")
        let fromTable = try WordVectors(contentsOf: dir + "/t.safetensors", options: VectorLoadOptions(vocabulary: wanted))
        XCTAssertEqual(fromTable.words, restricted.words)
        XCTAssertEqual(fromTable.vectors.values, restricted.vectors.values)
    }
}
