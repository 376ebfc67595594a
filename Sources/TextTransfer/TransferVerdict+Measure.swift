import Foundation
import TextTransferCore
import TextTransferTokenization
import TextTransferTraining

extension TransferVerdict {
    /// The verdict on a classifier `train` saved in `directory` from `configuration`, trained on `train`
    /// in `seconds`: the baseline trains on the same split, the frozen probe (for a Transformer run that
    /// was not already feature extraction) on the same pretrained model, and all three answer `dev`.
    /// Nil for what the verdict does not cover (a head other than softmax, no dev examples).
    public static func measure(classifier directory: String, configuration: FineTuningConfiguration, train: [LabeledExample],
                               dev: [LabeledExample], seconds: Double?, log: (String) -> Void = { _ in }) throws -> TransferVerdict? {
        let classifier = try TextClassifier(directory: directory)
        guard classifier.description.head == .softmax, !dev.isEmpty else { return nil }
        let labels = classifier.labels
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let gold = dev.map { index[$0.label] ?? -1 }
        let pairs = dev.contains { $0.textPair != nil } ? dev.map { $0.textPair ?? "" } : nil
        func model(_ name: String, predicted: [Int], seconds: Double?) -> (Model, [Bool]) {
            let known = gold.indices.filter { gold[$0] >= 0 }
            let report = ClassificationReport(gold: known.map { gold[$0] }, predicted: known.map { predicted[$0] }, labels: labels)
            return (Model(name: name, accuracy: report.accuracy, accuracyInterval95: report.accuracyInterval95, seconds: seconds),
                    known.map { gold[$0] == predicted[$0] })
        }
        let predicted = classifier.predict(dev.map(\.text), pairs: pairs).map { index[$0.label]! }
        let (transferred, transferredCorrect) = model("transferred (\(configuration.strategy), \(configuration.encoder))", predicted: predicted, seconds: seconds)

        // A text pair reads as one text to the bag of n-grams.
        func joined(_ e: LabeledExample) -> String { e.textPair.map { e.text + " " + $0 } ?? e.text }
        let usable = train.filter { index[$0.label] != nil }
        var started = Date()
        let ngrams = try NGramBaseline(texts: usable.map(joined), labels: usable.map { index[$0.label]! }, classes: labels.count,
                                       settings: { var s = NGramBaseline.Settings(); s.seed = configuration.seed; return s }())
        let baselineSeconds = Date().timeIntervalSince(started)
        let (baseline, baselineCorrect) = model("from scratch (word + char n-grams)", predicted: ngrams.predict(dev.map(joined)), seconds: baselineSeconds)
        log(String(format: "verdict: the from-scratch n-gram baseline trained in %.1f s", baselineSeconds))

        var probe: Model?, probeCorrect: [Bool]?
        if configuration.encoder == .transformer && configuration.strategy != .featureExtraction {
            var p = configuration
            p.strategy = .featureExtraction
            p.setfit = nil
            p.featureSolver = .lbfgs
            p.labels = labels
            started = Date()
            let tuner = try FineTuner(configuration: p)
            _ = try tuner.train(train: train, dev: dev)
            var probeSeconds = 0.0
            let answers = try tuner.withSavedClassifier { classifier in
                probeSeconds = Date().timeIntervalSince(started)
                return classifier.predict(dev.map(\.text), pairs: pairs).map { index[$0.label]! }
            }
            let measured = model("frozen probe (logistic regression)", predicted: answers, seconds: probeSeconds)
            (probe, probeCorrect) = (measured.0, measured.1)
            log(String(format: "verdict: the frozen probe trained in %.1f s", probeSeconds))
        }
        return TransferVerdict(transferred: transferred, transferredCorrect: transferredCorrect, baseline: baseline, baselineCorrect: baselineCorrect,
                               probe: probe, probeCorrect: probeCorrect,
                               vocabulary: (classifier.tokenizer as? BertTokenizer).map { try? coverage(of: usable.map(joined), by: $0) } ?? nil)
    }

    /// The vocabulary coverage of (a seeded sample of at most 5,000 of) `texts` by `tokenizer`.
    static func coverage(of texts: [String], by tokenizer: BertTokenizer) throws -> VocabularyCoverage {
        var generator = RandomGenerator(seed: 0)
        let sample = texts.count > 5000 ? Array(texts.shuffled(using: &generator).prefix(5000)) : texts
        let unknown = tokenizer.vocabulary.id(tokenizer.wordPiece.unknownToken)
        let segmenter = try ICUWordSegmenter(options: .forWordVectors)
        var pieces = 0, unknownPieces = 0, words = 0, whole = 0
        for text in sample {
            let ids = tokenizer.wordPieceIDs(text)
            pieces += ids.count
            unknownPieces += ids.filter { $0 == unknown }.count
            for word in segmenter.words(text) {
                words += 1
                let wordIDs = tokenizer.wordPieceIDs(word)
                if wordIDs.count == 1 && wordIDs[0] != unknown { whole += 1 }
            }
        }
        return VocabularyCoverage(unknownTokenRate: Double(unknownPieces) / Double(max(pieces, 1)), wholeWordRate: Double(whole) / Double(max(words, 1)))
    }
}
