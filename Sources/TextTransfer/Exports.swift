// The umbrella module: an app imports TextTransfer and gets the types it composes.
@_exported import TextTransferCore
@_exported import TextTransferEmbeddings
@_exported import TextTransferEncoders
@_exported import TextTransferIO
@_exported import TextTransferTokenization
@_exported import TextTransferTraining
