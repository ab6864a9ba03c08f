/// Go's `%q` for a byte string, which etcd uses to print entry payloads. Matching it byte for byte
/// keeps our transcripts identical to etcd's.
package enum GoQuote {
    /// `bytes` as a double-quoted Go string literal.
    package static func quote(_ bytes: some Collection<UInt8>) -> String {
        var out = "\""
        let b = Array(bytes)
        var i = 0
        while i < b.count {
            guard let (scalar, width) = decodeRune(b, at: i) else {
                out += "\\x" + hex(UInt32(b[i]), digits: 2)
                i += 1
                continue
            }
            i += width
            appendEscaped(scalar, to: &out)
        }
        out += "\""
        return out
    }

    /// Decodes one UTF-8 sequence as Go does: the shortest form only, no surrogates, nothing above
    /// U+10FFFF; `nil` when the byte at `i` does not start a valid sequence.
    private static func decodeRune(_ b: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = b[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let (width, minValue, initial): (Int, UInt32, UInt32)
        switch b0 {
        case 0xC2...0xDF: (width, minValue, initial) = (2, 0x80, UInt32(b0 & 0x1F))
        case 0xE0...0xEF: (width, minValue, initial) = (3, 0x800, UInt32(b0 & 0x0F))
        case 0xF0...0xF4: (width, minValue, initial) = (4, 0x10000, UInt32(b0 & 0x07))
        default: return nil
        }
        guard i + width <= b.count else { return nil }
        var value = initial
        for k in 1..<width {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard value >= minValue, value <= 0x10FFFF, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, width)
    }

    private static func appendEscaped(_ s: Unicode.Scalar, to out: inout String) {
        switch s {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where isPrint(s): out.unicodeScalars.append(s)
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            let v = s.value
            if v < 0x20 || v == 0x7F {
                out += "\\x" + hex(v, digits: 2)
            } else if v < 0x10000 {
                out += "\\u" + hex(v, digits: 4)
            } else {
                out += "\\U" + hex(v, digits: 8)
            }
        }
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s.value >= 0x20 && s.value < 0x7F }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func hex(_ v: UInt32, digits: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
