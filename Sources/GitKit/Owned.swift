internal import CLibGit2

/// Sole owner of one libgit2 handle: frees it in `deinit` and keeps the handle's repository alive.
final class Owned<Pointer> {
    private let pointer: Pointer
    private let release: (Pointer?) -> Void
    private let owner: AnyObject?

    init(_ pointer: Pointer, owner: AnyObject?, release: @escaping (Pointer?) -> Void) {
        self.pointer = pointer
        self.owner = owner
        self.release = release
    }

    deinit { release(pointer) }

    /// Runs `body` with the raw handle, which stays valid until `body` returns.
    func use<Result>(_ body: (Pointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(pointer) }
    }
}

/// Calls a libgit2 constructor with an out-parameter and takes ownership of what it returns.
func make<Pointer>(
    _ function: String,
    owner: AnyObject?,
    release: @escaping (Pointer?) -> Void,
    _ create: (inout Pointer?) -> Int32
) throws -> Owned<Pointer> {
    var out: Pointer?
    try check(function, create(&out))
    guard let out else { throw GitError(function: function, code: .other(0), message: "returned no handle") }
    return Owned(out, owner: owner, release: release)
}
