import Foundation
internal import CLibGit2

/// One object directory opened on its own, without a repository or git's environment (its
/// `info/alternates` are followed): a push's quarantine (`GIT_QUARANTINE_PATH`, what the push
/// alone brought), or a repository's `objects/` without the quarantine a hook sees beside it.
public final class ObjectDirectory {
    private let pointer: OpaquePointer

    /// Opens the object directory at `path` (loose objects and `pack/`).
    public init(path: String) throws {
        try Runtime.start()
        var out: OpaquePointer?
        _ = try check("git_odb_open", git_odb_open(&out, path))
        guard let out else { throw GitError(function: "git_odb_open", code: .other(0), message: "returned no object database") }
        pointer = out
    }

    deinit { git_odb_free(pointer) }

    /// Whether the directory (or an alternate of it) holds `id`.
    public func contains(_ id: ObjectID) -> Bool {
        var oid = id.oid
        return git_odb_exists(pointer, &oid) == 1
    }

    /// Every object the directory holds (and its alternates, when it has any), loose or
    /// packed, in no particular order; an object both loose and packed is listed twice.
    public func objectIDs() throws -> [ObjectID] {
        final class Found { var ids: [ObjectID] = [] }
        let found = Found()
        let result = withExtendedLifetime(found) {
            git_odb_foreach(pointer, { oid, payload in
                guard let oid, let payload else { return 0 }
                Unmanaged<Found>.fromOpaque(payload).takeUnretainedValue().ids.append(ObjectID(oid.pointee))
                return 0
            }, Unmanaged.passUnretained(found).toOpaque())
        }
        _ = try check("git_odb_foreach", result)
        return found.ids
    }
}
