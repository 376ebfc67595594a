// The umbrella module's surface: what an app composes to fine-tune, classify and embed, and the errors
// it may meet. Kernels, layers, optimizers and file internals stay in their modules (import those to
// build on them, as the CLI and the tests do).

// Running
@_exported import enum TextTransferCore.ComputeThreads
@_exported import enum TextTransferCore.Pooling
@_exported import enum TextTransferCore.Precision

// Text and tokens
@_exported import protocol TextTransferTokenization.TextTokenizer
@_exported import struct TextTransferTokenization.BertTokenizer
@_exported import struct TextTransferTokenization.WordTokenizer
@_exported import struct TextTransferTokenization.Encoding
@_exported import struct TextTransferTokenization.WordSegmentationOptions
@_exported import struct TextTransferTokenization.WordSegment
@_exported import struct TextTransferTokenization.ICUWordSegmenter
@_exported import struct TextTransferTokenization.ICUSentenceSegmenter
@_exported import struct TextTransferTokenization.TokenizerError

// Word vectors
@_exported import class TextTransferEmbeddings.WordVectors
@_exported import struct TextTransferEmbeddings.VectorLoadOptions
@_exported import struct TextTransferEmbeddings.VectorLoadReport
@_exported import enum TextTransferEmbeddings.VectorFileFormat
@_exported import struct TextTransferEmbeddings.WordVectorLookup
@_exported import struct TextTransferEmbeddings.CoverageReport
@_exported import struct TextTransferEmbeddings.VectorFileError

// Models and their files
@_exported import struct TextTransferIO.BertConfiguration
@_exported import struct TextTransferIO.SentenceTransformersFiles
@_exported import class TextTransferIO.OutputDirectory
@_exported import struct TextTransferIO.ModelFileError
@_exported import struct TextTransferEncoders.BertEncoder
@_exported import struct TextTransferEncoders.TokenBatch

// Training: data, settings, tasks, models, events and results
@_exported import struct TextTransferTraining.LabeledExample
@_exported import enum TextTransferTraining.DataFormat
@_exported import func TextTransferTraining.readLabeledExamples
@_exported import func TextTransferTraining.stratifiedSplit
@_exported import struct TextTransferTraining.FineTuningConfiguration
@_exported import struct TextTransferTraining.TaskSettings
@_exported import struct TextTransferTraining.DistillationSettings
@_exported import struct TextTransferTraining.SetFitSettings
@_exported import struct TextTransferTraining.TextAugmenter
@_exported import struct TextTransferEmbeddings.StaticEmbeddingModel
@_exported import enum TextTransferTraining.TransferStrategy
@_exported import enum TextTransferTraining.EncoderKind
@_exported import enum TextTransferTraining.WeightsToKeep
@_exported import enum TextTransferTraining.FeatureSolver
@_exported import enum TextTransferTraining.ClassWeighting
@_exported import struct TextTransferTraining.ClassificationHead
@_exported import struct TextTransferTraining.TrainingTask
@_exported import class TextTransferTraining.BertClassifier
@_exported import class TextTransferTraining.TrainableBert
@_exported import class TextTransferTraining.RecurrentClassifier
@_exported import struct TextTransferTraining.CheckpointOptions
@_exported import enum TextTransferTraining.TrainingEvent
@_exported import struct TextTransferTraining.TrainingStep
@_exported import struct TextTransferTraining.EvaluationPoint
@_exported import struct TextTransferTraining.FineTuningResult
@_exported import struct TextTransferTraining.TaskResult
@_exported import struct TextTransferTraining.TaskEvaluation
@_exported import struct TextTransferTraining.TaskScore
@_exported import struct TextTransferTraining.ClassificationReport
@_exported import struct TextTransferTraining.MultiLabelReport
@_exported import struct TextTransferTraining.RegressionReport
@_exported import struct TextTransferTraining.ConfigurationError
@_exported import struct TextTransferTraining.DataError
@_exported import struct TextTransferTraining.TrainingInterrupted
@_exported import enum TextTransferTraining.TrainingError

// Whether transfer helped, and how far apart domains are
@_exported import struct TextTransferTraining.TransferVerdict
@_exported import struct TextTransferTraining.PairedBootstrap
@_exported import struct TextTransferTraining.NGramBaseline
@_exported import struct TextTransferTraining.ProxyADistance
@_exported import struct TextTransferTraining.MaximumMeanDiscrepancy
@_exported import enum TextTransferTraining.LogME
@_exported import struct TextTransferTraining.CORALAlignment
@_exported import struct TextTransferTraining.TransferComponentAnalysis
