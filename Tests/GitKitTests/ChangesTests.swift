import Foundation
import GitKit
import Testing

@Suite struct ChangesTests {
    /// `git diff-tree -r --raw` between two trees, as PathChanges.
    func gitChanges(_ old: ObjectID?, _ new: ObjectID, in path: String) throws -> [PathChange] {
        let output = try git(["diff-tree", "-r", "-z", "--raw", "--no-abbrev", "--no-renames", (old ?? .emptyTree).hex, new.hex], in: path)
        // -z: ":modes ids status" NUL path NUL, paths unquoted.
        let parts = output.split(separator: "\0")
        return try stride(from: 0, to: parts.count, by: 2).map { index in
            let fields = parts[index].dropFirst().split(separator: " ")
            let path = String(parts[index + 1])
            let oldMode = try #require(UInt32(fields[0], radix: 8))
            let newMode = try #require(UInt32(fields[1], radix: 8))
            let oldID = try #require(ObjectID(hex: String(fields[2])))
            let newID = try #require(ObjectID(hex: String(fields[3])))
            let status: PathChange.Status = switch fields[4] {
            case "A": .added
            case "D": .deleted
            default: .modified
            }
            return PathChange(
                path: path, status: status,
                oldMode: oldMode == 0 ? nil : EntryMode(rawValue: oldMode),
                newMode: newMode == 0 ? nil : EntryMode(rawValue: newMode),
                oldID: oldID == .zero ? nil : oldID, newID: newID == .zero ? nil : newID
            )
        }
    }

    @Test func matchesDiffTree() throws {
        try withRepository { repository, path throws in
            let text = try repository.blob(text: "text\n")
            let other = try repository.blob(text: "other\n")
            let target = try repository.blob(text: "a.txt")
            func set(_ path: String, _ id: ObjectID, _ mode: FileMode = .blob) -> TreeChange {
                .set(path: path, id: id, mode: mode)
            }
            let old = try repository.buildTree(base: nil, changes: [
                set("a.txt", text), set("script.sh", text), set("s", text), set("same/file", text),
                set("dir/b.txt", text), set("dir/sub/c.txt", text), set("dir/sub/deeper/d.txt", other),
                set("t/x.txt", text), set("t/y/z.txt", other), set("u", text),
                set("x.txt", text), set("x/y.txt", text), set("x-y", text),
            ])
            let new = try repository.buildTree(base: old, changes: [
                set("a.txt", other),
                set("script.sh", text, .executable),
                set("ln", target, .symlink),
                set("s", target, .symlink),
                .remove(path: "dir/sub"),
                set("t", other),
                .remove(path: "u"), set("u/v.txt", text),
                set("x/y.txt", other), set("x-y", other), set("x.txt", other),
            ])
            let scenarios: [(ObjectID?, ObjectID)] = [(old, new), (new, old), (nil, new), (nil, old), (old, old)]
            for (from, to) in scenarios {
                let ours = try repository.changes(from: from, to: to)
                #expect(ours == (try gitChanges(from, to, in: path)))
            }

            let changes = try repository.changes(from: old, to: new)
            #expect(changes.first { $0.path == "script.sh" } == PathChange(
                path: "script.sh", status: .modified, oldMode: EntryMode(.blob), newMode: EntryMode(.executable), oldID: text, newID: text
            ))
            #expect(changes.filter { $0.path.hasPrefix("t") }.map(\.status) == [.added, .deleted, .deleted])
            #expect(!changes.contains { $0.path.hasPrefix("same") || $0.path == "dir/b.txt" })
            #expect(try repository.changes(from: old, to: old).isEmpty)
        }
    }

    @Test func doesNotDescendIntoEqualSubtrees() throws {
        try withRepository { repository, path throws in
            // Trees pointing at a subtree that is not stored: reading it would fail.
            let blobA = try repository.blob(text: "a\n")
            let blobB = try repository.blob(text: "b\n")
            func mktree(_ subtree: String, _ blob: ObjectID) throws -> ObjectID {
                let input = "040000 tree \(subtree)\tmissing\n100644 blob \(blob.hex)\tf\n"
                let output = try git(["mktree", "--missing"], in: path, input: Data(input.utf8))
                return try #require(ObjectID(hex: output.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            let ghost = "2222222222222222222222222222222222222222"
            let old = try mktree(ghost, blobA)
            let new = try mktree(ghost, blobB)
            #expect(try repository.changes(from: old, to: new).map(\.path) == ["f"])
            let otherGhost = try mktree("3333333333333333333333333333333333333333", blobB)
            #expect(throws: GitError.self) { try repository.changes(from: old, to: otherGhost) }
        }
    }

    @Test func keepsCanonicallyEquivalentNamesApart() throws {
        try withRepository { repository, path in
            let composed = "caf\u{e9}.txt"
            let decomposed = "cafe\u{301}.txt"
            #expect(composed == decomposed)  // Swift's String equality, which GitKit must not rely on
            let one = try repository.blob(text: "1\n")
            let two = try repository.blob(text: "2\n")
            let old = try repository.buildTree(base: nil, changes: [.set(path: composed, id: one, mode: .blob)])
            let new = try repository.buildTree(base: old, changes: [.set(path: decomposed, id: two, mode: .blob)])
            #expect(try repository.treeEntries(new).count == 2)
            let changes = try repository.changes(from: old, to: new)
            #expect(changes.count == 1)
            #expect(changes.first.map { Array($0.path.utf8) } == Array(decomposed.utf8))
            #expect(changes.first?.status == .added)
            #expect(changes == (try gitChanges(old, new, in: path)))
        }
    }

    @Test func refusesNamesThatAreNotUTF8() throws {
        try withRepository { repository, path in
            let blob = try repository.blob(text: "x\n")
            var raw = Data("100644 ".utf8)
            raw.append(contentsOf: [0x66, 0xff, 0x00])
            raw.append(contentsOf: (0..<20).map { index in
                UInt8(blob.hex.dropFirst(index * 2).prefix(2), radix: 16) ?? 0
            })
            let output = try git(["hash-object", "-t", "tree", "-w", "--literally", "--stdin"], in: path, input: raw)
            let tree = try #require(ObjectID(hex: output.trimmingCharacters(in: .whitespacesAndNewlines)))
            let error = try #require(throws: GitError.self) { try repository.treeEntries(tree) }
            #expect(error.code == .invalid)
            #expect(throws: GitError.self) { try repository.changes(from: nil, to: tree) }
        }
    }

    /// A directory with nothing in it would show no change: a name the layout refuses could
    /// hide behind it. Git never writes one; the comparison refuses it.
    @Test func refusesAnEmptyDirectory() throws {
        try withRepository { repository, path in
            let blob = try repository.blob(text: "x\n")
            let empty = try git(["hash-object", "-t", "tree", "-w", "--stdin"], in: path, input: Data())
                .trimmingCharacters(in: .whitespacesAndNewlines)
            var raw = Data("40000 .git.\0".utf8)
            raw.append(contentsOf: (0..<20).map { UInt8(empty.dropFirst($0 * 2).prefix(2), radix: 16) ?? 0 })
            raw.append(Data("100644 a\0".utf8))
            raw.append(contentsOf: (0..<20).map { UInt8(blob.hex.dropFirst($0 * 2).prefix(2), radix: 16) ?? 0 })
            let output = try git(["hash-object", "-t", "tree", "-w", "--literally", "--stdin"], in: path, input: raw)
            let tree = try #require(ObjectID(hex: output.trimmingCharacters(in: .whitespacesAndNewlines)))
            let error = try #require(throws: GitError.self) { try repository.changes(from: nil, to: tree) }
            #expect(error.code == .invalid)
            #expect(error.message.contains("`.git.` is empty"))
            // The root itself may be empty (nothing was there before either).
            let root = try #require(ObjectID(hex: empty))
            #expect(try repository.changes(from: nil, to: root).isEmpty)
        }
    }
}

extension ChangesTests {
    /// Trees nested past the limit stop the comparison with `TreeLimit` before the deeper
    /// levels are read (the descent is recursive: its depth is never the tree author's), and
    /// a caller's limit on the number of changes stops it at the first change too many.
    @Test func aTreeNestedDeeperThanTheLimitIsRefusedBeforeItIsRead() throws {
        try withRepository { repository, _ in
            let blob = try repository.blob(text: "deep\n")
            let deep = Array(repeating: "d", count: TreeLimit.maxDepth + 8).joined(separator: "/") + "/file.txt"
            let tree = try repository.buildTree(base: nil, changes: [.set(path: deep, id: blob, mode: .blob)])
            #expect(throws: TreeLimit.self) { try repository.changes(from: nil, to: tree) }
            do {
                _ = try repository.changes(from: nil, to: tree)
            } catch let limit as TreeLimit {
                #expect(limit.kind == .depth && limit.limit == TreeLimit.maxDepth)
                #expect(limit.path.split(separator: "/").count == TreeLimit.maxDepth, "\(limit.path)")
            }
            let shallow = Array(repeating: "d", count: TreeLimit.maxDepth - 1).joined(separator: "/") + "/file.txt"
            let allowed = try repository.buildTree(base: nil, changes: [.set(path: shallow, id: blob, mode: .blob)])
            #expect(try repository.changes(from: nil, to: allowed).map(\.path) == [shallow])

            let many = try repository.buildTree(base: nil, changes: (0..<50).map { .set(path: "f/\($0).txt", id: blob, mode: .blob) })
            #expect(try repository.changes(from: nil, to: many, limit: 50).count == 50)
            do {
                _ = try repository.changes(from: nil, to: many, limit: 49)
                Issue.record("50 changes passed a limit of 49")
            } catch let limit as TreeLimit {
                #expect(limit.kind == .changes && limit.limit == 49 && limit.path == "f/9.txt", "\(limit)")
            }
        }
    }
}
