/// A trie over the Unicode scalars of every vocabulary token, for WordPiece's longest-match search:
/// walking it from a start position finds the longest vocabulary token there in one pass, instead of
/// testing every shorter substring against a hash table.
///
/// Edges live in one open-addressing table keyed by (node, scalar), which keeps the trie in two flat arrays.
struct VocabularyTrie: Sendable {
    private var keys: [UInt64]
    private var children: [Int32]
    /// Token id ending at each node, or -1.
    private(set) var tokenIDs: [Int32] = [-1]
    private let mask: Int
    static let root: Int32 = 0
    private static let empty = UInt64.max

    init(tokens: [String]) {
        let scalarCount = tokens.reduce(0) { $0 + $1.unicodeScalars.count }
        var capacity = 1024
        while capacity < 2 * scalarCount { capacity *= 2 }
        keys = [UInt64](repeating: Self.empty, count: capacity)
        children = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (id, token) in tokens.enumerated() {
            var node = Self.root
            for s in token.unicodeScalars { node = insertChild(node, s.value) }
            tokenIDs[Int(node)] = Int32(id)  // a repeated token keeps its last id, as Vocabulary does
        }
    }

    @inline(__always) private static func key(_ node: Int32, _ scalar: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 21 | UInt64(scalar)
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    private mutating func insertChild(_ node: Int32, _ scalar: UInt32) -> Int32 {
        let k = Self.key(node, scalar)
        var i = slot(k)
        while keys[i] != Self.empty {
            if keys[i] == k { return children[i] }
            i = (i + 1) & mask
        }
        let child = Int32(tokenIDs.count)
        tokenIDs.append(-1)
        keys[i] = k
        children[i] = child
        return child
    }

    /// The child of `node` along `scalar`, or -1.
    @inline(__always) func child(_ node: Int32, _ scalar: UInt32) -> Int32 {
        let k = Self.key(node, scalar)
        var i = slot(k)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let stored = keys[i]
                if stored == k { return children[i] }
                if stored == Self.empty { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    /// The node reached by `text` from the root, or -1.
    func node(for text: String) -> Int32 {
        var node = Self.root
        for s in text.unicodeScalars where node >= 0 { node = child(node, s.value) }
        return node
    }
}
