import Foundation
import TextTransfer
import TextTransferTraining

/// The training and dev examples of a command: read from their files, or with no dev file a seeded
/// stratified `devFraction` of the training examples held out (train and distill read them alike).
func readExampleSets(train: String, dev: String?, devFraction: Double, seed: UInt64, textColumn: String, labelColumn: String,
                     textPairColumn: String? = nil) throws -> (train: [LabeledExample], dev: [LabeledExample]) {
    let trainExamples = try readLabeledExamples(path: train, textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn)
    guard let dev else {
        let (kept, held) = stratifiedSplit(trainExamples, fraction: devFraction, seed: seed)
        return (kept, held)
    }
    return (trainExamples, try readLabeledExamples(path: dev, textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn))
}
