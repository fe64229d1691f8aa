import SignalCore

/// How long a standing call may wait for green, derived from the junction's configuration alone.
///
/// Nothing here reads the controller's or the validator's own helpers: the point is to hold the
/// controller to a limit computed independently.
///
/// Derivation (n = number of positions in the stage sequence):
/// - A stage change takes at most `T`, the longest of: a conflicting pair's intergreen plus the entering
///   group's red+amber (red+amber is open, so it starts only once the conflict is clear); any entering
///   group's red+amber; any leaving vehicle group's amber (at least the 2.7 s floor), because the change
///   is complete only when every leaving group is closed. Two ticks of slack cover the decision latency.
/// - Actuated: a stage holds green for at most `G_p`, the longest of its vehicle groups' max greens
///   (the max timer runs once another stage's group calls, so a standing call caps every green that must
///   end for it) and its pedestrian groups' walk plus clearance (a stage ends only after them).
///   A call that arrives just after its own stage began (a push button during the stage, or a group that
///   did not enter) needs the current stage to finish, one full lap of the other stages and its own
///   stage to begin again: at most `max G + Σ G_p + (n + 1)·T`. Stages without demand are skipped,
///   which only shortens this.
/// - Fixed time: every group is on recall and each stage ends at its force-off; splits are feasible
///   (each split holds the stage's minimums and its interstage), so once in step a stage's green never
///   exceeds its split and a lap takes at most `cycle + (n + 1)·T`. The stage running when the plan is
///   entered, though, still runs its minimums, which can carry it past the window of the stage after
///   it: that stage then waits for its window in the next cycle. So a call waits at most
///   `max minimum + cycle + (n + 1)·T`, whatever the offset or the point at which the plan was entered.
///   (A generated case found this: entered 0.9 s before its force-off, a stage of 19.8 s of walk and
///   clearance ran on into the next cycle, and the other stage's call outwaited `cycle + (n + 1)·T`;
///   `StarvationRegressionTests` keeps it.)
/// - Both: a call placed during startup waits for startup flash and all-red as well.
/// Failed detectors change nothing: max recall only makes a group run to max green, which `G_p` allows.
enum ServiceBound {
    /// Decision latency per stage change, in ticks.
    static let slack: Tenths = 2

    static func effectiveAmber(_ group: SignalGroup) -> Tenths {
        group.kind == .pedestrian ? group.timing.clearance : max(group.timing.clearance, 27)
    }

    /// The longest a change from the groups `from` to the groups `to` can take, from the end of the
    /// last leaving green to the moment every entering group is green and every leaving one closed.
    static func transition(in junction: Junction, from: [Int], to: [Int]) -> Tenths {
        let leaving = from.filter { !to.contains($0) }
        let entering = to.filter { !from.contains($0) }
        var longest: Tenths = 0
        for b in entering where junction.groups[b].kind != .pedestrian {
            longest = max(longest, junction.groups[b].timing.redAmber)
        }
        for a in leaving {
            if junction.groups[a].kind != .pedestrian { longest = max(longest, effectiveAmber(junction.groups[a])) }
            for b in entering where junction.conflicts[a][b] {
                let redAmber = junction.groups[b].kind == .pedestrian ? 0 : junction.groups[b].timing.redAmber
                longest = max(longest, junction.intergreen[a][b] + redAmber)
            }
        }
        return longest + slack
    }

    /// The longest stage change between any two stages (actuated control may skip stages).
    static func longestTransition(in junction: Junction) -> Tenths {
        var longest: Tenths = 0
        for from in junction.stages {
            for to in junction.stages {
                longest = max(longest, transition(in: junction, from: from.groups, to: to.groups))
            }
        }
        // A change out of startup all-red, where nothing is green yet.
        for to in junction.stages {
            longest = max(longest, transition(in: junction, from: [], to: to.groups))
        }
        return longest
    }

    /// The least a stage must run once entered: its minimum greens and its walks with their clearance.
    static func stageMinimum(in junction: Junction, stage: Stage) -> Tenths {
        stage.groups.map { g -> Tenths in
            let timing = junction.groups[g].timing
            return junction.groups[g].kind == .pedestrian ? timing.minGreen + timing.clearance : timing.minGreen
        }.max() ?? 0
    }

    /// The most a stage may run under actuated control once another stage calls.
    static func stageLongest(in junction: Junction, stage: Stage) -> Tenths {
        stage.groups.map { g -> Tenths in
            let timing = junction.groups[g].timing
            return junction.groups[g].kind == .pedestrian
                ? timing.minGreen + timing.clearance : max(timing.minGreen, timing.maxGreen)
        }.max() ?? 0
    }

    static func startup(in junction: Junction) -> Tenths {
        junction.startup.flashTime + junction.startup.allRedTime
    }

    /// The bound under actuated control (with or without failed detectors).
    static func actuated(_ junction: Junction) -> Tenths {
        let positions = junction.sequence.count
        let greens = junction.sequence.map { stageLongest(in: junction, stage: junction.stages[$0]) }
        let lap = greens.reduce(0, +) + (greens.max() ?? 0)
        return startup(in: junction) + lap + (positions + 1) * longestTransition(in: junction)
    }

    /// The bound while `plan` runs.
    static func fixedTime(_ junction: Junction, plan: FixedTimePlan) -> Tenths {
        let positions = junction.sequence.count
        let entry = junction.stages.map { stageMinimum(in: junction, stage: $0) }.max() ?? 0
        return startup(in: junction) + entry + plan.cycle + (positions + 1) * longestTransition(in: junction)
    }
}
