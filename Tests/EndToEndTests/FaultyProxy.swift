import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP proxy on 127.0.0.1 in front of a hub that misbehaves on purpose: each connection,
/// by its number, is passed through, cut after some bytes of the hub's answer, or stalled
/// for a while before it.
final class FaultyProxy: @unchecked Sendable {
    enum Fault: Sendable {
        case none
        /// The connection is closed (both ways) once this many bytes of the answer went through.
        case cut(afterBytes: Int)
        /// The answer waits this long before its first byte.
        case stall(seconds: Double)
    }

    let port: UInt16
    private let listener: Int32
    private let upstream: UInt16
    private let plan: @Sendable (Int) -> Fault
    private let lock = NSLock()
    private var connections = 0
    private var stopped = false
    private(set) var faults: [String: Int] = [:]

    init(upstream: UInt16, plan: @escaping @Sendable (Int) -> Fault) throws {
        self.upstream = upstream
        self.plan = plan
        #if os(Linux)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let listener = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        self.listener = listener
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 64) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else { throw ProxyError("cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))") }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// How many connections met each kind of fault.
    var counts: [String: Int] { lock.withLock { faults } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if lock.withLock({ stopped }) { return }
                continue
            }
            let number = lock.withLock { connections += 1; return connections }
            let fault = plan(number)
            lock.withLock {
                let name: String
                switch fault {
                case .none: name = "none"
                case .cut: name = "cut"
                case .stall: name = "stall"
                }
                faults[name, default: 0] += 1
            }
            Thread.detachNewThread { [self] in serve(client, fault) }
        }
    }

    private func serve(_ client: Int32, _ fault: Fault) {
        #if os(Linux)
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let server = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = Self.loopback(port: upstream)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(client)
            close(server)
            return
        }
        let done = DispatchSemaphore(value: 0)
        // The request goes through untouched.
        Thread.detachNewThread {
            Self.pump(from: client, to: server, limit: nil, stall: 0)
            shutdown(server, Int32(SHUT_WR))
            done.signal()
        }
        switch fault {
        case .none: Self.pump(from: server, to: client, limit: nil, stall: 0)
        case .cut(let bytes): Self.pump(from: server, to: client, limit: bytes, stall: 0)
        case .stall(let seconds): Self.pump(from: server, to: client, limit: nil, stall: seconds)
        }
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(server, Int32(SHUT_RDWR))
        done.wait()
        close(client)
        close(server)
    }

    private static func pump(from source: Int32, to target: Int32, limit: Int?, stall: Double) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var sent = 0
        var first = true
        while true {
            let count = read(source, &buffer, buffer.count)
            guard count > 0 else { return }
            if first, stall > 0 { usleep(useconds_t(stall * 1_000_000)) }
            first = false
            var chunk = count
            if let limit { chunk = min(chunk, limit - sent) }
            var offset = 0
            while offset < chunk {
                let written = buffer.withUnsafeBytes { write(target, $0.baseAddress! + offset, chunk - offset) }
                guard written > 0 else { return }
                offset += written
            }
            sent += chunk
            if let limit, sent >= limit { return }
        }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

struct ProxyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
