import Foundation
import TextTransfer

/// Training progress on standard error, drawn from the library's step events: a bar redrawn in place on a
/// terminal, a plain line every 5% otherwise.
final class ProgressLine {
    private let terminal = isatty(STDERR_FILENO) == 1
    private var tokens = 0
    private var lastLine = 0
    private var lastDone = 0
    private var open = false

    func update(_ s: TrainingStep) {
        let done = s.step + 1
        if done <= lastDone {  // a new run (distill trains two students): its own counts
            (tokens, lastLine) = (0, 0)
            endLine()
        }
        lastDone = done
        tokens += s.tokens
        let eta = s.seconds / Double(done) * Double(s.totalSteps - done)
        let text = String(format: "epoch %d step %d/%d loss %.4f %.0f tokens/s ETA %dm%02ds", s.epoch, done, s.totalSteps, s.meanLoss,
                          Double(tokens) / max(s.seconds, 1e-9), Int(eta) / 60, Int(eta) % 60)
        if terminal {
            let filled = 30 * done / max(s.totalSteps, 1)
            writeStandardErrorInPlace("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] " + text)
            open = true
        } else if done * 20 / max(s.totalSteps, 1) > lastLine {
            lastLine = done * 20 / max(s.totalSteps, 1)
            writeStandardError(text)
        }
    }

    /// Ends a bar being redrawn, so that the next line starts on its own.
    func endLine() {
        if open { writeStandardErrorInPlace("\n") }
        open = false
    }
}
