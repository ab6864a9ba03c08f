/// A node id as etcd prints it in log lines: lowercase hex.
@inline(__always)
package func hex(_ id: UInt64) -> String { String(id, radix: 16) }
