/**
 * Which lint said what about which file. A Dockerfile's audit can report on its .dockerignore or
 * go.mod, and a .dockerignore's audit on itself, so a file's diagnostics are the union of what
 * every open document's latest lint put there, without repeats.
 */
import type { Diagnostic } from 'vscode-languageserver';

export class DiagnosticStore {
  /** target uri → source uri → diagnostics. */
  private readonly byTarget = new Map<string, Map<string, Diagnostic[]>>();
  private readonly targetsOf = new Map<string, Set<string>>();

  /** Replaces what `source` says; returns the targets whose diagnostics changed. */
  set(source: string, diagnostics: ReadonlyMap<string, Diagnostic[]>): string[] {
    const touched = new Set(this.targetsOf.get(source) ?? []);
    for (const t of touched) this.byTarget.get(t)?.delete(source);
    for (const [target, list] of diagnostics) {
      let m = this.byTarget.get(target);
      if (!m) {
        m = new Map();
        this.byTarget.set(target, m);
      }
      m.set(source, list);
      touched.add(target);
    }
    this.targetsOf.set(source, new Set(diagnostics.keys()));
    return [...touched];
  }

  /** Forgets a closed document's lint; returns the targets whose diagnostics changed. */
  drop(source: string): string[] {
    return this.set(source, new Map());
  }

  /** Everything said about `target`, each diagnostic once. */
  get(target: string): Diagnostic[] {
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const list of this.byTarget.get(target)?.values() ?? []) {
      for (const d of list) {
        const key = JSON.stringify([d.code, d.range, d.message]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(d);
      }
    }
    return out;
  }
}
