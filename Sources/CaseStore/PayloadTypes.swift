import Foundation
import CaseSigning

/// The media type of step documents inside their signature envelopes.
public let stepPayloadType = "application/vnd.webjcase.step+yaml"

/// The media type of a protected file's admin signatures. It names the path, so that a
/// signature made for one file cannot be moved to another, and the digest of the content
/// it replaces, so that an old signed version cannot be put back without new signatures.
public func protectedPayloadType(_ path: String, replacing previous: Data?) -> String {
    "application/vnd.webjcase.protected; path=\(path); replaces=\(previous.map(Digest.prefixed) ?? "none")"
}
