import Foundation
import GitKit
import Testing
import TestSupport

/// `writingOnePack`: objects written in memory, stored as one pack, judged by stock git.
/// Serialized so that the rate measurement does not share the cores with the other tests of the suite.
@Suite(.serialized) struct PackTests {
    @Test func writesEveryCommitAsOnePack() throws {
        try withRepository { repository, path throws in
            let count = 2_000
            let commits = try repository.writingOnePack {
                let commits = try writeHistory(repository, count: count)
                // Still nothing on disk, yet this handle reads what it wrote.
                #expect(try objectFiles(path).isEmpty)
                #expect(try repository.commit(commits[count - 1]).parents == [commits[count - 2]])
                return commits
            }
            #expect(commits.count == count)

            let files = try objectFiles(path)
            #expect(files.filter { $0.hasPrefix("pack/") && $0.hasSuffix(".pack") }.count == 1)
            #expect(files.filter { $0.hasPrefix("pack/") && $0.hasSuffix(".idx") }.count == 1)
            #expect(files.filter { !$0.hasPrefix("pack/") } == [], "no loose object and nothing else")
            #expect(try looseObjects(path) == [])

            // This handle now reads the pack; a new one does too.
            #expect(repository.objectExists(commits[count - 1]))
            #expect(try repository.commit(commits[0]).parents == [])
            let reopened = try Repository(path: path)
            var parent: ObjectID?
            for (index, id) in commits.enumerated() {
                let commit = try reopened.commit(id)
                #expect(commit.parents == (parent.map { [$0] } ?? []))
                let entry = try #require(try reopened.entry(at: recordPath(index), inTree: commit.tree))
                #expect(try reopened.blob(entry.id) == record(index))
                parent = id
            }

            try repository.updateReference("refs/heads/main", to: commits[count - 1], expected: nil, message: "import")
            let fsck = try runProcess(gitBinary, ["fsck", "--strict", "--no-dangling"], in: path)
            #expect(fsck.status == 0, "\(fsck)")
            let revList = try runProcess(gitBinary, ["rev-list", "--count", "refs/heads/main"], in: path)
            #expect(revList.stdout == "\(count)\n", "\(revList)")
            // One blob and three trees (root, cases, cases/N) per commit, all in the pack.
            let counted = try runProcess(gitBinary, ["count-objects", "-v"], in: path)
            #expect(counted.stdout.contains("\ncount: 0\n") || counted.stdout.hasPrefix("count: 0\n"), "\(counted)")
            #expect(counted.stdout.contains("in-pack: \(count * 5)\n"), "\(counted)")
        }
    }

    @Test func handleWritesLooseAgainAndCanPackAgain() throws {
        try withRepository { repository, path throws in
            // History already on disk as loose objects, continued in a pack, then loose again.
            let base = try writeHistory(repository, count: 3)
            let looseBefore = try looseObjects(path)
            #expect(looseBefore.count == 15)

            let packed = try repository.writingOnePack { try writeHistory(repository, count: 50, after: base.last, from: 3) }
            #expect(try looseObjects(path) == looseBefore)

            let after = try repository.blob(text: "written after the pack\n")
            #expect(try looseObjects(path) == looseBefore.union([after.hex]))

            let again = try repository.writingOnePack { try writeHistory(repository, count: 10, after: packed.last, from: 53) }
            #expect(try objectFiles(path).filter { $0.hasSuffix(".pack") }.count == 2)
            #expect(try looseObjects(path) == looseBefore.union([after.hex]))

            try repository.updateReference("refs/heads/main", to: again[again.count - 1], expected: nil, message: "import")
            let fsck = try runProcess(gitBinary, ["fsck", "--strict", "--no-dangling"], in: path)
            #expect(fsck.status == 0, "\(fsck)")
            let revList = try runProcess(gitBinary, ["rev-list", "--count", "refs/heads/main"], in: path)
            #expect(revList.stdout == "63\n", "\(revList)")
        }
    }

    /// `reopenObjectDatabase` lets go of the packs and opens them again: what was read
    /// before reads the same, a pack another handle wrote since is there, and the handle
    /// still writes (loose objects into the new database).
    @Test func aReopenedObjectDatabaseReadsAndWritesAsBefore() throws {
        try withRepository { repository, path throws in
            let first = try repository.writingOnePack { try writeHistory(repository, count: 50) }
            let other = try Repository(path: path)
            let second = try other.writingOnePack { try writeHistory(other, count: 50, after: first.last, from: 50) }
            try repository.reopenObjectDatabase()
            for (index, id) in (first + second).enumerated() {
                let commit = try repository.commit(id)
                let entry = try #require(try repository.entry(at: recordPath(index), inTree: commit.tree))
                #expect(try repository.blob(entry.id) == record(index))
            }
            let blob = try repository.writeBlob(Data("after the reopening\n".utf8))
            try repository.reopenObjectDatabase()
            #expect(try repository.blob(blob) == Data("after the reopening\n".utf8))
            #expect(try looseObjects(path).count == 1)
            #expect(try objectFiles(path).filter { $0.hasSuffix(".pack") }.count == 2)
        }
    }

    @Test func throwingBodyWritesNothing() throws {
        struct Refused: Error {}
        try withRepository { repository, path throws in
            var written: [ObjectID] = []
            #expect(throws: Refused.self) {
                try repository.writingOnePack {
                    written = try writeHistory(repository, count: 100)
                    throw Refused()
                }
            }
            #expect(written.count == 100)
            #expect(try objectFiles(path).isEmpty)
            // Gone from this handle as well, cached or not.
            for id in [written[0], written[99]] {
                #expect(!repository.objectExists(id))
                #expect(throws: GitError.self) { try repository.commit(id) }
            }
            // And the handle still works, on disk.
            let blob = try repository.blob(text: "after\n")
            #expect(try looseObjects(path) == [blob.hex])
        }
    }

    @Test func onlyWhatWrittenCommitsReachIsStored() throws {
        try withRepository { repository, path throws in
            let stray = try repository.writingOnePack { try repository.blob(text: "no commit reaches me\n") }
            #expect(try objectFiles(path).isEmpty)
            #expect(!repository.objectExists(stray))
        }
    }

    @Test func nestedCallThrows() throws {
        try withRepository { repository, _ throws in
            let error = try #require(throws: GitError.self) {
                try repository.writingOnePack { try repository.writingOnePack { 0 } }
            }
            #expect(error.code == .invalid)
        }
    }

    /// Prints objects per second in memory then one pack against loose objects, in the same run.
    @Test func rateAgainstLooseObjects() throws {
        let count = 3_000
        let objects = Double(count * 5)
        let clock = ContinuousClock()
        try withTemporaryDirectory { directory throws in
            let loose = try Repository.create(at: directory.sub("loose"), bare: true)
            let looseTime = try clock.measure { _ = try writeHistory(loose, count: count) }

            let packed = try Repository.create(at: directory.sub("packed"), bare: true)
            var memoryTime = Duration.zero
            let packTime = try clock.measure {
                try packed.writingOnePack {
                    memoryTime = try clock.measure { _ = try writeHistory(packed, count: count) }
                }
            }

            #expect(try looseObjects(directory.sub("loose")).count == count * 5)
            #expect(try looseObjects(directory.sub("packed")).isEmpty)
            let looseRate = objects / seconds(looseTime)
            let packRate = objects / seconds(packTime)
            print(
                "PackTests: \(count) commits, \(Int(objects)) objects: loose \(Int(looseRate)) objects/s (\(looseTime)), "
                    + "one pack \(Int(packRate)) objects/s (\(packTime): \(memoryTime) in memory, the rest packing), "
                    + "ratio \(String(format: "%.2f", packRate / looseRate))"
            )
        }
    }
}

/// The path of commit `index`'s record: three trees (root, cases, cases/N) change with each commit.
private func recordPath(_ index: Int) -> String { "cases/\(index % 64)/record.txt" }

private func record(_ index: Int) -> Data { Data("record \(index)\n".utf8) }

/// `count` commits in a line after `parent`, each with one new blob at `recordPath`.
private func writeHistory(_ repository: Repository, count: Int, after parent: ObjectID? = nil, from first: Int = 0) throws -> [ObjectID] {
    var commits: [ObjectID] = []
    commits.reserveCapacity(count)
    var parent = parent
    var tree = try parent.map { try repository.commit($0).tree }
    for index in first..<(first + count) {
        let blob = try repository.writeBlob(record(index))
        let next = try repository.buildTree(base: tree, changes: [.set(path: recordPath(index), id: blob, mode: .blob)])
        let id = try repository.commit(tree: next, parent: parent, message: "Record \(index)\n", second: index)
        tree = next
        commits.append(id)
        parent = id
    }
    return commits
}

/// Every file below `objects`, relative to it, except the empty `info` and `pack` directories themselves.
private func objectFiles(_ path: String) throws -> [String] {
    let objects = path + "/objects"
    guard let enumerator = FileManager.default.enumerator(atPath: objects) else { return [] }
    return enumerator.compactMap { $0 as? String }.filter { relative in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: objects + "/" + relative, isDirectory: &isDirectory) && !isDirectory.boolValue
    }.sorted()
}

/// The ids of the loose objects (files in `objects/??`).
private func looseObjects(_ path: String) throws -> Set<String> {
    let objects = path + "/objects"
    var ids: Set<String> = []
    for directory in try FileManager.default.contentsOfDirectory(atPath: objects)
        where directory.count == 2 && directory.allSatisfy(\.isHexDigit) {
        for file in try FileManager.default.contentsOfDirectory(atPath: objects + "/" + directory) {
            ids.insert(directory + file)
        }
    }
    return ids
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
