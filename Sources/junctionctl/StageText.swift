import Diagnostics

/// The stage and where a stage change stands, in words both `status` and `watch` print:
/// `3 "S3" for 12.3 s` (after a label), `leaving stage 3 "S3" -> stage 1 "S1", intergreen 2.4 s left`,
/// `entering stage 1 "S1" from stage 3 "S3"` (the intergreens have run; red+amber or a crossing's
/// clearance still holds the green).
enum StageText {
    /// Nil outside normal mode, where the junction has no stage; `steady` goes before a running
    /// stage's number (a stage change names its stages in full).
    static func describe(_ status: StatusReport, steady: String = "") -> String? {
        guard let stage = status.stage else { return nil }
        guard status.inTransition else {
            return "\(steady)\(stage.number) \"\(stage.name)\" for \(TextFormat.seconds(status.timeInStageTenths ?? 0))"
        }
        let remaining = status.intergreenRemainingTenths ?? 0
        if remaining > 0 {
            let leaving = status.leavingStage.map { "leaving \(name($0)) -> " } ?? "entering "
            return "\(leaving)\(name(stage)), intergreen \(TextFormat.seconds(remaining)) left"
        }
        return "entering \(name(stage))" + (status.leavingStage.map { " from \(name($0))" } ?? "")
    }

    private static func name(_ stage: StatusReport.StageReference) -> String {
        "stage \(stage.number) \"\(stage.name)\""
    }
}
