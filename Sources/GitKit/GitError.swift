internal import CLibGit2

/// A failed libgit2 call (or a GitKit check), with libgit2's own error class and message.
public struct GitError: Error, CustomStringConvertible, Sendable {
    /// The libgit2 return code, for the cases callers act on.
    public enum Code: Sendable, Equatable {
        /// GIT_ENOTFOUND: the object, reference, path or repository does not exist.
        case notFound
        /// GIT_EEXISTS: something already exists (a reference created with no expected value, a repository).
        case exists
        /// GIT_ENONFASTFORWARD: the update is not a fast-forward.
        case nonFastForward
        /// GIT_EMODIFIED: the reference no longer has the expected value.
        case modified
        /// GIT_ELOCKED: a lock file is held by someone else.
        case locked
        /// GIT_EAMBIGUOUS: more than one object matches.
        case ambiguous
        /// GIT_EUNBORNBRANCH: HEAD points to a branch with no commits.
        case unbornBranch
        /// GIT_EINVALID, GIT_EINVALIDSPEC, or input GitKit refused.
        case invalid
        /// GIT_ECONFLICT: checkout would overwrite local changes.
        case conflict
        /// GIT_EMISMATCH: an object's bytes do not hash to its id (a damaged or altered object).
        case mismatch
        /// Any other libgit2 return code.
        case other(Int32)

        init(returnCode: Int32) {
            switch returnCode {
            case GIT_ENOTFOUND.rawValue: self = .notFound
            case GIT_EEXISTS.rawValue: self = .exists
            case GIT_ENONFASTFORWARD.rawValue: self = .nonFastForward
            case GIT_EMODIFIED.rawValue: self = .modified
            case GIT_ELOCKED.rawValue: self = .locked
            case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
            case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
            case GIT_EINVALID.rawValue, GIT_EINVALIDSPEC.rawValue: self = .invalid
            case GIT_ECONFLICT.rawValue: self = .conflict
            case GIT_EMISMATCH.rawValue: self = .mismatch
            default: self = .other(returnCode)
            }
        }
    }

    /// What went wrong, by return code.
    public let code: Code
    /// The libgit2 function that failed (or the GitKit method, for GitKit's own checks).
    public let function: String
    /// libgit2's error class (`git_error_t`, e.g. 3 = GIT_ERROR_INVALID), 0 if none was set.
    public let errorClass: Int32
    /// libgit2's error message.
    public let message: String

    /// "function: message (code, class)".
    public var description: String {
        "\(function): \(message) (code \(code), class \(errorClass))"
    }

    /// Captures `git_error_last()`, which is thread-local: call this right after the failing call.
    init(function: String, returnCode: Int32) {
        self.code = Code(returnCode: returnCode)
        self.function = function
        if let last = git_error_last() {
            self.errorClass = last.pointee.klass
            self.message = last.pointee.message.map { String(cString: $0) } ?? "no message"
        } else {
            self.errorClass = 0
            self.message = "libgit2 returned \(returnCode) without an error message"
        }
    }

    /// An error found by GitKit itself.
    init(function: String, code: Code, message: String) {
        self.code = code
        self.function = function
        self.errorClass = Int32(GIT_ERROR_INVALID.rawValue)
        self.message = message
    }
}

/// Throws a `GitError` naming `function` when `result` is negative.
@discardableResult
func check(_ function: String, _ result: Int32) throws -> Int32 {
    if result < 0 { throw GitError(function: function, returnCode: result) }
    return result
}
