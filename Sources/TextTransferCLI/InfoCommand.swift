import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Describe a model directory: a pretrained encoder, a static model or a trained classifier.",
        discussion: "EXAMPLES:\n  text-transfer info Models/all-MiniLM-L6-v2\n  text-transfer info Models/sst2\n  text-transfer info Models/minilm-static")

    @Argument(help: "Model directory.") var model: String

    func run() throws {
        reportingErrors {
            let descriptionPath = (model as NSString).appendingPathComponent(ClassifierDescription.fileName)
            let classifier = FileManager.default.fileExists(atPath: descriptionPath) ? try TextClassifier(directory: model) : nil
            if StaticEmbeddingModel.isStatic(directory: model) {
                let table = try StaticEmbeddingModel(directory: model)
                printOutput("static model (model2vec layout): \(table.count) tokens × \(table.dimension), normalized \(table.normalize), max length \(table.maxLength.map(String.init) ?? "none")")
                printOutput("made with: " + table.provenance.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                return
            }
            if let classifier, classifier.description.encoder != .transformer {
                let d = classifier.description
                let reader = try SafetensorsReader(path: (model as NSString).appendingPathComponent("model.safetensors"))
                let parameters = reader.entries.values.reduce(0) { $0 + $1.shape.reduce(1, *) }
                let table = reader.entries["embedding.weight"]?.shape.map(String.init).joined(separator: " × ") ?? "?"
                let hidden = (d.encoder == .bag ? "" : ", hidden \(d.training.hiddenSize) per direction")
                    + (d.training.headHidden.map { ", a ReLU layer of \($0) before the logits" } ?? "")
                let words = classifier.tokenizer as? WordTokenizer
                printOutput("encoder: \(d.encoder) over \(words == nil ? "WordPiece" : "ICU word") tokens, embeddings \(table)\(hidden), parameters \(parameters) in \(reader.entries.count) tensors")
                if let words {
                    printOutput("vocabulary: \(words.words.count) words, fingerprint \(words.fingerprint)")
                } else if let pieces = classifier.tokenizer as? BertTokenizer {
                    printOutput("vocabulary: \(pieces.vocabulary.count) WordPiece tokens, lowercase \(pieces.normalizer.lowercase), fingerprint \(pieces.fingerprint)")
                }
            } else {
                let config = try BertConfiguration.load(path: (model as NSString).appendingPathComponent("config.json"))
                guard let (weights, stored) = ModelWeightsFile.locate(in: model) else { throw ModelWeightsFile.missing(in: model) }
                let reader = try SafetensorsReader(path: weights)
                // Parameters, not stored numbers: an int8 matrix's per-row scales are not counted.
                let parameters = reader.entries.filter { name, entry in
                    entry.dtype != .i64 && !(name.hasSuffix("_scale") && reader.entries[String(name.dropLast(6))]?.dtype == .i8)
                }.values.reduce(0) { $0 + $1.shape.reduce(1, *) }
                let tokenizer = try BertTokenizer(directory: model)
                printOutput("encoder: \(config.modelType), \(config.numHiddenLayers) layers, width \(config.hiddenSize), \(config.numAttentionHeads) heads, feed-forward \(config.intermediateSize)")
                printOutput("parameters: \(parameters) in \(reader.entries.count) tensors" + (stored == .fp32 ? "" : ", Linear weights stored in \(stored.rawValue)"))
                printOutput("vocabulary: \(tokenizer.vocabulary.count) WordPiece tokens, lowercase \(tokenizer.normalizer.lowercase), fingerprint \(tokenizer.fingerprint)")
                if reader.entries[MaskedLanguageModelHead.denseWeight] != nil { printOutput("masked-LM head: included (pretrain mlm continues it)") }
                let record = (model as NSString).appendingPathComponent(MaskedLanguagePretrainer.fileName)
                if let data = readFileContents(atPath: record), let p = try? JSONDecoder().decode(PretrainingResult.self, from: data),
                   let first = p.history.first, let last = p.history.last {
                    printOutput(String(format: "pretrained by pretrain mlm from %@: %d steps, %d tokens; held-out MLM loss %.4f → %.4f, embeddings' cosine to the start %.4f",
                                       p.settings.model, p.steps, p.tokens, first.heldOutLoss, last.heldOutLoss, last.cosineToStart))
                }
            }
            if let classifier {
                let d = classifier.description
                printOutput("classifier: \(d.labels.count) labels (\(d.labels.joined(separator: ", "))), pooling \(d.pooling.rawValue), max length \(d.maxLength)")
                if let kernel = d.kernel {
                    let chosen = kernel.chosen.adapted ? String(format: "k + TCA, μ %g, %d components", kernel.chosen.mu, kernel.chosen.components)
                        : "no adaptation (reverse validation's choice)"
                    let scale = kernel.bandwidthScale.map { String(format: " (%g × the median heuristic)", $0) } ?? ""
                    printOutput(String(format: "trained from %@: strategy transfer-kernel, frozen encoder, RBF kernel σ %.4f%@, %@, seed %llu",
                                       d.baseModel, kernel.bandwidth, scale, chosen, d.training.seed))
                } else {
                    printOutput("trained from \(d.baseModel): strategy \(d.training.strategy), \(d.training.epochs) epochs, batch \(d.training.batchSize), lr \(d.training.encoderLearningRate), seed \(d.training.seed)")
                }
                if let m = d.metrics {
                    printOutput(String(format: "dev: accuracy %.4f, macro-F1 %.4f on %d examples", m.accuracy, m.macroF1, m.examples))
                }
                if let m = d.regressionMetrics {
                    printOutput(String(format: "dev: MSE %.4f, Pearson %.4f, Spearman %.4f on %d examples", m.mse, m.pearson, m.spearman, m.examples))
                }
                if let m = d.multiLabelMetrics {
                    printOutput(String(format: "dev: micro-F1 %.4f, macro-F1 %.4f, subset accuracy %.4f on %d examples", m.microF1, m.macroF1, m.subsetAccuracy, m.examples))
                }
                let verdictPath = (model as NSString).appendingPathComponent(TransferVerdict.fileName)
                if FileManager.default.fileExists(atPath: verdictPath) {
                    guard let data = readFileContents(atPath: verdictPath), let verdict = try? JSONDecoder().decode(TransferVerdict.self, from: data) else {
                        throw ModelFileError(file: verdictPath, message: "not a transfer verdict written by train")
                    }
                    printOutput("transfer verdict (dev):\n" + verdict.table, terminator: "")
                }
            } else {
                let files = try SentenceTransformersFiles(directory: model)
                printOutput("sentence embeddings: pooling \(files.pooling?.rawValue ?? "mean"), max length \(files.maxSequenceLength.map(String.init) ?? "model maximum"), normalized \(files.normalize)")
            }
        }
    }
}
