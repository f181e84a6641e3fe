import Foundation
import CaseModel

/// Reads a file a person gave on the command line, with catalogue errors for a missing,
/// unreadable or (with `limit`) too large file. Reads at most `limit + 1` bytes, so that
/// a huge file is refused without reading it all.
public func readInputFile(_ path: String, limit: Int? = nil) throws -> Data {
    guard let handle = FileHandle(forReadingAtPath: path) else {
        let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
        throw CaseError(.fileUnreadable, ["file": path, "reason": reason])
    }
    defer { try? handle.close() }
    do {
        guard let limit else { return try handle.readToEnd() ?? Data() }
        let data = try handle.read(upToCount: limit + 1) ?? Data()
        if data.count > limit {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? data.count
            throw CaseError(.yamlTooLarge, ["file": path, "size": "\(size)", "limit": "\(limit)"])
        }
        return data
    } catch let error as CaseError {
        throw error
    } catch {
        throw CaseError(.fileUnreadable, ["file": path, "reason": "\(error.localizedDescription)"])
    }
}
