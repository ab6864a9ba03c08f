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
    ///
    /// Works on the bytes (lines cut at CRLF, the request line at spaces, header names lowercased
    /// byte by byte when ASCII) rather than splitting a `String`: this ran once per request and
    /// was the largest cost of the HTTP thread. Only the pieces kept become `String`s.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPError) -> HTTPRequestHead {
        if bytes.contains(where: { $0 >= 0x80 }), String(validating: bytes, as: UTF8.self) == nil {
            throw HTTPError(400, "request head is not UTF-8")
        }
        var lines = HTTPLines(bytes)
        guard let requestLine = lines.next() else { throw HTTPError(400, "empty request") }
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw HTTPError(400, "malformed request line") }
        guard !parts[0].isEmpty, parts[0].allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw HTTPError(400, "malformed method")
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw HTTPError(505, "only HTTP/1.1 and HTTP/1.0 are supported")
        }
        guard parts[1].first == 0x2F else { throw HTTPError(400, "request target must start with /") }
        var headers: [String: String] = [:]
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: 0x3A) else { throw HTTPError(400, "malformed header line") }
            // Checked on the bytes: `String.contains(_: String)` is Foundation's search, a
            // visible share of a busy server's CPU.
            guard colon > line.startIndex, !line[..<colon].contains(0x20) else { throw HTTPError(400, "malformed header name") }
            let name = lowercasedName(line[..<colon])
            let value = trimmedValue(line[(colon + 1)...])
            if name == "content-length", let old = headers[name], old != value {
                throw HTTPError(400, "conflicting Content-Length headers")
            }
            headers[name] = value
        }
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers)
    }

    /// A header name, lowercased (ASCII byte by byte; anything else as `String` lowercases it).
    private static func lowercasedName(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self).lowercased() }
        return String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// A header value without the whitespace around it (ASCII spaces and tabs byte by byte;
    /// values with other bytes are trimmed as `String`s, of any Unicode whitespace).
    private static func trimmedValue(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self).trimmingWhitespace() }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
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

/// The lines of a request head: the byte ranges between CRLFs, in order (the last one runs to
/// the end).
struct HTTPLines: IteratorProtocol {
    private let bytes: ArraySlice<UInt8>
    private var position: Int?

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    mutating func next() -> ArraySlice<UInt8>? {
        guard let start = position else { return nil }
        var k = start
        while k + 1 < bytes.endIndex {
            if bytes[k] == 13 && bytes[k + 1] == 10 {
                position = k + 2
                return bytes[start..<k]
            }
            k += 1
        }
        position = nil
        return bytes[start..<bytes.endIndex]
    }
}
