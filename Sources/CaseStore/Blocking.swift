import Foundation

/// Runs async work to completion from synchronous code.
///
/// swift-certificates' `Verifier` is async although it does no I/O, while the validator is
/// synchronous: it runs in git hooks and holds libgit2 handles that must stay on one
/// thread. The work runs on a thread of its own (a task executor), never on Swift's
/// cooperative pool, so blocking the caller — even a caller on that pool — cannot
/// deadlock it.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = BlockingOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: BlockingExecutor.shared) {
        do {
            outcome.value = .success(try await body())
        } catch {
            outcome.value = .failure(error)
        }
        done.signal()
    }
    done.wait()
    guard let value = outcome.value else { fatalError("runBlocking: the task ended without a result") }
    return try value.get()
}

/// The result slot of `runBlocking`, written by the task before it signals, read after.
private final class BlockingOutcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}

/// A task executor with one dedicated thread that runs jobs in order.
final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = BlockingExecutor()

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "webjcase.blocking"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// A value one thread sets and another reads (a callback's answer, a task's result).
public final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    public init() {}
    public func set(_ value: Value) { lock.withLock { stored = value } }
    public var value: Value? { lock.withLock { stored } }
}
