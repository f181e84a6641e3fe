internal import CLibGit2

extension Repository {
    /// The leaves that differ between trees `old` (nil: the empty tree) and `new`, sorted by path bytes
    /// (git's order, as `git diff-tree -r` lists them).
    ///
    /// Compares by object id and descends only into subtrees whose ids differ. A path that turns
    /// from a directory into a file (or back) shows as the deletions plus the addition.
    public func changes(from old: ObjectID?, to new: ObjectID) throws -> [PathChange] {
        var found: [PathChange] = []
        try compare(old, new, prefix: "", into: &found)
        return found.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    private func compare(_ old: ObjectID?, _ new: ObjectID?, prefix: String, into found: inout [PathChange]) throws {
        if old == new { return }
        let oldEntries = try old.map(treeEntries) ?? []
        let newEntries = try new.map(treeEntries) ?? []
        if let new { try Self.requireCanonical(newEntries, tree: new) }
        // Keyed by bytes: String equality would merge canonically equivalent names.
        var unmatched = Dictionary(oldEntries.map { (Array($0.name.utf8), $0) }, uniquingKeysWith: { first, _ in first })
        for entry in newEntries {
            let path = prefix + entry.name
            guard let previous = unmatched.removeValue(forKey: Array(entry.name.utf8)) else {
                try added(entry, path: path, into: &found)
                continue
            }
            if previous.id == entry.id && previous.mode == entry.mode { continue }
            switch (previous.mode.isTree, entry.mode.isTree) {
            case (true, true):
                try compare(previous.id, entry.id, prefix: path + "/", into: &found)
            case (false, false):
                found.append(PathChange(
                    path: path, status: .modified,
                    oldMode: previous.mode, newMode: entry.mode, oldID: previous.id, newID: entry.id
                ))
            default:
                try deleted(previous, path: path, into: &found)
                try added(entry, path: path, into: &found)
            }
        }
        for entry in unmatched.values {
            try deleted(entry, path: prefix + entry.name, into: &found)
        }
    }

    /// Refuses what `git fsck` refuses in a tree and libgit2 would read anyway: empty names,
    /// `.`, `..`, `.git`, names with `/` or NUL, and the same name twice (a second entry
    /// that a lookup by name would never find). Throws `.invalid` naming the entry.
    static func requireCanonical(_ entries: [TreeEntry], tree: ObjectID) throws {
        var seen = Set<[UInt8]>()
        for entry in entries {
            let bytes = Array(entry.name.utf8)
            let problem: String? =
                bytes.isEmpty ? "is empty"
                : bytes.contains(0x2F) ? "contains /"
                : bytes.contains(0) ? "contains NUL"
                : entry.name == "." || entry.name == ".." ? "is a relative name"
                : entry.name.lowercased() == ".git" ? "is .git"
                : !seen.insert(bytes).inserted ? "appears twice"
                : nil
            if let problem {
                throw GitError(function: "Repository.changes", code: .invalid,
                               message: "tree \(tree.hex) holds the name `\(entry.name)`, which \(problem)")
            }
        }
    }

    private func added(_ entry: TreeEntry, path: String, into found: inout [PathChange]) throws {
        if entry.mode.isTree {
            try compare(nil, entry.id, prefix: path + "/", into: &found)
        } else {
            found.append(PathChange(path: path, status: .added, oldMode: nil, newMode: entry.mode, oldID: nil, newID: entry.id))
        }
    }

    private func deleted(_ entry: TreeEntry, path: String, into found: inout [PathChange]) throws {
        if entry.mode.isTree {
            try compare(entry.id, nil, prefix: path + "/", into: &found)
        } else {
            found.append(PathChange(path: path, status: .deleted, oldMode: entry.mode, newMode: nil, oldID: entry.id, newID: nil))
        }
    }
}
