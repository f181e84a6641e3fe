import Foundation
import CaseStore
import CaseModel
#if canImport(Glibc)
import Glibc
#endif

/// One request's scratch directory, under the hub's own `<root>/.webjcase-scratch` (mode
/// 0700; its files 0600): the body on its way to git, git's answer on its way back. It is
/// removed with the last reference to it, however the request ended (answered, refused,
/// failed, its client gone or its task cancelled), or earlier by `remove()`.
final class ScratchDirectory: Sendable {
    /// The directory of every request's scratch directory, in the hub's root.
    static let name = ".webjcase-scratch"

    let url: URL

    /// A new directory in `parent`, mode 0700.
    init(in parent: URL) throws {
        url = parent.appendingPathComponent(UUID().uuidString)
        guard mkdir(url.path, 0o700) == 0 else { throw Self.failure(url.path) }
    }

    deinit { remove() }

    /// A new empty file of the directory, mode 0600.
    func create(_ name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        let descriptor = open(file.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure(file.path) }
        close(descriptor)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Makes `directory` anew, mode 0700: whatever a server that died left in it goes.
    static func prepare(_ directory: URL) throws {
        if (try? FileManager.default.attributesOfItem(atPath: directory.path)) != nil {
            do { try FileManager.default.removeItem(at: directory) } catch {
                throw CaseError(.fileWriteFailed, ["file": directory.path, "reason": error.localizedDescription])
            }
        }
        guard mkdir(directory.path, 0o700) == 0 else { throw failure(directory.path) }
    }

    private static func failure(_ path: String) -> CaseError {
        CaseError(.fileWriteFailed, ["file": path, "reason": String(cString: strerror(errno))])
    }
}
