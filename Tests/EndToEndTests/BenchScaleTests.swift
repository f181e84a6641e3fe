import Foundation
import Testing
import TestSupport

/// `scripts/bench scale` at a tiny scale on the debug build: it runs end to end and ends
/// with its JSON line (the figures themselves come from release builds, docs/performance.md).
@Suite struct BenchScaleTests {
    @Test func theScaleBenchmarkRunsAndPrintsItsJSON() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binaries = URL(fileURLWithPath: webjcaseBinary).deletingLastPathComponent().path
        let result = try runProcess("/bin/bash", [package.appendingPathComponent("scripts/bench-scale").path, "--scale", "40", "--bin", binaries],
                                    in: package.path)
        #expect(result.status == 0, "\(result)")
        let last = try #require(result.stdout.split(separator: "\n").last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(last)")
        for key in ["commits", "cases", "verify_commits_per_s", "raw_limit_commits_per_s", "verify_ratio_to_limit", "git_commits_per_s",
                    "speedup_vs_git", "verify_peak_rss_mb", "prereceive_ms_1k", "prereceive_ms_big", "status_ms", "due_ms"] {
            #expect(object[key] is NSNumber, "\(key) in \(last)")
        }
        #expect(object["cases"] as? Int == 40)
        #expect((object["commits"] as? Int ?? 0) > 40)
    }
}
