import Foundation
import XCTest
import TextTransfer
import TextTransferCore
import TextTransferTestSupport

/// Masked-LM pretraining on the tiny model: it learns the text (held-out loss falls), one seed gives
/// the same weights, and a run stopped mid-epoch and resumed equals one that never stopped, bit for bit.
final class PretrainingTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "pretraining-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/base")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    let lines = (0..<60).map { ["hello a b", "world b a", "hello hello a", "a b a b world", "b b hello"][$0 % 5] }

    func settings() -> PretrainingSettings {
        var s = PretrainingSettings()
        (s.model, s.maxLength, s.batchSize, s.epochs, s.learningRate, s.evaluations, s.heldOutFraction) = (scratch + "/base", 16, 4, 4, 1e-2, 3, 0.1)
        return s
    }

    func weights(_ p: MaskedLanguagePretrainer) -> [UInt32] {
        Array(UnsafeBufferPointer(start: p.model.store.values.pointer, count: p.model.store.count)).map(\.bitPattern)
    }

    func testTheHeldOutLossFallsAndOneSeedGivesTheSameWeights() throws {
        let a = try MaskedLanguagePretrainer(settings: settings()), b = try MaskedLanguagePretrainer(settings: settings())
        let result = try a.run(lines: lines)
        _ = try b.run(lines: lines)
        XCTAssertEqual(weights(a), weights(b))
        XCTAssertLessThan(result.history.last!.heldOutLoss, result.history.first!.heldOutLoss - 0.3, "\(result.history)")
        XCTAssertLessThan(result.history.last!.cosineToStart, 1, "the embeddings moved")
        XCTAssertEqual(result.history.first!.cosineToStart, 1, accuracy: 1e-6)
        XCTAssertFalse(result.headWasLoaded)
    }

    func testAnInterruptedRunResumesBitIdentically() throws {
        let straight = try MaskedLanguagePretrainer(settings: settings())
        let expected = try straight.run(lines: lines, checkpoints: CheckpointOptions(directory: scratch + "/a.checkpoint"))
        var polls = 0
        let first = try MaskedLanguagePretrainer(settings: settings())
        XCTAssertThrowsError(try first.run(lines: lines, checkpoints: CheckpointOptions(
            directory: scratch + "/b.checkpoint", every: 2, shouldStop: { polls += 1; return polls == 7 }))) { error in
            XCTAssertEqual((error as? TrainingInterrupted)?.step, 7)
        }
        let resumed = try MaskedLanguagePretrainer(settings: settings())
        let result = try resumed.run(lines: lines, checkpoints: CheckpointOptions(directory: scratch + "/b.checkpoint", resume: true))
        XCTAssertEqual(weights(resumed), weights(straight))
        XCTAssertEqual(result.history, expected.history)
        XCTAssertEqual(result.steps, expected.steps)
        // Other settings do not resume from it.
        var other = settings()
        other.learningRate = 5e-3
        XCTAssertThrowsError(try MaskedLanguagePretrainer(settings: other).run(lines: lines, checkpoints: CheckpointOptions(
            directory: scratch + "/b.checkpoint", resume: true))) { error in
            XCTAssertTrue("\(error)".contains("other settings"), "\(error)")
        }
    }

    /// Whole words: "##" pieces continue their word, and the characters of one ICU word (Chinese, which
    /// BERT splits into single characters) share it.
    func testWholeWordsFollowWordPieceAndICU() throws {
        try PretrainedModel.require()
        var s = PretrainingSettings()
        (s.model, s.wholeWord, s.lineByLine) = (PretrainedModel.directory, true, true)
        let pretrainer = try MaskedLanguagePretrainer(settings: s)
        let lines = ["an unmistakable tokenization", "我喜欢这部电影"]
        let sequences = try pretrainer.sequences(lines)
        for (line, (encoding, words)) in zip(lines, sequences) {
            let tokens = pretrainer.tokenizer.tokens(encoding.ids)
            let words = try XCTUnwrap(words)
            func word(_ token: String) throws -> Int { words[try XCTUnwrap(tokens.firstIndex(of: token), "\(token) in \(tokens)")] }
            if line.hasPrefix("an") {
                let pieces = tokens.indices.filter { tokens[$0].hasPrefix("##") }
                XCTAssertFalse(pieces.isEmpty, "\(tokens)")
                for i in pieces { XCTAssertEqual(words[i], words[i - 1], "\(tokens)") }
                XCTAssertNotEqual(try word("an"), try word("token"))
            } else {
                // One token per character (most of them [UNK] in this English vocabulary): 我 喜欢 这部 电影.
                XCTAssertEqual(tokens.count, 9, "\(tokens)")
                XCTAssertEqual(words[2], words[3], "喜欢 is one word")
                XCTAssertEqual(words[6], words[7], "电影 is one word")
                XCTAssertNotEqual(words[1], words[2], "我 is a word of its own")
                XCTAssertNotEqual(words[3], words[6])
            }
        }
    }
}
