import Foundation
import TextTransferCore
import TextTransferTraining

/// One point of autotune's search space: a named training configuration and what it costs, in predicted
/// seconds, to train it on a number of examples. The cost model, not the clock, sizes the search, so the
/// same data, seed and budget plan the same trials on any machine; the clock only enforces the budget.
public struct AutotuneCandidate: Sendable {
    public enum Kind: String, Codable, Sendable { case featureExtraction = "feature-extraction", setfit, topLayers = "top-k", fineTune = "fine-tune", bag, bilstm }
    public let name: String
    public let kind: Kind
    public let configuration: FineTuningConfiguration

    /// Predicted seconds to train on `examples` examples of `meanTokens` tokens (padding included) and
    /// score `scored` examples after each epoch. The rates are for all-MiniLM-L6-v2 on 2 threads of the
    /// slower of the project's 2-core machines measured so far (Xeon, OpenBLAS's own AVX-512 kernels, where
    /// SST-5's trials took 1.2–1.45× what the rates of a faster AMD machine predicted), so that the plan's
    /// slack covers a machine up to 1.25× slower than that one; the clock holds anything slower to the
    /// budget, at the price of a cut trial (and a run that may not repeat). A faster machine leaves part of
    /// the budget unplanned, which the refit on all the data may use.
    public func predictedSeconds(examples: Int, meanTokens: Double, scored: Int) -> Double {
        let c = configuration
        let tokens = Double(examples) * meanTokens
        let epochs = Double(c.epochs)
        let scoring = Double(scored) * meanTokens / Self.encodingTokensPerSecond
        switch kind {
        case .featureExtraction:
            return Self.loading + tokens / Self.encodingTokensPerSecond + scoring
        case .setfit:
            let s = c.setfit ?? SetFitSettings()
            let steps = Double(s.pairRounds) * (Double(examples) / Double(ContrastivePairSampler.anchors(batchSize: s.pairBatchSize))).rounded(.up)
            // A step encodes its anchors and the partners from outside their group (about 1.3 texts an anchor).
            let perStep = 1.3 * Double(ContrastivePairSampler.anchors(batchSize: s.pairBatchSize)) * meanTokens / Self.trainingTokensPerSecond
            return Self.loading + steps * (perStep + Self.optimizerStep) + tokens / Self.encodingTokensPerSecond + scoring
        case .topLayers, .fineTune:
            // The top two blocks' backward is a third of the full backward's work.
            let share = kind == .topLayers ? 0.5 : 1
            let steps = epochs * (Double(examples) / Double(c.batchSize)).rounded(.up)
            return Self.loading + share * epochs * tokens / Self.trainingTokensPerSecond + steps * Self.optimizerStep + epochs * scoring
        case .bag:
            return 1 + epochs * tokens / 200_000 + epochs * Double(scored) * meanTokens / 400_000
        case .bilstm:
            return 1 + epochs * tokens / 15_000 + epochs * Double(scored) * meanTokens / 40_000
        }
    }

    /// Predicted seconds a run still works once its training loop has been stopped: SetFit and the frozen
    /// probes encode all `examples` for their head whatever the clock says.
    public func predictedTailSeconds(examples: Int, meanTokens: Double) -> Double {
        kind == .setfit || kind == .featureExtraction ? Self.loading + Double(examples) * meanTokens / Self.encodingTokensPerSecond : 0
    }

    /// Whether it trains in epochs of optimizer steps (so a run can be stopped after a number of them);
    /// the frozen probes and SetFit fit their heads once, at the end.
    public var trainsInEpochs: Bool { kind != .setfit && kind != .featureExtraction }

    static let loading = 2.0
    static let trainingTokensPerSecond = 1_270.0
    static let encodingTokensPerSecond = 4_000.0
    /// AdamW over MiniLM's 22.7M parameters, with zeroing and clipping.
    static let optimizerStep = 0.07

    /// The search space, cheap candidates first: frozen probes (mean and [CLS] pooling), the bag and
    /// BiLSTM encoders over the model's WordPiece embeddings, SetFit (for at most 1,000 examples, where
    /// its pairs pay), the top two blocks, and `fineTuneDraws` full fine-tuning settings: `train`'s
    /// defaults, and the rest drawn with `seed` from learning rate × epochs × layer decay × label smoothing.
    public static func space(base: FineTuningConfiguration, examples: Int, seed: UInt64, fineTuneDraws: Int = 4) -> [AutotuneCandidate] {
        func make(_ name: String, _ kind: Kind, _ change: (inout FineTuningConfiguration) -> Void) -> AutotuneCandidate {
            var c = base
            change(&c)
            return AutotuneCandidate(name: name, kind: kind, configuration: c)
        }
        var space = [
            make("frozen probe, mean pooling", .featureExtraction) { ($0.strategy, $0.featureSolver, $0.pooling, $0.epochs) = (.featureExtraction, .lbfgs, .mean, 1) },
            make("frozen probe, [CLS] pooling", .featureExtraction) { ($0.strategy, $0.featureSolver, $0.pooling, $0.epochs) = (.featureExtraction, .lbfgs, .cls, 1) },
            make("bag of WordPiece embeddings, 5 epochs", .bag) { ($0.encoder, $0.epochs, $0.headLearningRate) = (.bag, 5, 5e-3) },
            make("BiLSTM over WordPiece embeddings, 3 epochs", .bilstm) { ($0.encoder, $0.epochs, $0.hiddenSize, $0.headLearningRate) = (.bilstm, 3, 150, 2e-3) },
        ]
        if examples <= 1000 {
            space.append(make("setfit, 20 pair rounds", .setfit) { ($0.strategy, $0.pooling, $0.setfit) = (.setfit, .mean, SetFitSettings()) })
        }
        space.append(make("top 2 blocks, lr 1e-4, 2 epochs", .topLayers) { ($0.strategy, $0.encoderLearningRate, $0.epochs) = (.topLayers(2), 1e-4, 2) })
        var grid: [(lr: Float, epochs: Int, decay: Float, smoothing: Float?)] = []
        for lr: Float in [2e-5, 5e-5, 1e-4] { for epochs in [1, 2, 3, 5] { for decay: Float in [1, 0.9] { for smoothing: Float? in [nil, 0.1] {
            grid.append((lr, epochs, decay, smoothing))
        } } } }
        // train's own defaults always compete (so autotune can do what a plain `train` does), then draws.
        let defaults = FineTuningConfiguration()
        let standard = (lr: defaults.encoderLearningRate, epochs: defaults.epochs, decay: defaults.layerDecay, smoothing: defaults.labelSmoothing)
        grid.removeAll { $0 == standard }
        var generator = RandomGenerator(seed: seed &+ 11)
        grid.shuffle(using: &generator)
        for g in [standard] + grid.prefix(max(fineTuneDraws - 1, 0)) {
            let name = "fine-tune, lr \(g.lr), \(g.epochs) epoch\(g.epochs == 1 ? "" : "s")" + (g.decay != 1 ? ", layer decay \(g.decay)" : "")
                + (g.smoothing.map { ", label smoothing \($0)" } ?? "")
            space.append(make(name, .fineTune) { c in
                (c.strategy, c.encoderLearningRate, c.epochs, c.layerDecay, c.labelSmoothing) = (.fineTune, g.lr, g.epochs, g.decay, g.smoothing)
            })
        }
        return space
    }
}
