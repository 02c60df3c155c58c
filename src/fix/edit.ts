/**
 * Fixes are data: a rule proposes edits; src/fix applies them, prints diffs and writes files
 * atomically. Offsets are JavaScript string indices into the file's original text, so an edit
 * replaces exactly the bytes it names and everything else stays byte-for-byte.
 */

export type Edit =
  | {
      kind: 'replace';
      /** File path relative to the audited directory. */
      file: string;
      /** Start offset (inclusive) in the original text. */
      start: number;
      /** End offset (exclusive). start === end inserts. */
      end: number;
      text: string;
    }
  | {
      /** Create a file that does not exist (e.g. a generated .dockerignore). */
      kind: 'create';
      file: string;
      text: string;
    };

/** A fix offered by a finding: a description and the edits that make it. */
export interface Fix {
  description: string;
  edits: Edit[];
}
