import TextTransferCore
import TextTransferEmbeddings
import TextTransferTokenization
import XCTest

final class WordVectorLookupTests: XCTestCase {
    private let table = WordVectors(words: ["movie", "cafe", "state", "art", "don"],
                                    vectors: Tensor(shape: [5, 2], values: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]))

    func testFallbacksInOrder() throws {
        let lookup = WordVectorLookup(table)
        XCTAssertEqual(lookup.vector(for: "movie").match, .exact)
        XCTAssertEqual(lookup.vector(for: "Movie").match, .lowercased)
        XCTAssertEqual(lookup.vector(for: "Café").match, .normalized)
        XCTAssertEqual(lookup.vector(for: "Café").vector, [2, 2])
        let parts = lookup.vector(for: "state-of-the-art")
        XCTAssertEqual(parts.match, .parts)
        XCTAssertEqual(parts.vector, [3.5, 3.5])  // the mean of "state" and "art"; "of", "the" have none
        XCTAssertEqual(lookup.vector(for: "zzz").match, .unknown)
        XCTAssertNil(lookup.vector(for: "zzz").vector)
    }

    func testSubwordsComeFromFastTextModels() throws {
        let model = try WordVectors(contentsOf: FixtureFiles.path("imdb_skipgram.bin"))
        let found = WordVectorLookup(model).vector(for: "moviee")
        XCTAssertEqual(found.match, .subwords)
        XCTAssertEqual(found.vector, model.subwords!.vector(for: "moviee"))
    }

    func testCoverageReportCountsTypesAndTokens() {
        let report = CoverageReport(name: "train", wordCounts: ["movie": 10, "Movie": 2, "zzz": 3, "qqq": 1], lookup: WordVectorLookup(table))
        XCTAssertEqual(report.types, 4)
        XCTAssertEqual(report.tokens, 16)
        XCTAssertEqual(report.typeCoverage, 0.5)
        XCTAssertEqual(report.tokenCoverage, 12.0 / 16.0)
        XCTAssertEqual(report.topMissing.map(\.word), ["zzz", "qqq"])
        XCTAssertTrue(report.summary.contains("most frequent without a vector: zzz (3), qqq (1)"), report.summary)
    }

    func testWordTokenizerIdsTruncationAndFingerprint() throws {
        let words = [WordTokenizer.padding, WordTokenizer.unknown, WordTokenizer.separator, "good", "film", "."]
        let tokenizer = try WordTokenizer(words: words, options: .forWordVectors)
        let e = tokenizer.encode("Good FILM, truly.")
        XCTAssertEqual(e.ids, [3, 4, 1, 1, 5])
        XCTAssertEqual(e.offsets, [0..<4, 5..<9, 9..<10, 11..<16, 16..<17])
        XCTAssertEqual(tokenizer.encode("Good FILM, truly.", maxLength: 2).ids, [3, 4])
        XCTAssertEqual(tokenizer.encode("").ids, [1])
        XCTAssertEqual(tokenizer.encode("good", pair: "film").ids, [3, 2, 4])
        var other = WordSegmentationOptions.forWordVectors
        other.caseFolding = false
        XCTAssertNotEqual(try WordTokenizer(words: words, options: other).fingerprint, tokenizer.fingerprint)
        XCTAssertThrowsError(try WordTokenizer(words: ["a", "b", "c"], options: .forWordVectors))
    }
}
