internal import CLibGit2
import Foundation

extension Repository {
    /// Updates the index and work tree from `baseline` (what is checked out now; nil: nothing) to `tree`.
    ///
    /// Safe mode: a file whose content differs from `baseline` is never overwritten; the
    /// checkout then fails with `.conflict` before changing anything. HEAD is not moved.
    /// Throws for a bare repository.
    ///
    /// From a baseline, only the paths that differ between the two trees are looked at (a
    /// work tree of thousands of cases is not scanned for one new step).
    public func checkout(tree: ObjectID, baseline: ObjectID?) throws {
        let target = try lookupTree(tree)
        // libgit2 knows the empty tree without it being stored.
        let base = try lookupTree(baseline ?? .emptyTree)
        var options = git_checkout_options()
        try check("git_checkout_options_init", git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)))
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        var paths: [UnsafeMutablePointer<CChar>?] = []
        if let baseline {
            let changed = try changes(from: baseline, to: tree)
            if changed.isEmpty { return }
            paths = changed.map { strdup($0.path) }
            options.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
        }
        defer { paths.forEach { free($0) } }
        let result = paths.withUnsafeMutableBufferPointer { list in
            if !list.isEmpty { options.paths = git_strarray(strings: list.baseAddress, count: list.count) }
            return target.use { target in
                base.use { base in
                    options.baseline = base
                    return git_checkout_tree(pointer, target, &options)
                }
            }
        }
        try check("git_checkout_tree", result)
    }
}

extension Repository {
    /// Writes the index as a tree, as `git write-tree` does, for checking what is staged.
    public func indexTree() throws -> ObjectID {
        var index: OpaquePointer?
        try check("git_repository_index", git_repository_index(&index, pointer))
        defer { git_index_free(index) }
        var id = git_oid()
        try check("git_index_write_tree", git_index_write_tree(&id, index))
        return ObjectID(id)
    }
}

extension Repository {
    /// Stages the work tree's current content of `paths` (relative to the work tree), as
    /// `git add` does, and writes the index.
    public func stage(_ paths: [String]) throws {
        var index: OpaquePointer?
        try check("git_repository_index", git_repository_index(&index, pointer))
        defer { git_index_free(index) }
        for path in paths {
            try check("git_index_add_bypath", git_index_add_bypath(index, path))
        }
        try check("git_index_write", git_index_write(index))
    }
}
