/// A set of mutually non-conflicting signal groups that run green together.
public struct Stage: Sendable, Equatable {
    public var name: String
    /// Indices into `Junction.groups`, in ascending order.
    public var groups: [Int]

    public init(name: String, groups: [Int]) {
        self.name = name
        self.groups = groups.sorted()
    }
}
