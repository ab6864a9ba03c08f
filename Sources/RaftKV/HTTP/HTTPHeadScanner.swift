/// Finds the end of a request head as its bytes arrive, and refuses it at the first byte that
/// cannot belong to one: a line ending in a bare LF, a CR not followed by LF, a control byte, or
/// more than `HTTPRequestHead.maxHeadBytes`. So junk is answered 400 at once instead of waiting
/// for a blank line that never comes.
///
/// Only what our parser (`HTTPRequestHead.parse`) accepts is let through: lines end in CRLF
/// (RFC 9112 allows a server to refuse a bare LF), and tabs are the only control bytes allowed.
struct HTTPHeadScanner {
    /// Bytes already checked (the scan resumes there as more arrive).
    private var checked = 0

    /// The offset of the CRLFCRLF that ends the head, or nil while more bytes are needed.
    mutating func scan(_ bytes: [UInt8]) throws(HTTPError) -> Int? {
        let cr: UInt8 = 13, lf: UInt8 = 10, tab: UInt8 = 9
        while checked < bytes.count {
            let k = checked
            if k >= HTTPRequestHead.maxHeadBytes + 4 {
                throw HTTPError(431, "request head larger than \(HTTPRequestHead.maxHeadBytes) bytes")
            }
            let b = bytes[k]
            if b == cr {
                guard k + 1 < bytes.count else { return nil } // wait for the byte after it
                guard bytes[k + 1] == lf else { throw HTTPError(400, "CR not followed by LF in the request head") }
                if k >= 2 && bytes[k - 2] == cr && bytes[k - 1] == lf {
                    if k - 2 > HTTPRequestHead.maxHeadBytes {
                        throw HTTPError(431, "request head larger than \(HTTPRequestHead.maxHeadBytes) bytes")
                    }
                    return k - 2
                }
                checked = k + 2
                continue
            }
            if b == lf { throw HTTPError(400, "a line of the request head ends in LF without CR") }
            if (b < 0x20 && b != tab) || b == 0x7F {
                throw HTTPError(400, "control byte 0x\(String(b, radix: 16)) in the request head")
            }
            checked = k + 1
        }
        return nil
    }
}
