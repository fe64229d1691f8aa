/// How the junction file names one GPIO line.
///
/// Chips are named the way libgpiod's lookup accepts them: a label (`pinctrl-bcm2711`, or the
/// label given to a gpio-sim bank), a name (`gpiochip0`), a number (`0`) or a path
/// (`/dev/gpiochip0`). Labels survive a change of probe order; names and numbers may not.
public enum GPIOLineAddress: Sendable, Hashable, CustomStringConvertible {
    /// The line at `offset` (0-based) on `chip`.
    case offset(Int, chip: String)
    /// The line called `name` (device-tree `gpio-line-names`, gpio-sim line names); `chip`
    /// narrows the search to one chip, nil searches every chip and takes the first match.
    case named(String, chip: String?)

    /// `gpiochip0 offset 17` or `line "LOOP_W"`, as the file said it.
    public var description: String {
        switch self {
        case .offset(let offset, let chip): return "\(chip) offset \(offset)"
        case .named(let name, let chip): return chip.map { "line \"\(name)\" on \($0)" } ?? "line \"\(name)\""
        }
    }
}
