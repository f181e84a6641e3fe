import Foundation
internal import CLibGit2

extension Repository {
    /// Clones `url` into `path` (bare or with `main` checked out). Remote hooks never run
    /// for what is fetched; the caller validates the history it got.
    public static func clone(from url: String, to path: String, bare: Bool, credentials: RemoteCredentials? = nil) throws -> Repository {
        try Runtime.start()
        var options = git_clone_options()
        try check("git_clone_options_init", git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)))
        options.bare = bare ? 1 : 0
        options.checkout_opts.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        let state = RemoteCallbacks(credentials: credentials)
        Self.installCallbacks(&options.fetch_opts.callbacks, state)
        var out: OpaquePointer?
        let result = withExtendedLifetime(state) {
            "main".withCString { branch in
                options.checkout_branch = branch
                return git_clone(&out, url, path, &options)
            }
        }
        try check("git_clone", result)
        guard let out else { throw GitError(function: "git_clone", code: .other(0), message: "returned no repository") }
        return Repository(owning: out)
    }
}
