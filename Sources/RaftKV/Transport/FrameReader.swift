/// Cuts `Frame`s out of one connection's byte stream, reading as much as has arrived (up to
/// `bufferSize`) with each `recv`.
///
/// Under load a peer's frames arrive back to back: reading the 4-byte length and then the payload
/// with a call each cost two or more `recv`s per message (and an allocation per call), where one
/// call usually brings many whole frames. Frames larger than the buffer (snapshots) are read
/// past it, growing only as their bytes arrive, as `Socket.receiveExactly` does, so a forged
/// length still cannot make the reader allocate ahead.
///
/// One per connection, used by that connection's reader thread only.
struct FrameReader {
    static let bufferSize = 64 << 10

    let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    /// The unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0

    init(fd: Int32) {
        self.fd = fd
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 1)
    }

    /// Frees the buffer; the reader must not be used afterwards.
    func release() { buffer.deallocate() }

    /// The next frame, as `Frame.read` would return it: `oversized` past `maxPayload`, `closed`
    /// when the stream ends, fails, or `deadline` (if any) passes before the whole frame came.
    mutating func next(maxPayload: Int = Frame.maxPayload,
                       deadline: ContinuousClock.Instant? = nil) -> Frame.ReadResult {
        guard fill(atLeast: 4, deadline: deadline) else { return .closed }
        let n = Int(UInt32(buffer[start]) | UInt32(buffer[start + 1]) << 8
                    | UInt32(buffer[start + 2]) << 16 | UInt32(buffer[start + 3]) << 24)
        if n > maxPayload { return .oversized(n) }
        if 4 + n <= buffer.count {
            guard fill(atLeast: 4 + n, deadline: deadline) else { return .closed }
            let payload = [UInt8](buffer[(start + 4)..<(start + 4 + n)])
            start += 4 + n
            return .frame(payload)
        }
        // Larger than the buffer: what is buffered, then the rest straight from the socket.
        var payload = [UInt8](buffer[(start + 4)..<end])
        start = 0
        end = 0
        guard let rest = Socket.receiveExactly(fd, n - payload.count, deadline: deadline) else { return .closed }
        payload += rest
        return .frame(payload)
    }

    /// Reads until at least `count` (at most `buffer.count`) bytes are buffered; false when the
    /// stream ended, failed or timed out first.
    private mutating func fill(atLeast count: Int, deadline: ContinuousClock.Instant?) -> Bool {
        if start == end { (start, end) = (0, 0) }
        while end - start < count {
            if buffer.count - start < count { // no room behind: move the unread bytes to the front
                UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(end - start)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
                end -= start
                start = 0
            }
            if let deadline, !Socket.waitReadable(fd, until: deadline) { return false }
            let n = Socket.receive(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            if n == 0 { return false }
            end += n
        }
        return true
    }
}
