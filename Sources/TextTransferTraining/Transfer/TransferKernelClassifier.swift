import Foundation
import TextTransferCore

/// The transfer kernel: a kernel classifier whose kernel is adapted so that source and target look alike —
/// CORAL on the features, then TCA on a Nyström approximation of an RBF kernel, then logistic regression
/// on the transfer components (kernel logistic regression in TCA's space). Beside it, the same classifier
/// on the unadapted kernel (logistic regression on the Nyström features), so that every fit says what
/// adaptation bought. μ and the number of components are chosen without target labels by reverse
/// validation (Zhong et al., 2010): a setting is as good as a classifier trained on the target with the
/// labels it gave scores on held-out source examples.
public struct TransferKernelClassifier: Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        public var landmarks = 1000
        /// Candidates for TCA's μ and components; reverse validation picks one pair.
        public var mus: [Double] = [0.1, 1, 10]
        public var components: [Int] = [16, 64]
        /// CORAL before TCA.
        public var coral = true
        /// The logistic regressions' C (scikit-learn's inverse regularization).
        public var inverseRegularization = 1.0
        /// Share of the labelled source held out to score the candidates.
        public var heldOutFraction = 0.2
        public var seed: UInt64 = 0

        public init() {}
    }

    /// One fitted candidate: its settings and reverse-validation accuracy.
    public struct Candidate: Codable, Sendable {
        public let mu: Double
        public let components: Int
        public let reverseValidationAccuracy: Double

        enum CodingKeys: String, CodingKey { case mu, components, reverseValidationAccuracy = "reverse_validation_accuracy" }
    }

    public let settings: Settings
    public let classes: Int
    public let candidates: [Candidate]
    public let chosen: Candidate
    let coral: CORALAlignment?
    let tca: TransferComponentAnalysis
    let weights: [Float], biases: [Float]
    /// The unadapted kernel's own map (landmarks from the raw features) and classifier.
    let unadapted: NystromFeatureMap
    let unadaptedWeights: [Float], unadaptedBiases: [Float]

    /// `source` rows with `labels` in 0..<classes; `target` rows unlabelled; `targetLabeled` a few target
    /// rows with labels, trained on beside the source when given.
    public init(source: [[Float]], labels: [Int], target: [[Float]], targetLabeled: [([Float], Int)] = [], classes: Int,
                settings: Settings = Settings()) throws {
        guard source.count >= 4, target.count >= 2, source.count == labels.count else {
            throw ConfigurationError(key: "source", message: "needs at least 4 labelled source rows and 2 target rows (\(source.count), \(target.count))")
        }
        guard !settings.mus.isEmpty, !settings.components.isEmpty, settings.mus.allSatisfy({ $0 > 0 && $0.isFinite }),
              settings.components.allSatisfy({ $0 >= 1 }), settings.landmarks >= 2, settings.heldOutFraction > 0, settings.heldOutFraction < 1 else {
            throw ConfigurationError(key: "transfer_kernel", message: "settings out of range: \(settings)")
        }
        self.settings = settings
        self.classes = classes
        let coral = settings.coral ? CORALAlignment(source: source, target: target) : nil
        self.coral = coral
        let aligned = coral?.align(source) ?? source
        let alignedLabeled = targetLabeled.map(\.0)  // target rows need no alignment: CORAL moves the source onto them
        func tca(_ mu: Double, _ k: Int) -> TransferComponentAnalysis {
            var s = TransferComponentAnalysis.Settings()
            (s.landmarks, s.mu, s.components, s.seed) = (settings.landmarks, mu, k, settings.seed)
            return TransferComponentAnalysis(source: aligned + alignedLabeled, target: target, settings: s)
        }
        func fit(_ rows: [[Float]], _ y: [Int]) -> (weights: [Float], biases: [Float]) {
            let f = LogisticRegressionFit.fit(features: rows, labels: y, classes: classes, inverseRegularization: settings.inverseRegularization)
            return (f.weights, f.biases)
        }
        // Reverse validation on a seeded split of the source.
        var generator = RandomGenerator(seed: settings.seed)
        var order = Array(source.indices)
        order.shuffle(using: &generator)
        let held = max(1, Int(Double(source.count) * settings.heldOutFraction))
        let (heldOut, fitted) = (Array(order.prefix(held)), Array(order.dropFirst(held)))
        var candidates: [Candidate] = []
        var best: (Candidate, TransferComponentAnalysis)?
        for mu in settings.mus {
            for k in settings.components {
                let t = tca(mu, k)
                let sourceZ = t.transform(fitted.map { aligned[$0] } + alignedLabeled), targetZ = t.transform(target)
                let forward = fit(sourceZ, fitted.map { labels[$0] } + targetLabeled.map(\.1))
                let pseudo = Self.predict(targetZ, forward.weights, forward.biases, classes: classes)
                guard Set(pseudo).count >= 2 else {
                    candidates.append(Candidate(mu: mu, components: k, reverseValidationAccuracy: 0))  // one class for every target row: nothing to learn back
                    continue
                }
                let backward = fit(targetZ, pseudo)
                let answers = Self.predict(t.transform(heldOut.map { aligned[$0] }), backward.weights, backward.biases, classes: classes)
                let accuracy = Double(zip(answers, heldOut.map { labels[$0] }).filter { $0 == $1 }.count) / Double(held)
                let candidate = Candidate(mu: mu, components: k, reverseValidationAccuracy: accuracy)
                candidates.append(candidate)
                if best == nil || accuracy > best!.0.reverseValidationAccuracy { best = (candidate, t) }
            }
        }
        let (chosen, t) = best ?? (candidates[0], tca(settings.mus[0], settings.components[0]))
        self.candidates = candidates
        self.chosen = chosen
        self.tca = t
        let final = fit(t.transform(aligned + alignedLabeled), labels + targetLabeled.map(\.1))
        (weights, biases) = (final.weights, final.biases)
        // The unadapted kernel: as many landmarks, from the raw features.
        unadapted = NystromFeatureMap(source: source, target: target, landmarks: settings.landmarks, seed: settings.seed)
        let plain = fit(unadapted.features(source + alignedLabeled), labels + targetLabeled.map(\.1))
        (unadaptedWeights, unadaptedBiases) = (plain.weights, plain.biases)
    }

    /// The adapted classifier's classes for target rows.
    public func predict(_ rows: [[Float]]) -> [Int] { Self.predict(tca.transform(rows), weights, biases, classes: classes) }

    /// The unadapted kernel classifier's classes for target rows.
    public func predictUnadapted(_ rows: [[Float]]) -> [Int] { Self.predict(unadapted.features(rows), unadaptedWeights, unadaptedBiases, classes: classes) }

    static func predict(_ rows: [[Float]], _ w: [Float], _ b: [Float], classes: Int) -> [Int] {
        LogisticRegressionFit.predict(rows, weights: w, biases: b, classes: classes)
    }
}
