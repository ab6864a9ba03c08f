import Raft

/// Exercise 1.3, the reference: the library's own code.
func takeReady(_ loop: inout NodeLoop, _ raw: RawNode) -> Ready? {
    loop.takeReady(raw)
}
