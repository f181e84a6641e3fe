import Foundation
import FuzzTargets

// libFuzzer's entry point (`scripts/fuzz` builds this product with `--sanitize=fuzzer`); the
// target is chosen by WEBJCASE_FUZZ_TARGET. Built without the sanitizer, the executable does
// nothing: the saved inputs run in the test suite instead (FuzzRegressionTests).
private let target: FuzzTarget? = ProcessInfo.processInfo.environment["WEBJCASE_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let target else {
        fatalError("set WEBJCASE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    target.run(Data(bytes: bytes, count: count))
    return 0
}
