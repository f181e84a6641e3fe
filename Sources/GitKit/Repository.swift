import Foundation
internal import CLibGit2

/// An open git repository, owning its libgit2 handle.
///
/// Not thread-safe: libgit2 forbids using one repository handle from several threads at once,
/// so a `Repository` is not `Sendable`. Open one per thread or task instead.
public final class Repository {
    let pointer: OpaquePointer
    /// While `writingOnePack` runs: the commits written, with their parents, to pack them.
    var packedCommits: [(id: ObjectID, parent: ObjectID?)]?
    /// Opened from git's environment: its object directories are the environment's.
    var fromEnvironment = false
    /// The trees read last, in two generations of 256 (libgit2's own cache is shared by every
    /// handle of the process and drops objects at random once full: it cannot be relied on to
    /// keep a commit's trees). A replay's working set, the trees on the paths of the last few
    /// dozen commits, stays; memory stays bounded.
    var trees = BoundedCache<ObjectID, KeptTree>(limit: 512)

    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        // The trees go first: freeing one needs its repository.
        trees.removeAll()
        git_repository_free(pointer)
    }

    /// Creates a repository at `path` (creating directories) with HEAD on `refs/heads/main`; `.exists` if one is there.
    public static func create(at path: String, bare: Bool) throws -> Repository {
        try Runtime.start()
        var options = git_repository_init_options()
        try check(
            "git_repository_init_options_init",
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        )
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        if bare { options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue }
        var out: OpaquePointer?
        let result = "main".withCString { head in
            options.initial_head = head
            return git_repository_init_ext(&out, path, &options)
        }
        try check("git_repository_init_ext", result)
        guard let out else { throw GitError(function: "git_repository_init_ext", code: .other(0), message: "returned no repository") }
        return Repository(owning: out)
    }

    /// Opens the repository at `path` (a work tree or a git directory); does not search parent directories.
    public convenience init(path: String) throws {
        try Runtime.start()
        var out: OpaquePointer?
        try check(
            "git_repository_open_ext",
            git_repository_open_ext(&out, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        )
        guard let out else { throw GitError(function: "git_repository_open_ext", code: .other(0), message: "returned no repository") }
        self.init(owning: out)
    }

    /// Opens the repository git's environment names (GIT_DIR, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES, …),
    /// as a hook must to see a push's quarantined objects.
    public static func openFromEnvironment() throws -> Repository {
        try Runtime.start()
        var out: OpaquePointer?
        try check(
            "git_repository_open_ext",
            git_repository_open_ext(&out, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil)
        )
        guard let out else { throw GitError(function: "git_repository_open_ext", code: .other(0), message: "returned no repository") }
        let repository = Repository(owning: out)
        repository.fromEnvironment = true
        return repository
    }

    /// Whether the repository has no work tree.
    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// The absolute path of the git directory, without a trailing slash.
    public var gitDirectory: String {
        git_repository_path(pointer).map { Self.trimmingSlash(String(cString: $0)) } ?? ""
    }

    /// Lets go of every pack this handle holds and opens its object database afresh: once no
    /// other handle of the process holds a pack either, libgit2 frees it with its cache of
    /// delta bases (up to 16 MiB a pack, filled as a walk reads through history and only
    /// freed with the pack). The old database goes before the new one opens, or the new one
    /// would share the packs, caches and all. For long walks over history spread over many
    /// packs; the object cache of parsed objects stays. Nothing is done for a handle opened
    /// from git's environment (a hook's quarantine and alternates are not in `objects/`),
    /// nor while `writingOnePack` runs.
    public func reopenObjectDatabase() throws {
        guard !fromEnvironment, packedCommits == nil else { return }
        var empty: OpaquePointer?
        _ = try check("git_odb_new", git_odb_new(&empty))
        defer { git_odb_free(empty) }
        _ = try check("git_repository_set_odb", git_repository_set_odb(pointer, empty))
        var fresh: OpaquePointer?
        _ = try check("git_odb_open", git_odb_open(&fresh, gitDirectory + "/objects"))
        defer { git_odb_free(fresh) }
        _ = try check("git_repository_set_odb", git_repository_set_odb(pointer, fresh))
    }

    /// The absolute path of the work tree, without a trailing slash; nil when bare.
    public var workDirectory: String? {
        git_repository_workdir(pointer).map { Self.trimmingSlash(String(cString: $0)) }
    }

    /// Whether the object database (including alternates) holds `id`.
    public func objectExists(_ id: ObjectID) -> Bool {
        guard let database = try? make("git_repository_odb", owner: self, release: git_odb_free, {
            git_repository_odb(&$0, pointer)
        }) else { return false }
        var oid = id.oid
        return database.use { git_odb_exists($0, &oid) == 1 }
    }

    /// The size in bytes of object `id`'s content, read from its header: a blob's size
    /// without inflating the blob.
    public func objectSize(_ id: ObjectID) throws -> Int {
        let database = try make("git_repository_odb", owner: self, release: git_odb_free) {
            git_repository_odb(&$0, pointer)
        }
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_ANY
        try database.use { _ = try check("git_odb_read_header", git_odb_read_header(&size, &type, $0, &oid)) }
        return size
    }

    /// Sets `key` in the repository's own config file (`config` in the git directory).
    public func setConfig(_ key: String, _ value: String) throws {
        try localConfig().use { config in
            _ = try check("git_config_set_string", git_config_set_string(config, key, value))
        }
    }

    /// Reads `key` from the repository's own config file; nil when unset.
    public func config(_ key: String) throws -> String? {
        try localConfig().use { config in
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            let result = git_config_get_string_buf(&buffer, config, key)
            if result == GIT_ENOTFOUND.rawValue { return nil }
            try check("git_config_get_string_buf", result)
            return buffer.ptr.map { String(cString: $0) } ?? ""
        }
    }

    private func localConfig() throws -> Owned<OpaquePointer> {
        let all = try make("git_repository_config", owner: self, release: git_config_free) {
            git_repository_config(&$0, pointer)
        }
        return try all.use { all in
            try make("git_config_open_level", owner: self, release: git_config_free) {
                git_config_open_level(&$0, all, GIT_CONFIG_LEVEL_LOCAL)
            }
        }
    }

    private static func trimmingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

@available(*, unavailable, message: "a libgit2 repository handle must not be shared between threads")
extension Repository: Sendable {}
