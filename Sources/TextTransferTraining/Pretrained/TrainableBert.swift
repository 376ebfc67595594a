import TextTransferCore
import TextTransferEncoders
import TextTransferIO

/// A pretrained BERT-family encoder copied into a ParameterStore for training: `encoder` computes with
/// views of the store's values (so optimizer updates take effect at once) and `gradients` are views of
/// its gradient buffer, in the same structure.
public final class TrainableBert {
    public let configuration: BertConfiguration
    public let store: ParameterStore
    public let encoder: BertEncoder
    public let gradients: BertWeights

    /// Loads `directory` and adds `extraParameters` (a head's) to the store, zero-initialized.
    public init(directory: String, extraParameters: [(name: String, shape: [Int])] = []) throws {
        let (config, architecture, lookup, hasPooler) = try PretrainedBert.open(directory: directory)
        let shapes = BertEncoder.parameterShapes(architecture, hasPooler: hasPooler)
        let store = ParameterStore(shapes + extraParameters)
        for (name, shape) in shapes {
            let source = try lookup(name, shape)
            store.value(name).pointer.update(from: source.pointer, count: source.count)
        }
        self.configuration = config
        self.store = store
        encoder = BertEncoder(architecture: architecture,
                              weights: try BertWeights(architecture, lookup: { key, _ in store.value(key) }, hasPooler: hasPooler))
        gradients = try BertWeights(architecture, lookup: { key, _ in store.gradient(key) }, hasPooler: hasPooler)
    }
}
