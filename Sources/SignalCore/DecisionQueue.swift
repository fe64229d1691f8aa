/// Decisions a strategy took by itself, waiting for the controller to log them; sized once so
/// that recording never allocates. When full, the oldest waiting decision is overwritten.
struct DecisionQueue {
    private var groups: [Int]
    private var decisions: [AdaptiveDecision]
    private var head = 0
    private var count = 0

    init(capacity: Int) {
        groups = Array(repeating: 0, count: max(capacity, 1))
        decisions = Array(repeating: AdaptiveDecision(), count: max(capacity, 1))
    }

    mutating func push(group: Int, decision: AdaptiveDecision) {
        let slot = (head + count) % groups.count
        groups[slot] = group
        decisions[slot] = decision
        if count < groups.count {
            count += 1
        } else {
            head = (head + 1) % groups.count
        }
    }

    mutating func pop() -> (group: Int, decision: AdaptiveDecision)? {
        guard count > 0 else { return nil }
        let entry = (group: groups[head], decision: decisions[head])
        head = (head + 1) % groups.count
        count -= 1
        return entry
    }
}
