import RaftSimulation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// raft-sim: runs seeds of the fault simulator and reports violations. See README.md beside this
// file for the options.

let arguments: Arguments
do {
    arguments = try Arguments(CommandLine.arguments.dropFirst())
} catch {
    FileHandleOutput.stderr("raft-sim: \(error)\n\n\(Arguments.usage)\n")
    exit(2)
}
if arguments.help {
    print(Arguments.usage)
    exit(0)
}
exit(await Command(arguments).run())
