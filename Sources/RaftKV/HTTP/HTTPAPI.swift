import Foundation
import Raft

/// The key-value API over HTTP, as raftexample's `httpKVAPI`, with answers that mean something:
///
///     PUT    /<key>            body = value      204 once committed and applied here
///     GET    /<key>                               200 value | 404; linearizable (ReadIndex)
///     GET    /<key>?serializable                  200 value | 404; this node's state, no raft
///     DELETE /<key>                               204 | 404 when there was no such key
///     POST   /members/<id>     body = peer URL    204 once the member is added
///     DELETE /members/<id>                        204 once the member is removed
///     GET    /members                             200 one "<id> <url>" line per member, the
///                                                 leader's (as this node knows it) ending " leader"
///
/// A request raft cannot commit in time (no leader, no quorum) is answered 503; bad requests get
/// a 4xx with a one-line reason. Keys under `members` are reserved for the membership routes.
public struct HTTPAPI: Sendable {
    public let node: RaftKVNode

    public init(node: RaftKVNode) { self.node = node }

    static let maxKeyBytes = 1024

    /// What a request needs: an answer at once, a call that answers by callback (a write, a
    /// linearizable read), or a call that blocks (a membership change) and so needs a thread.
    enum Action {
        case respond(HTTPResponse)
        case callback(notFound: String, @Sendable (@escaping @Sendable (RequestOutcome) -> Void) -> Void)
        case blocking(@Sendable () -> HTTPResponse)
    }

    /// Answers `request` through `reply`, which may be called on this thread (bad requests,
    /// serializable reads), on the Ready loop's (writes once applied, reads once their read
    /// index is), on the timeout task's or on a thread started for a blocking call. Never
    /// blocks the caller: the HTTP event loop calls it. Writes are queued, to be proposed
    /// together when the caller calls `endOfBatch()` (or within a tick, by the timeout task).
    public func handle(_ request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        switch action(request) {
        case .respond(let response):
            reply(response)
        case .callback(let notFound, let start):
            start { reply(Self.respond($0, notFound: notFound)) }
        case .blocking(let call):
            let thread = Thread { reply(call()) }
            thread.name = "raftkv-http-call"
            thread.start()
        }
    }

    /// Proposes the writes queued by `handle(_:reply:)` calls since the last time, as one raft
    /// proposal. The HTTP event loop calls it after each pass.
    public func endOfBatch() {
        node.proposeQueuedWrites()
    }

    /// Answers `request`, blocking until it is done (for callers on threads of their own).
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch action(request) {
        case .respond(let response): return response
        case .callback(let notFound, let start):
            let answer = Completion<HTTPResponse>()
            start { answer.complete(Self.respond($0, notFound: notFound)) }
            endOfBatch()
            return answer.wait(until: .distantFuture) ?? HTTPResponse(503, line: "no answer")
        case .blocking(let call): return call()
        }
    }

    func action(_ request: HTTPRequest) -> Action {
        do {
            return try route(request)
        } catch {
            return .respond(HTTPResponse(error.status, line: error.reason))
        }
    }

    private func route(_ request: HTTPRequest) throws(HTTPError) -> Action {
        let head = request.head
        let (path, query) = Self.split(head.target)
        let key = try Self.decodeKey(path)
        if key == "members" || key.hasPrefix("members/") {
            return try routeMembers(head.method, key, request.body)
        }
        if key.isEmpty { throw HTTPError(400, "empty key: use /<key>") }
        if key.utf8.count > Self.maxKeyBytes { throw HTTPError(414, "key longer than \(Self.maxKeyBytes) bytes") }
        switch head.method {
        case "GET":
            let serializable = query.split(separator: "&").contains { $0 == "serializable" || $0.hasPrefix("serializable=") }
            return .callback(notFound: "key not found") { [node] in node.get(key, linearizable: !serializable, then: $0) }
        case "PUT":
            let value = request.body
            return .callback(notFound: "") { [node] in node.write(.put(key: key, value: value), then: $0) }
        case "DELETE":
            return .callback(notFound: "key not found") { [node] in node.write(.delete(key: key), then: $0) }
        default:
            throw HTTPError(405, "method \(head.method) not allowed on /<key> (use GET, PUT or DELETE)")
        }
    }

    private func routeMembers(_ method: String, _ key: String, _ body: [UInt8]) throws(HTTPError) -> Action {
        if key == "members" {
            guard method == "GET" else { throw HTTPError(405, "only GET is allowed on /members") }
            return .blocking { [node] in
                var lines = ""
                let leader = node.knownLeader()
                for (id, url) in node.members() { lines += "\(id) \(url)\(id == leader ? " leader" : "")\n" }
                return HTTPResponse(200, Array(lines.utf8))
            }
        }
        let raw = key.dropFirst("members/".count)
        guard let id = UInt64(raw), id != 0, id < UInt64.max - 1 else {
            throw HTTPError(400, "member id must be a positive integer, not \"\(raw)\"")
        }
        switch method {
        case "POST":
            let text = String(decoding: body, as: UTF8.self).trimmingWhitespace()
            guard let endpoint = Endpoint(url: text) else {
                throw HTTPError(400, "body must be the new member's peer URL, like http://127.0.0.1:42379")
            }
            return .blocking { [node] in Self.respond(node.addMember(id, url: endpoint.url)) }
        case "DELETE":
            return .blocking { [node] in Self.respond(node.removeMember(id)) }
        default:
            throw HTTPError(405, "method \(method) not allowed on /members/<id> (use POST or DELETE)")
        }
    }

    static func respond(_ outcome: RequestOutcome, notFound: String = "") -> HTTPResponse {
        switch outcome {
        case .done(let existed):
            return existed || notFound.isEmpty ? HTTPResponse(204) : HTTPResponse(404, line: notFound)
        case .value(let v?):
            return HTTPResponse(200, v)
        case .value(nil):
            return HTTPResponse(404, line: notFound)
        case .unavailable(let why):
            return HTTPResponse(503, line: why)
        case .rejected(let why):
            return HTTPResponse(409, line: why)
        case .gone(let why):
            return HTTPResponse(410, line: why)
        }
    }

    /// Path and query of a request target.
    static func split(_ target: String) -> (String, String) {
        guard let q = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<q]), String(target[target.index(after: q)...]))
    }

    /// The key a path names: without the leading slash, percent-decoded, valid UTF-8.
    static func decodeKey(_ path: String) throws(HTTPError) -> String {
        var bytes: [UInt8] = []
        var it = Array(path.utf8.dropFirst())[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else {
                    throw HTTPError(400, "malformed percent-encoding in the path")
                }
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        guard let key = String(validating: bytes, as: UTF8.self) else { throw HTTPError(400, "key is not UTF-8") }
        return key
    }
}

extension RaftKVNode {
    /// The leader this node knows of (0 for none), asked from raft by a blocking thread.
    public func knownLeader() -> UInt64 {
        let answer = Completion<UInt64>()
        Task { [node] in answer.complete((try? await node.status())?.softState.lead ?? 0) }
        return answer.wait(until: .init(timeIntervalSinceNow: 2)) ?? 0
    }

    /// The current members and their peer URLs, for `GET /members`.
    public func members() -> [(UInt64, String)] {
        let cs = loop.withLock { $0.confState }
        var ids = Set(cs.voters + cs.learners + cs.votersOutgoing)
        if ids.isEmpty { ids = Set(1...UInt64(options.cluster.count)) }
        return ids.sorted().map { ($0, endpoint(of: $0)?.url ?? "?") }
    }
}
