#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many simulated hours the safety properties run, and how they are cut into cases.
///
/// `JUNCTIOND_PROPERTY_HOURS` sets the total across the properties (default 20, quick in a debug
/// build); CI sets 1000 or more in a release build. Longer totals mean more junctions and longer
/// runs per junction, up to `longestCaseHours`.
struct PropertyBudget {
    static let defaultTotalHours = 20.0
    static let longestCaseHours = 3.0
    static let shortestCaseHours = 0.25
    static let casesPerShareBeforeLengthening = 40.0

    var hoursPerCase: Double
    var cases: Int

    var hours: Double { hoursPerCase * Double(cases) }

    static var totalHours: Double {
        guard let text = getenv("JUNCTIOND_PROPERTY_HOURS").map({ String(cString: $0) }), let hours = Double(text),
            hours > 0
        else { return defaultTotalHours }
        return hours
    }

    /// The budget for a property that gets `share` (0…1) of the total.
    static func share(_ share: Double) -> PropertyBudget {
        let hours = totalHours * share
        let perCase = min(longestCaseHours, max(shortestCaseHours, hours / casesPerShareBeforeLengthening))
        return PropertyBudget(hoursPerCase: perCase, cases: max(1, Int((hours / perCase).rounded(.up))))
    }
}
