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

    /// Hidden-state matching of a batch of task `t` as a function of the student's pooled states, when the
    /// teacher gave its states and the settings weigh them; nil otherwise.
    func stateObjective(task t: Int, members: [Int]) -> BatchLoss? {
        guard let states = tasks[t].teacherStates, let weight = configuration.distillation?.hiddenWeight, weight > 0 else { return nil }
        let target = members.flatMap { states[$0] }
        let width = states.first?.count ?? 0
        return { pooled in Distillation.hiddenStateLoss(student: pooled, teacher: target, width: width, weight: weight) }
    }
}
