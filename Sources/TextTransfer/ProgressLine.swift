import Foundation

/// Progress on standard error: a bar redrawn in place on a terminal, a plain line every 5% otherwise.
final class ProgressLine {
    let total: Int
    let started = Date()
    let terminal = isatty(STDERR_FILENO) == 1
    var tokens = 0
    var lastLine = 0

    init(total: Int) { self.total = total }

    func update(step: Int, epoch: Int, loss: Double, tokens batchTokens: Int, log: (String) -> Void) {
        tokens += batchTokens
        let elapsed = Date().timeIntervalSince(started)
        let eta = elapsed / Double(step) * Double(total - step)
        let text = String(format: "epoch %d step %d/%d loss %.4f %.0f tokens/s ETA %dm%02ds", epoch, step, total, loss,
                          Double(tokens) / elapsed, Int(eta) / 60, Int(eta) % 60)
        if terminal {
            let filled = 30 * step / max(total, 1)
            FileHandle.standardError.write(Data(("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] " + text).utf8))
        } else if step * 20 / max(total, 1) > lastLine {
            lastLine = step * 20 / max(total, 1)
            log(text)
        }
    }

    func finishLine() { if terminal { FileHandle.standardError.write(Data("\n".utf8)) } }
}
