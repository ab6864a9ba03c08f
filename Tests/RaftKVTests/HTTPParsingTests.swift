import Testing
@testable import RaftKV

@Suite struct HTTPParsingTests {
    static func head(_ text: String) throws(HTTPError) -> HTTPRequestHead {
        try HTTPRequestHead.parse(Array(text.utf8)[...])
    }

    @Test func parsesWhatCurlSends() throws {
        let h = try Self.head("PUT /my-key HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8\r\nContent-Length: 5")
        #expect(h.method == "PUT" && h.target == "/my-key")
        #expect(try h.bodyLength() == 5)
        #expect(h.keepAlive)
    }

    /// Each malformed head gets the status a client can act on, with a reason.
    @Test(arguments: [
        ("GARBAGE", 400), ("GET /k HTTP/2.0", 505), ("get /k HTTP/1.1", 400), ("GET k HTTP/1.1", 400),
        ("GET /k HTTP/1.1\r\nno colon here", 400),
        ("GET /k HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2", 400),
    ])
    func malformedHeads(_ text: String, _ status: Int) {
        do {
            _ = try Self.head(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.status == status)
            #expect(!error.reason.isEmpty)
        }
    }

    @Test(arguments: [
        ("PUT /k HTTP/1.1\r\nTransfer-Encoding: chunked", 411), ("PUT /k HTTP/1.1", 411),
        ("PUT /k HTTP/1.1\r\nContent-Length: -1", 400), ("PUT /k HTTP/1.1\r\nContent-Length: 99999999", 413),
    ])
    func badBodies(_ text: String, _ status: Int) throws {
        let h = try Self.head(text)
        #expect(throws: HTTPError.self) { try h.bodyLength() }
        do { _ = try h.bodyLength() } catch { #expect(error.status == status) }
    }

    @Test func keys() throws {
        #expect(try HTTPAPI.decodeKey("/a%20b") == "a b")
        #expect(throws: HTTPError.self) { try HTTPAPI.decodeKey("/a%2") }
        #expect(throws: HTTPError.self) { try HTTPAPI.decodeKey("/%ff") }
        #expect(HTTPAPI.split("/k?serializable") == ("/k", "serializable"))
    }
}
