/// `trainWordVectorLine` as plain Swift, step for step (the same random stream, the dot products in the
/// same eight lanes, no fused multiply-adds), so the two agree bit for bit.
package func referenceWordVectorLine(_ m: WordVectorModelView, words: [Int32], learningRate lr: Float, random: inout UInt64) -> (loss: Double, updates: Int) {
    func next() -> UInt64 {
        random = random &+ 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let d = m.dimension
    func sigmoid(_ x: Float) -> Float {
        if x < -8 { return 0 }
        if x > 8 { return 1 }
        return WordVectorTables.sigmoid[Int((x + 8) * 512 / 8 / 2)]
    }
    func log(_ x: Float) -> Float { x > 1 ? 0 : WordVectorTables.log[Int(x * 512)] }
    func dot(_ a: UnsafePointer<Float>, _ b: [Float]) -> Float {
        var lanes = [Float](repeating: 0, count: 8)
        var i = 0
        while i + 8 <= d {
            for k in 0..<8 { lanes[k] += a[i + k] * b[i + k] }
            i += 8
        }
        var sum: Float = 0
        for k in 0..<8 { sum += lanes[k] }
        while i < d { sum += a[i] * b[i]; i += 1 }
        return sum
    }
    func update(_ rows: [Int32], target: Int32) -> Float {
        var hidden = [Float](repeating: 0, count: d), grad = [Float](repeating: 0, count: d)
        for r in rows {
            let row = m.readRow(m.input, m.sharedInput, m.touchedInput, Int(r))
            for k in 0..<d { hidden[k] += 1 * row[k] }
        }
        let inverse = 1 / Float(rows.count)
        for k in 0..<d { hidden[k] *= inverse }
        var loss: Float = 0
        for n in 0...m.negativeSamples {
            var out = target
            if n > 0 {
                repeat { out = m.negatives[Int(next() % UInt64(m.negatives.count))] } while out == target
            }
            let row = m.writeRow(m.output, m.sharedOutput, m.touchedOutput, Int(out))
            let score = sigmoid(dot(row, hidden))
            let alpha = lr * ((n == 0 ? 1 : 0) - score)
            for k in 0..<d { grad[k] += alpha * row[k] }
            for k in 0..<d { row[k] += alpha * hidden[k] }
            loss -= log(n == 0 ? score : 1 - score)
        }
        for r in rows {
            let row = m.writeRow(m.input, m.sharedInput, m.touchedInput, Int(r))
            for k in 0..<d { row[k] += 1 * grad[k] }
        }
        return loss
    }
    func subwords(_ w: Int32) -> [Int32] { (Int(m.subwordStart[Int(w)])..<Int(m.subwordStart[Int(w) + 1])).map { m.subwords[$0] } }

    let kept = words.filter { w in Float(next() >> 40) * (1 / 16_777_216) <= m.keep[Int(w)] }
    var loss = 0.0, updates = 0
    for w in kept.indices {
        let boundary = 1 + Int(next() % UInt64(m.window))
        let context = (-boundary...boundary).filter { $0 != 0 && w + $0 >= 0 && w + $0 < kept.count }
        if m.cbow {
            let bag = context.flatMap { subwords(kept[w + $0]) }
            if !bag.isEmpty { loss += Double(update(bag, target: kept[w])); updates += 1 }
        } else {
            for c in context { loss += Double(update(subwords(kept[w]), target: kept[w + c])); updates += 1 }
        }
    }
    return (loss, updates)
}
