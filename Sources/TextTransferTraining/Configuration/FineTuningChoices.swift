import TextTransferEncoders

// The choices of a FineTuningConfiguration, as enums whose raw values are the strings text_transfer.json
// stores and the CLI takes.

/// What reads the tokens: the pretrained Transformer, or a small model over its WordPiece embeddings or
/// over word vectors.
public enum EncoderKind: String, Codable, Sendable, CaseIterable {
    case transformer, bilstm, gru, bag

    /// The recurrent cell of the bilstm and gru encoders; nil for the bag of embeddings (and the Transformer).
    package var cell: RecurrentLayer.Cell? { self == .gru ? .gru : self == .bilstm ? .lstm : nil }
}

/// Which weights a run ends with.
public enum WeightsToKeep: String, Codable, Sendable, CaseIterable {
    /// Those of the best dev evaluation.
    case best
    /// The final step's, so that dev only reports and selects nothing.
    case last
    /// The mean of the weights at the ends of epochs `averageFrom`… the last, on the schedule unchanged
    /// (the tail of stochastic weight averaging, as checkpoint averaging in machine translation): no
    /// single epoch is chosen, so a noisy dev set or none can choose wrong; dev only reports.
    case average
}

/// How feature extraction fits its head.
public enum FeatureSolver: String, Codable, Sendable, CaseIterable {
    /// Epochs of AdamW on the cached features.
    case adamw
    /// Multinomial logistic regression to convergence, as scikit-learn (softmax head only).
    case lbfgs
}

/// How the softmax loss weighs the classes.
public enum ClassWeighting: String, Codable, Sendable, CaseIterable {
    /// Each class by N / (K · n_class), scikit-learn's rule.
    case balanced
}

/// What trains: the head on cached features, everything, the top N blocks, block by block (ULMFiT), or
/// SetFit's contrastive body training on pairs followed by a logistic-regression head. Written as
/// text_transfer.json and the CLI spell it: `feature-extraction`, `fine-tune`, `top-k:N`,
/// `gradual-unfreeze`, `setfit`.
public enum TransferStrategy: Equatable, Sendable, Codable, CustomStringConvertible {
    case featureExtraction
    case fineTune
    case topLayers(Int)
    case gradualUnfreeze
    case setfit

    /// Parses the written form; nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "feature-extraction": self = .featureExtraction
        case "fine-tune": self = .fineTune
        case "gradual-unfreeze": self = .gradualUnfreeze
        case "setfit": self = .setfit
        default:
            guard text.hasPrefix("top-k:"), let k = Int(text.dropFirst(6)), k >= 1 else { return nil }
            self = .topLayers(k)
        }
    }

    public var description: String {
        switch self {
        case .featureExtraction: "feature-extraction"
        case .fineTune: "fine-tune"
        case let .topLayers(k): "top-k:\(k)"
        case .gradualUnfreeze: "gradual-unfreeze"
        case .setfit: "setfit"
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let strategy = TransferStrategy(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown strategy '\(text)': use feature-extraction, fine-tune, top-k:N, gradual-unfreeze or setfit"))
        }
        self = strategy
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
