import Foundation

extension Chapter {
    /// What a chapter program does with its command line: prints the run (or its diagram, or its
    /// help), or, with `--yours`, hands the run to `workbook run N --yours`, which builds the
    /// learner's exercises and runs the chapter with them plugged in. Returns the exit status.
    public func main(_ arguments: [String]) -> Int32 {
        if arguments.contains("--yours") && !arguments.contains("--help") && !arguments.contains("-h") {
            return delegateToWorkbook(arguments)
        }
        do {
            print(try run(arguments), terminator: "")
            return 0
        } catch {
            FileHandle.standardError.write(Data("\(executable): \(error)\n".utf8))
            return 1
        }
    }

    /// Runs `swift run workbook run N ARGS` from the current directory (the package root, where
    /// `swift run` started this program), passing the terminal through.
    private func delegateToWorkbook(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "run", "--quiet", "workbook", "run", "\(number)"] + arguments
        do {
            try process.run()
        } catch {
            FileHandle.standardError.write(Data("\(executable): cannot start `swift run workbook`: \(error)\n".utf8))
            return 1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
