internal import CLibGit2

extension Repository {
    /// The commit a reference points to (following symbolic references such as HEAD); nil when it does not exist.
    public func reference(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check("git_reference_name_to_id", result)
        return ObjectID(oid)
    }

    /// Points reference `name` at `new` only if it still points at `old` (nil: only if it does not exist yet).
    ///
    /// The check and the write happen under the reference's lock. Throws `.modified` when the
    /// reference points elsewhere, `.notFound` when it was expected but is gone, `.exists` when
    /// it was expected absent; nothing changes then. `message` goes to the reflog.
    public func updateReference(_ name: String, to new: ObjectID, expected old: ObjectID?, message: String) throws {
        var target = new.oid
        if let old {
            var current = old.oid
            _ = try make("git_reference_create_matching", owner: self, release: git_reference_free) {
                git_reference_create_matching(&$0, pointer, name, &target, 1, &current, message)
            }
        } else {
            // libgit2 1.5 checks that the reference is absent before it takes the lock, so
            // two creators could both succeed: take the lock first, then look. (A
            // transaction does not check the target, as `git_reference_create` does.)
            guard objectExists(new) else {
                throw GitError(function: "git_transaction_set_target", code: .notFound, message: "the target \(new.hex) of '\(name)' is not in the repository")
            }
            let transaction = try make("git_transaction_new", owner: self, release: git_transaction_free) {
                git_transaction_new(&$0, pointer)
            }
            try transaction.use { transaction in
                _ = try check("git_transaction_lock_ref", git_transaction_lock_ref(transaction, name))
                if try reference(name) != nil {
                    throw GitError(function: "git_transaction_lock_ref", code: .exists, message: "reference '\(name)' already exists")
                }
                _ = try check("git_transaction_set_target", git_transaction_set_target(transaction, name, &target, nil, message))
                _ = try check("git_transaction_commit", git_transaction_commit(transaction))
            }
        }
    }

    /// Removes reference `name` (nothing when it does not exist).
    public func deleteReference(_ name: String) throws {
        let result = git_reference_remove(pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return }
        _ = try check("git_reference_remove", result)
    }

    /// The direct references whose names match `glob` (e.g. "refs/heads/*"), sorted by name; symbolic ones are skipped.
    public func references(matching glob: String) throws -> [(name: String, id: ObjectID)] {
        let iterator = try make("git_reference_iterator_glob_new", owner: self, release: git_reference_iterator_free) {
            git_reference_iterator_glob_new(&$0, pointer, glob)
        }
        var found: [(name: String, id: ObjectID)] = []
        try iterator.use { iterator in
            while true {
                var out: OpaquePointer?
                let result = git_reference_next(&out, iterator)
                if result == GIT_ITEROVER.rawValue { break }
                try check("git_reference_next", result)
                guard let out else { continue }
                let reference = Owned<OpaquePointer>(out, owner: self, release: git_reference_free)
                reference.use { reference in
                    guard git_reference_type(reference) == GIT_REFERENCE_DIRECT,
                          let name = git_reference_name(reference), let target = git_reference_target(reference)
                    else { return }
                    found.append((String(cString: name), ObjectID(target.pointee)))
                }
            }
        }
        return found.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    /// Commits reachable from `tips` but not from `hiding`, children before parents and newer first
    /// (like `git rev-list --date-order`); `oldestFirst` reverses the list.
    public func walk(from tips: [ObjectID], hiding: [ObjectID] = [], oldestFirst: Bool = false) throws -> [ObjectID] {
        let walker = try make("git_revwalk_new", owner: self, release: git_revwalk_free) {
            git_revwalk_new(&$0, pointer)
        }
        return try walker.use { walker in
            var mode = GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue
            if oldestFirst { mode |= GIT_SORT_REVERSE.rawValue }
            try check("git_revwalk_sorting", git_revwalk_sorting(walker, mode))
            for tip in tips {
                var oid = tip.oid
                try check("git_revwalk_push", git_revwalk_push(walker, &oid))
            }
            for hidden in hiding {
                var oid = hidden.oid
                try check("git_revwalk_hide", git_revwalk_hide(walker, &oid))
            }
            var commits: [ObjectID] = []
            var oid = git_oid()
            while true {
                let result = git_revwalk_next(&oid, walker)
                if result == GIT_ITEROVER.rawValue { break }
                try check("git_revwalk_next", result)
                commits.append(ObjectID(oid))
            }
            return commits
        }
    }

    /// Whether `ancestor` is reachable from `commit` through parents; false when they are the same commit.
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws -> Bool {
        var descendant = commit.oid
        var ancestorID = ancestor.oid
        return try check("git_graph_descendant_of", git_graph_descendant_of(pointer, &descendant, &ancestorID)) == 1
    }
}

extension Repository {
    /// The commit a revision expression names (`main`, `main~3`, `origin/main`, an id), as
    /// `git rev-parse`; nil when it names nothing.
    public func resolveCommit(_ spec: String) throws -> ObjectID? {
        var object: OpaquePointer?
        let result = git_revparse_single(&object, pointer, spec)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue || result == GIT_EAMBIGUOUS.rawValue { return nil }
        try check("git_revparse_single", result)
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check("git_object_peel", git_object_peel(&commit, object, GIT_OBJECT_COMMIT))
        defer { git_object_free(commit) }
        guard let id = git_object_id(commit) else { return nil }
        return ObjectID(id.pointee)
    }
}
