/**
 * Function names from the Go function table turned into the names the vulnerability database
 * lists: `Func`, and `Type.Method` for methods on both value and pointer receivers
 * (`pkg.(*T).M` → `T.M`), as govulncheck's binary mode reads them. Generic instantiations lose
 * their brackets (`pkg.(*List[...]).Push` → `List.Push`); closures keep their suffix
 * (`Func.func1`), so they never count as the function that contains them.
 */
import { C_CODE, GENERATED, packageOf } from '../binary/symbol-package.js';

export function stripInstantiation(name: string): string {
  const start = name.indexOf('[');
  if (start < 0) return name;
  const end = name.lastIndexOf(']');
  return end < start ? name : name.slice(0, start) + name.slice(end + 1);
}

/** [package, symbol] of one function-table name, or null for compiler-generated code. */
export function splitFunctionName(name: string): [string, string] | null {
  const pkg = packageOf(name);
  if (pkg === GENERATED || pkg === C_CODE) return null;
  const plain = stripInstantiation(name);
  const slash = plain.lastIndexOf('/');
  const rest = plain.slice(plain.indexOf('.', slash + 1) + 1);
  const dot = rest.lastIndexOf('.');
  if (dot < 0) return [pkg, rest];
  let receiver = rest.slice(0, dot);
  // govulncheck trims the characters "(*)" from both ends, which also shapes closures of
  // methods: `(*T).M.func1` → `T).M.func1`. The same trim keeps both tools' names equal.
  if (receiver.startsWith('(*')) receiver = receiver.replace(/^[(*)]+|[(*)]+$/g, '');
  return [pkg, `${receiver}.${rest.slice(dot + 1)}`];
}

/** Package → the symbols of it the binary contains. */
export type PackageSymbols = Map<string, Set<string>>;

/** The linker's spelling of a package path in symbol names, with the dot that follows it. */
export function linkerPrefix(pkg: string): string {
  const slash = pkg.lastIndexOf('/');
  return `${pkg.slice(0, slash + 1)}${pkg.slice(slash + 1).replaceAll('.', '%2e')}.`;
}

export function packageSymbols(names: Iterable<string>): PackageSymbols {
  const out: PackageSymbols = new Map();
  for (const name of names) {
    const split = splitFunctionName(name);
    if (!split) continue;
    let set = out.get(split[0]);
    if (!set) {
      set = new Set();
      out.set(split[0], set);
    }
    set.add(split[1]);
  }
  return out;
}
