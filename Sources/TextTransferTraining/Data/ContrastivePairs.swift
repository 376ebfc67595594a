import TextTransferCore

/// Two training examples and whether the contrastive loss pulls their embeddings together (similar: the
/// same class, or for multi-label at least one shared tag) or apart.
package struct ContrastivePair: Equatable, Sendable {
    package let first: Int
    package let second: Int
    package let similar: Bool
}

/// SetFit's pairs (its `num_iterations` sampling), streamed: in each round every example is paired once
/// with a similar partner and once with a dissimilar one, drawn from the generator. Only one round's
/// pairs exist at a time — never the n² pairs of all combinations — so a round costs O(n) memory.
///
/// A round shuffles the examples and cuts them into groups of anchors, one group per batch; an anchor's
/// partners are drawn from its own group when it has one there (else from all examples). The groups are
/// uniform random subsets, so a partner is still uniform over the examples that qualify, but a batch of
/// 2k pairs names about k texts instead of 4k, and each text runs through the encoder once per batch.
package struct ContrastivePairSampler {
    /// Each example's tags (one class for a softmax task).
    package let tags: [[Int]]
    /// The examples that carry each tag.
    private let examplesByTag: [[Int]]
    /// Whether any example shares no tag with example i (else it takes no dissimilar pair).
    private let hasDissimilar: [Bool]

    package init(tags: [[Int]], tagCount: Int) {
        self.tags = tags
        var byTag = [[Int]](repeating: [], count: tagCount)
        for (i, set) in tags.enumerated() { for t in set { byTag[t].append(i) } }
        examplesByTag = byTag
        // Compare distinct tag sets rather than examples: few-shot data has few of them.
        var counts: [Set<Int>: Int] = [:]
        for set in tags { counts[Set(set), default: 0] += 1 }
        // Only the empty set is disjoint from itself, and then it needs a second example to pair with.
        let withPartner = Set(counts.keys.filter { s in counts.contains { $0.key.isDisjoint(with: s) && ($0.key != s || $0.value > 1) } })
        hasDissimilar = tags.map { withPartner.contains(Set($0)) }
    }

    /// Pairs in one round: a similar one for every example with a tag, a dissimilar one for every
    /// example that has a dissimilar partner.
    package var pairsPerRound: Int { tags.filter { !$0.isEmpty }.count + hasDissimilar.filter { $0 }.count }

    /// Whether any two examples are dissimilar: without that the loss has nothing to push apart.
    package var hasDissimilarPairs: Bool { hasDissimilar.contains(true) }

    /// Anchors per batch: each brings (up to) two pairs.
    package static func anchors(batchSize: Int) -> Int { max(1, batchSize / 2) }

    /// The number of batches `round` cuts a round into.
    package func batchesPerRound(batchSize: Int) -> Int {
        let k = Self.anchors(batchSize: batchSize)
        return (tags.count + k - 1) / k
    }

    /// One round of pairs in batches of (up to) `batchSize` pairs, one batch per group of anchors.
    package func round(batchSize: Int, generator: inout RandomGenerator) -> [[ContrastivePair]] {
        var order = Array(tags.indices)
        order.shuffle(using: &generator)
        let k = Self.anchors(batchSize: batchSize)
        return stride(from: 0, to: order.count, by: k).map { start in
            let group = Array(order[start..<min(start + k, order.count)])
            var pairs: [ContrastivePair] = []
            for i in group {
                let mine = tags[i]
                if !mine.isEmpty {
                    let near = group.filter { $0 != i && tags[$0].contains(where: mine.contains) }
                    let partner = near.randomElement(using: &generator)
                        ?? examplesByTag[mine.randomElement(using: &generator)!].randomElement(using: &generator)!
                    pairs.append(ContrastivePair(first: i, second: partner, similar: true))
                }
                if hasDissimilar[i] {
                    let far = group.filter { $0 != i && !tags[$0].contains(where: mine.contains) }
                    let partner = far.randomElement(using: &generator) ?? dissimilarPartner(of: i, generator: &generator)
                    pairs.append(ContrastivePair(first: i, second: partner, similar: false))
                }
            }
            return pairs
        }
    }

    /// A uniformly drawn example sharing no tag with example i: rejection sampling, and after 64 misses
    /// (one tag covering nearly all examples) the first such example after a random start.
    private func dissimilarPartner(of i: Int, generator: inout RandomGenerator) -> Int {
        let mine = tags[i]
        func dissimilar(_ j: Int) -> Bool { j != i && !tags[j].contains(where: mine.contains) }
        for _ in 0..<64 {
            let j = Int.random(in: 0..<tags.count, using: &generator)
            if dissimilar(j) { return j }
        }
        let start = Int.random(in: 0..<tags.count, using: &generator)
        for k in 0..<tags.count where dissimilar((start + k) % tags.count) { return (start + k) % tags.count }
        preconditionFailure("example \(i) was counted as having a dissimilar partner")
    }
}
