import GitKit
import Testing

@Suite struct ObjectIDTests {
    @Test func parsesAndPrintsHex() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try #require(ObjectID(hex: hex))
        #expect(id.hex == hex)
        #expect(id.description == hex)
        #expect(ObjectID(hex: hex.uppercased())?.hex == hex)
        #expect(ObjectID.zero.hex == String(repeating: "0", count: 40))
    }

    @Test(arguments: [
        "", "0123", String(repeating: "a", count: 39), String(repeating: "a", count: 41),
        "g123456789abcdef0123456789abcdef01234567", " 123456789abcdef0123456789abcdef01234567",
        "0123456789abcdef0123456789abcdef0123456\u{e9}",
    ])
    func refusesBadInput(_ text: String) {
        #expect(ObjectID(hex: text) == nil)
    }

    @Test func ordersByBytes() throws {
        let low = try #require(ObjectID(hex: "00000000000000000000000000000000000000ff"))
        let high = try #require(ObjectID(hex: "0000000000000000000000000000000000000100"))
        let top = try #require(ObjectID(hex: "ff00000000000000000000000000000000000000"))
        #expect(ObjectID.zero < low && low < high && high < top)
        #expect(Set([low, high, low]).count == 2)
    }

    @Test func emptyTreeMatchesGit() throws {
        let hex = try git(["hash-object", "-t", "tree", "/dev/null"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ObjectID.emptyTree.hex == hex)
    }
}
