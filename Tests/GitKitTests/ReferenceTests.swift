import Foundation
import GitKit
import Testing

@Suite struct ReferenceTests {
    @Test func compareAndSwap() throws {
        try withRepository { repository, path throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            let first = try repository.commit(tree: tree, parent: nil)
            let second = try repository.commit(tree: tree, parent: first, second: 1)
            let third = try repository.commit(tree: tree, parent: second, second: 2)
            let name = "refs/heads/main"

            #expect(try repository.reference(name) == nil)
            try repository.updateReference(name, to: first, expected: nil, message: "create")
            #expect(try repository.reference(name) == first)
            #expect(try repository.reference("HEAD") == first)

            let exists = try #require(throws: GitError.self) {
                try repository.updateReference(name, to: second, expected: nil, message: "create again")
            }
            #expect(exists.code == .exists)
            #expect(try repository.reference(name) == first)

            try repository.updateReference(name, to: second, expected: first, message: "advance")
            #expect(try repository.reference(name) == second)

            let stale = try #require(throws: GitError.self) {
                try repository.updateReference(name, to: third, expected: first, message: "stale")
            }
            #expect(stale.code == .modified)
            #expect(stale.function == "git_reference_create_matching")
            #expect(try repository.reference(name) == second)
            #expect(try git(["rev-parse", name], in: path) == second.hex + "\n")

            let gone = try #require(throws: GitError.self) {
                try repository.updateReference("refs/heads/other", to: third, expected: first, message: "missing")
            }
            #expect(gone.code == .notFound)
            #expect(try repository.reference("refs/heads/other") == nil)
        }
    }

    /// Creating a reference that must not exist yet is atomic across handles (processes):
    /// of handles racing to create it, exactly one succeeds, and the reference holds its
    /// value. (libgit2 1.5 checks absence before taking the lock: two could both "create".)
    @Test func racingCreatesLetExactlyOneWin() throws {
        try withRepository { repository, path throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            let commits = try (0..<8).map { try repository.commit(tree: tree, parent: nil, second: $0) }
            final class Wins: @unchecked Sendable {
                let lock = NSLock()
                var byRound: [Int: [Int]] = [:]
                var errors: [String] = []
            }
            let wins = Wins()
            let rounds = 400
            for round in 0..<rounds {
                DispatchQueue.concurrentPerform(iterations: commits.count) { index in
                    do {
                        let handle = try Repository(path: path)
                        try handle.updateReference("refs/race/\(round)", to: commits[index], expected: nil, message: "create")
                        wins.lock.withLock { wins.byRound[round, default: []].append(index) }
                    } catch let error as GitError where error.code == .exists || error.code == .locked {
                        // Lost: told so.
                    } catch {
                        wins.lock.withLock { wins.errors.append("\(error)") }
                    }
                }
            }
            #expect(wins.errors.isEmpty, "\(wins.errors)")
            for round in 0..<rounds {
                let winners = wins.byRound[round] ?? []
                #expect(winners.count == 1, "round \(round): \(winners.count) handles created the reference")
                if let winner = winners.first {
                    #expect(try repository.reference("refs/race/\(round)") == commits[winner])
                }
            }
        }
    }

    @Test func refusesBadNamesAndMissingTargets() throws {
        try withRepository { repository, _ throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            let commit = try repository.commit(tree: tree, parent: nil)
            let missing = try #require(ObjectID(hex: "1111111111111111111111111111111111111111"))
            #expect(throws: GitError.self) {
                try repository.updateReference("refs/heads/bad..name", to: commit, expected: nil, message: "bad")
            }
            #expect(throws: GitError.self) {
                try repository.updateReference("refs/heads/ghost", to: missing, expected: nil, message: "ghost")
            }
            #expect(try repository.reference("refs/heads/ghost") == nil)
        }
    }

    @Test func listsReferencesByGlob() throws {
        try withRepository { repository, _ throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            let commit = try repository.commit(tree: tree, parent: nil)
            for name in ["refs/heads/main", "refs/heads/b", "refs/cases/1", "refs/cases/2"] {
                try repository.updateReference(name, to: commit, expected: nil, message: "create")
            }
            let cases = try repository.references(matching: "refs/cases/*")
            #expect(cases.map(\.name) == ["refs/cases/1", "refs/cases/2"])
            #expect(cases.allSatisfy { $0.id == commit })
            #expect(try repository.references(matching: "refs/heads/*").map(\.name) == ["refs/heads/b", "refs/heads/main"])
            #expect(try repository.references(matching: "refs/none/*").isEmpty)
        }
    }

    @Test func walkMatchesRevList() throws {
        try withRepository { repository, path throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            var chain: [ObjectID] = []
            for second in 0..<5 {
                chain.append(try repository.commit(tree: tree, parent: chain.last, message: "c\(second)\n", second: second * 10))
            }
            let left = try repository.commit(tree: tree, parent: chain[2], message: "left\n", second: 100)
            let right = try repository.commit(tree: tree, parent: chain[2], message: "right\n", second: 105)
            let leftTip = try repository.commit(tree: tree, parent: left, message: "left tip\n", second: 110)

            func revList(_ arguments: [String]) throws -> [String] {
                lines(try git(["rev-list"] + arguments, in: path))
            }
            #expect(try repository.walk(from: [chain[4]]).map(\.hex) == revList([chain[4].hex]))
            #expect(try repository.walk(from: [chain[4]], hiding: [chain[1]]).map(\.hex) == revList([chain[4].hex, "^" + chain[1].hex]))
            #expect(try repository.walk(from: [chain[4]], oldestFirst: true).map(\.hex) == revList(["--reverse", chain[4].hex]))
            #expect(try repository.walk(from: [chain[4]], hiding: [chain[4]]).isEmpty)

            let tips = [leftTip, right, chain[4]]
            let walked = try repository.walk(from: tips).map(\.hex)
            #expect(try walked == revList(["--date-order"] + tips.map(\.hex)))
            #expect(walked.count == 8)
            let reversed = try repository.walk(from: tips, hiding: [chain[1]], oldestFirst: true).map(\.hex)
            #expect(try reversed == revList(["--date-order", "--reverse", "^" + chain[1].hex] + tips.map(\.hex)))
        }
    }

    @Test func descendants() throws {
        try withRepository { repository, _ throws in
            let tree = try repository.tree(["f.txt": "f\n"])
            let root = try repository.commit(tree: tree, parent: nil)
            let middle = try repository.commit(tree: tree, parent: root, second: 1)
            let tip = try repository.commit(tree: tree, parent: middle, second: 2)
            let side = try repository.commit(tree: tree, parent: root, message: "side\n", second: 3)
            #expect(try repository.isDescendant(tip, of: root))
            #expect(try repository.isDescendant(tip, of: middle))
            #expect(try repository.isDescendant(root, of: tip) == false)
            #expect(try repository.isDescendant(tip, of: tip) == false)
            #expect(try repository.isDescendant(side, of: middle) == false)
            #expect(try repository.isDescendant(side, of: root))
        }
    }
}
