# Turns swift-api-digester's dump of a module (-dump-sdk) into one line per public declaration and
# conformance, for scripts/check-api to sort and compare with the committed baseline. Declarations
# that are not public (package, internal, @usableFromInline) and implicit ones (a synthesized `==`
# or `hashValue`; their conformance is listed) are left out, and so are the conformances every type
# has implicitly (Copyable, Escapable, SendableMetatype). The mangled name at the end of a line
# carries what the readable part does not: typed throws, parameter ownership, generic constraints.
def kinds: ["TypeDecl", "TypeAlias", "Var", "Function", "Constructor", "Subscript", "AssociatedType"];
def public_decls: .children[]? | select(.kind as $k | kinds | index($k))
    | select((.isInternal // false) | not) | select((.implicit // false) | not);
def types: [.children[]?.printedName];
def signature:
    if .kind == "Function" or .kind == "Constructor" or .kind == "Subscript" then
        types as $t | "(" + ($t[1:] | join(", ")) + ") -> " + $t[0]
    elif .kind == "TypeDecl" then (.genericSig // "")
    else (types | join(", ")) end;
def flags:
    [ (if .static then "static" else empty end),
      (if .funcSelfKind == "Mutating" then "mutating" else empty end),
      (if .throwing then "throws" else empty end),
      (if .isLet then "let" else empty end),
      (.accessors[]?.accessorKind // empty),
      ((.declAttributes // [])[] | select(. != "HasStorage" and . != "HasInitialValue"
          and . != "Transparent" and . != "Semantics" and . != "Optimize" and . != "EagerMove")) ]
    | join(" ");
def listing($path):
    public_decls
    | ($path + "." + .printedName) as $name
    | "\(.declKind) \($name) : \(signature) [\(flags)] \(.mangledName // "")",
      (if .kind == "TypeDecl" then
          ((.conformances // [])[] | select(.printedName | IN("Copyable", "Escapable", "SendableMetatype") | not)
              | "Conformance \($name) : \(.printedName)"),
          listing($path + "." + .name)
       else empty end);
# An extension of another module's type (`extension Sequence where Element == Entry`) lists only
# the members it adds, under that type's name; the type itself and its conformances are not ours.
.ABIRoot | .children[]
    | select(.kind != "Import") | select((.isInternal // false) | not) | select((.implicit // false) | not)
    | . as $top
    | if .isExternal then listing($top.moduleName + "." + $top.name)
      else {children: [$top]} | listing($top.moduleName) end
