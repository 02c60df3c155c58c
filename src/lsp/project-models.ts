/**
 * The project model the server keeps per audited directory: the audit cache (Go project, context
 * facts) and the `.goimg.yaml` settings. A keystroke in a Dockerfile reuses both; a change to a
 * file they were read from (go.mod, go.sum, go.work, a .go file, a .dockerignore, the config)
 * drops the directories it can affect, and the next lint reads them again.
 */
import { resolve, sep } from 'node:path';
import { type AuditCache, newAuditCache } from '../audit/load.js';
import { type LintSettings, loadLintSettings } from './settings.js';

/**
 * Context facts kept per directory (an edit that changes what the build reads adds one, an edit of
 * the .dockerignore a walk of the context); beyond these the least recently used are dropped.
 */
const MAX_CONTEXTS = 64;
const MAX_INVENTORIES = 4;

function trim<T>(map: Map<string, T>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}

interface DirectoryState {
  cache: AuditCache;
  settings?: Promise<LintSettings>;
}

export class ProjectModels {
  private readonly dirs = new Map<string, DirectoryState>();

  private state(dir: string): DirectoryState {
    const key = resolve(dir);
    let s = this.dirs.get(key);
    if (!s) {
      s = { cache: newAuditCache() };
      this.dirs.set(key, s);
    }
    return s;
  }

  /** The audit cache of a directory, its least recently used facts trimmed. */
  cache(dir: string): AuditCache {
    const c = this.state(dir).cache;
    trim(c.contexts, MAX_CONTEXTS);
    trim(c.inventories, MAX_INVENTORIES);
    return c;
  }

  /** The settings for a directory; a broken config rejects, and is read again once it changes. */
  settings(dir: string): Promise<LintSettings> {
    const s = this.state(dir);
    s.settings ??= loadLintSettings(resolve(dir));
    const loading = s.settings;
    loading.catch(() => {
      if (s.settings === loading) delete s.settings;
    });
    return loading;
  }

  /**
   * Forgets what a change to `path` can affect: the directories whose project holds it, and
   * those under it (a config applies to the directories below it). Returns the directories dropped.
   */
  invalidate(path: string): string[] {
    const changed = resolve(path);
    const dropped: string[] = [];
    const under = (p: string, d: string) => p === d || p.startsWith(d + sep);
    for (const [dir, state] of this.dirs) {
      // The Go project or build context may sit above the directory (a config's audit.context).
      const roots = [dir, ...[...state.cache.projects.values()].flatMap((p) => (p ? [p.root] : []))];
      if (roots.some((r) => under(changed, r)) || under(dir, changed)) {
        this.dirs.delete(dir);
        dropped.push(dir);
      }
    }
    return dropped;
  }

  /** Every directory whose model is loaded. */
  directories(): string[] {
    return [...this.dirs.keys()];
  }
}
