import Foundation
import TextTransferCore
import TextTransferEmbeddings
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining
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
        refusal({ $0.encoder = .bag; $0.headHidden = 0 }, key: "head_hidden")
        refusal({ $0.headHidden = 64 }, key: "head_hidden")  // a Transformer has no such layer
    }

    func testClassWeightsApplyToTheSoftmaxHeadAndAreRefusedForTheOthers() throws {
        var c = FineTuningConfiguration()
        c.classWeights = .balanced
        try c.validate()
        for head in [ClassificationHead.Kind.ordinal, .multiLabel, .regression] {
            refusal({ $0.classWeights = .balanced; $0.head = head }, key: "class_weights")
        }
    }

    /// The choices are enums whose raw values are text_transfer.json's strings: the written form reads back,
    /// and an unknown choice is an error naming its key.
    func testChoicesRoundTripAsTheirWrittenFormsAndUnknownOnesAreRefused() throws {
        var c = FineTuningConfiguration()
        (c.encoder, c.strategy, c.keep, c.featureSolver, c.classWeights) = (.gru, .topLayers(2), .last, .lbfgs, .balanced)
        let json = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        for written in [#""encoder":"gru""#, #""strategy":"top-k:2""#, #""keep":"last""#, #""feature_solver":"lbfgs""#, #""class_weights":"balanced""#] {
            XCTAssertTrue(json.contains(written), written)
        }
        XCTAssertEqual(try JSONDecoder().decode(FineTuningConfiguration.self, from: Data(json.utf8)), c)
        for (key, bad) in [("encoder", "lstm"), ("strategy", "top-k:0"), ("keep", "first"), ("feature_solver", "sgd"), ("class_weights", "inverse")] {
            let tampered = json.replacingOccurrences(of: #""\#(key)":"#, with: #""\#(key)":"\#(bad)","ignored":"#)
            XCTAssertThrowsError(try JSONDecoder().decode(FineTuningConfiguration.self, from: Data(tampered.utf8)), key) { error in
                XCTAssertTrue("\(error)".contains(key), "\(error)")
            }
        }
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
