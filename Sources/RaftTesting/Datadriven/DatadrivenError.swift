/// A problem with a test file or with a directive's arguments: the file cannot be run as written.
/// (A harness reports expected errors of the code under test as output instead.)
///
/// datadriven: the `t.Fatalf` calls of the reader and of `ScanArgs`.
public struct DatadrivenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, prefixed with the position when known.
    ///
    /// datadriven: the fatal message.
    public var description: String

    /// An error saying `description`.
    ///
    /// datadriven: none (ours).
    public init(_ description: String) {
        self.description = description
    }
}
