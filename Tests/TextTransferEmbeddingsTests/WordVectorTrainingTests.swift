import Foundation
import TextTransferEmbeddings
import XCTest

/// Word vectors trained here: deterministic for a seed and a thread count, fastText's files, and fastText
/// itself reading them (Tools/golden/make_word_vector_fixtures.py: Debian's `fasttext print-word-vectors`
/// on the .bin our CLI trained from the committed corpus of SST-2 and Thai Wisesight lines).
final class WordVectorTrainingTests: XCTestCase {
    /// The settings the fixture script passes to `pretrain skipgram`.
    var fixtureSettings: WordVectorSettings {
        var s = WordVectorSettings()
        (s.dimension, s.buckets, s.minn, s.maxn, s.minCount, s.epochs, s.threads, s.seed) = (8, 2000, 2, 4, 2, 3, 2, 7)
        return s
    }

    func corpus() throws -> [String] {
        try String(contentsOfFile: FixtureFiles.path("word_vector_corpus.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testTheAutomaticRoundGivesEveryRunAtLeast128MergesWithinItsBounds() {
        // A text of Wisesight's size (about 500k tokens kept), 5 epochs, 2 threads: 128 merges.
        let round = WordVectorTrainer.automaticRoundTokens(corpusTokens: 500_000, epochs: 5, threads: 2)
        XCTAssertEqual(round, 9_765)
        XCTAssertEqual(500_000 * 5 / (2 * round), 128)
        XCTAssertEqual(WordVectorTrainer.automaticRoundTokens(corpusTokens: 11_599, epochs: 3, threads: 2), 4_096, "a small text: the floor")
        XCTAssertEqual(WordVectorTrainer.automaticRoundTokens(corpusTokens: 1_000_000_000, epochs: 5, threads: 2), 1 << 19, "a large one: the cap")
    }

    func testRetrainingTheFixtureGivesFastTextsBytesAndPrintedVectors() throws {
        let trained = try WordVectorTrainer(settings: fixtureSettings).train(lines: corpus())
        let committed = try Data(contentsOf: URL(fileURLWithPath: FixtureFiles.path("trained_skipgram.bin")))
        XCTAssertEqual(trained.fastTextBinary(), committed, "the same seed and threads give the same model, byte for byte")
        XCTAssertEqual(trained.fastTextText(), try Data(contentsOf: URL(fileURLWithPath: FixtureFiles.path("trained_skipgram.vec"))))

        // What fastText printed for our .bin, in and out of the vocabulary, against our reader and our vectors.
        let loaded = try WordVectors(contentsOf: FixtureFiles.path("trained_skipgram.bin"))
        var rows = 0, outside = 0
        for (word, printed) in try PrintedWordVectors.rows("trained_skipgram_printed.txt") {
            let ours: [Float]
            if let i = trained.words.firstIndex(of: word) {
                ours = trained.vector(word: i)
                XCTAssertEqual(loaded.vector(for: word), ours, word)
            } else {
                ours = try XCTUnwrap(loaded.vector(for: word), word)
                outside += 1
            }
            XCTAssertEqual(printed.count, 8, word)
            PrintedWordVectors.assertWithinPrintedPrecision(ours, printed, word)
            rows += 1
        }
        XCTAssertEqual(rows, 70)
        XCTAssertEqual(outside, 5, "filmz, unwatchable, qwertyzzz, 東京 and x are not in the vocabulary")
    }

    func testVocabularyIsFastTextsOnICUWords() throws {
        let trained = try WordVectorTrainer(settings: fixtureSettings).train(lines: corpus())
        XCTAssertEqual(trained.words.count, trained.counts.count)
        XCTAssertTrue(zip(trained.counts, trained.counts.dropFirst()).allSatisfy { $0 >= $1 }, "most frequent first")
        XCTAssertTrue(trained.counts.allSatisfy { $0 >= 2 }, "--min-count")
        let lines = try corpus()
        XCTAssertEqual(trained.counts[trained.words.firstIndex(of: "</s>")!], Int64(lines.count), "one end of sentence per line")
        XCTAssertTrue(trained.words.contains("ค่ะ"), "Thai cut into words by ICU")
        XCTAssertFalse(trained.words.contains { $0.contains(" ") })
        XCTAssertEqual(trained.input.count, (trained.words.count + 2000) * 8)
        XCTAssertEqual(trained.output.count, trained.words.count * 8)
    }

    func testOneSeedAndThreadCountGiveTheSameBitsAcrossManyMerges() throws {
        var s = fixtureSettings
        s.model = .cbow
        var trainer = WordVectorTrainer(settings: s)
        trainer.roundTokens = 300  // about 60 merges
        var losses: [Double] = []
        let a = try trainer.train(lines: corpus(), progress: { losses.append($0.loss) })
        let b = try trainer.train(lines: corpus())
        XCTAssertGreaterThan(losses.count, 40)
        XCTAssertEqual(a.input.map(\.bitPattern), b.input.map(\.bitPattern))
        XCTAssertEqual(a.output.map(\.bitPattern), b.output.map(\.bitPattern))
        XCTAssertLessThan(losses.suffix(5).reduce(0, +), losses.prefix(5).reduce(0, +), "the loss falls")
        s.seed = 8
        let other = try WordVectorTrainer(settings: s).train(lines: corpus())
        XCTAssertNotEqual(a.input, other.input, "another seed, other vectors")
    }

    func testAStoppedRunResumesFromItsCheckpointBitIdentically() throws {
        var trainer = WordVectorTrainer(settings: fixtureSettings)
        trainer.roundTokens = 300
        let lines = try corpus()
        let straight = try trainer.train(lines: lines)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wv-checkpoint-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // Saved every 4 rounds, then stopped (as Ctrl-C does) after round 9: the stop saves its own checkpoint.
        var rounds = 0, saves: [Int] = []
        let every4 = WordVectorCheckpoints(directory: directory) { done in
            rounds = done
            if done % 4 == 0 { saves.append(done) }
            return done % 4 == 0
        }
        XCTAssertThrowsError(try trainer.train(lines: lines, checkpoints: every4, shouldStop: { rounds >= 9 })) { error in
            XCTAssertTrue(error is WordVectorTrainingInterrupted, "\(error)")
            XCTAssertTrue("\(error)".contains(directory), "\(error)")
        }
        XCTAssertEqual(saves, [4, 8])
        var resumedFrom: [Int] = []
        let resumed = try trainer.train(lines: lines, checkpoints: WordVectorCheckpoints(directory: directory, resume: true) { resumedFrom.append($0); return false })
        XCTAssertEqual(resumedFrom.first, 10, "continues after the 9 rounds the stop saved")
        XCTAssertEqual(straight.input.map(\.bitPattern), resumed.input.map(\.bitPattern))
        XCTAssertEqual(straight.output.map(\.bitPattern), resumed.output.map(\.bitPattern))

        // A checkpoint is never continued with other settings or text.
        var other = fixtureSettings
        other.seed = 8
        let resume = WordVectorCheckpoints(directory: directory, resume: true) { _ in false }
        _ = try trainer.train(lines: lines, checkpoints: WordVectorCheckpoints(directory: directory) { $0 == 2 })
        XCTAssertThrowsError(try WordVectorTrainer(settings: other).train(lines: lines, checkpoints: resume)) { XCTAssertTrue("\($0)".contains("state.json"), "\($0)") }
        XCTAssertThrowsError(try trainer.train(lines: Array(lines.dropLast()), checkpoints: resume)) { XCTAssertTrue("\($0)".contains("other settings"), "\($0)") }
        // Nor from a thread's place outside the text.
        let state = directory + "/state.json"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: state))) as! [String: Any]
        var places = json["threads"] as! [[String: Any]]
        places[1]["line"] = lines.count + 5
        json["threads"] = places
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: state))
        XCTAssertThrowsError(try trainer.train(lines: lines, checkpoints: resume)) { XCTAssertTrue("\($0)".contains("threads' places"), "\($0)") }
    }

    func testSettingsAndTextsItCannotTrainOnAreRefused() {
        var s = WordVectorSettings()
        s.dimension = 0
        XCTAssertThrowsError(try WordVectorTrainer(settings: s).train(lines: ["a b"])) { XCTAssertTrue("\($0)".contains("--dim"), "\($0)") }
        s = WordVectorSettings()
        s.minn = 4; s.maxn = 3
        XCTAssertThrowsError(try WordVectorTrainer(settings: s).train(lines: ["a b"])) { XCTAssertTrue("\($0)".contains("--minn"), "\($0)") }
        s = WordVectorSettings()
        s.minCount = 3
        XCTAssertThrowsError(try WordVectorTrainer(settings: s).train(lines: ["a b", "c d"])) { XCTAssertTrue("\($0)".contains("min-count"), "\($0)") }
        s.minCount = 1
        XCTAssertThrowsError(try WordVectorTrainer(settings: s).train(lines: ["", ""])) { XCTAssertTrue("\($0)".contains("no word"), "\($0)") }
        XCTAssertThrowsError(try WordVectorTrainer(settings: s).train(lines: ["hello", "hello hello"])) { XCTAssertTrue("\($0)".contains("single word type (hello)"), "\($0)") }
    }
}
