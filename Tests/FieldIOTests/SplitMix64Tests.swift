import FieldIO
import Testing

@Suite struct SplitMix64Tests {
    @Test func matchesReferenceOutputs() {
        // Reference outputs of Vigna's splitmix64.c for seed 1234567.
        var random = SplitMix64(seed: 1_234_567)
        let outputs = (0..<5).map { _ in random.next() }
        #expect(outputs == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test func boundedValuesStayInRangeAndCoverIt() {
        var random = SplitMix64(seed: 7)
        var seen = Array(repeating: 0, count: 10)
        for _ in 0..<10_000 {
            let value = random.next(below: 10)
            #expect(value < 10)
            seen[Int(value)] += 1
        }
        #expect(seen.allSatisfy { (800...1200).contains($0) })
    }
}
