import TextTransferCore

// What each batch trains toward: the task head's own loss, or — when a teacher labelled the task's
// examples — the distillation loss against the teacher's logits.
extension Trainer {
    /// The loss of a batch of task `t` (its examples `members`) as a function of the model's logits.
    func objective(task t: Int, members: [Int]) -> BatchLoss {
        let c = configuration
        let task = tasks[t], head = decoders[t]
        let labels = members.map { task.targets.classes[$0] }
        if let teacher = task.teacherLogits, let settings = c.distillation {
            let soft = members.flatMap { teacher[$0] }
            return { logits in
                Distillation.loss(student: logits, teacher: soft, labels: labels, classes: head.outputs, settings: settings)
            }
        }
        let rows = task.targets.rows(members)
        return { logits in
            head.loss(logits: logits, labels: labels, targets: rows, labelSmoothing: c.labelSmoothing ?? 0, classWeights: task.classWeights)
        }
    }
}
