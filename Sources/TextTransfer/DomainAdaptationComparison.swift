import Foundation
import TextTransferCore
import TextTransferTokenization
import TextTransferTraining

/// Shallow domain adaptation on frozen encoder features, every method on the same features and the same
/// target dev examples: logistic regression on the raw features (the frozen probe), the kernel classifier
/// without adaptation, after CORAL alone, and the transfer kernel (CORAL, then Nyström TCA, settings by
/// reverse validation). Only the source's labels train anything; the target's texts are used unlabelled.
///
///     let comparison = try DomainAdaptationComparison(source: imdb, target: sst2Texts, dev: sst2Dev, encoder: encoder)
///     print(comparison.table)
public struct DomainAdaptationComparison: Codable, Sendable {
    public struct Method: Codable, Sendable {
        public let name: String
        public let accuracy: Double
        public let accuracyInterval95: [Double]
        public let seconds: Double

        enum CodingKeys: String, CodingKey { case name, accuracy, seconds, accuracyInterval95 = "accuracy_ci95" }
    }

    public let labels: [String]
    public let sourceExamples: Int, targetExamples: Int, devExamples: Int
    public let methods: [Method]
    /// Reverse validation's scores of the transfer kernel's candidate settings, and its choice.
    public let candidates: [TransferKernelClassifier.Candidate]
    public let chosen: TransferKernelClassifier.Candidate
    /// The bandwidths tried (the unadapted kernel on held-out source), the chosen one used by every kernel.
    public let bandwidths: [TransferKernelClassifier.BandwidthCandidate]
    /// The transfer kernel − the unadapted kernel, paired over the dev examples.
    public let adaptedMinusUnadapted: PairedBootstrap
    public let featureSeconds: Double

    enum CodingKeys: String, CodingKey {
        case labels, methods, candidates, chosen, bandwidths
        case sourceExamples = "source_examples", targetExamples = "target_examples", devExamples = "dev_examples"
        case adaptedMinusUnadapted = "adapted_minus_unadapted", featureSeconds = "feature_seconds"
    }

    /// `cache`: a directory where each set's features are kept as they are computed (keyed by the model
    /// and the texts), so that a second comparison of the same sets skips the encoder.
    public init(source: [LabeledExample], target: [String], dev: [LabeledExample], encoder: SentenceEncoder, encoderDirectory: String,
                cache: String? = nil, settings: TransferKernelClassifier.Settings = .init(), log: (String) -> Void = { _ in }) throws {
        let labels = Array(Set(source.map(\.label))).sorted()
        guard labels.count >= 2 else { throw ConfigurationError(key: "source", message: "needs at least two labels, has \(labels.count)") }
        if let stranger = dev.first(where: { !labels.contains($0.label) }) {
            throw DataError(file: "dev", line: stranger.line, message: "label '\(stranger.label)' is not among the source's (\(labels.joined(separator: ", ")))")
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var started = Date()
        func features(_ texts: [String], _ name: String) throws -> [[Float]] {
            try encoder.embed(texts, cache: cache, encoderDirectory: encoderDirectory, name: name, log: log)
        }
        let sourceRows = try features(source.map(\.text), "source"), targetRows = try features(target, "target"), devRows = try features(dev.map(\.text), "dev")
        featureSeconds = Date().timeIntervalSince(started)
        let y = source.map { index[$0.label]! }, gold = dev.map { index[$0.label]! }
        func method(_ name: String, _ predicted: [Int], _ seconds: Double) -> (Method, [Bool]) {
            let report = ClassificationReport(gold: gold, predicted: predicted, labels: labels)
            log(String(format: "%@: %.2f%% on dev (%.1f s)", name, 100 * report.accuracy, seconds))
            return (Method(name: name, accuracy: report.accuracy, accuracyInterval95: report.accuracyInterval95, seconds: seconds), zip(gold, predicted).map { $0 == $1 })
        }
        started = Date()
        let linear = LogisticRegressionFit.fit(features: sourceRows, labels: y, classes: labels.count, inverseRegularization: settings.inverseRegularization)
        let probe = method("frozen features, logistic regression", LogisticRegressionFit.predict(devRows, weights: linear.weights, biases: linear.biases, classes: labels.count),
                           Date().timeIntervalSince(started))
        started = Date()
        let kernel = try TransferKernelClassifier(source: sourceRows, labels: y, target: targetRows, classes: labels.count, settings: settings)
        let kernelSeconds = Date().timeIntervalSince(started)
        let unadapted = method("kernel, no adaptation", kernel.predictUnadapted(devRows), kernelSeconds)
        started = Date()
        let coral = CORALAlignment(source: sourceRows, target: targetRows)
        let map = NystromFeatureMap(source: sourceRows, target: targetRows, landmarks: settings.landmarks, bandwidthScale: kernel.bandwidthScale, seed: settings.seed)
        let coralFit = LogisticRegressionFit.fit(features: map.features(coral.align(sourceRows)), labels: y, classes: labels.count,
                                                 inverseRegularization: settings.inverseRegularization)
        let coralOnly = method("kernel after CORAL", LogisticRegressionFit.predict(map.features(devRows), weights: coralFit.weights, biases: coralFit.biases, classes: labels.count),
                               Date().timeIntervalSince(started))
        let adapted = method(kernel.chosen.adapted ? String(format: "transfer kernel (%@k + TCA, μ %g, %d components)", settings.coral ? "CORAL, " : "",
                                                            kernel.chosen.mu, kernel.chosen.components)
                                 : "transfer kernel (reverse validation chose no adaptation)",
                             kernel.predict(devRows), kernelSeconds)
        self.labels = labels
        (sourceExamples, targetExamples, devExamples) = (source.count, target.count, dev.count)
        methods = [probe.0, unadapted.0, coralOnly.0, adapted.0]
        (candidates, chosen, bandwidths) = (kernel.candidates, kernel.chosen, kernel.bandwidths)
        adaptedMinusUnadapted = PairedBootstrap(first: adapted.1, second: unadapted.1)
    }

    public var table: String {
        var lines = ["method                                                   accuracy  (95% CI)          seconds"]
        for m in methods {
            lines.append(m.name.padding(toLength: 56, withPad: " ", startingAt: 0)
                         + String(format: " %6.2f%%  [%5.2f, %5.2f]  %8.1f", 100 * m.accuracy, 100 * m.accuracyInterval95[0], 100 * m.accuracyInterval95[1], m.seconds))
        }
        let d = adaptedMinusUnadapted
        lines.append(String(format: "transfer kernel − unadapted kernel: %+.2f pt [%+.2f, %+.2f] (paired bootstrap)", 100 * d.difference, 100 * d.interval95[0], 100 * d.interval95[1]))
        lines.append("bandwidth (unadapted kernel on held-out source): " + bandwidths.map {
            String(format: "%g × median (σ %.4f): %.3f", $0.scale, $0.bandwidth, $0.heldOutSourceAccuracy)
        }.joined(separator: ", "))
        lines.append("reverse validation (no target labels): " + candidates.map {
            $0.adapted ? String(format: "μ %g k %d: %.3f", $0.mu, $0.components, $0.reverseValidationAccuracy) : String(format: "none: %.3f", $0.reverseValidationAccuracy)
        }.joined(separator: ", "))
        lines.append("\(sourceExamples) labelled source texts, \(targetExamples) unlabelled target texts, \(devExamples) target dev texts scored")
        return lines.joined(separator: "\n") + "\n"
    }
}
