internal import CLibGit2

extension Repository {
    /// Runs `body` with every object this handle writes (`writeBlob`, `buildTree`, `createCommit`) kept in
    /// memory (libgit2's mempack backend); when `body` returns, stores them as one pack (`.pack` and `.idx`
    /// in `objects/pack`) and returns `body`'s result. Much faster than loose objects for many writes.
    ///
    /// What is stored is what `git_mempack_dump` packs: the commits written in `body` and every tree and
    /// blob they reach. A blob or tree that no commit written in `body` reaches is dropped, as `git gc`
    /// would drop it; nothing is written when `body` writes no commit. If `body` throws (or the pack
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
            defer { retire(memory, from: odb) }
            let result = try body()
            try storePack(from: memory, in: odb)
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

    /// Writes what `memory` holds as one pack through the odb's pack backend (which indexes it into
    /// `objects/pack`), then rescans the packs so that reads find it. Nothing when there is no object.
    private func storePack(from memory: UnsafeMutablePointer<git_odb_backend>, in odb: OpaquePointer) throws {
        var pack = git_buf()
        defer { git_buf_dispose(&pack) }
        try check("git_mempack_dump", git_mempack_dump(&pack, pointer, memory))
        // "PACK", version, object count: 4-byte big-endian fields.
        guard let bytes = pack.ptr.map(UnsafeRawPointer.init), pack.size >= 12 else {
            throw GitError(function: "git_mempack_dump", code: .other(0), message: "returned no pack")
        }
        let count = (8..<12).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes.load(fromByteOffset: $1, as: UInt8.self)) }
        if count == 0 { return }
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
            try check("git_odb_writepack.append", append(writer, bytes, pack.size, &progress))
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
