// The support layer below Raft (the lock, the seeded generator, Go quoting, hex ids) holds only
// `package` declarations: re-exporting it lets this package's other targets reach them through
// `import Raft`, and adds nothing to Raft's public API.
@_exported import RaftSupport
