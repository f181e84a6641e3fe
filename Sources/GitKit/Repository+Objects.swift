import Foundation
internal import CLibGit2

extension Repository {
    /// Stores `data` as a blob.
    public func writeBlob(_ data: Data) throws -> ObjectID {
        var oid = git_oid()
        let result = data.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress {
                return git_blob_create_from_buffer(&oid, pointer, base, bytes.count)
            }
            var empty: UInt8 = 0
            return git_blob_create_from_buffer(&oid, pointer, &empty, 0)
        }
        try check("git_blob_create_from_buffer", result)
        return ObjectID(oid)
    }

    /// The content of blob `id`.
    public func blob(_ id: ObjectID) throws -> Data {
        var oid = id.oid
        let blob = try make("git_blob_lookup", owner: self, release: git_blob_free) {
            git_blob_lookup(&$0, pointer, &oid)
        }
        return blob.use { blob in
            guard let size = Int(exactly: git_blob_rawsize(blob)), size > 0, let content = git_blob_rawcontent(blob) else {
                return Data()
            }
            return Data(bytes: content, count: size)
        }
    }

    /// The entries of tree `tree`, in git's order; throws `.invalid` for a name that is not UTF-8.
    public func treeEntries(_ tree: ObjectID) throws -> [TreeEntry] {
        try lookupTree(tree).use { tree in
            try (0..<git_tree_entrycount(tree)).compactMap { index in
                try git_tree_entry_byindex(tree, index).map(Self.treeEntry)
            }
        }
    }

    /// The entry at slash-separated `path` below `tree`; nil when absent.
    public func entry(at path: String, inTree tree: ObjectID) throws -> TreeEntry? {
        // As git_tree_entry_bypath walks (an empty name, a missing one or a file on the way:
        // nil; a trailing `/` names the directory), each tree through the ones this handle keeps (`kept`).
        var current = try kept(tree)
        var rest = Substring(path)
        while true {
            let slash = rest.utf8.firstIndex(of: UInt8(ascii: "/"))
            let name = slash.map { rest[..<$0] } ?? rest
            guard !name.isEmpty else { return nil }
            let found = try withExtendedLifetime(current) { () -> (entry: TreeEntry, next: Substring?)? in
                guard let entry = String(name).withCString({ git_tree_entry_byname(current.tree, $0) }) else { return nil }
                let read = try Self.treeEntry(entry)
                guard let slash else { return (read, nil) }
                guard read.mode.isTree else { return nil }
                let after = rest[rest.utf8.index(after: slash)...]
                return (read, after.isEmpty ? nil : after)
            }
            guard let found else { return nil }
            guard let next = found.next else { return found.entry }
            current = try kept(found.entry.id)
            rest = next
        }
    }

    /// Applies `changes` to `base` (nil: the empty tree) in one pass and returns the new root tree.
    ///
    /// Only the final trees are written, so no intermediate tree is left dangling. Each path may
    /// appear once, except that removing a directory and setting paths below it rebuilds it from
    /// scratch. Throws `.invalid` for an empty, "." or ".." component, a path through an existing
    /// file, or conflicting changes.
    public func buildTree(base: ObjectID?, changes: [TreeChange]) throws -> ObjectID {
        let root = Directory()
        for change in changes {
            try root.add(change)
        }
        return try write(root, base: base) ?? writeEmptyTree()
    }

    /// Tree `id`, a reference of the caller's own.
    func lookupTree(_ id: ObjectID) throws -> Owned<OpaquePointer> {
        try duplicate(try kept(id).handle)
    }

    /// Tree `id` as this handle keeps it (read now when it is not kept). Only for use
    /// within GitKit, while the repository is open.
    func kept(_ id: ObjectID) throws -> KeptTree {
        if let kept = trees[id] { return kept }
        var oid = id.oid
        // The cache's own reference does not keep the repository alive (it is the repository's).
        let tree = KeptTree(try make("git_tree_lookup", owner: nil, release: git_tree_free) {
            git_tree_lookup(&$0, pointer, &oid)
        })
        trees[id] = tree
        return tree
    }

    /// A new reference to a tree libgit2 already holds (it counts references).
    private func duplicate(_ tree: Owned<OpaquePointer>) throws -> Owned<OpaquePointer> {
        try tree.use { tree in
            try make("git_object_dup", owner: self, release: { git_object_free($0) }) { git_object_dup(&$0, tree) }
        }
    }

    /// Builds `directory` on top of `base`; nil when the result is empty.
    private func write(_ directory: Directory, base: ObjectID?, at prefix: String = "") throws -> ObjectID? {
        let baseTree = try base.map(lookupTree)
        let builder = try make("git_treebuilder_new", owner: self, release: git_treebuilder_free) { out in
            if let baseTree { return baseTree.use { git_treebuilder_new(&out, pointer, $0) } }
            return git_treebuilder_new(&out, pointer, nil)
        }
        return try builder.use { builder in
            for (_, node) in directory.children.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                let path = prefix + node.name
                let existing = git_treebuilder_get(builder, node.name)
                switch node.kind {
                case .set(let id, let mode):
                    var oid = id.oid
                    try check(
                        "git_treebuilder_insert",
                        git_treebuilder_insert(nil, builder, node.name, &oid, git_filemode_t(rawValue: mode.rawValue))
                    )
                case .remove:
                    if existing != nil {
                        try check("git_treebuilder_remove", git_treebuilder_remove(builder, node.name))
                    }
                case .directory(let subdirectory):
                    var subtreeBase: ObjectID?
                    if let existing, !subdirectory.replacesBase {
                        guard git_tree_entry_filemode(existing) == GIT_FILEMODE_TREE, let id = git_tree_entry_id(existing) else {
                            throw GitError(
                                function: "Repository.buildTree", code: .invalid,
                                message: "'\(path)' is not a directory in the base tree"
                            )
                        }
                        subtreeBase = ObjectID(id.pointee)
                    }
                    if let subtree = try write(subdirectory, base: subtreeBase, at: path + "/") {
                        var oid = subtree.oid
                        try check(
                            "git_treebuilder_insert",
                            git_treebuilder_insert(nil, builder, node.name, &oid, GIT_FILEMODE_TREE)
                        )
                    } else if existing != nil {
                        try check("git_treebuilder_remove", git_treebuilder_remove(builder, node.name))
                    }
                }
            }
            if git_treebuilder_entrycount(builder) == 0 { return nil }
            var oid = git_oid()
            try check("git_treebuilder_write", git_treebuilder_write(&oid, builder))
            return ObjectID(oid)
        }
    }

    private func writeEmptyTree() throws -> ObjectID {
        let builder = try make("git_treebuilder_new", owner: self, release: git_treebuilder_free) {
            git_treebuilder_new(&$0, pointer, nil)
        }
        return try builder.use { builder in
            var oid = git_oid()
            try check("git_treebuilder_write", git_treebuilder_write(&oid, builder))
            return ObjectID(oid)
        }
    }

    /// Converts a borrowed `git_tree_entry`.
    static func treeEntry(_ entry: OpaquePointer) throws -> TreeEntry {
        guard let name = git_tree_entry_name(entry), let id = git_tree_entry_id(entry) else {
            throw GitError(function: "git_tree_entry_name", code: .invalid, message: "tree entry without a name or id")
        }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name))
        let decoded = String(decoding: bytes, as: UTF8.self)
        // Decoding repairs invalid UTF-8; a repaired name would no longer name the entry.
        guard decoded.utf8.elementsEqual(bytes) else {
            throw GitError(function: "git_tree_entry_name", code: .invalid, message: "tree entry name is not valid UTF-8")
        }
        return TreeEntry(name: decoded, mode: EntryMode(rawValue: git_tree_entry_filemode_raw(entry).rawValue), id: ObjectID(id.pointee))
    }
}

/// The pending changes below one directory, keyed by the UTF-8 bytes of each name (not by
/// String, whose equality would merge canonically equivalent but different names).
private final class Directory {
    final class Node {
        enum Kind {
            case set(ObjectID, FileMode)
            case remove
            case directory(Directory)
        }

        let name: String
        var kind: Kind

        init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    var children: [[UInt8]: Node] = [:]
    /// Set when the whole directory was removed and paths below it are set: build from empty.
    var replacesBase = false

    func add(_ change: TreeChange) throws {
        let components = try Self.components(of: change.path)
        var directory = self
        for component in components.dropLast() {
            let key = Array(component.utf8)
            guard let node = directory.children[key] else {
                let child = Directory()
                directory.children[key] = Node(name: component, kind: .directory(child))
                directory = child
                continue
            }
            switch node.kind {
            case .directory(let child):
                directory = child
            case .remove:
                let child = Directory()
                child.replacesBase = true
                node.kind = .directory(child)
                directory = child
            case .set:
                throw Self.invalid(change.path, "goes through a path that is also set")
            }
        }
        let name = components[components.count - 1]
        let key = Array(name.utf8)
        let existing = directory.children[key]
        switch (change, existing?.kind) {
        case (.set(_, let id, let mode), nil):
            directory.children[key] = Node(name: name, kind: .set(id, mode))
        case (.remove, nil):
            directory.children[key] = Node(name: name, kind: .remove)
        case (.remove, .directory(let child)?):
            child.replacesBase = true
        default:
            throw Self.invalid(change.path, "is changed more than once")
        }
    }

    private static func components(of path: String) throws -> [String] {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for component in components {
            if component.isEmpty { throw invalid(path, "has an empty component") }
            if component == "." || component == ".." { throw invalid(path, "has a '\(component)' component") }
            if component.utf8.contains(0) { throw invalid(path, "contains a NUL byte") }
        }
        return components
    }

    private static func invalid(_ path: String, _ problem: String) -> GitError {
        GitError(function: "Repository.buildTree", code: .invalid, message: "path '\(path)' \(problem)")
    }
}
