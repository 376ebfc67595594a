import Foundation
import TextTransferTraining

/// Pictures of a training run as SVG: learning curves and the confusion matrix. Plain SVG text, viewable
/// in any browser; no plotting library needed.
public enum TrainingPlots {
    /// The training loss of every logged step (thin, with its running mean over ~5% of the steps) on the
    /// left axis and every dev evaluation (points) on the right axis, 0–1, against steps; axes with ticks
    /// and names, the legend beside the plot, off the data.
    public static func learningCurves(steps: [(step: Int, loss: Double)], evaluations: [EvaluationPoint],
                                      title: String = "learning curves") -> String {
        let (width, height) = (820.0, 380.0)
        let plot = (left: 70.0, right: 560.0, top: 50.0, bottom: 320.0)
        let losses = steps.isEmpty ? evaluations.map { (step: $0.step, loss: $0.trainLoss) } : steps
        let maxStep = Double(max(losses.map(\.step).max() ?? 1, evaluations.map(\.step).max() ?? 1, 1))
        let lossTicks = niceTicks(upTo: max(losses.map(\.loss).filter(\.isFinite).max() ?? 1, 1e-6))
        let lossTop = lossTicks.last!
        func x(_ step: Double) -> Double { plot.left + step / maxStep * (plot.right - plot.left) }
        func yLoss(_ loss: Double) -> Double { plot.bottom - min(loss, lossTop) / lossTop * (plot.bottom - plot.top) }
        func yScore(_ score: Double) -> Double { plot.bottom - score * (plot.bottom - plot.top) }
        func path(_ points: [(Double, Double)]) -> String {
            points.enumerated().map { i, p in String(format: "%@%.1f,%.1f", i == 0 ? "M" : "L", p.0, p.1) }.joined(separator: " ")
        }
        let red = "#d62728", blue = "#1f77b4"
        var svg = svgHeader(width, height)
        svg += text(title, x: (plot.left + plot.right) / 2, y: 28, size: 16, anchor: "middle")
        // Axes, ticks and names.
        svg += line(plot.left, plot.bottom, plot.right, plot.bottom) + line(plot.left, plot.top, plot.left, plot.bottom)
            + line(plot.right, plot.top, plot.right, plot.bottom)
        for tick in niceTicks(upTo: maxStep) where tick <= maxStep {
            svg += line(x(tick), plot.bottom, x(tick), plot.bottom + 5) + text(format(tick), x: x(tick), y: plot.bottom + 18, size: 11, anchor: "middle")
        }
        for tick in lossTicks {
            svg += line(plot.left - 5, yLoss(tick), plot.left, yLoss(tick))
                + text(format(tick), x: plot.left - 8, y: yLoss(tick) + 4, size: 11, anchor: "end", color: red)
        }
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg += line(plot.right, yScore(tick), plot.right + 5, yScore(tick))
                + text(String(format: "%.1f", tick), x: plot.right + 8, y: yScore(tick) + 4, size: 11, color: blue)
        }
        svg += text("step", x: (plot.left + plot.right) / 2, y: plot.bottom + 40, size: 12, anchor: "middle")
        svg += "<text transform=\"translate(18,\((plot.top + plot.bottom) / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(red)\">train loss</text>\n"
        svg += "<text transform=\"translate(\(plot.right + 42),\((plot.top + plot.bottom) / 2)) rotate(90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(blue)\">dev score</text>\n"
        // The data.
        let finite = losses.filter { $0.loss.isFinite }
        svg += "<path d=\"\(path(finite.map { (x(Double($0.step)), yLoss($0.loss)) }))\" fill=\"none\" stroke=\"\(red)\" stroke-opacity=\"0.35\" stroke-width=\"1\"/>\n"
        let window = max(1, finite.count / 20)
        var running: [(Double, Double)] = []
        var sum = 0.0
        for (i, p) in finite.enumerated() {
            sum += p.loss
            if i >= window { sum -= finite[i - window].loss }
            running.append((x(Double(p.step)), yLoss(sum / Double(min(i + 1, window)))))
        }
        svg += "<path d=\"\(path(running))\" fill=\"none\" stroke=\"\(red)\" stroke-width=\"2\"/>\n"
        svg += "<path d=\"\(path(evaluations.map { (x(Double($0.step)), yScore($0.score)) }))\" fill=\"none\" stroke=\"\(blue)\" stroke-width=\"1.5\"/>\n"
        for p in evaluations {
            svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%@\"/>\n", x(Double(p.step)), yScore(p.score), blue)
        }
        // The legend, right of the plot.
        let legend = (x: plot.right + 70, y: plot.top + 10)
        svg += line(legend.x, legend.y, legend.x + 22, legend.y, color: red, width: 2)
            + text("train loss (running mean)", x: legend.x + 28, y: legend.y + 4, size: 11)
        svg += line(legend.x, legend.y + 20, legend.x + 22, legend.y + 20, color: red, width: 1, opacity: 0.35)
            + text("train loss per step", x: legend.x + 28, y: legend.y + 24, size: 11)
        svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%@\"/>\n", legend.x + 11, legend.y + 40, blue)
            + text("dev score", x: legend.x + 28, y: legend.y + 44, size: 11)
        if let best = evaluations.map(\.score).max() {
            svg += text(String(format: "best %.4f", best), x: legend.x + 28, y: legend.y + 60, size: 11, color: blue)
        }
        return svg + "</svg>\n"
    }

    /// The confusion matrix as a heat map: rows gold, columns predicted, counts in the cells, with a colour
    /// scale; the margins grow with the longest label, so no label is clipped.
    public static func confusionMatrix(_ report: ClassificationReport) -> String {
        let K = report.labels.count
        let cell = max(36.0, min(80.0, 480.0 / Double(max(K, 1))))
        let longest = Double(report.labels.map(\.count).max() ?? 1) * 6.6  // ≈ width of 11-pt sans-serif
        let left = 40 + longest, top = 60 + longest * 0.71  // column labels run at 45°
        let grid = cell * Double(K)
        let scale = (x: left + grid + 30, width: 16.0)
        let (width, height) = (max(420, scale.x + scale.width + 60), top + grid + 50)
        let peak = max(Double(report.confusion.flatMap { $0 }.max() ?? 1), 1)
        func shade(_ fraction: Double) -> String {
            let v = Int(255 - 200 * fraction)
            return "rgb(\(v),\(v),255)"
        }
        var svg = svgHeader(width, height) + text("confusion matrix", x: width / 2, y: 22, size: 15, anchor: "middle")
        for (k, label) in report.labels.enumerated() {
            let c = Double(k)
            svg += text(label, x: left - 6, y: top + (c + 0.6) * cell, size: 11, anchor: "end")
            svg += "<text transform=\"translate(\(left + (c + 0.6) * cell),\(top - 6)) rotate(-45)\" font-size=\"11\">\(escape(label))</text>\n"
        }
        svg += "<text transform=\"translate(18,\(top + grid / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">gold</text>\n"
        svg += text("predicted", x: left + grid / 2, y: top + grid + 30, size: 12, anchor: "middle")
        for (g, row) in report.confusion.enumerated() {
            for (p, count) in row.enumerated() {
                svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\" stroke=\"#ddd\"/>\n",
                              left + Double(p) * cell, top + Double(g) * cell, cell, cell, shade(Double(count) / peak))
                svg += text("\(count)", x: left + (Double(p) + 0.5) * cell, y: top + (Double(g) + 0.58) * cell, size: 12, anchor: "middle")
            }
        }
        // The colour scale: 0 at the bottom, the largest count at the top.
        svg += "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"\(shade(0))\"/>"
            + "<stop offset=\"1\" stop-color=\"\(shade(1))\"/></linearGradient></defs>\n"
        svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"url(#scale)\" stroke=\"#888\"/>\n", scale.x, top, scale.width, grid)
        svg += text("\(Int(peak))", x: scale.x + scale.width + 6, y: top + 10, size: 11) + text("0", x: scale.x + scale.width + 6, y: top + grid, size: 11)
        svg += text("count", x: scale.x - 2, y: top - 8, size: 11)
        return svg + "</svg>\n"
    }

    /// Round tick values from 0 to at least `maximum`: steps of 1, 2 or 5 times a power of ten, 4–8 ticks.
    static func niceTicks(upTo maximum: Double) -> [Double] {
        let raw = maximum / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks = [0.0]
        while ticks.last! < maximum - 1e-12 * maximum { ticks.append(Double(ticks.count) * step) }
        return ticks
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : String(format: "%.3g", value)
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String = "black", width: Double = 1,
                     opacity: Double = 1) -> String {
        String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"%.1f\" stroke-opacity=\"%.2f\"/>\n",
               x1, y1, x2, y2, color, width, opacity)
    }

    static func text(_ s: String, x: Double, y: Double, size: Int, anchor: String = "start", color: String = "black") -> String {
        String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%@\" fill=\"%@\">", x, y, size, anchor, color) + escape(s) + "</text>\n"
    }

    static func svgHeader(_ w: Double, _ h: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
