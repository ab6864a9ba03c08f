import Foundation

/// The one accept loop of raftkv's listeners (HTTP and peers): a thread that accepts
/// connections and starts a thread per admitted one.
enum AcceptLoop {
    /// Accepts on `listener` until it is shut down, then closes it. `admit` decides on each new
    /// connection (and closes a refused one itself); an admitted one is handed to `serve` on a
    /// thread of its own, which owns it from then on.
    static func start(listener: Int32, name: String,
                      admit: @escaping @Sendable (Int32) -> Bool,
                      serve: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            while let fd = Socket.accept(listener) {
                guard admit(fd) else { continue }
                let worker = Thread { serve(fd) }
                worker.name = name
                worker.start()
            }
            LibC.close(listener)
        }
        thread.name = name + "-accept"
        thread.start()
    }
}
