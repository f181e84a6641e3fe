import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files replaced whole: the bytes go to `.<name>.webjcase-<pid>` beside the file, which
/// is then renamed over it, so a reader sees the old file or the new one. A process killed
/// in between leaves only its temporary, which `sweep` removes once that process is gone.
package enum AtomicFile {
    static let marker = ".webjcase-"

    package static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + marker + "\(getpid())").path
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Removes the temporaries in `directory` whose writer is no longer running; how many.
    @discardableResult
    static func sweep(_ directory: String) -> Int {
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(".") {
            guard let range = name.range(of: marker, options: .backwards), let pid = Int32(name[range.upperBound...]), pid > 0 else { continue }
            // Alive (or not ours to ask about): left alone.
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            if unlink((directory as NSString).appendingPathComponent(name)) == 0 { removed += 1 }
        }
        return removed
    }
}
