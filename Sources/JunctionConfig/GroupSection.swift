import SignalCore

/// One `[[groups]]` entry, and the timing and option keys that `[[nema.phases]]` shares.
enum GroupSection {
    static let kinds: KeyValuePairs<String, SignalGroupKind> = [
        "vehicle": .vehicle, "turn_arrow": .turnArrow, "pedestrian": .pedestrian,
    ]
    static let recalls: KeyValuePairs<String, RecallMode> = [
        "none": .none, "minimum": .minimum, "maximum": .maximum, "pedestrian": .pedestrian, "soft": .soft,
    ]
    static let memories: KeyValuePairs<String, CallMemory> = ["locking": .locking, "non_locking": .nonLocking]
    static let flashes: KeyValuePairs<String, FlashIndication> = [
        "flashing_amber": .flashingAmber, "flashing_red": .flashingRed, "dark": .dark,
    ]

    /// `max_wait` (seconds, optional) bounds how long an adaptive strategy may leave the group
    /// waiting (`SignalGroup.maxWait`); a turn arrow without it gets `defaultTurnArrowMaxWait`.
    /// `[[nema.phases]]` do not read it: their turn phases keep the strategy's own bounds.
    static func read(_ reader: TableReader) -> SignalGroup {
        let name = reader.readName()
        let kind = readKind(reader)
        let timing = readTiming(reader, kind: kind)
        let group = SignalGroup(
            name: name, kind: kind, timing: timing,
            recall: reader.choice("recall", recalls, default: .none),
            memory: reader.choice("memory", memories, default: .locking),
            flash: reader.choice("flash", flashes),
            maxWait: reader.seconds("max_wait") ?? (kind == .turnArrow ? SignalGroup.defaultTurnArrowMaxWait : nil))
        reader.rejectUnknownKeys(context: "a \(JunctionFileWords.word(kind)) group")
        return group
    }

    static func readKind(_ reader: TableReader) -> SignalGroupKind {
        if !reader.has("kind") {
            reader.report(.missingKey, "kind", "missing required key \"kind\"")
        }
        return reader.choice("kind", kinds, default: .vehicle)
    }

    /// Vehicle and turn-arrow groups take `min_green`, `max_green`, `passage`, `amber` and
    /// `red_amber`; pedestrian groups take `walk` and `clearance`. `red_amber` is read for
    /// pedestrians too, so that the validator can say why it is wrong there.
    static func readTiming(_ reader: TableReader, kind: SignalGroupKind) -> SignalGroupTiming {
        if kind == .pedestrian {
            let walk = reader.seconds("walk", required: true) ?? 0
            return SignalGroupTiming(
                minGreen: walk, maxGreen: walk, passage: 0,
                clearance: reader.seconds("clearance", required: true) ?? 0,
                redAmber: reader.seconds("red_amber") ?? 0)
        }
        return SignalGroupTiming(
            minGreen: reader.seconds("min_green", required: true) ?? 0,
            maxGreen: reader.seconds("max_green", required: true) ?? 0,
            passage: reader.seconds("passage", required: true) ?? 0,
            clearance: reader.seconds("amber", required: true) ?? 0,
            redAmber: reader.seconds("red_amber") ?? 0)
    }
}
