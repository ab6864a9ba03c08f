/// Length-prefixed frames on a TCP stream: `length (u32, little-endian) | payload`.
///
/// The prefix is all the framing there is, so a frame whose payload does not decode can be
/// skipped without losing the stream; only an impossible length (over `maxPayload`) forces the
/// connection closed, since nothing after it can be trusted to be a frame boundary.
public enum Frame {
    /// The largest payload accepted: a snapshot of a large store still fits; anything bigger is
    /// taken as a broken or hostile stream.
    public static let maxPayload = 256 << 20

    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.count + 4)
        append(payload, to: &bytes)
        return bytes
    }

    /// Appends `payload` as a frame to `bytes` (several frames written by one `send`).
    static func append(_ payload: [UInt8], to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: payload)
    }

    /// What reading the next frame gave.
    public enum ReadResult {
        case frame([UInt8])
        /// The stream ended (or timed out, or failed).
        case closed
        /// The declared length is impossible; the stream must be dropped.
        case oversized(Int)
    }

    /// Reads one frame from a blocking socket: refused as `oversized` when its length passes
    /// `maxPayload`, and `closed` when `deadline` (if any) passes before the whole frame came.
    public static func read(from fd: Int32, maxPayload: Int = maxPayload,
                            deadline: ContinuousClock.Instant? = nil) -> ReadResult {
        guard let header = Socket.receiveExactly(fd, 4, deadline: deadline) else { return .closed }
        var r = ByteReader(header)
        guard let length = try? r.u32("frame length") else { return .closed }
        let n = Int(length)
        if n > maxPayload { return .oversized(n) }
        guard let payload = Socket.receiveExactly(fd, n, deadline: deadline) else { return .closed }
        return .frame(payload)
    }
}
