import Foundation
import TextTransfer
import TextTransferTraining
import XCTest

/// The --plot pictures: a curve with every logged step, named axes with ticks, a legend; a confusion matrix
/// whose margins fit its longest label, with a colour scale.
final class TrainingPlotsTests: XCTestCase {
    func testTheLearningCurveDrawsEveryStepAndEveryEvaluation() {
        let steps = (1...50).map { (step: $0, loss: 1.0 / Double($0)) }
        let evaluations = [EvaluationPoint(epoch: 1, step: 25, trainLoss: 0.1, accuracy: 0.7, macroF1: 0.6, score: 0.7),
                           EvaluationPoint(epoch: 2, step: 50, trainLoss: 0.05, accuracy: 0.8, macroF1: 0.7, score: 0.8)]
        let svg = TrainingPlots.learningCurves(steps: steps, evaluations: evaluations)
        let paths = svg.components(separatedBy: "<path d=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        XCTAssertEqual(paths.count, 3)
        XCTAssertEqual(paths[0].filter { $0 == "L" }.count, 49, "one vertex per logged step")
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3, "two evaluations and the legend's mark")
        for name in [">step<", ">train loss<", ">dev score<", "best 0.8000", ">50<"] { XCTAssertTrue(svg.contains(name), name) }
    }

    func testTheConfusionMatrixFitsItsLongestLabelAndHasAColourScale() {
        let labels = ["a", "a much longer label than the others"]
        let report = ClassificationReport(gold: [0, 1, 1], predicted: [0, 1, 0], labels: labels)
        let svg = TrainingPlots.confusionMatrix(report)
        XCTAssertTrue(svg.contains("linearGradient"))
        XCTAssertTrue(svg.contains(">count<"))
        let firstCell = svg.components(separatedBy: "<rect x=\"").dropFirst(1).first!.prefix { $0 != "\"" }
        XCTAssertGreaterThan(Double(firstCell)!, Double(labels[1].count) * 6, "the grid starts right of the longest row label")
    }
}
