import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// A trained classifier read from the directory `FineTuner.save` (or `text-transfer train`) wrote.
///
///     let classifier = try TextClassifier(directory: "Models/sst2-classifier")
///     let p = classifier.predict(["a gorgeous, witty film"])[0]   // p.label, p.probabilities
///
/// Immutable and safe to share across threads.
public final class TextClassifier: Sendable {
    public struct Prediction: Sendable, Equatable {
        /// The predicted class; for a multi-label head, the predicted tags joined by its separator.
        public let label: String
        /// One probability per class, in `labels` order.
        public let probabilities: [Float]
        /// Multi-label: every class whose probability reaches its threshold. Otherwise just `label`.
        public let tags: [String]
    }

    public let description: ClassifierDescription
    public let tokenizer: BertTokenizer
    public let encoder: BertEncoder
    public let head: ClassificationHead
    private let headWeights: ParameterStore
    private let workspaces = WorkspacePool()

    public var labels: [String] { description.labels }

    public init(directory: String) throws {
        let path = (directory as NSString).appendingPathComponent("text_transfer.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFileError(file: path, message: "missing: \(directory) is not a classifier saved by text-transfer train")
        }
        do {
            description = try JSONDecoder().decode(ClassifierDescription.self, from: data)
        } catch {
            throw ModelFileError(file: path, message: "not a valid classifier description: \(error)")
        }
        tokenizer = try BertTokenizer(directory: directory)
        guard tokenizer.fingerprint == description.tokenizerFingerprint else {
            throw ModelFileError(file: directory, key: "tokenizer_fingerprint",
                                 message: "the tokenizer files give fingerprint \(tokenizer.fingerprint), but the classifier was trained with \(description.tokenizerFingerprint): they differ in vocabulary or normalization")
        }
        (_, encoder) = try PretrainedBert.load(directory: directory)
        let C = encoder.architecture.width
        head = ClassificationHead(kind: description.head, pooling: description.pooling, classes: description.labels.count, width: C)
        let reader = try SafetensorsReader(path: (directory as NSString).appendingPathComponent("model.safetensors"))
        var shapes = ClassificationHead.parameterShapes(kind: head.kind, classes: head.classes, width: C)
        if head.pooling == .pooler { shapes += [("pooler.dense.weight", [C, C]), ("pooler.dense.bias", [C])] }
        headWeights = ParameterStore(shapes)
        for (name, shape) in shapes {
            guard let entry = reader.entries[name] else {
                throw ModelFileError(file: reader.path, key: name, message: "missing tensor")
            }
            guard entry.shape == shape else {
                throw ModelFileError(file: reader.path, key: name,
                                     message: "shape \(entry.shape) disagrees with the \(description.labels.count) labels of text_transfer.json, which imply \(shape)")
            }
            let t = try reader.tensor(name)
            headWeights.value(name).pointer.update(from: t.pointer, count: t.count)
        }
    }

    /// The most probable label and every class probability of each text, in input order.
    public func predict(_ texts: [String], batchSize: Int = 32) -> [Prediction] {
        let encodings = texts.map { tokenizer.encode($0, maxLength: description.maxLength) }
        let order = encodings.indices.sorted { encodings[$0].length > encodings[$1].length }
        var out = [Prediction?](repeating: nil, count: texts.count)
        let K = head.outputs
        workspaces.withWorkspace { workspace in
            var unused = RandomGenerator(seed: 0)
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let members = Array(order[start..<min(start + batchSize, order.count)])
                let batch = TokenBatch(encodings: members.map { encodings[$0] })
                workspace.reset()
                let hidden = encoder.forward(batch, workspace: workspace)
                let logits = head.forward(hidden, lengths: batch.lengths, store: headWeights, workspace: workspace, generator: &unused).logits.values
                for (row, index) in members.enumerated() {
                    let z = logits[(row * K)..<((row + 1) * K)]
                    let p = head.probabilities(z)
                    if head.kind == .multiLabel, let thresholds = description.thresholds {
                        let tags = labels.indices.filter { p[$0] >= thresholds[$0] }.map { labels[$0] }
                        out[index] = Prediction(label: tags.joined(separator: description.labelSeparator ?? "|"), probabilities: p, tags: tags)
                    } else {
                        let label = labels[head.predictedClass(z)]
                        out[index] = Prediction(label: label, probabilities: p, tags: [label])
                    }
                }
            }
        }
        return out.map { $0! }
    }
}
