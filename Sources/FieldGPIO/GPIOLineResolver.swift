import FieldIO

/// Turns the file's line addresses into physical lines, one at a time, and refuses a line that
/// is already wired to something else.
///
/// It checks what the config loader cannot: that the chip and line exist on this machine, and
/// that two addresses written differently (a label and a chip name, a name and an offset) do not
/// name the same line.
public struct GPIOLineResolver {
    private let catalog: GPIOLineCatalog
    private var purposeOf: [GPIOLineLocation: String] = [:]

    /// A resolver over `catalog` with no lines taken yet.
    public init(catalog: GPIOLineCatalog) {
        self.catalog = catalog
    }

    /// The line `address` names, taken for `purpose` (`detector W_stop`, `lamp W red`).
    public mutating func resolve(_ address: GPIOLineAddress, for purpose: String) throws(GPIOError) -> GPIOLineLocation {
        let location: GPIOLineLocation
        switch address {
        case .offset(let offset, let spec):
            guard let chip = try catalog.chip(matching: spec, purpose: purpose) else {
                throw .chipNotFound(chip: spec, purpose: purpose, available: catalog.allChips().map(\.description))
            }
            guard offset >= 0, offset < chip.lineCount else {
                throw .offsetOutOfRange(
                    chip: chip.description, offset: offset, lineCount: chip.lineCount, purpose: purpose)
            }
            location = GPIOLineLocation(chipName: chip.name, chipLabel: chip.label, offset: offset)
        case .named(let name, let spec):
            if let spec, try catalog.chip(matching: spec, purpose: purpose) == nil {
                throw .chipNotFound(chip: spec, purpose: purpose, available: catalog.allChips().map(\.description))
            }
            guard let found = try catalog.line(named: name, chip: spec, purpose: purpose) else {
                throw .lineNameNotFound(name: name, chip: spec, purpose: purpose)
            }
            location = found
        }
        if let first = purposeOf[location] {
            throw .lineUsedTwice(line: location.description, first: first, second: purpose)
        }
        purposeOf[location] = purpose
        return location
    }
}
