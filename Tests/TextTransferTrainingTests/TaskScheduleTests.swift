import XCTest
import TextTransferCore
import TextTransferTraining

/// The steps of a multi-task epoch: shares by temperature, every step a batch of the task it names.
final class TaskScheduleTests: XCTestCase {
    func testSharesFollowSizeAtTemperatureOneAndEvenOutAboveIt() {
        XCTAssertEqual(TaskSchedule.quotas(batches: [90, 10], temperature: 1), [90, 10])
        XCTAssertEqual(TaskSchedule.quotas(batches: [90, 10], temperature: 2), [75, 25])  // √90 : √10 = 3 : 1
        let even = TaskSchedule.quotas(batches: [90, 10], temperature: 1000)
        XCTAssertEqual(even.reduce(0, +), 100)
        XCTAssertLessThanOrEqual(abs(even[0] - even[1]), 2)
        XCTAssertEqual(TaskSchedule.quotas(batches: [7, 5, 3], temperature: 3).reduce(0, +), 15, "the epoch keeps its length")
    }

    func testAnEpochInterleavesEachTasksBatchesAndRepeatsASmallTaskToFillItsShare() {
        var generator = RandomGenerator(seed: 3)
        let quotas = [4, 5]
        let epoch = TaskSchedule.epoch(tasks: 2, quotas: quotas, generator: &generator) { t, _ in
            t == 0 ? [[0], [1], [2], [3]] : [[10], [11]]  // task 1 has 2 batches but a share of 5
        }
        XCTAssertEqual(epoch.count, 9)
        XCTAssertEqual(epoch.filter { $0.task == 0 }.map(\.members), [[0], [1], [2], [3]], "each task's batches in their drawn order")
        XCTAssertEqual(epoch.filter { $0.task == 1 }.map(\.members), [[10], [11], [10], [11], [10]])
        XCTAssertNotEqual(epoch.map(\.task), [0, 0, 0, 0, 1, 1, 1, 1, 1], "the tasks are mixed")
    }
}
