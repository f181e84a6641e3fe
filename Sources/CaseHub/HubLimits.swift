import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes
import CaseModel
import CaseStore

/// How long `serve` waits for a client, and how many connections one client may hold: from
/// the command line, else the hub's config (`serve:`), else these defaults.
public struct HubLimits: Sendable, Equatable {
    /// Seconds from a connection's opening (its TLS handshake included) or its previous
    /// answer to a request's complete head.
    public var headerTimeout: Int
    /// Seconds a client may stay silent while it sends a body, or leave an answer unread.
    public var idleTimeout: Int
    /// Seconds a whole request body may take (a push of 208 MiB needs 0.7 MB/s at 300 s).
    public var bodyTimeout: Int
    /// Connections one client address may hold at once.
    public var connectionsPerClient: Int

    public static let defaults = HubLimits(headerTimeout: 20, idleTimeout: 30, bodyTimeout: 300, connectionsPerClient: 16)

    public init(headerTimeout: Int, idleTimeout: Int, bodyTimeout: Int, connectionsPerClient: Int) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.connectionsPerClient = connectionsPerClient
    }

    /// The defaults, with what `config` sets in their place.
    public init(_ config: HubConfig.ServeLimits?) {
        let defaults = Self.defaults
        self.init(headerTimeout: config?.headerTimeout ?? defaults.headerTimeout, idleTimeout: config?.idleTimeout ?? defaults.idleTimeout,
                  bodyTimeout: config?.bodyTimeout ?? defaults.bodyTimeout,
                  connectionsPerClient: config?.connectionsPerClient ?? defaults.connectionsPerClient)
    }
}

/// serve's own refusals, each with its rule id. Their bodies give the reason in English and
/// Traditional Chinese, one line each; a 401 has no body (see `HubServer.unauthorized`).
enum HubRefusal: String, Sendable {
    case access = "HUB-ACCESS"
    case notFound = "HUB-NOT-FOUND"
    case tooLarge = "HUB-TOO-LARGE"
    case busy = "HUB-BUSY"
    case timeout = "HUB-TIMEOUT"
    case `internal` = "HUB-INTERNAL"

    /// The body: `[RULE] reason` in each language.
    func body(_ message: Message) -> String {
        Language.allCases.map { "[\(rawValue)] \(message.render($0))\n" }.joined()
    }
}

/// Why a request's body stopped before its end: its connection timed out or went away.
/// The connection guard raises it into the body the responder reads.
enum HubInterruption: Error, Sendable {
    case timedOut(seconds: Int)
    case clientLeft
}

/// The connections each client address holds, shared by every connection of one server.
final class HubClients: @unchecked Sendable {
    private let lock = NSLock()
    private var open: [String: Int] = [:]
    private var total = 0
    let limit: Int
    /// The most connections of all clients together: counted before any token is seen, a
    /// per-address share alone would let many addresses (IPv6 has plenty) take every file.
    let totalLimit: Int

    init(limit: Int, totalLimit: Int = 512) {
        self.limit = limit
        self.totalLimit = max(totalLimit, limit)
    }

    /// Counts a new connection of `client`; false, and not counted, when it holds `limit`
    /// already or the server holds `totalLimit`.
    func enter(_ client: String) -> Bool {
        lock.withLock {
            let count = open[client, default: 0]
            guard count < limit, total < totalLimit else { return false }
            open[client] = count + 1
            total += 1
            return true
        }
    }

    func leave(_ client: String) {
        lock.withLock {
            guard let count = open[client] else { return }
            open[client] = count > 1 ? count - 1 : nil
            total -= 1
        }
    }
}

/// One connection's limits, in its pipeline right after HTTP decoding.
///
/// - A request's head must be complete within the header timeout of the connection's
///   opening or of its previous answer; otherwise the connection is closed.
/// - A body may pause no longer than the idle timeout (counted only while the server asks
///   for more) nor take longer than the body timeout as a whole; otherwise the responder's
///   read of the body fails with `HubInterruption.timedOut` and it answers 408.
/// - An answer left unread for the idle timeout ends the connection.
/// - An answer that says `Connection: close` (every refusal) ends the connection: nothing
///   more is read from it, so a refused request's body is never read, and it is closed a
///   moment after its output is (the client reads the answer, then the end).
/// - A client that already holds its share of connections gets 429 and the connection is closed.
final class HubConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limits: HubLimits
    let clients: HubClients
    let logger: Logger
    /// The address counted in `clients`, while it is.
    private var client: String?
    private var started = false
    /// Requests whose head, whose end, and whose answer's end went through.
    private var heads = 0, ends = 0, answers = 0
    private var waitingSince = NIODeadline.now()
    private var bodySince = NIODeadline.now()
    private var lastRead = NIODeadline.now()
    /// The server asked for more and nothing came since.
    private var asking = false
    private var closeAfterAnswer = false
    /// Once an answer ended the connection (or it was refused): nothing more is read.
    private var ending = false
    private var timer: Scheduled<Void>?
    private var stall: Scheduled<Void>?

    init(limits: HubLimits, clients: HubClients, logger: Logger) {
        self.limits = limits
        self.clients = clients
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        start(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if heads > ends { context.fireErrorCaught(HubInterruption.clientLeft) }
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ending else { return }
        asking = false
        lastRead = .now()
        switch unwrapInboundIn(data) {
        case .head:
            heads += 1
            bodySince = .now()
            schedule(context)
        case .body:
            break
        case .end:
            ends += 1
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard !ending else { return }
        if !asking {
            asking = true
            lastRead = .now()
        }
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterAnswer = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            answers += 1
            guard closeAfterAnswer else {
                if answers >= heads {
                    waitingSince = .now()
                    schedule(context)
                }
                return context.write(data, promise: promise)
            }
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in self.end(context, linger: true) }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        stall?.cancel()
        stall = nil
        if !context.channel.isWritable {
            // The client does not read what it asked for.
            stall = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(limits.idleTimeout))) {
                self.logger.info("closing a connection whose client does not read its answer", metadata: ["client": "\(self.client ?? "-")"])
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        guard clients.enter(address) else { return refuseBusy(context, address) }
        client = address
        waitingSince = .now()
        schedule(context)
    }

    private func stop() {
        timer?.cancel()
        stall?.cancel()
        timer = nil
        stall = nil
        if let client { clients.leave(client) }
        client = nil
    }

    /// 429 before anything is read, and the connection closed as soon as it is written.
    private func refuseBusy(_ context: ChannelHandlerContext, _ address: String) {
        ending = true
        logger.info("refusing a connection past the client's limit", metadata: ["client": "\(address)", "limit": "\(clients.limit)"])
        let body = HubRefusal.busy.body(Message(.hubBusy, ["client": address, "limit": "\(clients.limit)"]))
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.contentLength] = "\(body.utf8.count)"
        headers[.connection] = "close"
        headers[.retryAfter] = "5"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .tooManyRequests, headerFields: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(string: body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in self.end(context, linger: false) }
    }

    /// Reads nothing more; closes the output (the client sees the answer's end), then, a
    /// moment later or at once, the connection.
    private func end(_ context: ChannelHandlerContext, linger: Bool) {
        ending = true
        timer?.cancel()
        timer = nil
        guard linger else { return context.close(promise: nil) }
        context.close(mode: .output, promise: nil)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { context.close(promise: nil) }
    }

    /// Arms the timer for the next deadline of what the connection is doing.
    private func schedule(_ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        guard !ending, let deadline = deadline() else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { self.expire(context) }
    }

    /// The next moment a limit runs out: the head's, or the body's; none while answering.
    private func deadline() -> NIODeadline? {
        if heads > ends {
            let silence = asking ? lastRead + .seconds(Int64(limits.idleTimeout)) : NIODeadline.now() + .seconds(Int64(limits.idleTimeout))
            return min(silence, bodySince + .seconds(Int64(limits.bodyTimeout)))
        }
        if answers >= heads { return waitingSince + .seconds(Int64(limits.headerTimeout)) }
        return nil
    }

    private func expire(_ context: ChannelHandlerContext) {
        timer = nil
        guard !ending, let deadline = deadline() else { return }
        guard deadline <= .now() else { return schedule(context) }
        if heads > ends {
            let whole = bodySince + .seconds(Int64(limits.bodyTimeout)) <= .now()
            let seconds = whole ? limits.bodyTimeout : limits.idleTimeout
            logger.info("a request body timed out", metadata: ["client": "\(client ?? "-")", "seconds": "\(seconds)"])
            // The responder answers 408 and the answer closes the connection; if no answer
            // comes within the idle timeout (2 s at least), the connection is closed anyway.
            ending = true
            context.fireErrorCaught(HubInterruption.timedOut(seconds: seconds))
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(max(2, limits.idleTimeout)))) { context.close(promise: nil) }
        } else {
            logger.debug("closing a connection that sent no request in time", metadata: ["client": "\(client ?? "-")"])
            context.close(promise: nil)
        }
    }
}
