import ArgumentParser
import Foundation
import TextTransfer
import TextTransferIO

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a trained classifier (or its encoder) in the form transformers and sentence-transformers load.",
        discussion: """
        --format hf: a classifier pooled with the BERT pooler is written as BertForSequenceClassification; any other \
        (mean, max or [CLS] pooling, a normalized or ordinal head) carries modeling_text_transfer.py and loads with \
        trust_remote_code=True. Both have id2label, label2id and problem_type. --format sentence-transformers: the \
        fine-tuned encoder alone with the classifier's pooling.
        EXAMPLES:
          text-transfer export --model Models/sst2 --output Models/sst2-hf
            python: AutoModelForSequenceClassification.from_pretrained("Models/sst2-hf", trust_remote_code=True)
          text-transfer export --model Models/sst2 --format sentence-transformers --output Models/sst2-st
            python: SentenceTransformer("Models/sst2-st")
        """)

    @Option(help: "Classifier directory written by train (or distill, with a transformer:N student).") var model: String
    @Option(help: "For a classifier trained on several tasks: the task whose head is exported.") var task: String?
    @Option(help: "hf (a transformers sequence classifier) or sentence-transformers (the encoder and its pooling).")
    var format: String = HuggingFaceExport.Format.huggingFace.rawValue
    @Option(help: "Directory to write.") var output: String
    @Flag(help: "Replace whatever is at --output.") var overwrite = false

    func run() throws {
        guard let chosen = HuggingFaceExport.Format(rawValue: format) else {
            throw ValidationError("--format must be hf or sentence-transformers, not '\(format)'")
        }
        reportingErrors {
            // Not even with --overwrite: the export cannot stand in for the classifier (predict reads the latter).
            if isSameOrInside(model, directory: output) {
                throw InputError(message: "\(output): holds \(model), an input of this run: refusing to replace it")
            }
            let destination = try OutputDirectory.reserve(output, marker: HuggingFaceExport.markerFile, overwrite: overwrite, inputs: [model])
            var summary: HuggingFaceExport.Summary?
            try destination.write { summary = try HuggingFaceExport.write(chosen, from: model, task: task, to: $0) }
            guard let summary else { return }
            printOutput("exported the \(summary.head) classifier (\(summary.pooling) pooling) to \(destination.path) as \(summary.format)")
            printOutput("load it with: \(summary.loadsWith.replacingOccurrences(of: "DIR", with: "\"\(destination.path)\""))")
        }
    }
}
