import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTokenization

/// Trains fastText-style word vectors with subword n-grams (skip-gram or CBOW, negative sampling) on
/// unlabelled text, ICU-segmented, deterministically for a seed and a thread count.
///
/// fastText's threads write one shared model without locks (Hogwild), so its runs differ unless it has a
/// single thread. Here each thread trains its own copy of the model on its share of the text for a round
/// of `roundTokens` tokens, reading only its own updates; at the round's end every row some thread wrote
/// becomes the shared row plus the sum of the threads' changes to it, added in thread order. A thread's
/// work depends only on the seed, the data and the thread count, so the result does too. With one thread
/// it is fastText's algorithm exactly (up to its random stream).
public struct WordVectorTrainer {
    public let settings: WordVectorSettings
    /// Tokens a thread trains between two merges (part of what the result depends on, with the seed and
    /// the thread count): fewer merge more often, at the cost of the merges' time. Nil: `automaticRoundTokens`.
    public var roundTokens: Int?

    /// At least `merges` merges in a run, rounds of 4,096 to 2^19 tokens a thread. A thread's round is
    /// what it trains without seeing the others, and two threads' steps on the same rows add up at the
    /// merge: with 2^19-token rounds Wisesight's 538k-token text (5 epochs, 2 threads) had under three
    /// merges and ended at loss 2.84, against 2.16 for one thread (fastText's algorithm).
    public static func automaticRoundTokens(corpusTokens: Int, epochs: Int, threads: Int) -> Int {
        min(1 << 19, max(4096, corpusTokens * epochs / (threads * merges)))
    }
    static let merges = 128

    public init(settings: WordVectorSettings) { self.settings = settings }

    /// What the log receives while training: the fraction done, the mean loss of the last round, and
    /// words per second per thread (fastText's figure).
    public struct Progress: Sendable {
        public let fraction: Double
        public let loss: Double
        public let wordsPerSecondPerThread: Double
    }

    /// The words of each line as the settings segment them, in parallel over the lines.
    public func segment(_ lines: [String]) throws -> [[String]] {
        let threads = max(1, min(settings.threads, lines.count / 1000 + 1))
        let segmenters = try (0..<threads).map { _ in try ICUWordSegmenter(options: settings.segmentation) }
        var out = [[String]](repeating: [], count: lines.count)
        out.withUnsafeMutableBufferPointer { out in
            let pointer = out.baseAddress!
            ComputeThreads.parallelChunks(threads) { _, parts in
                for t in parts {
                    for i in lines.count * t / threads..<lines.count * (t + 1) / threads { pointer[i] = segmenters[t].segments(lines[i]).map(\.text) }
                }
            }
        }
        return out
    }

    /// Trains on `lines` (one text per line); `shouldStop` is polled between rounds (Ctrl-C).
    public func train(lines: [String], checkpoints: WordVectorCheckpoints? = nil, progress: (Progress) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws -> TrainedWordVectors {
        try settings.validate()
        return try train(words: segment(lines), checkpoints: checkpoints, progress: progress, shouldStop: shouldStop)
    }

    /// Trains on lines already cut into words (`segment`). With `checkpoints`, the state is saved between
    /// rounds when `due`, and when `shouldStop` asks (then `WordVectorTrainingInterrupted` is thrown); a
    /// run with `resume` continues from the saved state and ends with the bits of an unbroken run.
    public func train(words lines: [[String]], checkpoints: WordVectorCheckpoints? = nil, progress: (Progress) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws -> TrainedWordVectors {
        let s = settings
        try s.validate()
        let vocabulary = try WordVectorVocabulary(lines: lines, settings: s)
        let d = s.dimension
        let inputRows = vocabulary.words.count + s.buckets
        let input = try RowStore(rows: inputRows, dimension: d), output = try RowStore(rows: vocabulary.words.count, dimension: d)
        var initial = RandomGenerator(seed: s.seed)
        for i in 0..<input.count {  // fastText: uniform in ±1/dim; the output rows start at zero
            let u = Float(initial.next() >> 40) * (1 / 16_777_216)
            input.values[i] = (2 * u - 1) / Float(d)
        }

        let threads = s.threads
        let lines = vocabulary.lineStart.count - 1
        guard lines > 0, !vocabulary.corpus.isEmpty else { throw WordVectorTrainingError(message: "no line has a word that occurs --min-count \(s.minCount) times", isAboutTheText: true) }
        // Each thread trains on its share of epochs × ntokens tokens from its own place in the text, as
        // fastText's threads start at their fraction of the file and wrap around.
        let total = Int64(s.epochs) * Int64(vocabulary.corpus.count)
        let budget = (0..<threads).map { t in total * Int64(t + 1) / Int64(threads) - total * Int64(t) / Int64(threads) }
        let roundTokens = self.roundTokens ?? Self.automaticRoundTokens(corpusTokens: vocabulary.corpus.count, epochs: s.epochs, threads: threads)
        let states = (0..<threads).map { t in ThreadState(line: lines * t / threads, seed: s.seed &+ 0x9E37 &* UInt64(t + 1), dimension: d,
                                                          window: s.window, mostSubwords: vocabulary.mostSubwords) }
        var place = WordVectorCheckpoint(settings: s, roundTokens: roundTokens, corpusTokens: vocabulary.corpus.count,
                                         corpusDigest: vocabulary.corpus.withUnsafeBufferPointer(WordVectorCheckpoint.digest),
                                         words: vocabulary.words.count, rounds: 0, threads: [])
        if let checkpoints, checkpoints.resume, CheckpointFiles.exists(in: checkpoints.directory) {
            place = try WordVectorCheckpoint.read(from: checkpoints.directory, expected: place,
                                                  input: UnsafeMutableBufferPointer(start: input.values, count: input.count),
                                                  output: UnsafeMutableBufferPointer(start: output.values, count: output.count))
            for (t, (state, saved)) in zip(states, place.threads).enumerated() {
                guard (0..<lines).contains(saved.line), (0...budget[t]).contains(saved.done) else {
                    throw ModelFileError(file: CheckpointFiles.statePath(in: checkpoints.directory), key: "threads", message: "the threads' places do not fit the run")
                }
                (state.line, state.random, state.done) = (saved.line, saved.random, saved.done)
            }
        }
        func save(_ checkpoints: WordVectorCheckpoints) throws {
            place.threads = states.map { WordVectorCheckpoint.ThreadPlace(line: $0.line, random: $0.random, done: $0.done) }
            try place.write(to: checkpoints.directory, input: UnsafeBufferPointer(start: input.values, count: input.count),
                            output: UnsafeBufferPointer(start: output.values, count: output.count))
        }
        // With several threads each trains its own copy, the rows it writes marked: a row it has not
        // written it reads from the shared rows (as they were when the round began), so its store holds
        // only what it wrote.
        var copies = threads == 1 ? [] : try (0..<threads).map { _ in
            (input: try RowStore(rows: inputRows, dimension: d), output: try RowStore(rows: vocabulary.words.count, dimension: d),
             touchedInput: Marks(inputRows), touchedOutput: Marks(vocabulary.words.count))
        }
        let started = Date(), doneBefore = states.reduce(0) { $0 + $1.done }
        var mergedSinceRelease = 0

        while zip(states, budget).contains(where: { $0.done < $1 }) {
            if shouldStop() {
                guard let checkpoints else { throw WordVectorTrainingError(message: "interrupted") }
                try save(checkpoints)
                throw WordVectorTrainingInterrupted(fraction: Double(states.reduce(0) { $0 + $1.done }) / Double(total), checkpoint: checkpoints.directory)
            }
            vocabulary.corpus.withUnsafeBufferPointer { corpus in vocabulary.subwordStart.withUnsafeBufferPointer { start in
                vocabulary.subwords.withUnsafeBufferPointer { rows in vocabulary.keep.withUnsafeBufferPointer { keep in
                    vocabulary.negatives.withUnsafeBufferPointer { negatives in
                        ComputeThreads.parallelChunks(threads) { _, parts in for t in parts {
                            let model = WordVectorModelView(input: threads == 1 ? input.values : copies[t].input.values,
                                                            output: threads == 1 ? output.values : copies[t].output.values, dimension: d,
                                                            subwordStart: start.baseAddress!, subwords: rows.baseAddress!, keep: keep.baseAddress!,
                                                            negatives: negatives, negativeSamples: s.negatives, window: s.window, cbow: s.model == .cbow,
                                                            touchedInput: threads == 1 ? nil : copies[t].touchedInput.flags,
                                                            touchedOutput: threads == 1 ? nil : copies[t].touchedOutput.flags,
                                                            sharedInput: threads == 1 ? nil : UnsafePointer(input.values),
                                                            sharedOutput: threads == 1 ? nil : UnsafePointer(output.values))
                            states[t].train(model, corpus: corpus, lineStart: vocabulary.lineStart, budget: budget[t],
                                            roundTokens: roundTokens, learningRate: s.learningRate)
                        } }
                    }
                } }
            } }
            if threads > 1 {
                mergedSinceRelease += Self.merge(shared: input, copies: copies.map(\.input), marks: copies.map(\.touchedInput))
                    + Self.merge(shared: output, copies: copies.map(\.output), marks: copies.map(\.touchedOutput))
                // The copies' pages go back once the rows merged since the last time reach a 16th of the
                // model: a copy stays small, and short rounds do not fault the same pages in every time.
                if mergedSinceRelease >= (inputRows + vocabulary.words.count) / 16 {
                    for copy in copies { copy.input.releasePages(); copy.output.releasePages() }
                    mergedSinceRelease = 0
                }
            }
            let done = states.reduce(0) { $0 + $1.done }
            let updates = states.reduce(0) { $0 + $1.roundUpdates }
            let loss = states.reduce(0.0) { $0 + $1.roundLoss } / Double(max(updates, 1))
            let seconds = max(Date().timeIntervalSince(started), 1e-9)
            progress(Progress(fraction: Double(done) / Double(total), loss: loss,
                              wordsPerSecondPerThread: Double(done - doneBefore) / seconds / Double(threads)))
            place.rounds += 1
            if let checkpoints, done < total, checkpoints.due(place.rounds) { try save(checkpoints) }
        }
        copies = []  // the threads' copies go before the result's arrays are made
        return TrainedWordVectors(settings: s, words: vocabulary.words, counts: vocabulary.counts, tokens: vocabulary.tokens,
                                  input: input.takeValues(), output: output.takeValues(), roundTokens: roundTokens)
    }

    /// Every row some thread wrote becomes shared + Σ_t (copy_t − shared), in thread order (a thread that
    /// did not write it adds shared − shared, as when every thread held a whole copy: the same rounding, so
    /// a run gives the bytes it always gave), and its marks are cleared; the rows are split among the
    /// threads. Returns how many rows were merged.
    static func merge(shared: RowStore, copies: [RowStore], marks: [Marks]) -> Int {
        let threads = copies.count, d = shared.dimension
        var merged = [Int](repeating: 0, count: threads)
        merged.withUnsafeMutableBufferPointer { merged in
            ComputeThreads.parallelChunks(threads) { _, parts in for part in parts {
                let end = shared.rows * (part + 1) / threads
                var r = shared.rows * part / threads
                while r < end {
                    // Eight rows at a time while no thread marked them: most rows sit out a short round.
                    if r + 8 <= end, marks.allSatisfy({ UnsafeRawPointer($0.flags + r).loadUnaligned(as: UInt64.self) == 0 }) {
                        r += 8
                        continue
                    }
                    if marks.contains(where: { $0.flags[r] != 0 }) {
                        let base = shared.values + r * d
                        for k in 0..<d {
                            var value = base[k]
                            for (copy, mark) in zip(copies, marks) { value += (mark.flags[r] != 0 ? copy.values[r * d + k] : base[k]) - base[k] }
                            base[k] = value
                        }
                        for mark in marks { mark.flags[r] = 0 }
                        merged[part] += 1
                    }
                    r += 1
                }
            } }
        }
        return merged.reduce(0, +)
    }
}

/// One flag per row: which rows a thread wrote this round.
final class Marks: @unchecked Sendable {
    let flags: UnsafeMutablePointer<UInt8>
    init(_ count: Int) {
        flags = .allocate(capacity: count + 8)  // + 8: the merge reads eight flags at a time
        flags.initialize(repeating: 0, count: count + 8)
    }
    deinit { flags.deallocate() }
}

/// One thread's place in the text, its random stream and what it has done.
private final class ThreadState: @unchecked Sendable {
    var line: Int
    var random: UInt64
    var done: Int64 = 0
    var roundLoss = 0.0
    var roundUpdates = 0
    var scratch: WordVectorLineScratch

    init(line: Int, seed: UInt64, dimension: Int, window: Int, mostSubwords: Int) {
        (self.line, random) = (line, seed)
        scratch = WordVectorLineScratch(dimension: dimension, longestLine: WordVectorSettings.longestLine, window: window, mostSubwords: mostSubwords)
    }

    /// Trains whole lines until `roundTokens` more tokens are done or the budget is spent; the learning
    /// rate decays linearly with the thread's progress through its budget.
    func train(_ model: WordVectorModelView, corpus: UnsafeBufferPointer<Int32>, lineStart: [Int], budget: Int64, roundTokens: Int,
                        learningRate: Float) {
        (roundLoss, roundUpdates) = (0, 0)
        var trained = 0
        let lines = lineStart.count - 1
        while trained < roundTokens && done < budget {
            let lr = learningRate * Float(1 - Double(done) / Double(budget))
            let words = UnsafeBufferPointer(rebasing: corpus[lineStart[line]..<lineStart[line + 1]])
            let (loss, updates) = trainWordVectorLine(model, words: words, learningRate: lr, random: &random, scratch: &scratch)
            roundLoss += loss
            roundUpdates += updates
            trained += words.count
            done += Int64(words.count)
            line = (line + 1) % lines
        }
    }
}
