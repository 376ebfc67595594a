import Foundation
import TextTransferTraining

/// Pictures of a training run as SVG: learning curves and the confusion matrix. Plain SVG text, viewable
/// in any browser; no plotting library needed.
public enum TrainingPlots {
    /// Train loss (left axis) and dev score (right axis, 0–1) against steps.
    public static func learningCurves(_ history: [EvaluationPoint], title: String = "learning curves") -> String {
        let (w, h, margin) = (640.0, 360.0, 50.0)
        let maxStep = Double(max(history.map(\.step).max() ?? 1, 1))
        let maxLoss = max(history.map(\.trainLoss).max() ?? 1, 1e-9)
        func x(_ step: Int) -> Double { margin + Double(step) / maxStep * (w - 2 * margin) }
        func y(_ fraction: Double) -> Double { h - margin - fraction * (h - 2 * margin) }
        func path(_ values: [(Int, Double)]) -> String {
            values.enumerated().map { i, p in String(format: "%@%.1f,%.1f", i == 0 ? "M" : "L", x(p.0), y(p.1)) }.joined(separator: " ")
        }
        var svg = svgHeader(w, h) + "<text x=\"\(w / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(escape(title))</text>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(h - margin)\" x2=\"\(w - margin)\" y2=\"\(h - margin)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(margin)\" x2=\"\(margin)\" y2=\"\(h - margin)\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(w / 2)\" y=\"\(h - 12)\" text-anchor=\"middle\" font-size=\"12\">step (0–\(Int(maxStep)))</text>\n"
        svg += "<path d=\"\(path(history.map { ($0.step, $0.trainLoss / maxLoss) }))\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n"
        svg += "<path d=\"\(path(history.map { ($0.step, $0.score) }))\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
        for p in history {
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f77b4\"/>\n", x(p.step), y(p.score))
        }
        svg += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" fill=\"#d62728\">train loss (max %.3f)</text>\n", margin + 10, margin + 14, maxLoss)
        svg += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" fill=\"#1f77b4\">dev score (0–1), best %.4f</text>\n",
                      margin + 10, margin + 30, history.map(\.score).max() ?? 0)
        return svg + "</svg>\n"
    }

    /// The confusion matrix as a heat map: rows gold, columns predicted, counts in the cells.
    public static func confusionMatrix(_ report: ClassificationReport) -> String {
        let K = report.labels.count
        let cell = max(36.0, min(80.0, 480.0 / Double(max(K, 1))))
        let left = 130.0, top = 110.0
        let (w, h) = (max(380, left + cell * Double(K) + 20), top + cell * Double(K) + 20)
        let peak = Double(report.confusion.flatMap { $0 }.max() ?? 1)
        var svg = svgHeader(w, h) + "<text x=\"\(w / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">confusion (rows gold, columns predicted)</text>\n"
        for (k, label) in report.labels.enumerated() {
            let c = Double(k)
            svg += "<text x=\"\(left - 6)\" y=\"\(top + (c + 0.6) * cell)\" text-anchor=\"end\" font-size=\"11\">\(escape(label))</text>\n"
            svg += "<text transform=\"translate(\(left + (c + 0.6) * cell),\(top - 6)) rotate(-45)\" font-size=\"11\">\(escape(label))</text>\n"
        }
        for (g, row) in report.confusion.enumerated() {
            for (p, count) in row.enumerated() {
                let shade = Int(255 - 200 * Double(count) / peak)
                svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"rgb(%d,%d,255)\" stroke=\"white\"/>\n",
                              left + Double(p) * cell, top + Double(g) * cell, cell, cell, shade, shade)
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">%d</text>\n",
                              left + (Double(p) + 0.5) * cell, top + (Double(g) + 0.58) * cell, count)
            }
        }
        return svg + "</svg>\n"
    }

    static func svgHeader(_ w: Double, _ h: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
