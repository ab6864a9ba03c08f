extension Array where Element == Entry {
    /// Throws `.invalidIndex` unless each entry's index is one more than the previous one's and
    /// the last is below `UInt64.max`, so that "the index after the last" always exists.
    ///
    /// A log is a run of consecutive indexes; an append that breaks the run would silently
    /// corrupt every later index computation. etcd trusts its callers here; we check, because the
    /// check is one comparison per entry and a peer's message must never stop the process.
    package func checkContiguous() throws(StorageError) {
        guard var previous = first?.index else { return }
        for entry in dropFirst() {
            if previous == .max || entry.index != previous + 1 {
                throw .invalidIndex("entries are not contiguous: index \(entry.index) follows \(previous)")
            }
            previous = entry.index
        }
        if previous == .max {
            throw .invalidIndex("entry index \(previous) is out of range")
        }
    }
}
