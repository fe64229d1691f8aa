/// Reads a generated junction's choices from a list of integers ("genes").
///
/// PropertyBased shrinks an integer array by dropping elements and moving values toward zero.
/// Reading every choice from that array means a shrunk array is a simpler junction: a missing
/// gene reads as the range's lower bound, a chance as "no", a pick as the first (plainest) option.
struct GeneStream {
    private let genes: [Int]
    private var position = 0

    init(_ genes: [Int]) {
        self.genes = genes
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        defer { position += 1 }
        guard position < genes.count else { return range.lowerBound }
        return range.lowerBound + genes[position] % range.count
    }

    /// True with probability `percent` / 100; a shrunk gene reads as false.
    mutating func chance(_ percent: Int) -> Bool {
        int(0...99) >= 100 - percent
    }

    /// One of `options`; list the plainest first, since shrinking moves toward it.
    mutating func pick<Value>(_ options: [Value]) -> Value {
        options[int(0...(options.count - 1))]
    }

    /// A permutation of `0..<count` (Fisher–Yates); shrunk genes give the identity.
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(index, index - int(0...index))
        }
        return order
    }
}
