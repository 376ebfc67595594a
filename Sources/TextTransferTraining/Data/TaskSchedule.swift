import Foundation
import TextTransferCore

/// The steps of one multi-task epoch: which task each batch comes from. An epoch has as many steps as
/// the tasks have batches together; task t gets a share proportional to n_t^(1/T) (n_t its batches,
/// T the temperature — 1 is proportional to size, larger moves toward equal shares, as in multilingual
/// and multi-task pretraining), rounded by largest remainder, and the shares are interleaved at random
/// so that every stretch of the epoch mixes the tasks.
package enum TaskSchedule {
    /// Steps per task in an epoch: `batches` the tasks' batch counts, summing to the same total.
    package static func quotas(batches: [Int], temperature: Float) -> [Int] {
        let total = batches.reduce(0, +)
        let weights = batches.map { Foundation.pow(Double($0), 1 / Double(temperature)) }
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(total) * $0 / sum }
        var quotas = exact.map { Int($0) }
        let remainders = exact.indices.sorted { (exact[$0] - Double(quotas[$0]), $1) > (exact[$1] - Double(quotas[$1]), $0) }
        for i in remainders.prefix(total - quotas.reduce(0, +)) { quotas[i] += 1 }
        return quotas
    }

    /// One epoch's batches as (task, example indices): each task's batches drawn by `draw` (length-bucketed
    /// and shuffled; drawn again when its share is larger than one pass), then interleaved at random.
    package static func epoch(tasks: Int, quotas: [Int], generator: inout RandomGenerator,
                              draw: (_ task: Int, _ generator: inout RandomGenerator) -> [[Int]]) -> [(task: Int, members: [Int])] {
        var perTask: [[[Int]]] = []
        for t in 0..<tasks {
            var batches: [[Int]] = []
            while batches.count < quotas[t] { batches += draw(t, &generator) }
            perTask.append(Array(batches.prefix(quotas[t])))
        }
        var order = quotas.enumerated().flatMap { t, n in [Int](repeating: t, count: n) }
        order.shuffle(using: &generator)
        var next = [Int](repeating: 0, count: tasks)
        return order.map { t in
            defer { next[t] += 1 }
            return (t, perTask[t][next[t]])
        }
    }
}
