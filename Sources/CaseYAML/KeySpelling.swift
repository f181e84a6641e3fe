/// How near two keys are, for messages that name the key a person most likely meant.
package enum KeySpelling {
    /// The edit distance (insertions, deletions, substitutions, adjacent swaps) between two
    /// keys, compared without case; stops counting past `limit`.
    package static func distance(_ a: String, _ b: String, limit: Int = 3) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count]
    }

    /// How many edits still read as the same word: one for short keys, two from six letters.
    static func tolerance(_ key: String) -> Int { key.count >= 6 ? 2 : 1 }

    /// Whether `written` is `expected` misspelled (not the same key).
    package static func isNear(_ written: String, _ expected: String) -> Bool {
        written != expected && distance(written, expected) <= tolerance(expected)
    }

    /// The allowed key nearest to `written`, when one is near enough; ties go to the first in order.
    package static func closest(to written: String, among allowed: Set<String>) -> String? {
        allowed.sorted()
            .map { ($0, distance(written, $0)) }
            .filter { $0.1 <= tolerance($0.0) }
            .min { $0.1 < $1.1 }?.0
    }
}
