import Foundation
import XCTest
import TextTransfer
import TextTransferCore
import TextTransferTestSupport

/// Autotune on a tiny model: one seed gives the same trials and the same model; the budget is a hard
/// limit on a fake clock, the final retraining included; the plan follows the budget.
final class AutotuneTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "autotune-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/base")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    let train = (0..<120).map { i in
        LabeledExample(text: (i % 2 == 0 ? "hello " : "world ") + ["a", "b", "a b", "b a", "b b"][(i / 2) % 5], label: i % 2 == 0 ? "pos" : "neg", line: i + 2)
    }

    func settings(budget: Double) -> AutotuneSettings {
        var s = AutotuneSettings(budget: budget)
        (s.model, s.maxLength, s.tuneFraction, s.seed) = (scratch + "/base", 16, 0.25, 5)
        return s
    }

    func weights(_ outcome: AutotuneOutcome) -> [UInt32] {
        let store = outcome.tuner.classifier?.store ?? outcome.tuner.embeddingClassifier!.store
        return Array(UnsafeBufferPointer(start: store.values.pointer, count: store.count)).map(\.bitPattern)
    }

    /// The table without its measured seconds.
    func plan(_ outcome: AutotuneOutcome) -> [String] {
        outcome.trials.map { "\($0.number) \($0.rung) \($0.candidate) \($0.examples) \($0.predictedSeconds) \(String(describing: $0.score)) \($0.status)" }
    }

    func testOneSeedGivesTheSameTrialsAndTheSameModel() throws {
        let a = try Autotuner(settings: settings(budget: 3600)).run(train: train, dev: nil)
        let b = try Autotuner(settings: settings(budget: 3600)).run(train: train, dev: nil)
        XCTAssertFalse(a.budgetIntervened)
        XCTAssertGreaterThan(a.trials.count, 8)
        XCTAssertEqual(Set(a.trials.map(\.rung)).count, a.trials.map(\.rung).max()! + 1, "rungs in order")
        XCTAssertLessThan(a.trials.filter { $0.rung == a.trials.last!.rung }.count, a.trials.filter { $0.rung == 0 }.count, "halving")
        XCTAssertEqual(plan(a), plan(b))
        XCTAssertEqual(a.winner, b.winner)
        XCTAssertEqual(weights(a), weights(b))
        XCTAssertTrue(a.table.contains(a.trials[0].candidate))
        // The outcome's run is the winner's last trial, scored on the held-out 30 of 120; no dev, no dev report.
        XCTAssertEqual(a.result.best?.examples, 30)
        XCTAssertEqual(a.result.history.count, a.tuner.configuration.epochs, "the trial went through all its epochs")
        XCTAssertNil(a.dev)
        // With room in the budget the winner is retrained on all 120 for its whole schedule, ending with the
        // mean of its later epochs' weights (or, fitted once, as it ends).
        XCTAssertEqual(a.examples, 120)
        XCTAssertFalse(a.retrainingCut)
        let epochs = a.tuner.configuration.epochs
        if a.tuner.configuration.strategy == .featureExtraction || a.tuner.configuration.strategy == .setfit {
            XCTAssertNil(a.averagedEpochs)
        } else {
            XCTAssertEqual(a.tuner.configuration.keep, .average)
            let first = a.tuner.configuration.firstAveragedEpoch(batchesPerEpoch: (120 + a.tuner.configuration.batchSize - 1) / a.tuner.configuration.batchSize)
            XCTAssertEqual(a.averagedEpochs, epochs - first + 1, "\(a.winner): epochs \(first)…\(epochs)")
        }
        let dev = Array(train.prefix(10))
        XCTAssertEqual(try Autotuner(settings: settings(budget: 3600)).run(train: train, dev: dev).dev?.examples, 10, "scored on dev")
        // A larger budget searches at least as wide.
        let small = try Autotuner(settings: settings(budget: 60)).run(train: train, dev: nil)
        XCTAssertLessThanOrEqual(Set(small.trials.map(\.candidate)).count, Set(a.trials.map(\.candidate)).count)
    }

    func testTheBudgetIsAHardLimitOnTheClock() throws {
        // Every look at the clock takes a second (training polls it after each step): far slower than planned.
        var now = 0.0
        let budget = 40.0
        let tuner = Autotuner(settings: settings(budget: budget)) { now += 1; return now }
        let outcome = try tuner.run(train: train, dev: nil)
        XCTAssertLessThanOrEqual(outcome.seconds, budget, "the retraining included")
        XCTAssertTrue(outcome.budgetIntervened)
        XCTAssertTrue(outcome.trials.contains { $0.status != .done } || outcome.result.endedEarly == true)
        // It still ends with a model that predicts.
        try outcome.tuner.save(to: scratch + "/auto")
        XCTAssertEqual(try TextClassifier(directory: scratch + "/auto").predict(["hello a"]).count, 1)
    }

    func testARefitTheClockCutsFallsBackToTheWinnersTrial() throws {
        // The clock stands still through the search, then jumps past the budget as the refit starts: where
        // it starts is found by a first run that counts the looks at the clock.
        var looks = 0, lookAtRefit = 0
        _ = try Autotuner(settings: settings(budget: 3600)) { looks += 1; return 0 }.run(train: train, dev: nil) { line in
            if line.contains("retraining it on all") { lookAtRefit = looks }
        }
        XCTAssertGreaterThan(lookAtRefit, 0)
        looks = 0
        let outcome = try Autotuner(settings: settings(budget: 3600)) { looks += 1; return looks > lookAtRefit ? 3600 : 0 }.run(train: train, dev: nil)
        XCTAssertTrue(outcome.retrainingCut)
        XCTAssertTrue(outcome.budgetIntervened)
        XCTAssertNil(outcome.averagedEpochs)
        let winning = try XCTUnwrap(outcome.trials.last { $0.candidate == outcome.winner })
        XCTAssertEqual(outcome.examples, winning.examples, "the model is the winner's trial, not the cut refit on all 120")
        XCTAssertLessThan(outcome.examples, 120)
        try outcome.tuner.save(to: scratch + "/fallback")
        XCTAssertEqual(try TextClassifier(directory: scratch + "/fallback").predict(["hello a"]).count, 1)
    }

    func testNoBudgetIsRefused() {
        XCTAssertThrowsError(try Autotuner(settings: settings(budget: 0)).run(train: train, dev: nil))
        XCTAssertThrowsError(try Autotuner(settings: settings(budget: .nan)).run(train: train, dev: nil))
    }
}
