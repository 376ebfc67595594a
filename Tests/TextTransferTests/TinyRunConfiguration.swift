import TextTransfer

extension FineTuningConfiguration {
    /// Settings under which the tiny test model learns its toy tasks in well under a second: no dropout,
    /// a high learning rate for encoder and head alike, many short epochs.
    static func tinyRun(model: String, head: ClassificationHead.Kind = .softmax, epochs: Int, batchSize: Int,
                        learningRate: Float = 3e-2) -> FineTuningConfiguration {
        var c = FineTuningConfiguration()
        c.model = model
        c.head = head
        c.epochs = epochs
        c.batchSize = batchSize
        c.dropout = 0
        c.maxLength = 16  // the tiny model's positions
        c.encoderLearningRate = learningRate
        c.headLearningRate = learningRate
        return c
    }
}
