internal import CLibGit2

extension Repository {
    /// Runs `body` with every object this handle writes (`writeBlob`, `buildTree`, `createCommit`) kept in
    /// memory (libgit2's mempack backend); when `body` returns, stores them as one pack (`.pack` and `.idx`
    /// in `objects/pack`) and returns `body`'s result. Much faster than loose objects for many writes.
    ///
    /// What is stored: the commits written in `body` and every tree and blob they reach that their parents
    /// (written before) do not. A blob or tree that no commit written in `body` reaches is dropped, as
    /// `git gc` would drop it; nothing is written when `body` writes no commit. If `body` throws (or the pack
    /// cannot be written), nothing is written at all and the objects are gone from this handle too.
    ///
    /// Objects written in `body` exist only on this handle until it returns: do not point references at
    /// them (nor hand their ids to another handle or process) before then. Other handles' writes go to
    /// disk as usual. Not reentrant: a nested call on the same handle throws `.invalid`.
    ///
    /// Afterwards this handle reads the new objects from the pack and writes loose objects again. Its
    /// caches (objects, config, references, index) are dropped and reloaded when next needed.
    public func writingOnePack<T>(_ body: () throws -> T) throws -> T {
        let database = try make("git_repository_odb", owner: self, release: git_odb_free) {
            git_repository_odb(&$0, pointer)
        }
        return try database.use { odb in
            let memory = try memoryBackend(in: odb)
            packedCommits = []
            defer {
                packedCommits = nil
                retire(memory, from: odb)
            }
            let result = try body()
            try storePack(in: odb)
            return result
        }
    }

    /// The odb's mempack backend with its writes enabled: the one an earlier call added, or a new one at
    /// a priority above the loose and pack backends (1 and 2), so that every write lands in memory.
    ///
    /// libgit2 1.5 cannot remove a backend from an odb, so a retired mempack stays in the odb, empty and
    /// with its `write` cleared (the odb skips a backend without `write`), until the next call enables it.
    private func memoryBackend(in odb: OpaquePointer) throws -> UnsafeMutablePointer<git_odb_backend> {
        var out: UnsafeMutablePointer<git_odb_backend>?
        try check("git_mempack_new", git_mempack_new(&out))
        guard let fresh = out else {
            throw GitError(function: "git_mempack_new", code: .other(0), message: "returned no backend")
        }
        var existing: UnsafeMutablePointer<git_odb_backend>?
        for index in 0..<git_odb_num_backends(odb) {
            var backend: UnsafeMutablePointer<git_odb_backend>?
            try check("git_odb_get_backend", git_odb_get_backend(&backend, odb, index))
            if let backend, webjcase_git_odb_backends_same_kind(backend, fresh) != 0 {
                existing = backend
                break
            }
        }
        if let existing {
            let active = existing.pointee.write != nil
            if !active { existing.pointee.write = fresh.pointee.write }
            fresh.pointee.free?(fresh)
            if active {
                throw GitError(
                    function: "Repository.writingOnePack", code: .invalid,
                    message: "this repository handle is already writing one pack"
                )
            }
            return existing
        }
        let added = git_odb_add_backend(odb, fresh, 999)
        if added < 0 {
            let error = GitError(function: "git_odb_add_backend", returnCode: added)
            fresh.pointee.free?(fresh)
            throw error
        }
        return fresh  // now owned by the odb
    }

    /// Writes the commits written in the body, and the trees and blobs they reach that their
    /// parents do not, as one pack through the odb's pack backend (which indexes it into
    /// `objects/pack`), then rescans the packs so that reads find it. Nothing when no commit
    /// was written. (`git_mempack_dump` walks each commit's whole tree, which grows with the
    /// repository; a revision walk that hides the parents visits each tree once.)
    private func storePack(in odb: OpaquePointer) throws {
        let commits = packedCommits ?? []
        if commits.isEmpty { return }
        let written = Set(commits.map(\.id))
        let walk = try make("git_revwalk_new", owner: self, release: git_revwalk_free) { git_revwalk_new(&$0, pointer) }
        let builder = try make("git_packbuilder_new", owner: self, release: git_packbuilder_free) { git_packbuilder_new(&$0, pointer) }
        var pack = git_buf()
        defer { git_buf_dispose(&pack) }
        try walk.use { walk in
            for (id, parent) in commits {
                var oid = id.oid
                try check("git_revwalk_push", git_revwalk_push(walk, &oid))
                if let parent, !written.contains(parent) {
                    var hidden = parent.oid
                    try check("git_revwalk_hide", git_revwalk_hide(walk, &hidden))
                }
            }
            try builder.use { builder in
                try check("git_packbuilder_insert_walk", git_packbuilder_insert_walk(builder, walk))
                try check("git_packbuilder_write_buf", git_packbuilder_write_buf(&pack, builder))
            }
        }
        guard let bytes = pack.ptr.map(UnsafeRawPointer.init), pack.size >= 12 else {
            throw GitError(function: "git_packbuilder_write_buf", code: .other(0), message: "returned no pack")
        }
        let writer = try make(
            "git_odb_write_pack", owner: self,
            release: { (writer: UnsafeMutablePointer<git_odb_writepack>?) in writer?.pointee.free?(writer) },
            { git_odb_write_pack(&$0, odb, nil, nil) }
        )
        try writer.use { writer in
            guard let append = writer.pointee.append, let commit = writer.pointee.commit else {
                throw GitError(function: "git_odb_write_pack", code: .other(0), message: "the pack writer cannot append or commit")
            }
            var progress = git_indexer_progress()
            // In pieces, as a fetch feeds it: the indexer reads back what it was given through
            // pack windows (16 MiB here, see Runtime), and an object that straddles the end of
            // one within a single append was left unparsed ("unexpected data at the end").
            var offset = 0
            while offset < pack.size {
                let length = min(1 << 20, pack.size - offset)
                try check("git_odb_writepack.append", append(writer, bytes + offset, length, &progress))
                offset += length
            }
            try check("git_odb_writepack.commit", commit(writer, &progress))
        }
        try check("git_odb_refresh", git_odb_refresh(odb))
    }

    /// Empties `memory` and stops it taking writes, so that reads fall through to the loose and pack
    /// backends and writes go to loose objects again. Then drops the handle's caches, which may still
    /// hold objects that were only in memory, and gives the handle back the same odb (with its alternates).
    private func retire(_ memory: UnsafeMutablePointer<git_odb_backend>, from odb: OpaquePointer) {
        _ = git_mempack_reset(memory)  // always 0
        memory.pointee.write = nil
        _ = git_repository__cleanup(pointer)  // 0 for a non-null handle
        _ = git_repository_set_odb(pointer, odb)
    }
}
