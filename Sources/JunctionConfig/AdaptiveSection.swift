import SignalCore

/// `[adaptive]`: which strategy proposes green times (`actuated`, `saturation`, `advance`) and its
/// tuning. Without the section plain actuated control runs.
enum AdaptiveSection {
    static let strategies: KeyValuePairs<String, AdaptiveSettings.Strategy> = [
        "actuated": .actuated, "saturation": .saturation, "advance": .advance,
    ]

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        var settings = AdaptiveSettings()
        settings.strategy = reader.choice("strategy", strategies, default: .actuated)
        if let percent = reader.integer("target_saturation_percent", in: 50...120) {
            settings.targetSaturationPercent = percent
        }
        let times: [(String, WritableKeyPath<AdaptiveSettings, Tenths>, ClosedRange<Tenths>)] = [
            ("split_step", \.splitStep, 10...200),
            ("saturation_headway", \.saturationHeadway, 3...40),
            ("advance_travel", \.advanceTravel, AdaptiveSettings.advanceTravelRange),
            ("horizon", \.horizon, 10...300),
            ("stop_penalty", \.stopPenalty, 0...300),
        ]
        for (key, path, range) in times {
            guard let value = reader.seconds(key) else { continue }
            if range.contains(value) {
                settings[keyPath: path] = value
            } else {
                reader.report(
                    .outOfRange, key,
                    "\(key) \(JunctionValidator.seconds(value)) s is outside "
                        + "\(JunctionValidator.seconds(range.lowerBound))–\(JunctionValidator.seconds(range.upperBound)) s")
            }
        }
        reader.rejectUnknownKeys()
        draft.adaptive = settings
    }
}
