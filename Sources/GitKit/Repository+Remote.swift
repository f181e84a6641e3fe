import Foundation
internal import CLibGit2

/// A node's credentials for its hub: HTTP basic, the node's name and token.
public struct RemoteCredentials: Sendable {
    public let user: String
    public let password: String
    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// What a push came back with.
public struct PushOutcome: Sendable {
    /// The status the remote gave the ref when it refused it (nil: accepted).
    public let rejection: String?
    /// What the remote's hooks said (git's sideband "remote:" lines).
    public let remoteMessages: String
}

/// How far a transfer has come: objects done of the total, and bytes.
public struct TransferProgress: Sendable {
    public let done: Int
    public let total: Int
    public let bytes: Int
}

/// State shared with libgit2's C callbacks through their payload pointer.
final class RemoteCallbacks {
    let credentials: RemoteCredentials?
    let progress: ((TransferProgress) -> Void)?
    var credentialAttempts = 0
    var messages = ""
    var rejection: String?

    init(credentials: RemoteCredentials?, progress: ((TransferProgress) -> Void)? = nil) {
        self.credentials = credentials
        self.progress = progress
    }
}

extension Repository {
    /// Fetches `refspecs` from `url` (an anonymous remote: nothing is written to the config).
    /// Remote hooks never run for what is fetched; the caller validates what it got.
    public func fetch(url: String, refspecs: [String], credentials: RemoteCredentials?,
                      progress: ((TransferProgress) -> Void)? = nil) throws {
        try Runtime.start()
        let state = RemoteCallbacks(credentials: credentials, progress: progress)
        try withRemote(url) { remote in
            var options = git_fetch_options()
            try check("git_fetch_options_init", git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)))
            Self.installCallbacks(&options.callbacks, state)
            options.prune = GIT_FETCH_NO_PRUNE
            options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
            try withStrings(refspecs) { array in
                try withExtendedLifetime(state) {
                    _ = try check("git_remote_fetch", git_remote_fetch(remote, &array, &options, "webjcase: fetch"))
                }
            }
        }
    }

    /// Pushes one refspec to `url`. A refusal by the remote (its pre-receive hook, or a
    /// non-fast-forward) is returned, not thrown; transport failures throw.
    public func push(url: String, refspec: String, credentials: RemoteCredentials?,
                     progress: ((TransferProgress) -> Void)? = nil) throws -> PushOutcome {
        try Runtime.start()
        let state = RemoteCallbacks(credentials: credentials, progress: progress)
        try withRemote(url) { remote in
            var options = git_push_options()
            try check("git_push_options_init", git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)))
            Self.installCallbacks(&options.callbacks, state)
            options.callbacks.push_update_reference = { _, status, payload in
                guard let payload else { return 0 }
                let state = Unmanaged<RemoteCallbacks>.fromOpaque(payload).takeUnretainedValue()
                if let status { state.rejection = String(cString: status) }
                return 0
            }
            try withStrings([refspec]) { array in
                try withExtendedLifetime(state) {
                    _ = try check("git_remote_push", git_remote_push(remote, &array, &options))
                }
            }
        }
        return PushOutcome(rejection: state.rejection, remoteMessages: state.messages)
    }

    static func installCallbacks(_ callbacks: inout git_remote_callbacks, _ state: RemoteCallbacks) {
        callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        callbacks.credentials = { out, _, _, allowed, payload in
            guard let out, let payload else { return -1 }
            let state = Unmanaged<RemoteCallbacks>.fromOpaque(payload).takeUnretainedValue()
            // libgit2 asks again after a refusal: once is enough to know the token is wrong.
            state.credentialAttempts += 1
            guard let credentials = state.credentials, state.credentialAttempts <= 1,
                  allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else { return GIT_EAUTH.rawValue }
            return git_credential_userpass_plaintext_new(out, credentials.user, credentials.password)
        }
        if state.progress != nil {
            callbacks.transfer_progress = { stats, payload in
                guard let stats, let payload else { return 0 }
                let state = Unmanaged<RemoteCallbacks>.fromOpaque(payload).takeUnretainedValue()
                state.progress?(TransferProgress(done: Int(stats.pointee.received_objects), total: Int(stats.pointee.total_objects),
                                                 bytes: Int(stats.pointee.received_bytes)))
                return 0
            }
            callbacks.push_transfer_progress = { current, total, bytes, payload in
                guard let payload else { return 0 }
                let state = Unmanaged<RemoteCallbacks>.fromOpaque(payload).takeUnretainedValue()
                state.progress?(TransferProgress(done: Int(current), total: Int(total), bytes: Int(bytes)))
                return 0
            }
        }
        callbacks.sideband_progress = { text, length, payload in
            guard let text, let payload, length > 0 else { return 0 }
            let state = Unmanaged<RemoteCallbacks>.fromOpaque(payload).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
            state.messages += String(decoding: bytes, as: UTF8.self)
            return 0
        }
    }

    private func withRemote(_ url: String, _ body: (OpaquePointer) throws -> Void) throws {
        var remote: OpaquePointer?
        try check("git_remote_create_anonymous", git_remote_create_anonymous(&remote, pointer, url))
        guard let remote else { throw GitError(function: "git_remote_create_anonymous", code: .other(0), message: "returned no remote") }
        defer { git_remote_free(remote) }
        try body(remote)
    }

    private func withStrings(_ strings: [String], _ body: (inout git_strarray) throws -> Void) throws {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        try pointers.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: strings.count)
            try body(&array)
        }
    }
}
