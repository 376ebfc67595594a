import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// `train --strategy transfer-kernel`: a classifier for a target domain trained from a labelled source.
/// The frozen encoder embeds the source, the target's unlabelled texts (and a few labelled target
/// examples, when given); `TransferKernelClassifier` fits the transfer kernel on those features; dev (the
/// target's labelled examples) scores it beside the unadapted kernel. The classifier saves as an ordinary
/// classifier directory — the encoder's weights and tokenizer with the `KernelHead` under `kernel.` —
/// that `predict`, `evaluate`, `info` and `TextClassifier` read.
///
///     let run = try TransferKernelTraining(source: imdb, target: tweets, dev: tweetsDev, model: "Models/all-MiniLM-L6-v2")
///     try run.save(to: "Models/tweets")
public struct TransferKernelTraining {
    public struct Result: Codable, Sendable {
        public let labels: [String]
        public let sourceExamples: Int, targetExamples: Int, targetLabeledExamples: Int, devExamples: Int
        /// The transfer kernel on dev, and the unadapted kernel classifier on the same features.
        public let transferKernel: ClassificationReport
        public let unadaptedKernel: ClassificationReport
        /// Transfer kernel − unadapted kernel, paired over the dev examples.
        public let adaptedMinusUnadapted: PairedBootstrap
        public let candidates: [TransferKernelClassifier.Candidate]
        public let chosen: TransferKernelClassifier.Candidate
        /// The bandwidths tried (held-out source accuracy of the unadapted kernel) and the chosen one.
        public let bandwidths: [TransferKernelClassifier.BandwidthCandidate]
        public let bandwidthScale: Double
        public let featureSeconds: Double, fitSeconds: Double

        enum CodingKeys: String, CodingKey {
            case labels, candidates, chosen, bandwidths, bandwidthScale = "bandwidth_scale"
            case sourceExamples = "source_examples", targetExamples = "target_examples", targetLabeledExamples = "target_labeled_examples"
            case devExamples = "dev_examples", transferKernel = "transfer_kernel", unadaptedKernel = "unadapted_kernel"
            case adaptedMinusUnadapted = "adapted_minus_unadapted", featureSeconds = "feature_seconds", fitSeconds = "fit_seconds"
        }

        public var table: String {
            let d = adaptedMinusUnadapted
            let setting = (chosen.adapted ? String(format: "k + TCA, μ %g, %d components", chosen.mu, chosen.components) : "reverse validation chose no adaptation")
                + String(format: ", σ %g × the median heuristic", bandwidthScale)
            return transferKernel.table
                + String(format: "transfer kernel (%@): dev accuracy %.4f [%.4f, %.4f]; unadapted kernel %.4f [%.4f, %.4f]\n", setting,
                         transferKernel.accuracy, transferKernel.accuracyInterval95[0], transferKernel.accuracyInterval95[1],
                         unadaptedKernel.accuracy, unadaptedKernel.accuracyInterval95[0], unadaptedKernel.accuracyInterval95[1])
                + String(format: "transfer kernel − unadapted kernel: %+.2f pt [%+.2f, %+.2f] (paired bootstrap)\n", 100 * d.difference,
                         100 * d.interval95[0], 100 * d.interval95[1])
                + "\(sourceExamples) labelled source texts, \(targetExamples) unlabelled target texts"
                + (targetLabeledExamples > 0 ? ", \(targetLabeledExamples) labelled target texts" : "") + ", \(devExamples) dev texts scored\n"
        }
    }

    public let result: Result
    private let description: ClassifierDescription
    private let head: KernelHead
    private let model: String
    private let encoder: SentenceEncoder

    /// `source` labelled; `target` the target domain's texts (unlabelled); `targetLabeled` a few labelled
    /// target examples, trained on beside the source; `dev` labelled target examples to score. `cache` a
    /// directory where each set's features are kept for the next run.
    public init(source: [LabeledExample], target: [String], targetLabeled: [LabeledExample] = [], dev: [LabeledExample], model: String,
                settings: TransferKernelClassifier.Settings = .init(), cache: String? = nil, log: (String) -> Void = { _ in }) throws {
        let labels = Array(Set(source.map(\.label) + targetLabeled.map(\.label))).sorted()
        guard labels.count >= 2 else { throw ConfigurationError(key: "source", message: "needs at least two labels, has \(labels.count)") }
        if let stranger = dev.first(where: { !labels.contains($0.label) }) {
            throw DataError(file: "dev", line: stranger.line, message: "label '\(stranger.label)' is not among the source's (\(labels.joined(separator: ", ")))")
        }
        guard !dev.isEmpty else { throw DataError(file: "dev", line: 0, message: "has no examples to score") }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let encoder = try SentenceEncoder(directory: model)
        var started = Date()
        func features(_ texts: [String], _ name: String) throws -> [[Float]] {
            try encoder.embed(texts, cache: cache, encoderDirectory: model, name: name, log: log)
        }
        let sourceRows = try features(source.map(\.text), "source"), targetRows = try features(target, "target")
        let labeledRows = try features(targetLabeled.map(\.text), "labelled target"), devRows = try features(dev.map(\.text), "dev")
        let featureSeconds = Date().timeIntervalSince(started)
        started = Date()
        log("transfer kernel: \(settings.landmarks) landmarks, reverse validation over μ \(settings.mus) × components \(settings.components) and no adaptation")
        let kernel = try TransferKernelClassifier(source: sourceRows, labels: source.map { index[$0.label]! }, target: targetRows,
                                                  targetLabeled: zip(labeledRows, targetLabeled.map { index[$0.label]! }).map { ($0, $1) },
                                                  classes: labels.count, settings: settings)
        let fitSeconds = Date().timeIntervalSince(started)
        let gold = dev.map { index[$0.label]! }
        let adapted = kernel.predict(devRows), unadapted = kernel.predictUnadapted(devRows)
        let report = ClassificationReport(gold: gold, predicted: adapted, labels: labels)
        result = Result(labels: labels, sourceExamples: source.count, targetExamples: target.count, targetLabeledExamples: targetLabeled.count,
                        devExamples: dev.count, transferKernel: report,
                        unadaptedKernel: ClassificationReport(gold: gold, predicted: unadapted, labels: labels),
                        adaptedMinusUnadapted: PairedBootstrap(first: zip(gold, adapted).map { $0 == $1 }, second: zip(gold, unadapted).map { $0 == $1 }),
                        candidates: kernel.candidates, chosen: kernel.chosen, bandwidths: kernel.bandwidths, bandwidthScale: kernel.bandwidthScale, featureSeconds: featureSeconds, fitSeconds: fitSeconds)
        var training = FineTuningConfiguration()
        (training.model, training.strategy, training.pooling, training.maxLength) = (model, .featureExtraction, encoder.pooling, encoder.maxLength)
        training.normalize = encoder.normalize
        training.seed = settings.seed
        training.labels = labels
        var description = ClassifierDescription(labels: labels, head: .softmax, pooling: encoder.pooling, maxLength: encoder.maxLength,
                                                tokenizerFingerprint: encoder.tokenizer.fingerprint, baseModel: model, training: training, metrics: report)
        description.kernel = .init(bandwidth: kernel.head.bandwidth, bandwidthScale: kernel.bandwidthScale, chosen: kernel.chosen, candidates: kernel.candidates)
        (self.description, self.head, self.model, self.encoder) = (description, kernel.head, model, encoder)
    }

    /// Writes the classifier: the encoder's weights and tokenizer as the pretrained model has them, the
    /// kernel head beside them. Built beside `directory` and swapped in, as `FineTuner.save` does.
    public func save(to directory: String, overwrite: Bool = false) throws {
        try save(to: OutputDirectory.reserve(directory, marker: ClassifierDescription.fileName, overwrite: overwrite, inputs: [model]))
    }

    /// Writes the classifier into an output reserved before training.
    public func save(to output: OutputDirectory) throws {
        guard let (weights, precision) = ModelWeightsFile.locate(in: model) else { throw ModelWeightsFile.missing(in: model) }
        let reader = try SafetensorsReader(path: weights)
        // The encoder's tensors as the model stores them: F32 weights, anything else (its I64 position ids,
        // a quantized model's types) byte for byte, in a file named for the model's precision.
        var tensors = head.tensors, stored: [String: SafetensorsWriter.StoredTensor] = [:]
        for (name, entry) in reader.entries {
            if entry.dtype == .f32 {
                tensors[name] = try reader.tensor(name)
            } else {
                stored[name] = .init(dtype: entry.dtype, shape: entry.shape, bytes: Array(reader.storedBytes(name)!))
            }
        }
        try output.write { staging in
            try ClassifierDirectory.write(to: staging, description: description, tensors: tensors, storedTensors: stored, precision: precision,
                                          tokenizer: encoder.tokenizer, tokenizerFilesFrom: model)
        }
    }
}
