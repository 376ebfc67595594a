import ArgumentParser
import Foundation
import TextTransfer

struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity", abstract: "Cosine similarity of the embeddings of texts; with more than two, the matrix.",
        discussion: "EXAMPLES:\n  text-transfer similarity \"A man is eating food.\" \"A man is eating a piece of bread.\"\n  text-transfer similarity \"first\" \"second\" \"third\"   # the 3 × 3 matrix")

    @OptionGroup var model: ModelOptions
    @OptionGroup var precision: PrecisionOptions
    @Argument(help: "Two or more texts.") var texts: [String]

    func run() throws {
        try model.applyThreads()
        guard texts.count >= 2 else { throw ValidationError("give at least two texts") }
        reportingErrors {
            let embedder = try SentenceEmbedder(directory: model.model, precision: precision.chosen)
            precision.noteIfSlow()
            let vectors = embedder.embed(texts, 32)
            if texts.count == 2 {
                printOutput(String(format: "%.4f", cosine(vectors[0], vectors[1])))
                return
            }
            for (i, a) in vectors.enumerated() {
                let row = vectors.map { String(format: "%.4f", cosine(a, $0)) }.joined(separator: "  ")
                printOutput("\(row)  \(texts[i])")
            }
        }
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Float = 0, na: Float = 0, nb: Float = 0
    for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
    return dot / max((na * nb).squareRoot(), 1e-12)
}
