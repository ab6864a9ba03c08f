// Raft's configuration takes a `Logger` and a `SeededRandomNumberGenerator`, which live in the
// support layer below it; an application that imports Raft gets them with it.
@_exported import RaftSupport
