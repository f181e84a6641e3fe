import Foundation
import GitKit
import Testing

@Suite struct BlobTreeTests {
    @Test func blobRoundTrip() throws {
        try withRepository { repository, path throws in
            let samples = [Data(), Data("hello\n".utf8), Data((0...255).map { UInt8($0) } + [0, 0, 10])]
            for data in samples {
                let id = try repository.writeBlob(data)
                #expect(try repository.blob(id) == data)
                #expect(repository.objectExists(id))
                #expect(try repository.objectSize(id) == data.count)
                let written = try git(["cat-file", "-s", id.hex], in: path)
                #expect(written == "\(data.count)\n")
            }
            let known = try repository.blob(text: "hello\n")
            #expect(known.hex == "ce013625030ba8dba906f756967f9e9ca394464a")
            let missing = try #require(ObjectID(hex: "1111111111111111111111111111111111111111"))
            #expect(!repository.objectExists(missing))
            #expect(throws: GitError.self) { try repository.blob(missing) }
            #expect(throws: GitError.self) { try repository.objectSize(missing) }
        }
    }

    @Test func anObjectDirectoryListsWhatItHoldsAndNothingElse() throws {
        try withRepository { repository, path throws in
            let loose = try repository.blob(text: "loose\n")
            // Packed by git, and the loose copy removed.
            let packed = try repository.blob(text: "packed\n")
            #expect(try gitStatus(["pack-objects", "objects/pack/pack"], in: path, input: Data("\(packed.hex)\n".utf8)).status == 0)
            try FileManager.default.removeItem(atPath: "\(path)/objects/\(packed.hex.prefix(2))/\(packed.hex.dropFirst(2))")
            let objects = try ObjectDirectory(path: path + "/objects")
            #expect(Set(try objects.objectIDs()) == [loose, packed])
            #expect(objects.contains(loose) && objects.contains(packed))
            let elsewhere = try withRepository { other, otherPath throws in
                let id = try other.blob(text: "elsewhere\n")
                #expect(try ObjectDirectory(path: otherPath + "/objects").objectIDs() == [id])
                return id
            }
            #expect(!objects.contains(elsewhere))
        }
    }

    @Test func nestedTreeInOnePassLeavesNothingDangling() throws {
        try withRepository { repository, path throws in
            let tree = try repository.tree(["a/b/c.txt": "c\n", "a/b/d.txt": "d\n", "a/e.txt": "e\n"])
            let listing = try git(["ls-tree", "-r", "--name-only", tree.hex], in: path)
            #expect(lines(listing) == ["a/b/c.txt", "a/b/d.txt", "a/e.txt"])
            #expect(try treeCount(path) == 3)
            let commit = try repository.commit(tree: tree, parent: nil)
            try repository.updateReference("refs/heads/main", to: commit, expected: nil, message: "test")
            try git(["fsck", "--strict", "--no-dangling"], in: path)
            let dangling = try gitStatus(["fsck", "--dangling"], in: path)
            #expect(dangling.status == 0)
            #expect(!(dangling.output + dangling.error).contains("dangling"))
        }
    }

    @Test func entryLookupsWalkTreesAsGitDoesAndSurviveMoreTreesThanAreKept() throws {
        try withRepository { repository, path throws in
            let base = try repository.tree(["a/b/c.txt": "c\n", "a/e.txt": "e\n", "f.txt": "f\n"])
            let c = try #require(try repository.entry(at: "a/b/c.txt", inTree: base))
            #expect(c.id.hex + "\n" == (try git(["rev-parse", "\(base.hex):a/b/c.txt"], in: path)))
            // A trailing slash names the directory, as in git_tree_entry_bypath.
            #expect(try repository.entry(at: "a/b/", inTree: base) == repository.entry(at: "a/b", inTree: base))
            #expect(try repository.entry(at: "a/b", inTree: base)?.mode.isTree == true)
            for missing in ["", "/", "/a", "a//b", "a/x", "x", "f.txt/x", "a/b/c.txt/", "a/b/c.txt/d"] {
                #expect(try repository.entry(at: missing, inTree: base) == nil, "\(missing)")
            }
            // Many more trees than a handle keeps, read back in both orders.
            var versions: [(tree: ObjectID, blob: ObjectID)] = []
            var tree = base
            for n in 0..<(3 * 256) {
                tree = try repository.tree(["a/b/n.txt": "\(n)\n"], base: tree)
                versions.append((tree, try repository.blob(text: "\(n)\n")))
            }
            let e = try #require(try repository.entry(at: "a/e.txt", inTree: base))
            for version in versions.reversed() + versions {
                #expect(try repository.entry(at: "a/b/n.txt", inTree: version.tree)?.id == version.blob)
                #expect(try repository.entry(at: "a/e.txt", inTree: version.tree) == e)
            }
            let last = try #require(versions.last)
            #expect(last.blob.hex + "\n" == (try git(["rev-parse", "\(last.tree.hex):a/b/n.txt"], in: path)))
        }
    }

    @Test func incrementalBuildKeepsUntouchedSubtrees() throws {
        try withRepository { repository, path throws in
            let base = try repository.tree(["a/b/c.txt": "c\n", "a/e.txt": "e\n", "x/y/z.txt": "z\n"])
            let first = try repository.commit(tree: base, parent: nil)
            let changed = try repository.tree(["a/e.txt": "e2\n", "a/f.txt": "f\n"], base: base)
            let second = try repository.commit(tree: changed, parent: first, second: 1)
            try repository.updateReference("refs/heads/main", to: second, expected: nil, message: "test")

            #expect(try repository.entry(at: "x", inTree: changed) == repository.entry(at: "x", inTree: base))
            #expect(try repository.entry(at: "a/b", inTree: changed) == repository.entry(at: "a/b", inTree: base))
            #expect(try repository.entry(at: "a", inTree: changed)?.id != repository.entry(at: "a", inTree: base)?.id)
            let listing = try git(["ls-tree", "-r", changed.hex], in: path)
            #expect(lines(listing).count == 4)
            #expect(try treeCount(path) == 5 + 2)  // root, a, a/b, x, x/y, then the new root and a
            try git(["fsck", "--strict", "--no-dangling"], in: path)
            #expect(!(try git(["fsck", "--dangling"], in: path)).contains("dangling"))
        }
    }

    @Test func removingPathsPrunesEmptyDirectories() throws {
        try withRepository { repository, path throws in
            let base = try repository.tree(["a/b/c.txt": "c\n", "a/b/d.txt": "d\n", "a/e.txt": "e\n", "top.txt": "t\n"])
            let fewer = try repository.buildTree(base: base, changes: [.remove(path: "a/b/c.txt"), .remove(path: "a/b/d.txt")])
            #expect(try repository.entry(at: "a/b", inTree: fewer) == nil)
            #expect(try repository.entry(at: "a/e.txt", inTree: fewer) != nil)
            let noA = try repository.buildTree(base: fewer, changes: [.remove(path: "a/e.txt")])
            #expect(try repository.treeEntries(noA).map(\.name) == ["top.txt"])
            let directoryRemoved = try repository.buildTree(base: base, changes: [.remove(path: "a")])
            #expect(directoryRemoved == noA)
            let absent = try repository.buildTree(base: base, changes: [.remove(path: "nope/none.txt"), .remove(path: "x")])
            #expect(absent == base)
            let empty = try repository.buildTree(base: noA, changes: [.remove(path: "top.txt")])
            #expect(empty == ObjectID.emptyTree)
            #expect(try repository.treeEntries(empty).isEmpty)
            try git(["fsck", "--strict", "--no-dangling"], in: path)
        }
    }

    @Test func replacingADirectoryWithAFileAndBack() throws {
        try withRepository { repository, _ throws in
            let base = try repository.tree(["a/b.txt": "b\n", "f": "file\n"])
            let blob = try repository.blob(text: "now a file\n")
            let fileA = try repository.buildTree(base: base, changes: [.set(path: "a", id: blob, mode: .blob)])
            #expect(try repository.entry(at: "a", inTree: fileA) == TreeEntry(name: "a", mode: EntryMode(.blob), id: blob))
            let directoryF = try repository.buildTree(
                base: fileA, changes: [.remove(path: "f"), .set(path: "f/g.txt", id: blob, mode: .executable)]
            )
            #expect(try repository.entry(at: "f/g.txt", inTree: directoryF)?.mode == EntryMode(.executable))
            #expect(try repository.entry(at: "f", inTree: directoryF)?.mode.isTree == true)
            // A removed directory rebuilt from scratch loses its other entries.
            let rebuilt = try repository.buildTree(
                base: base, changes: [.set(path: "a/new.txt", id: blob, mode: .blob), .remove(path: "a")]
            )
            let rebuiltA = try #require(try repository.entry(at: "a", inTree: rebuilt))
            #expect(try repository.treeEntries(rebuiltA.id).map(\.name) == ["new.txt"])
        }
    }

    @Test(arguments: ["", "/a", "a/", "a//b", "./a", "a/../b", "..", "a/.", "a\u{0}b"])
    func refusesBadPaths(_ path: String) throws {
        try withRepository { repository, _ throws in
            let blob = try repository.blob(text: "x")
            let error = try #require(throws: GitError.self) {
                try repository.buildTree(base: nil, changes: [.set(path: path, id: blob, mode: .blob)])
            }
            #expect(error.code == .invalid)
        }
    }

    @Test func refusesPathsThroughFilesAndConflicts() throws {
        try withRepository { repository, path throws in
            let base = try repository.tree(["a/e.txt": "e\n"])
            let blob = try repository.blob(text: "x")
            let through = try #require(throws: GitError.self) {
                try repository.buildTree(base: base, changes: [.set(path: "a/e.txt/z", id: blob, mode: .blob)])
            }
            #expect(through.code == .invalid)
            #expect(through.message.contains("a/e.txt"))
            #expect(throws: GitError.self) {
                try repository.buildTree(base: base, changes: [.remove(path: "a/e.txt/z")])
            }
            let twice = try #require(throws: GitError.self) {
                try repository.buildTree(base: nil, changes: [.set(path: "p", id: blob, mode: .blob), .remove(path: "p")])
            }
            #expect(twice.code == .invalid)
            #expect(throws: GitError.self) {
                try repository.buildTree(base: nil, changes: [.set(path: "p", id: blob, mode: .blob), .set(path: "p/q", id: blob, mode: .blob)])
            }
            let missing = try #require(ObjectID(hex: "1111111111111111111111111111111111111111"))
            #expect(throws: GitError.self) {
                try repository.buildTree(base: nil, changes: [.set(path: "m", id: missing, mode: .blob)])
            }
            #expect(throws: GitError.self) {
                try repository.buildTree(base: nil, changes: [.set(path: "sub/.git", id: blob, mode: .blob)])
            }
            #expect(try treeCount(path) == 2)  // the base's root and a: failed builds wrote no tree
        }
    }

    @Test func readsEntriesAndModes() throws {
        try withRepository { repository, _ throws in
            let script = try repository.blob(text: "#!/bin/sh\n")
            let target = try repository.blob(text: "script.sh")
            let tree = try repository.buildTree(base: nil, changes: [
                .set(path: "bin/script.sh", id: script, mode: .executable),
                .set(path: "bin/link", id: target, mode: .symlink),
            ])
            let entries = try repository.treeEntries(try #require(try repository.entry(at: "bin", inTree: tree)).id)
            #expect(entries == [
                TreeEntry(name: "link", mode: EntryMode(.symlink), id: target),
                TreeEntry(name: "script.sh", mode: EntryMode(.executable), id: script),
            ])
            #expect(try repository.entry(at: "bin/missing", inTree: tree) == nil)
            #expect(try repository.entry(at: "bin/script.sh/below", inTree: tree) == nil)
            #expect(EntryMode(rawValue: 0o100664).fileMode == nil)
            #expect(EntryMode(rawValue: 0o100664).description == "100664")
            #expect(EntryMode(.tree).description == "040000")
        }
    }
}

/// Number of tree objects stored in the repository at `path` (reachable or not).
func treeCount(_ path: String) throws -> Int {
    let all = try git(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype)"], in: path)
    return lines(all).filter { $0 == "tree" }.count
}
