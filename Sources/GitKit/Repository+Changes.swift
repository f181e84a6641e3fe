internal import CLibGit2
import Foundation

extension Repository {
    /// The leaves that differ between trees `old` (nil: the empty tree) and `new`, sorted by path bytes
    /// (git's order, as `git diff-tree -r` lists them).
    ///
    /// Compares by object id and descends only into subtrees whose ids differ. A path that turns
    /// from a directory into a file (or back) shows as the deletions plus the addition.
    ///
    /// Trees nest at most ``TreeLimit/maxDepth`` levels (more throws ``TreeLimit``, before the
    /// deeper levels are read: the descent is recursive, and its depth must not be the tree
    /// author's to choose); with `limit`, more than that many changes throw ``TreeLimit`` as
    /// soon as they are found, so a pushed tree of a million files costs no more than the limit.
    public func changes(from old: ObjectID?, to new: ObjectID, limit: Int? = nil) throws -> [PathChange] {
        var found = Found(limit: limit)
        try compare(old, new, prefix: "", depth: 0, into: &found)
        return found.changes.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    /// The changes found so far, and the most there may be.
    struct Found {
        let limit: Int?
        var changes: [PathChange] = []

        mutating func append(_ change: PathChange) throws {
            if let limit, changes.count >= limit { throw TreeLimit(kind: .changes, limit: limit, path: change.path) }
            changes.append(change)
        }
    }

    private func compare(_ old: ObjectID?, _ new: ObjectID?, prefix: String, depth: Int, into found: inout Found) throws {
        if old == new { return }
        guard depth < TreeLimit.maxDepth else {
            throw TreeLimit(kind: .depth, limit: TreeLimit.maxDepth, path: String(decoding: prefix.utf8.prefix(200), as: UTF8.self))
        }
        let oldTree = try old.map(kept)
        let newTree = try new.map(kept)
        try withExtendedLifetime((oldTree, newTree)) {
            let oldEntries = oldTree?.entries ?? RawEntries()
            let newEntries = newTree?.entries ?? RawEntries()
            if let new, let newTree {
                // Once per tree a handle keeps: the check is of the tree's bytes, named by its id.
                if !newTree.canonical {
                    try newEntries.requireCanonical(tree: new)
                    newTree.canonical = true
                }
                // An empty directory holds no file, so no change would show it: a name the
                // layout refuses (`.git.`, `GIT~1`) could hide behind one. Git never writes one.
                if newEntries.count == 0, !prefix.isEmpty {
                    throw GitError(function: "Repository.changes", code: .invalid,
                                   message: "tree \(new.hex) at `\(prefix.dropLast())` is empty, which git never writes")
                }
            }
            guard oldTree?.canonical ?? true || oldEntries.isSorted() else {
                // Only a tree that was refused when it came can be out of order: compare by name.
                return try compareByName(try old.map(treeEntries) ?? [], try new.map(treeEntries) ?? [],
                                         prefix: prefix, depth: depth, into: &found)
            }
            try merge(oldEntries, newEntries, prefix: prefix, depth: depth, into: &found)
        }
    }

    /// Walks both trees in git's order at once: an entry present in both with the same id
    /// and mode costs a comparison of bytes, nothing is decoded but what differs.
    private func merge(_ old: RawEntries, _ new: RawEntries, prefix: String, depth: Int, into found: inout Found) throws {
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            let order = i == old.count ? 1 : j == new.count ? -1 : RawEntries.order(old, i, new, j)
            if order < 0 {
                try deleted(Self.treeEntry(old.entry(i)), path: prefix, depth: depth, into: &found)
                i += 1
            } else if order > 0 {
                try added(Self.treeEntry(new.entry(j)), path: prefix, depth: depth, into: &found)
                j += 1
            } else {
                if !RawEntries.same(old, i, new, j) {
                    try changed(Self.treeEntry(old.entry(i)), Self.treeEntry(new.entry(j)), prefix: prefix, depth: depth, into: &found)
                }
                i += 1
                j += 1
            }
        }
    }

    private func compareByName(_ oldEntries: [TreeEntry], _ newEntries: [TreeEntry], prefix: String, depth: Int,
                               into found: inout Found) throws {
        // Keyed by bytes: String equality would merge canonically equivalent names.
        var unmatched = Dictionary(oldEntries.map { (Array($0.name.utf8), $0) }, uniquingKeysWith: { first, _ in first })
        for entry in newEntries {
            guard let previous = unmatched.removeValue(forKey: Array(entry.name.utf8)) else {
                try added(entry, path: prefix, depth: depth, into: &found)
                continue
            }
            if previous.id == entry.id && previous.mode == entry.mode { continue }
            try changed(previous, entry, prefix: prefix, depth: depth, into: &found)
        }
        for entry in unmatched.values {
            try deleted(entry, path: prefix, depth: depth, into: &found)
        }
    }

    /// The same name in both trees, with another id or mode.
    private func changed(_ previous: TreeEntry, _ entry: TreeEntry, prefix: String, depth: Int, into found: inout Found) throws {
        let path = prefix + entry.name
        switch (previous.mode.isTree, entry.mode.isTree) {
        case (true, true):
            try compare(previous.id, entry.id, prefix: path + "/", depth: depth + 1, into: &found)
        case (false, false):
            try found.append(PathChange(
                path: path, status: .modified,
                oldMode: previous.mode, newMode: entry.mode, oldID: previous.id, newID: entry.id
            ))
        default:
            try deleted(previous, path: prefix, depth: depth, into: &found)
            try added(entry, path: prefix, depth: depth, into: &found)
        }
    }

    private func added(_ entry: TreeEntry, path prefix: String, depth: Int, into found: inout Found) throws {
        let path = prefix + entry.name
        if entry.mode.isTree {
            try compare(nil, entry.id, prefix: path + "/", depth: depth + 1, into: &found)
        } else {
            try found.append(PathChange(path: path, status: .added, oldMode: nil, newMode: entry.mode, oldID: nil, newID: entry.id))
        }
    }

    private func deleted(_ entry: TreeEntry, path prefix: String, depth: Int, into found: inout Found) throws {
        let path = prefix + entry.name
        if entry.mode.isTree {
            try compare(entry.id, nil, prefix: path + "/", depth: depth + 1, into: &found)
        } else {
            try found.append(PathChange(path: path, status: .deleted, oldMode: entry.mode, newMode: nil, oldID: entry.id, newID: nil))
        }
    }
}

/// A tree comparison stopped at a limit: trees nested deeper than ``maxDepth``, or more
/// changes than its caller allows. Thrown before the rest is read.
public struct TreeLimit: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case depth, changes
    }
    /// The deepest a compared tree may nest. The deepest path a case repository knows is six
    /// levels (`cases/<year>/<node>/<case>/steps/<file>`); git itself sets no limit.
    public static let maxDepth = 32
    public let kind: Kind
    public let limit: Int
    /// Where it was reached (cut to 200 bytes).
    public let path: String
}

/// A tree a handle keeps (`Repository.trees`): libgit2's parsed tree, its entries read out
/// into a table when first compared, and whether it passed `requireCanonical`. It never
/// leaves GitKit: the table points into libgit2's tree, which lives as long as this does.
final class KeptTree {
    let handle: Owned<OpaquePointer>
    let tree: OpaquePointer
    var canonical = false
    private(set) lazy var entries = RawEntries(tree)

    init(_ handle: Owned<OpaquePointer>) {
        self.handle = handle
        tree = handle.use { $0 }
    }
}

/// The entries of one parsed tree as libgit2 holds them (valid while the tree is), read
/// out once: names are compared as bytes where they lie.
struct RawEntries {
    struct Entry {
        let pointer: OpaquePointer
        let name: UnsafeBufferPointer<UInt8>
        let mode: UInt32
        let id: UnsafePointer<git_oid>
    }

    private let items: [Entry]
    var count: Int { items.count }

    init() {
        items = []
    }

    init(_ tree: OpaquePointer) {
        let count = git_tree_entrycount(tree)
        var items: [Entry] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            // Within 0..<count of a live tree, libgit2 always has the entry, its name and id.
            let entry = git_tree_entry_byindex(tree, index)!
            let name = git_tree_entry_name(entry)!
            items.append(Entry(pointer: entry,
                               name: UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name)),
                               mode: git_tree_entry_filemode_raw(entry).rawValue, id: git_tree_entry_id(entry)!))
        }
        self.items = items
    }

    func entry(_ index: Int) -> OpaquePointer { items[index].pointer }

    func name(_ index: Int) -> UnsafeBufferPointer<UInt8> { items[index].name }

    func isTree(_ index: Int) -> Bool { items[index].mode & 0o170000 == 0o040000 }

    /// The same object id and mode.
    static func same(_ a: RawEntries, _ i: Int, _ b: RawEntries, _ j: Int) -> Bool {
        a.items[i].mode == b.items[j].mode && git_oid_equal(a.items[i].id, b.items[j].id) != 0
    }

    /// git's order of tree entries: by name bytes, a tree's name read as if it ended in `/`.
    static func order(_ a: RawEntries, _ i: Int, _ b: RawEntries, _ j: Int) -> Int {
        let x = a.name(i)
        let y = b.name(j)
        let common = min(x.count, y.count)
        // memcmp compares as unsigned bytes, as git does.
        let prefix = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
        if prefix != 0 { return Int(prefix) }
        let endX: UInt8 = x.count > common ? x[common] : (a.isTree(i) ? 0x2F : 0)
        let endY: UInt8 = y.count > common ? y[common] : (b.isTree(j) ? 0x2F : 0)
        return Int(endX) - Int(endY)
    }

    func isSorted() -> Bool {
        count < 2 || (1..<count).allSatisfy { Self.order(self, $0 - 1, self, $0) < 0 }
    }

    /// Refuses what `git fsck` refuses in a tree and libgit2 would read anyway: names that
    /// are empty, contain `/`, are `.`, `..` or `.git` (any case), are not UTF-8, appear
    /// twice, or are out of git's order (where a lookup by name would not find them).
    /// Throws `.invalid` naming the entry.
    func requireCanonical(tree id: ObjectID) throws {
        for index in 0..<count {
            let name = name(index)
            func refuse(_ problem: String) -> GitError {
                GitError(function: "Repository.changes", code: .invalid,
                         message: "tree \(id.hex) holds the name `\(String(decoding: name, as: UTF8.self))`, which \(problem)")
            }
            if name.isEmpty { throw refuse("is empty") }
            if name.contains(0x2F) { throw refuse("contains /") }
            if name.elementsEqual([0x2E]) || name.elementsEqual([0x2E, 0x2E]) { throw refuse("is a relative name") }
            if name.count == 4, name[0] == 0x2E, name.dropFirst().map({ $0 | 0x20 }).elementsEqual("git".utf8) { throw refuse("is .git") }
            if !name.allSatisfy({ $0 < 0x80 }), !String(decoding: name, as: UTF8.self).utf8.elementsEqual(name) {
                throw GitError(function: "git_tree_entry_name", code: .invalid, message: "tree entry name is not valid UTF-8")
            }
            if index > 0 {
                let order = Self.order(self, index - 1, self, index)
                if order == 0 { throw refuse("appears twice") }
                if order > 0 { throw refuse("is out of git's order") }
            }
            if isTree(index) {
                // A file of the same name sorts before it, among names that go on below `/`.
                var before = index - 1
                while before >= 0, self.name(before).starts(with: name) {
                    if self.name(before).count == name.count { throw refuse("appears twice") }
                    before -= 1
                }
            }
        }
    }
}
