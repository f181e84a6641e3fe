import Crypto
import Foundation

/// SHA-256 as the formats spell it.
public enum Digest {
    /// Lowercase hex of the SHA-256 of `data`.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }

    /// `sha256:<hex>`, the form of `previous:` and policy fingerprints.
    public static func prefixed(_ data: Data) -> String {
        "sha256:" + sha256Hex(data)
    }
}
