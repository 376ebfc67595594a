import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

extension TrainCommand {
    /// `--strategy transfer-kernel`: the source's labels train a kernel classifier for the target domain
    /// (--train's or --target-unlabeled's texts, their labels unused), scored on --dev beside the unadapted
    /// kernel, and saved as a classifier. No verdict: its baseline would train on the target labels the
    /// strategy exists to do without; the unadapted kernel is its comparison.
    func runTransferKernel() {
        let (textColumn, labelColumn) = (data.textColumn, data.labelColumn)
        let options = kernelOptions
        reportingErrors {
            let source = options.source!, dev = data.dev!  // checked in validate()
            let targetFile = options.targetUnlabeled ?? data.train!
            let inputs = [source, targetFile, dev, modelOptions.model] + [options.targetLabeled].compactMap { $0 }
            let destination = try OutputDirectory.reserve(outputOptions.output, marker: ClassifierDescription.fileName,
                                                          overwrite: outputOptions.overwrite, inputs: inputs)
            try refuseInputAsOutput(outputOptions.resultJson, inputs: inputs)
            let sourceExamples = try readLabeledExamples(path: source, textColumn: textColumn, labelColumn: labelColumn)
            let target = try readTexts(targetFile, textColumn: textColumn, labelColumn: labelColumn).texts
            guard target.count >= 2 else { throw InputError(message: "\(targetFile): needs at least 2 target texts, has \(target.count)") }
            let labeled = try options.targetLabeled.map { try readLabeledExamples(path: $0, textColumn: textColumn, labelColumn: labelColumn) } ?? []
            let devExamples = try readLabeledExamples(path: dev, textColumn: textColumn, labelColumn: labelColumn)
            let settings = options.kernel.settings(seed: optimization.seed)
            let run = try ExampleSetFiles(dev: dev, source: source).naming {
                try TransferKernelTraining(source: sourceExamples, target: target, targetLabeled: labeled, dev: devExamples, model: modelOptions.model,
                                           settings: settings, cache: options.featureCache, log: { writeStandardError($0) })
            }
            try run.save(to: destination)
            try writeResultJSON(run.result, to: outputOptions.resultJson, inputs: inputs)
            printOutput(run.result.table, terminator: "")
            printOutput("saved to \(destination.path)")
        }
    }
}
