import ArgumentParser
import Foundation
import TextTransfer
import TextTransferIO
import TextTransferTraining

struct DomainsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domains", abstract: "How far apart two text sets are for a model: proxy A-distance, MMD, vocabulary, label shift, LogME.",
        discussion: "A file ending in .txt holds one text per line (no labels); any other is labelled data (.tsv, .csv, .jsonl) whose label shares, label shift and LogME are reported too.\n\nEXAMPLES:\n  text-transfer domains --source imdb.tsv --target sst2/dev.tsv\n  text-transfer domains --source train.tsv --target reviews.txt --model Models/all-MiniLM-L6-v2 --result-json domains.json")

    @OptionGroup var model: ModelOptions
    @Option(help: "The source texts: labelled data, or a .txt file with one text per line.") var source: String
    @Option(help: "The target texts, as --source.") var target: String
    @Option(help: "Texts per side whose features are computed (a seeded sample); the word measures read every text.") var maxExamples: Int = 2000
    @Option(help: "Permutations of the MMD test.") var permutations: Int = 500
    @Option(help: "Seed of the samples, the folds and the permutations.") var seed: UInt64 = 0
    @Option(help: "Write the comparison as JSON here.") var resultJson: String?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"

    func validate() throws {
        guard maxExamples >= 2 else { throw ValidationError("--max-examples must be at least 2, not \(maxExamples)") }
        guard permutations >= 0 else { throw ValidationError("--permutations must be 0 or more, not \(permutations)") }
    }

    func run() throws {
        try model.applyThreads()
        reportingErrors {
            let inputs = [source, target, model.model]
            try refuseInputAsOutput(resultJson, inputs: inputs)
            let samples = try [source, target].map(readSample)
            for (sample, path) in zip(samples, [source, target]) where sample.texts.count < 2 {
                throw InputError(message: "\(path): needs at least 2 texts, has \(sample.texts.count)")
            }
            let encoder = try SentenceEncoder(directory: model.model)
            let comparison = try DomainComparison(source: samples[0], target: samples[1], encoder: encoder, maxExamples: maxExamples,
                                                  permutations: permutations, seed: seed, log: { writeStandardError($0) })
            try writeResultJSON(comparison, to: resultJson, inputs: inputs)
            printOutput(comparison.table, terminator: "")
        }
    }

    private func readSample(_ path: String) throws -> DomainComparison.Sample {
        // The folder and file ("sst2/dev.tsv"): data sets are often folders of train.tsv and dev.tsv.
        let name = path.split(separator: "/").suffix(2).joined(separator: "/")
        let (texts, labels) = try readTexts(path, textColumn: textColumn, labelColumn: labelColumn)
        return DomainComparison.Sample(name: name, texts: texts, labels: labels)
    }
}
