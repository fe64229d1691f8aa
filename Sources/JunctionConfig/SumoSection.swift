import SignalCore
import TOML

/// `[sumo]`: the SUMO traffic light, `[sumo.links]` (group name → TLS link indices) and
/// `[sumo.loops]` (detector name → induction loop id). Names are resolved once the junction is
/// assembled, by `resolve`.
enum SumoSection {
    /// The highest TLS link index accepted; SUMO junctions have far fewer links.
    static let largestLinkIndex = 1023

    /// What the file said, by name, before the junction exists.
    struct Draft {
        var trafficLight = ""
        /// Group name → link indices, in file order.
        var links: [(group: String, indices: [Int])] = []
        /// Detector name → loop id.
        var loops: [(detector: String, loop: String)] = []
    }

    static func read(_ reader: TableReader?, into draft: inout ConfigDraft) {
        guard let reader else { return }
        var sumo = Draft()
        sumo.trafficLight = reader.name("tls", required: true, longest: PrintableText.longestForeignId) ?? ""
        if sumo.trafficLight.isEmpty && reader.has("tls") {
            reader.report(.invalidValue, "tls", "tls must name the SUMO traffic light")
        }
        if let links = reader.table("links", required: true) {
            let linkReader = TableReader(table: links, path: reader.path + [.key("links")], log: reader.log)
            for group in linkReader.keys {
                let indices = linkReader.integers(group, limit: largestLinkIndex + 1) ?? []
                for (position, index) in indices.enumerated() where !(0...largestLinkIndex).contains(index) {
                    reader.log.report(
                        .outOfRange, reader.path + [.key("links"), .key(group), .element(position)],
                        "link index \(index) is outside 0–\(largestLinkIndex)")
                }
                sumo.links.append((group, indices.filter { (0...largestLinkIndex).contains($0) }))
            }
        }
        if let loops = reader.table("loops", required: true) {
            let loopReader = TableReader(table: loops, path: reader.path + [.key("loops")], log: reader.log)
            for detector in loopReader.keys {
                let loop = loopReader.name(detector, longest: PrintableText.longestForeignId) ?? ""
                if loop.isEmpty && loopReader.has(detector) {
                    loopReader.report(.invalidValue, detector, "the induction loop id must not be empty")
                }
                sumo.loops.append((detector, loop))
            }
        }
        reader.rejectUnknownKeys()
        draft.sumo = sumo
    }

    /// The mapping for `junction`, reporting every name that refers to nothing, every group or
    /// detector left out, and every link or loop used twice.
    static func resolve(_ sumo: Draft, junction: Junction, log: ProblemLog) -> SumoMapping {
        var groupLinks = Array(repeating: [Int](), count: junction.groups.count)
        // Groups given links at all: one whose links were all refused above is not reported again.
        var listed = Array(repeating: false, count: junction.groups.count)
        var owner: [Int: String] = [:]
        for (group, indices) in sumo.links {
            let path: [JunctionProblem.PathComponent] = [.key("sumo"), .key("links"), .key(group)]
            guard let g = junction.groupIndex(named: group) else {
                log.report(.unknownName, path, "\"\(group)\" is not a signal group")
                continue
            }
            listed[g] = listed[g] || !indices.isEmpty
            for (position, index) in indices.enumerated() {
                if let other = owner[index] {
                    log.report(
                        .invalidValue, path + [.element(position)],
                        "link \(index) is already driven by group \(other); a link belongs to one group")
                } else {
                    owner[index] = group
                    groupLinks[g].append(index)
                }
            }
        }
        for (g, group) in junction.groups.enumerated() where groupLinks[g].isEmpty && !listed[g] {
            log.report(.missingKey, [.key("sumo"), .key("links")], "group \(group.name) drives no SUMO link")
        }
        var detectorLoops = Array(repeating: "", count: junction.detectors.count)
        var reader: [String: String] = [:]
        // A detector listed with a loop that is refused has its problem said already.
        var listedDetectors = Set<Int>()
        for (detector, loop) in sumo.loops {
            let path: [JunctionProblem.PathComponent] = [.key("sumo"), .key("loops"), .key(detector)]
            guard let d = junction.detectors.firstIndex(where: { $0.name == detector }) else {
                log.report(.unknownName, path, "\"\(detector)\" is not a detector")
                continue
            }
            listedDetectors.insert(d)
            if let other = reader[loop] {
                log.report(.invalidValue, path, "loop \"\(loop)\" already feeds detector \(other)")
                continue
            }
            reader[loop] = detector
            detectorLoops[d] = loop
        }
        for (d, detector) in junction.detectors.enumerated() where detectorLoops[d].isEmpty && !listedDetectors.contains(d) {
            log.report(.missingKey, [.key("sumo"), .key("loops")], "detector \(detector.name) reads no SUMO loop")
        }
        return SumoMapping(trafficLight: sumo.trafficLight, groupLinks: groupLinks, detectorLoops: detectorLoops)
    }
}
