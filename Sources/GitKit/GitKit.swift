internal import CLibGit2

/// Process-wide facts about the linked libgit2.
public enum GitKit {
    /// The version of the libgit2 library linked at run time, e.g. "1.5.1".
    public static var version: String {
        _ = Runtime.startupError
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        _ = git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// The trailers ("Key: value" lines of the message's last paragraph), in order, as git parses them.
    public static func trailers(in message: String) -> [(key: String, value: String)] {
        guard Runtime.startupError == nil else { return [] }
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        guard let trailers = array.trailers else { return [] }
        return (0..<array.count).compactMap { index in
            let trailer = trailers[index]
            guard let key = trailer.key, let value = trailer.value else { return nil }
            return (String(cString: key), String(cString: value))
        }
    }
}

/// One-time libgit2 initialisation; every entry point calls `Runtime.start()` first.
enum Runtime {
    /// Runs exactly once (static lets are initialised lazily and thread-safely); nil when all went well.
    static let startupError: GitError? = {
        let initialised = git_libgit2_init()
        if initialised < 0 { return GitError(function: "git_libgit2_init", returnCode: initialised) }
        // Only the repository's own config may influence behaviour.
        let levels = [GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL]
        for level in levels {
            let result = webjcase_git_set_search_path_empty(level.rawValue)
            if result < 0 { return GitError(function: "git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH)", returnCode: result) }
        }
        // libgit2 keeps up to 256 MiB of parsed objects per handle by default, and a walk over
        // a whole history fills it (verify's peak memory grew with history until it did); most
        // objects are read about once: 16 MiB keeps the trees a replay goes back to.
        let cache = webjcase_git_set_cache_max_size(16 << 20)
        if cache < 0 { return GitError(function: "git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE)", returnCode: cache) }
        // It keeps no tree over 4 KiB by default, and a directory of a few hundred cases is
        // bigger: every lookup through it was read, inflated and hashed again.
        let trees = webjcase_git_set_tree_cache_limit(1 << 20)
        if trees < 0 { return GitError(function: "git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT)", returnCode: trees) }
        // Packs are read through mapped windows (1 GiB each, 8 GiB in all by default): a walk
        // over a whole history would keep every pack page it touched mapped. Small windows
        // and a limit let libgit2 unmap the least used.
        let windows = webjcase_git_set_mwindow(16 << 20, 64 << 20)
        if windows < 0 { return GitError(function: "git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE)", returnCode: windows) }
        let strict = webjcase_git_set_strict_object_creation(1)
        if strict < 0 {
            return GitError(function: "git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION)", returnCode: strict)
        }
        return nil
    }()

    /// Initialises libgit2 if needed; throws if initialisation failed.
    static func start() throws {
        if let startupError { throw startupError }
    }
}
