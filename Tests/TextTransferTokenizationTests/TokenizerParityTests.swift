import Foundation
import XCTest
import TextTransferTestSupport
import TextTransferCore
@testable import TextTransferTokenization

/// Ids and offsets against HF tokenizers (Tools/golden/make_tokenizer_fixtures.py), using the uncased
/// vocabulary the project ships in Vocab/.
final class TokenizerParityTests: XCTestCase {
    static func shippedTokenizer() throws -> BertTokenizer {
        let vocab = TestData.repository.appendingPathComponent("Vocab/bert-uncased-vocab.txt").path
        return try BertTokenizer(wordPiece: WordPiece(vocabulary: Vocabulary.load(vocabTxt: vocab)))
    }

    struct Case: Decodable {
        let ids: [Int32]
        let offsets: [[Int]]
        let text: String

        enum Keys: String, CodingKey { case ids, offsets }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            ids = try c.decode([Int32].self, forKey: .ids)
            offsets = try c.decode([[Int]].self, forKey: .offsets)
            text = try FixtureText(from: decoder).text
        }
    }

    func testIdsAndOffsetsMatchHuggingFaceTokenizers() throws {
        let tokenizer = try Self.shippedTokenizer()
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tokenizer_parity", withExtension: "jsonl"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 2000)
        var idMismatches = 0, offsetMismatches = 0
        for line in lines {
            let c = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            let e = tokenizer.encode(c.text)
            if e.ids != c.ids {
                idMismatches += 1
                if idMismatches <= 5 { XCTFail("ids differ for \(c.text.debugDescription):\n ours \(e.ids)\n   hf \(c.ids)") }
            } else if e.offsets.map({ [$0.lowerBound, $0.upperBound] }) != c.offsets {
                offsetMismatches += 1
                if offsetMismatches <= 5 { XCTFail("offsets differ for \(c.text.debugDescription):\n ours \(e.offsets)\n   hf \(c.offsets)") }
            }
        }
        XCTAssertEqual(idMismatches, 0, "lines whose ids differ from HF tokenizers")
        XCTAssertEqual(offsetMismatches, 0, "lines whose offsets differ from HF tokenizers")
    }

    func testTruncationKeepsSpecialTokens() throws {
        let tokenizer = try Self.shippedTokenizer()
        let e = tokenizer.encode("one two three four five six", maxLength: 4)
        XCTAssertEqual(tokenizer.tokens(e.ids), ["[CLS]", "one", "two", "[SEP]"])
    }

    func testBatchPadsToLongest() throws {
        let tokenizer = try Self.shippedTokenizer()
        let batch = tokenizer.encodeBatch(["short", "a much longer sentence here"])
        XCTAssertEqual(batch[0].count, batch[1].count)
        XCTAssertEqual(batch[0].attentionMask, [1, 1, 1, 0, 0, 0, 0])
        XCTAssertEqual(batch[0].ids.last, tokenizer.paddingID)
    }

    /// A vocab.txt saved with CRLF line breaks reads as its LF twin (tokenizers' `BufRead::lines` strips both).
    func testVocabularyWithWindowsLineBreaksReadsAsLF() throws {
        let path = NSTemporaryDirectory() + "vocab-crlf-\(UUID().uuidString).txt"
        try "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n##s\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try Vocabulary.load(vocabTxt: path).tokens, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "##s"])
    }

    func testVocabularyWithoutUnknownTokenIsRejected() throws {
        let path = NSTemporaryDirectory() + "vocab-no-unk-\(UUID().uuidString).txt"
        try "[PAD]\n[CLS]\n[SEP]\nhello\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try WordPiece(vocabulary: Vocabulary.load(vocabTxt: path))) { error in
            XCTAssertEqual("\(error)", "\(path): '[UNK]': the vocabulary has no [UNK] token")
        }
    }
}

/// Pairs against HF tokenizers (Tools/golden/make_pair_fixtures.py): ids, token types and offsets, with
/// LongestFirst truncation at several lengths.
final class PairParityTests: XCTestCase {
    struct Case: Decodable {
        let a: String, b: String
        let max_length: Int?
        let ids: [Int32], type_ids: [Int32]
        let offsets: [[Int]]
    }

    func testPairsMatchHuggingFaceTokenizers() throws {
        let tokenizer = try TokenizerParityTests.shippedTokenizer()
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/pair_parity", withExtension: "jsonl"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 200)
        var mismatches = 0
        for line in lines {
            let c = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            let e = tokenizer.encode(c.a, pair: c.b, maxLength: c.max_length)
            if e.ids != c.ids || e.typeIDs != c.type_ids || e.offsets.map({ [$0.lowerBound, $0.upperBound] }) != c.offsets {
                mismatches += 1
                if mismatches <= 3 { XCTFail("\(c.a.debugDescription) / \(c.b.debugDescription) max \(String(describing: c.max_length)):\n ours \(e.ids) \(e.typeIDs)\n   hf \(c.ids) \(c.type_ids)") }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    /// Many texts at once are tokenized on the compute threads, and come back in input order, each as
    /// one call would give it — single texts and pairs, the word tokenizer too.
    func testManyTextsAtOnceEncodeAsOneByOne() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/pair_parity", withExtension: "jsonl"))
        let cases = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
        let (a, b) = (cases.map(\.a), cases.map(\.b))
        let threads = ComputeThreads.count
        ComputeThreads.set(3)
        defer { ComputeThreads.set(threads) }
        let bert = try TokenizerParityTests.shippedTokenizer()
        XCTAssertEqual(bert.encode(a, maxLength: 16), a.map { bert.encode($0, maxLength: 16) })
        XCTAssertEqual(bert.encode(a, pairs: b, maxLength: nil), zip(a, b).map { bert.encode($0, pair: $1, maxLength: nil) })
        let words = try WordTokenizer(words: [WordTokenizer.padding, WordTokenizer.unknown, WordTokenizer.separator, "the", "a", "is"],
                                      options: .forWordVectors)
        XCTAssertEqual(words.encode(a, maxLength: nil), a.map { words.encode($0, maxLength: nil) })
    }
}
