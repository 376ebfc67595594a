import RealModule
import _TextTransferVectorKernels

/// The word-vector model a line trains, as pointers (fastText's layout): `input` the word rows then the
/// n-gram buckets, `output` a row per word, word w's input rows `subwords[subwordStart[w] ..<
/// subwordStart[w + 1]]`, `keep` each word's subsampling survival probability, `negatives` the unigram^0.5
/// table; `touchedInput`/`touchedOutput` (nil with one thread) get 1 at each row written. With several
/// threads `sharedInput`/`sharedOutput` are the rows as the round began: a row the thread has not written
/// is read there and copied into its own `input`/`output` when first written, so a thread's store holds
/// only the rows it wrote (the rest of its pages are never touched).
package struct WordVectorModelView {
    package var input: UnsafeMutablePointer<Float>
    package var output: UnsafeMutablePointer<Float>
    package var dimension: Int
    package var subwordStart: UnsafePointer<Int32>
    package var subwords: UnsafePointer<Int32>
    package var keep: UnsafePointer<Float>
    package var negatives: UnsafeBufferPointer<Int32>
    package var negativeSamples: Int
    package var window: Int
    package var cbow: Bool
    package var touchedInput: UnsafeMutablePointer<UInt8>?
    package var touchedOutput: UnsafeMutablePointer<UInt8>?
    package var sharedInput: UnsafePointer<Float>?
    package var sharedOutput: UnsafePointer<Float>?

    package init(input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, dimension: Int, subwordStart: UnsafePointer<Int32>,
                 subwords: UnsafePointer<Int32>, keep: UnsafePointer<Float>, negatives: UnsafeBufferPointer<Int32>, negativeSamples: Int,
                 window: Int, cbow: Bool, touchedInput: UnsafeMutablePointer<UInt8>? = nil, touchedOutput: UnsafeMutablePointer<UInt8>? = nil,
                 sharedInput: UnsafePointer<Float>? = nil, sharedOutput: UnsafePointer<Float>? = nil) {
        precondition((sharedInput == nil || touchedInput != nil) && (sharedOutput == nil || touchedOutput != nil), "shared rows need touched marks")
        (self.input, self.output, self.dimension, self.subwordStart, self.subwords, self.keep) = (input, output, dimension, subwordStart, subwords, keep)
        (self.negatives, self.negativeSamples, self.window, self.cbow) = (negatives, negativeSamples, window, cbow)
        (self.touchedInput, self.touchedOutput, self.sharedInput, self.sharedOutput) = (touchedInput, touchedOutput, sharedInput, sharedOutput)
    }

    /// Row `r` of `own` to read: the shared one until this thread writes it.
    package func readRow(_ own: UnsafeMutablePointer<Float>, _ shared: UnsafePointer<Float>?, _ touched: UnsafeMutablePointer<UInt8>?, _ r: Int) -> UnsafePointer<Float> {
        if let shared, touched![r] == 0 { return shared + r * dimension }
        return UnsafePointer(own + r * dimension)
    }

    /// Row `r` of `own` to write: copied from the shared one on the first write, and marked.
    package func writeRow(_ own: UnsafeMutablePointer<Float>, _ shared: UnsafePointer<Float>?, _ touched: UnsafeMutablePointer<UInt8>?, _ r: Int) -> UnsafeMutablePointer<Float> {
        let row = own + r * dimension
        if let shared, touched![r] == 0 { row.update(from: shared + r * dimension, count: dimension) }
        touched?[r] = 1
        return row
    }
}

/// fastText's sigmoid and log lookup tables (513 entries each, over [−8, 8] and [0, 1]).
package enum WordVectorTables {
    package static let sigmoid: [Float] = (0...512).map { i in
        let x = Float(i) * 2 * 8 / 512 - 8
        return 1 / (1 + Float.exp(-x))
    }
    package static let log: [Float] = (0...512).map { i in Float.log((Float(i) + 1e-5) / 512) }
}

/// Scratch a line needs: 2·dimension floats, a kept-word buffer of the line's length and (CBOW) a bag
/// of 2·window × the most subwords a word has.
package struct WordVectorLineScratch {
    package var floats: [Float]
    package var kept: [Int32]
    package var bag: [Int32]
    package init(dimension: Int, longestLine: Int, window: Int, mostSubwords: Int) {
        floats = [Float](repeating: 0, count: 2 * dimension)
        kept = [Int32](repeating: 0, count: max(longestLine, 1))
        bag = [Int32](repeating: 0, count: max(2 * window * mostSubwords, 1))
    }
}

/// Trains `model` on one line of word ids as fastText's skip-gram or CBOW with negative sampling
/// (`tt_word2vec_line`); `random` is the line's splitmix64 state, advanced. Returns the summed loss and
/// the number of updates. `referenceWordVectorLine` is its plain Swift twin (the same bits).
package func trainWordVectorLine(_ model: WordVectorModelView, words: UnsafeBufferPointer<Int32>, learningRate: Float, random: inout UInt64,
                                 scratch: inout WordVectorLineScratch) -> (loss: Double, updates: Int) {
    WordVectorTables.sigmoid.withUnsafeBufferPointer { sigmoid in
        WordVectorTables.log.withUnsafeBufferPointer { log in
            var m = tt_word2vec_model(input: model.input, output: model.output, dim: Int64(model.dimension), subword_start: model.subwordStart,
                                      subwords: model.subwords, keep: model.keep, negatives: model.negatives.baseAddress,
                                      negatives_count: Int64(model.negatives.count), neg: Int32(model.negativeSamples), window: Int32(model.window),
                                      cbow: model.cbow ? 1 : 0, sigmoid_table: sigmoid.baseAddress, log_table: log.baseAddress,
                                      touched_input: model.touchedInput, touched_output: model.touchedOutput,
                                      shared_input: model.sharedInput, shared_output: model.sharedOutput)
            var updates: Int64 = 0
            let loss = scratch.floats.withUnsafeMutableBufferPointer { f in
                scratch.kept.withUnsafeMutableBufferPointer { k in
                    scratch.bag.withUnsafeMutableBufferPointer { b in
                        tt_word2vec_line(&m, words.baseAddress, Int64(words.count), learningRate, &random, f.baseAddress, k.baseAddress, b.baseAddress, &updates)
                    }
                }
            }
            return (loss, Int(updates))
        }
    }
}
