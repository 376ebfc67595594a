import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// What distillation bought: the teacher, the student trained on the labels alone and the distilled
/// student, each loaded from its saved directory and measured on the same dev set in the same run.
public struct DistillationReport: Codable, Sendable {
    public struct Model: Codable, Sendable {
        public let name: String
        public let accuracy: Double
        public let accuracyInterval95: [Double]
        public let macroF1: Double
        public let parameters: Int
        public let bytesOnDisk: Int
        /// Dev sentences per second through `TextClassifier.predict`, batched, after a warm-up pass.
        public let sentencesPerSecond: Double
        /// Per dev example: whether the prediction was right (for the paired interval of a difference).
        public let correct: [Bool]

        enum CodingKeys: String, CodingKey {
            case name, accuracy, parameters, correct
            case accuracyInterval95 = "accuracy_ci95", macroF1 = "macro_f1", bytesOnDisk = "bytes_on_disk", sentencesPerSecond = "sentences_per_second"
        }

        /// Loads the classifier in `directory` and measures it on `dev` (`gold`: indices into its labels).
        static func measure(name: String, directory: String, dev: [LabeledExample], gold: [Int]) throws -> Model {
            let classifier = try TextClassifier(directory: directory)
            let texts = dev.map(\.text)
            let pairs = dev.contains { $0.textPair != nil } ? dev.map { $0.textPair ?? "" } : nil
            _ = classifier.predict(Array(texts.prefix(64)), pairs: pairs.map { Array($0.prefix(64)) })  // warm-up: workspace, caches
            let started = Date()
            let predictions = classifier.predict(texts, pairs: pairs)
            let seconds = Date().timeIntervalSince(started)
            let predicted = predictions.map { classifier.labels.firstIndex(of: $0.label)! }
            let known = gold.indices.filter { gold[$0] >= 0 }
            let report = ClassificationReport(gold: known.map { gold[$0] }, predicted: known.map { predicted[$0] }, labels: classifier.labels)
            let weights = try SafetensorsReader(path: (directory as NSString).appendingPathComponent("model.safetensors"))
            return Model(name: name, accuracy: report.accuracy, accuracyInterval95: report.accuracyInterval95, macroF1: report.macroF1,
                         parameters: weights.entries.values.reduce(0) { $0 + $1.shape.reduce(1, *) },
                         bytesOnDisk: directoryBytes(directory), sentencesPerSecond: Double(texts.count) / max(seconds, 1e-9),
                         correct: known.map { gold[$0] == predicted[$0] })
        }

        private static func directoryBytes(_ directory: String) -> Int {
            let fm = FileManager.default
            return ((try? fm.subpathsOfDirectory(atPath: directory)) ?? []).reduce(0) { sum, name in
                sum + ((try? fm.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(name)))?[.size] as? Int ?? 0)
            }
        }
    }

    public let teacher: Model
    public let alone: Model
    public let distilled: Model
    /// Distilled minus alone accuracy, and its 95% interval from 1,000 paired bootstrap resamples of dev.
    public let gain: Double
    public let gainInterval95: [Double]
    public let transferTexts: Int
    public let labellingSeconds: Double
    public let settings: DistillationSettings

    enum CodingKeys: String, CodingKey {
        case teacher, alone, distilled, gain, settings
        case gainInterval95 = "gain_ci95", transferTexts = "transfer_texts", labellingSeconds = "labelling_seconds"
    }

    init(teacher: Model, alone: Model, distilled: Model, transferTexts: Int, labellingSeconds: Double, settings: DistillationSettings) {
        (self.teacher, self.alone, self.distilled, self.transferTexts, self.labellingSeconds) = (teacher, alone, distilled, transferTexts, labellingSeconds)
        self.settings = settings
        gain = distilled.accuracy - alone.accuracy
        // The same dev examples answer both: resample examples, not each model's accuracy on its own.
        gainInterval95 = PairedBootstrap(first: distilled.correct, second: alone.correct).interval95
    }

    /// The three models side by side, and the gain.
    public var table: String {
        var lines = ["model        accuracy  (95% CI)          macro-F1  parameters   on disk   sentences/s   vs teacher"]
        for m in [teacher, alone, distilled] {
            lines.append(m.name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: " %7.2f%%  [%5.2f, %5.2f]   %7.2f%%  %10d  %6.1f MB  %12.1f  %9.1f×",
                                100 * m.accuracy, 100 * m.accuracyInterval95[0], 100 * m.accuracyInterval95[1], 100 * m.macroF1, m.parameters,
                                Double(m.bytesOnDisk) / 1_000_000, m.sentencesPerSecond, m.sentencesPerSecond / max(teacher.sentencesPerSecond, 1e-9)))
        }
        lines.append(String(format: "distilled − alone: %+.2f pt [%+.2f, %+.2f] (paired bootstrap); %d transfer texts labelled in %.1f s; T %.3g, α %.3g, %@",
                            100 * gain, 100 * gainInterval95[0], 100 * gainInterval95[1], transferTexts, labellingSeconds,
                            settings.temperature, settings.alpha, settings.softLoss.rawValue)
                     + (settings.hiddenWeight > 0 ? String(format: ", hidden states β %.3g", settings.hiddenWeight) : ""))
        return lines.joined(separator: "\n") + "\n"
    }
}
