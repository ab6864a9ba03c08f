/// A client error, answered with its status and a one-line reason, then the connection closed
/// (after a malformed request nothing on the stream can be trusted).
public struct HTTPError: Error, Sendable, Equatable {
    public var status: Int
    public var reason: String
    public init(_ status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// The request line and headers of an HTTP/1.1 request, parsed strictly: only what curl and
/// our own clients send, each piece checked, with limits on every size.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    /// The request target as sent (`/key?serializable`).
    public var target: String
    public var version: String
    /// Header names lowercased; a repeated header keeps its last value (Content-Length excepted).
    public var headers: [String: String]

    public static let maxHeadBytes = 8 << 10
    public static let maxBodyBytes = 1 << 20

    /// Parses the head (everything before the blank line, without it).
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPError) -> HTTPRequestHead {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw HTTPError(400, "request head is not UTF-8")
        }
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { throw HTTPError(400, "empty request") }
        let parts = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw HTTPError(400, "malformed request line") }
        let method = String(parts[0]), target = String(parts[1]), version = String(parts[2])
        guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw HTTPError(400, "malformed method")
        }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw HTTPError(505, "only HTTP/1.1 and HTTP/1.0 are supported")
        }
        guard target.hasPrefix("/") else { throw HTTPError(400, "request target must start with /") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPError(400, "malformed header line") }
            let name = line[..<colon].lowercased()
            guard !name.isEmpty, !name.contains(" ") else { throw HTTPError(400, "malformed header name") }
            let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
            if name == "content-length", let old = headers[name], old != value {
                throw HTTPError(400, "conflicting Content-Length headers")
            }
            headers[name] = value
        }
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers)
    }

    /// The body length the request announces, checked against the method and the limit.
    public func bodyLength() throws(HTTPError) -> Int {
        if headers["transfer-encoding"] != nil {
            throw HTTPError(411, "chunked (Transfer-Encoding) uploads are not supported; send Content-Length")
        }
        guard let raw = headers["content-length"] else {
            if method == "PUT" || method == "POST" { throw HTTPError(411, "Content-Length required") }
            return 0
        }
        guard !raw.isEmpty, raw.count <= 10, raw.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(raw) else {
            throw HTTPError(400, "malformed Content-Length")
        }
        if n > Self.maxBodyBytes { throw HTTPError(413, "body larger than \(Self.maxBodyBytes) bytes") }
        return n
    }

    /// Whether the client wants the connection kept open after the response.
    public var keepAlive: Bool {
        let c = headers["connection"]?.lowercased()
        return version == "HTTP/1.1" ? c != "close" : c == "keep-alive"
    }
}

/// A request as handed to the API: head and body.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
}

/// A response: status, a plain-text body (a value, or a one-line reason ending in a newline).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]

    public init(_ status: Int, _ body: [UInt8] = []) {
        self.status = status
        self.body = body
    }

    public init(_ status: Int, line: String) {
        self.init(status, Array((line + "\n").utf8))
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }

    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n"
        if status != 204 {
            head += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.count)\r\n"
        }
        head += keepAlive ? "" : "Connection: close\r\n"
        head += "\r\n"
        return Array(head.utf8) + (status == 204 ? [] : body)
    }
}
