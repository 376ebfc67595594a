import Foundation
import TextTransfer
import XCTest

/// Every configuration value is checked before anything loads, and the error names its key; library errors
/// read the same through `localizedDescription` as through `description`.
final class ConfigurationValidationTests: XCTestCase {
    func refusal(_ change: (inout FineTuningConfiguration) -> Void, key: String, line: UInt = #line) {
        var c = FineTuningConfiguration()
        change(&c)
        XCTAssertThrowsError(try c.validate(), line: line) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, key, "\(error)", line: line)
        }
    }

    func testTheDefaultsAreValid() throws { try FineTuningConfiguration().validate() }

    func testNonFiniteAndOutOfRangeValuesNameTheirKey() {
        refusal({ $0.encoderLearningRate = .nan }, key: "encoder_lr")
        refusal({ $0.headLearningRate = .infinity }, key: "head_lr")
        refusal({ $0.dropout = 1 }, key: "dropout")
        refusal({ $0.warmupFraction = -0.1 }, key: "warmup")
        refusal({ $0.layerDecay = 0 }, key: "layer_decay")
        refusal({ $0.epochs = 0 }, key: "epochs")
        refusal({ $0.maxLength = 1 }, key: "max_length")
        refusal({ $0.evaluateEvery = 0 }, key: "evaluate_every")
        refusal({ $0.labelSmoothing = 1 }, key: "label_smoothing")
        refusal({ $0.l2SP = -1 }, key: "l2_sp")
        refusal({ $0.maxGradientNorm = .nan }, key: "max_grad_norm")
        refusal({ $0.labels = ["a", "a"] }, key: "labels")
        refusal({ $0.pooling = .pooler; $0.normalize = true }, key: "normalize")
    }

    func testClassWeightsApplyToTheSoftmaxHeadAndAreRefusedForTheOthers() throws {
        var c = FineTuningConfiguration()
        c.classWeights = "balanced"
        try c.validate()
        for head in [ClassificationHead.Kind.ordinal, .multiLabel, .regression] {
            refusal({ $0.classWeights = "balanced"; $0.head = head }, key: "class_weights")
        }
        refusal({ $0.classWeights = "inverse" }, key: "class_weights")
    }

    func testLibraryErrorsReadTheSameThroughLocalizedDescription() {
        let errors: [any Error] = [
            ConfigurationError(key: "dropout", message: "must be a probability in [0, 1), not 1.0"),
            ModelFileError(file: "m/config.json", key: "hidden_size", message: "missing key"),
            DataError(file: "train.tsv", line: 3, message: "invalid UTF-8"),
            TokenizerError(file: "vocab.txt", line: 2, message: "empty token"),
            VectorFileError(file: "v.bin", byteOffset: 0, message: "truncated"),
            TrainingError.nonFiniteLoss(step: 4, value: .nan),
        ]
        for error in errors {
            XCTAssertEqual(error.localizedDescription, "\(error)")
            XCTAssertFalse(error.localizedDescription.contains("error 1"), error.localizedDescription)
        }
    }
}
