import Foundation
import TextTransferCore
import TextTransferTokenization
import TextTransferTraining

/// Picks a strategy and its settings for people who would rather not: successive halving over
/// `AutotuneCandidate.space` on a tuning split; then, when the budget has room, the winner retrained on
/// all the training data for its whole schedule, ending with the mean of its weights after epochs 2… —
/// all inside a hard wall-time budget.
///
/// The plan (which candidates, on how many examples, in which order) comes from the data, the seed and
/// the budget through a cost model, never from the clock, so two runs with one seed run the same trials
/// and end with bit-identical models. The clock only enforces the budget: a trial still running at its
/// deadline stops mid-epoch (and the table says so), and a trial with no time left is skipped.
///
///     var settings = AutotuneSettings(budget: 30 * 60)
///     let outcome = try Autotuner(settings: settings).run(train: examples, dev: nil)
///     try outcome.tuner.save(to: "Models/auto")
public struct AutotuneSettings: Sendable {
    public var model = "Models/all-MiniLM-L6-v2"
    /// Wall-time limit in seconds, the final retraining included.
    public var budget: Double
    public var seed: UInt64 = 42
    public var maxLength = 128
    /// The stratified fraction of the training data held out to choose on.
    public var tuneFraction = 0.1
    /// Choose on the dev examples instead of a tuning split (the dev score is then no longer unbiased).
    public var selectOnDev = false
    /// Candidates per rung kept: the best 1/eta.
    public var eta = 3

    public init(budget: Double) { self.budget = budget }
}

/// One trial of the search: a candidate trained on some examples, its tuning score and time.
public struct AutotuneTrial: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case done, cut = "cut by the budget", skipped = "skipped: no time left" }
    public let number: Int
    public let rung: Int
    public let candidate: String
    public let examples: Int
    public let predictedSeconds: Double
    public var seconds: Double
    /// Accuracy on the tuning split; nil when skipped.
    public var score: Double?
    public var status: Status
}

/// What autotune did and the model it ends with.
public struct AutotuneOutcome {
    public let trials: [AutotuneTrial]
    public let winner: String
    /// The final model, ready to save: the winner retrained on all the training data when the budget
    /// had room, else its last trial.
    public let tuner: FineTuner
    /// The winner's last trial: its history on the tuning split.
    public let result: FineTuningResult
    /// The examples the final model trained on.
    public let examples: Int
    /// How many epochs' end weights the retrained model averages (nil without a retraining, or for a
    /// head fitted once).
    public let averagedEpochs: Int?
    /// Whether the budget cut the retraining on all the data short (the model is then the winner's trial).
    public let retrainingCut: Bool
    /// The final model on the dev examples (nil without them); with `selectOnDev` the dev examples also
    /// chose the winner, so this is no longer an unbiased estimate.
    public let dev: ClassificationReport?
    public let seconds: Double
    /// Whether the budget cut or skipped anything: a rerun on a faster (or quieter) machine may choose otherwise.
    public var budgetIntervened: Bool { trials.contains { $0.status != .done } || retrainingCut }

    /// The trial table as the terminal shows it.
    public var table: String {
        var lines = ["  #  rung  examples  candidate                                               predicted   seconds   tuning acc  status"]
        for t in trials {
            let name = t.candidate.count > 54 ? String(t.candidate.prefix(53)) + "…" : t.candidate
            lines.append(String(format: "%3d  %4d  %8d  %@  %8.1f s %7.1f s  %@  %@", t.number, t.rung, t.examples,
                                name.padding(toLength: 54, withPad: " ", startingAt: 0), t.predictedSeconds, t.seconds,
                                t.score.map { String(format: "%9.2f%%", 100 * $0) } ?? "         –", t.status.rawValue))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension AutotuneOutcome: Encodable {
    enum CodingKeys: String, CodingKey { case trials, winner, result, examples, averagedEpochs = "averaged_epochs", dev, seconds, budgetIntervened = "budget_intervened" }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trials, forKey: .trials)
        try c.encode(winner, forKey: .winner)
        try c.encode(result, forKey: .result)
        try c.encode(examples, forKey: .examples)
        try c.encodeIfPresent(averagedEpochs, forKey: .averagedEpochs)
        try c.encodeIfPresent(dev, forKey: .dev)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(budgetIntervened, forKey: .budgetIntervened)
    }
}

public final class Autotuner {
    public let settings: AutotuneSettings
    /// Seconds since some fixed point; tests give a fake one.
    private let clock: () -> Double

    public init(settings: AutotuneSettings, clock: @escaping () -> Double = { Date().timeIntervalSinceReferenceDate }) {
        (self.settings, self.clock) = (settings, clock)
    }

    /// A planned rung: the candidates still in (indices into the space) and the examples each trains on.
    /// The plan fills the budget's predicted seconds only up to 1/slack, so that a machine up to this much
    /// slower than the cost model still runs every planned trial whole (and two runs stay identical).
    static let slack = 1.25
    /// The fewest examples of each class a rung trains on: below ~30 a class, fine-tuning trials rank by
    /// how fast a setting fits a handful of examples, which says little about the full data (SST-5's plan
    /// had 17 candidates on 94 examples in its first rung; with this floor all 17 train on 854).
    static let minimumPerClass = 32

    struct Rung: Equatable {
        let examples: Int
        let candidates: Int
    }

    /// Successive halving's rungs within `seconds`: rung r of R trains the best ⌈k/ηʳ⌉ candidates on
    /// g·n/η^(R−r) examples — with g = 1 the last on n/η, since retraining the winner on everything is the
    /// full-size rung — rungs of equal size merged; the most rungs whose predicted cost fits (its slots
    /// priced at the most expensive candidates, since which survive is not known in advance). A budget
    /// with room to spare grows the rungs (g up to η, the last rung then on all n): larger rungs rank the
    /// candidates on less noise, and a user who grants 30 minutes expects them used; a tight one shrinks
    /// them (g down to 1/η) before it gives up a rung.
    static func plan(space: [AutotuneCandidate], examples n: Int, meanTokens: Double, scored: Int, seconds: Double, eta: Int,
                     minimumExamples: Int) -> [Rung]? {
        let k = space.count
        // A rung of one candidate decides nothing (the winner's retraining follows anyway): at most the
        // rungs that still compare two.
        let comparing = (0..<4).filter { r in (Double(k) / pow(Double(eta), Double(r))).rounded(.up) >= 2 }.count
        for rungs in stride(from: max(comparing, 1), through: 1, by: -1) { for growth in [Double(eta), Double(eta).squareRoot(), 1, 1 / Double(eta).squareRoot(), 1 / Double(eta)] {
            var sizes: [Int] = []
            for r in 0..<rungs {
                let m = min(n, max(minimumExamples, Int(growth * Double(n) / pow(Double(eta), Double(rungs - r)))))
                if sizes.last != m { sizes.append(m) }
            }
            let plan = sizes.enumerated().map { r, m in Rung(examples: m, candidates: max(1, Int((Double(k) / pow(Double(eta), Double(r))).rounded(.up)))) }
            let cost = plan.reduce(0.0) { total, rung in
                let prices = space.map { $0.predictedSeconds(examples: rung.examples, meanTokens: meanTokens, scored: scored) }.sorted(by: >)
                return total + prices.prefix(rung.candidates).reduce(0, +)
            }
            if cost <= seconds && (plan.count == rungs || rungs == 1) { return plan }
        } }
        return nil
    }

    /// What the search will do: the split, the candidates and the rungs, all from the data, the seed and
    /// the budget.
    struct Plan {
        let searchTrain: [LabeledExample], tune: [LabeledExample]
        /// The seeded order the rungs' subsets are taken from, so a rung's examples contain the rung's before it.
        let order: [Int]
        let space: [AutotuneCandidate]
        let rungs: [Rung]
        let meanTokens: Double
        /// Kept back from the search for the final retraining (the slowest candidate's), and for saving.
        let finalReserve: Double, margin: Double

        /// The plan as lines: each rung's candidates, examples and predicted seconds.
        var description: String {
            var lines = ["\(space.count) candidates, \(rungs.count) rungs of successive halving on \(searchTrain.count) examples, choosing on \(tune.count)"]
            for (r, rung) in rungs.enumerated() {
                let prices = space.map { $0.predictedSeconds(examples: rung.examples, meanTokens: meanTokens, scored: tune.count) }.sorted(by: >)
                lines.append(String(format: "rung %d: %d candidates on %d examples, at most %.0f s predicted", r, rung.candidates, rung.examples,
                                    prices.prefix(rung.candidates).reduce(0, +)))
            }
            lines.append(String(format: "retraining the winner: at most %.0f s predicted; %.0f s kept for saving", finalReserve, margin))
            lines.append("candidates: " + space.map(\.name).joined(separator: "; "))
            return lines.joined(separator: "\n")
        }
    }

    func makePlan(train: [LabeledExample], dev: [LabeledExample]?, log: (String) -> Void) throws -> Plan {
        let s = settings
        guard s.budget.isFinite, s.budget > 0 else { throw ConfigurationError(key: "budget", message: "must be a positive duration, not \(s.budget)") }
        if s.selectOnDev && (dev ?? []).isEmpty { throw ConfigurationError(key: "select_on_dev", message: "needs dev examples to choose on") }
        var base = FineTuningConfiguration()
        (base.model, base.seed, base.maxLength) = (s.model, s.seed, s.maxLength)
        try base.validate()
        let (searchTrain, tune) = s.selectOnDev ? (train, dev!) : stratifiedSplit(train, fraction: s.tuneFraction, seed: s.seed &+ 5)
        guard !searchTrain.isEmpty, !tune.isEmpty else {
            throw DataError(file: "train", message: "\(train.count) examples are too few to hold out a tuning split")
        }
        var generator = RandomGenerator(seed: s.seed &+ 7)
        let order = searchTrain.indices.shuffled(using: &generator)
        let tokenizer = try BertTokenizer(directory: s.model)
        let meanTokens = Double(train.reduce(0) { $0 + tokenizer.encode($1.text, maxLength: s.maxLength).length }) / Double(max(train.count, 1))
        let margin = max(3, 0.03 * s.budget)
        func finalCost(_ c: AutotuneCandidate) -> Double { c.predictedSeconds(examples: train.count, meanTokens: meanTokens, scored: (dev ?? tune).count) }
        func fit(_ space: [AutotuneCandidate]) -> [Rung]? {
            Self.plan(space: space, examples: searchTrain.count, meanTokens: meanTokens, scored: tune.count,
                      seconds: (s.budget - margin) / Self.slack - (space.map(finalCost).max() ?? 0), eta: s.eta, minimumExamples: Self.minimumPerClass * Set(train.map(\.label)).count)
        }
        // As many drawn fine-tuning settings as the budget affords (a larger budget searches wider); when
        // even two do not fit, the most expensive candidate goes, and the draws are tried again.
        var excluded: Set<String> = []
        var space: [AutotuneCandidate] = [], rungs: [Rung]?
        search: while true {
            for draws in stride(from: 12, through: 2, by: -2) {
                space = AutotuneCandidate.space(base: base, examples: searchTrain.count, seed: s.seed, fineTuneDraws: draws).filter { !excluded.contains($0.name) }
                rungs = fit(space)
                if rungs != nil { break search }
            }
            guard space.count > 1 else { break }
            let dropped = space.max { finalCost($0) < finalCost($1) }!
            log("autotune: the budget has no room for \(dropped.name)")
            excluded.insert(dropped.name)
        }
        return Plan(searchTrain: searchTrain, tune: tune, order: order, space: space, rungs: rungs ?? [], meanTokens: meanTokens,
                    finalReserve: space.map(finalCost).max() ?? 0, margin: margin)
    }

    /// The plan `run` would follow, as text (nothing is trained).
    public func planDescription(train: [LabeledExample], dev: [LabeledExample]?) throws -> String {
        try makePlan(train: train, dev: dev, log: { _ in }).description
    }

    /// Searches on `train` (a tuning split held out of it, or `dev` with `selectOnDev`), then trains the
    /// winner on all of `train` for its whole schedule, keeping the mean of its weights after epochs 2…
    /// (keep "average", which starts later when epochs are short), when the budget has room, and scores
    /// the final model on `dev` when given.
    ///
    /// Why an average and not an epoch chosen on the tuning split: on six TREC splits that are not the
    /// reported one, a tenth held out could not find the epoch that was best on dev, and the refit stopped
    /// at its choice landed 0.7 pt below to 1.3 pt above the default `train`; the mean of epochs 2–5 was at
    /// or above it on all six (+0.49 pt on average; BENCHMARKS.md).
    public func run(train: [LabeledExample], dev: [LabeledExample]?, log: (String) -> Void = { _ in }) throws -> AutotuneOutcome {
        let s = settings
        let started = clock()
        let plan = try makePlan(train: train, dev: dev, log: log)
        let (tune, space) = (plan.tune, plan.space)
        let (meanTokens, margin) = (plan.meanTokens, plan.margin)
        let searchDeadline = started + s.budget - margin - Self.slack * plan.finalReserve
        for line in plan.description.split(separator: "\n") { log("autotune: " + line) }

        let (trials, leader) = try search(plan, until: searchDeadline, log: log)
        let winner = leader.map { space[$0.candidate] } ?? space[0]

        // What follows a training loop (SetFit's or a probe's encoding, the dev scoring) must end inside
        // the budget: training stops early enough for it.
        let devScoring = AutotuneCandidate.loading + Double(dev?.count ?? 0) * meanTokens / AutotuneCandidate.encodingTokensPerSecond
        let trialSeconds = trials.filter { $0.status != .skipped }.reduce(0) { $0 + $1.predictedSeconds }
        let refitSeconds = winner.predictedSeconds(examples: train.count, meanTokens: meanTokens, scored: tune.count)
            + winner.predictedTailSeconds(examples: train.count, meanTokens: meanTokens) + devScoring
        // The winner once more on all of the training data, when the cost model says it fits: the tuning
        // split's examples teach too. A refit the clock cuts short is dropped for the winner's trial.
        var final = leader.map { (tuner: $0.tuner, examples: $0.examples) }
        var cut = false, averagedEpochs: Int?, refitResult: FineTuningResult?
        if leader == nil || trialSeconds + refitSeconds <= s.budget - margin {
            var configuration = winner.configuration
            configuration.keep = winner.trainsInEpochs ? .average : .last
            let first = configuration.firstAveragedEpoch(batchesPerEpoch: (train.count + configuration.batchSize - 1) / configuration.batchSize)
            log("autotune: \(winner.name) wins; retraining it on all \(train.count) examples"
                + (winner.trainsInEpochs && first < configuration.epochs ? ", keeping the mean of its weights after epochs \(first)–\(configuration.epochs)" : ""))
            let tuner = try FineTuner(configuration: configuration)
            let hardDeadline = started + s.budget - margin - Self.slack * (winner.predictedTailSeconds(examples: train.count, meanTokens: meanTokens) + devScoring)
            tuner.endsTraining = { [clock] in clock() >= hardDeadline }
            // `train` scores a dev set after each epoch; the tuning split (trained on here) serves, its scores unused.
            let result = try tuner.train(train: train, dev: tune)
            refitResult = result
            cut = result.endedEarly == true
            if cut, leader != nil {
                log("autotune: the budget cut the retraining on all the data; the model is the winner's trial")
            } else {
                // Its own evaluation is of examples it trained on: the trial's held-out one is saved instead.
                if let leader, leader.result.labels == result.labels { tuner.adoptEvaluation(of: leader.result) }
                final = (tuner, train.count)
                averagedEpochs = result.averagedEpochs
            }
        } else {
            log("autotune: \(winner.name) wins; no room in the budget to retrain it on all \(train.count) examples: the model is its trial")
        }
        let model = final!
        let report = try dev.flatMap { $0.isEmpty ? nil : try Self.score(model.tuner, on: $0) }
        return AutotuneOutcome(trials: trials, winner: winner.name, tuner: model.tuner, result: leader?.result ?? refitResult!,
                               examples: model.examples, averagedEpochs: averagedEpochs, retrainingCut: cut, dev: report, seconds: clock() - started)
    }

    /// The best trial of the last rung that scored anything, with its trained model.
    private typealias LeadingTrial = (trial: Int, candidate: Int, examples: Int, tuner: FineTuner, result: FineTuningResult)

    /// Successive halving: each rung trains its surviving candidates on a larger subset and keeps the best
    /// scored on the tuning split. Trials the deadline reaches are cut (mid-epoch) or skipped.
    private func search(_ plan: Plan, until searchDeadline: Double, log: (String) -> Void) throws -> (trials: [AutotuneTrial], leader: LeadingTrial?) {
        let (searchTrain, tune, order, space, rungs, meanTokens) = (plan.searchTrain, plan.tune, plan.order, plan.space, plan.rungs, plan.meanTokens)
        var trials: [AutotuneTrial] = []
        var alive = Array(space.indices)
        var scores: [Int: Double] = [:]
        var outOfTime = false
        var leader: LeadingTrial?
        for (r, rung) in rungs.enumerated() {
            alive = Array(alive.sorted { (scores[$0] ?? -1, -$0) > (scores[$1] ?? -1, -$1) }.prefix(rung.candidates))
            if r > 0 { alive.sort() }  // train the survivors in the space's order: cheap first
            let subset = order.prefix(rung.examples).sorted().map { searchTrain[$0] }
            for index in alive {
                let candidate = space[index]
                var trial = AutotuneTrial(number: trials.count + 1, rung: r, candidate: candidate.name, examples: subset.count,
                                          predictedSeconds: candidate.predictedSeconds(examples: subset.count, meanTokens: meanTokens, scored: tune.count),
                                          seconds: 0, score: nil, status: .skipped)
                let begun = outOfTime ? searchDeadline : clock()
                outOfTime = begun >= searchDeadline
                if !outOfTime {
                    let tuner = try FineTuner(configuration: candidate.configuration)
                    tuner.endsTraining = { [clock] in clock() >= searchDeadline }
                    let result = try tuner.train(train: subset, dev: tune)
                    trial.score = result.best?.accuracy
                    trial.status = result.endedEarly == true ? .cut : .done
                    scores[index] = trial.score
                    let ended = clock()
                    (trial.seconds, outOfTime) = (ended - begun, ended >= searchDeadline)
                    // Ties go to the cheaper (earlier) candidate; a later rung replaces an earlier one's leader.
                    if let score = trial.score, leader.map({ trials[$0.trial - 1].rung < r || score > trials[$0.trial - 1].score! }) ?? true {
                        leader = (trial.number, index, subset.count, tuner, result)
                    }
                }
                log(String(format: "autotune: trial %d (rung %d, %d examples) %@: %@", trial.number, r, subset.count, candidate.name,
                           trial.score.map { String(format: "%.2f%%", 100 * $0) } ?? trial.status.rawValue))
                trials.append(trial)
            }
        }
        return (trials, leader)
    }

    /// The trained classifier's report on `examples`.
    static func score(_ tuner: FineTuner, on examples: [LabeledExample]) throws -> ClassificationReport? {
        try tuner.withSavedClassifier { classifier in report(classifier, on: examples) }
    }

    static func report(_ classifier: TextClassifier, on examples: [LabeledExample]) -> ClassificationReport? {
        let index = Dictionary(uniqueKeysWithValues: classifier.labels.enumerated().map { ($1, $0) })
        let known = examples.filter { index[$0.label] != nil }
        guard !known.isEmpty else { return nil }
        let pairs = known.contains { $0.textPair != nil } ? known.map { $0.textPair ?? "" } : nil
        let predicted = classifier.predict(known.map(\.text), pairs: pairs).map { index[$0.label]! }
        return ClassificationReport(gold: known.map { index[$0.label]! }, predicted: predicted, labels: classifier.labels)
    }
}
