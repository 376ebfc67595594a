import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

struct AdaptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapt", abstract: "Shallow domain adaptation on frozen features: the frozen probe, the kernel classifier without adaptation, after CORAL, and the transfer kernel (the kernel plus Nyström TCA's components, CORAL first with --coral), on the target's dev set.",
        discussion: "Only --source's labels train; --target's texts are used unlabelled (a .txt file of lines, or labelled data whose labels are ignored); --dev is the target's scored set. The transfer kernel's settings are chosen without target labels: the RBF bandwidth by the unadapted kernel's accuracy on held-out source texts, μ and components by reverse validation.\n\nEXAMPLES:\n  text-transfer adapt --source ../shared/data/imdb/train.tsv --target ../shared/data/sst2/train.tsv --dev ../shared/data/sst2/dev.tsv --cache /tmp/features\n  text-transfer adapt --source reviews.tsv --target tweets.txt --dev tweets-dev.tsv --max-source 20000 --result-json adapt.json")

    @OptionGroup var model: ModelOptions
    @Option(help: "Labelled source data (.tsv, .csv, .jsonl).") var source: String
    @Option(help: "Target texts: a .txt file with one text per line, or labelled data (its labels are not used).") var target: String
    @Option(help: "Labelled target data to score every method on.") var dev: String
    @Option(help: "Use at most this many source texts (a seeded sample).") var maxSource: Int?
    @Option(help: "Use at most this many target texts (a seeded sample).") var maxTarget: Int?
    @Option(help: "Score at most this many dev examples (a seeded sample).") var maxDev: Int?
    @OptionGroup var kernel: TransferKernelFlags
    @Option(help: "Keep each set's features here as they are computed, for the next run over the same texts.") var cache: String?
    @Option(help: "Seed of the samples, the landmarks and reverse validation's split.") var seed: UInt64 = 0
    @Option(help: "Write the comparison as JSON here.") var resultJson: String?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"

    func validate() throws {
        for (flag, value) in [("--max-source", maxSource), ("--max-target", maxTarget), ("--max-dev", maxDev)] {
            if let value, value < 2 { throw ValidationError("\(flag) must be at least 2, not \(value)") }
        }
    }

    func run() throws {
        try model.applyThreads()
        reportingErrors {
            let inputs = [source, target, dev, model.model]
            try refuseInputAsOutput(resultJson, inputs: inputs)
            // Each file is sampled from the seed alone: the same file and limit give the same texts in any role.
            func sample<T>(_ items: [T], _ limit: Int?) -> [T] {
                guard let limit, items.count > limit else { return items }
                var generator = RandomGenerator(seed: seed)
                return Array(items.shuffled(using: &generator).prefix(limit))
            }
            let sourceExamples = sample(try readLabeledExamples(path: source, textColumn: textColumn, labelColumn: labelColumn), maxSource)
            let targetTexts = sample(try readTexts(target, textColumn: textColumn, labelColumn: labelColumn).texts, maxTarget)
            let devExamples = sample(try readLabeledExamples(path: dev, textColumn: textColumn, labelColumn: labelColumn), maxDev)
            guard targetTexts.count >= 2 else { throw InputError(message: "\(target): needs at least 2 texts, has \(targetTexts.count)") }
            let encoder = try SentenceEncoder(directory: model.model)
            let settings = kernel.settings(seed: seed)
            let comparison = try ExampleSetFiles(dev: dev, source: source).naming {
                try DomainAdaptationComparison(source: sourceExamples, target: targetTexts, dev: devExamples, encoder: encoder,
                                               encoderDirectory: model.model, cache: cache, settings: settings, log: { writeStandardError($0) })
            }
            try writeResultJSON(comparison, to: resultJson, inputs: inputs)
            printOutput(comparison.table, terminator: "")
        }
    }
}
