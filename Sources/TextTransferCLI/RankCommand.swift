import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferTraining

struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank", abstract: "Which pretrained encoder to start from: LogME of each candidate's frozen features, beside a frozen probe's dev accuracy.",
        discussion: """
        A candidate is a Transformer directory (with its own pooling, or DIR@mean, DIR@cls, DIR@max, DIR@pooler), a \
        word-vector file (the mean of its vectors over each text's ICU words), or random[:D] (seeded random features, \
        the floor). LogME needs no training; the probe is a logistic regression on the same features, scored on --dev \
        (or on a seeded fifth of --train held out when there is no --dev).
        EXAMPLES:
          text-transfer rank --train sst2/train.tsv --dev sst2/dev.tsv --candidate Models/all-MiniLM-L6-v2 \\
              --candidate Models/all-MiniLM-L6-v2@cls --candidate glove.6B.300d.txt --candidate random
        """)

    @Option(help: "Labelled training data (.tsv, .csv, .jsonl).") var train: String
    @Option(help: "Labelled dev data for the probe's accuracy (default: a seeded fifth of --train).") var dev: String?
    @Option(name: .customLong("candidate"), help: "A candidate encoder (repeat the flag for each).") var candidates: [String] = []
    @Option(help: "Training examples whose features are computed (a seeded sample).") var maxExamples: Int = 5000
    @Option(help: "Seed of the samples and of the random candidate.") var seed: UInt64 = 0
    @Option(help: "Write the ranking as JSON here.") var resultJson: String?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"
    @Option(help: "Compute threads; default OPENBLAS_NUM_THREADS or all cores.") var threads: Int?

    func validate() throws {
        guard !candidates.isEmpty else { throw ValidationError("--candidate: give at least one encoder to rank") }
        guard maxExamples >= 2 else { throw ValidationError("--max-examples must be at least 2, not \(maxExamples)") }
    }

    func run() throws {
        try setComputeThreads(threads)
        reportingErrors {
            let inputs = [train] + (dev.map { [$0] } ?? [])
            try refuseInputAsOutput(resultJson, inputs: inputs + candidates)
            let parsed = try candidates.map(EncoderRanking.Candidate.parse)
            var trainExamples = try readLabeledExamples(path: train, textColumn: textColumn, labelColumn: labelColumn)
            var devExamples: [LabeledExample]
            if let dev {
                devExamples = try readLabeledExamples(path: dev, textColumn: textColumn, labelColumn: labelColumn)
            } else {
                var generator = RandomGenerator(seed: seed)
                trainExamples.shuffle(using: &generator)
                let held = max(1, trainExamples.count / 5)
                devExamples = Array(trainExamples.prefix(held))
                trainExamples.removeFirst(held)
                // Name the file and the hold-out, not an abstract "--train", when the fifth took a label away.
                let left = Set(trainExamples.map(\.label)).count
                guard left >= 2 else {
                    throw DataError(file: train, message: "\(left) label\(left == 1 ? "" : "s") left after holding out a fifth of its \(held + trainExamples.count) examples for the probe; give --dev or more examples")
                }
            }
            let ranking = try ExampleSetFiles(train: train, dev: dev ?? "\(train) (held-out fifth)").naming {
                try EncoderRanking(train: trainExamples, dev: devExamples, candidates: parsed, maxExamples: maxExamples, seed: seed,
                                   log: { writeStandardError($0) })
            }
            try writeResultJSON(ranking, to: resultJson, inputs: inputs + candidates)
            printOutput(ranking.table, terminator: "")
        }
    }
}
