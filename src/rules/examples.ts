/**
 * Each rule's documentation in one object: the catalog's metadata, a bad and a good example, how
 * the rule is fixed, and which commands check it. `goimg explain` prints these objects and
 * docs/rules.md is generated from them, so the terminal and the page always say the same.
 * Audit rules carry their examples and fix description in their own modules; the few rules no
 * audit module reports (the parser's, and the checks that only read built images) have theirs here.
 */
import { AUDIT_RULES } from './audit/index.js';
import { RULES, type RuleMeta, type RuleScope } from './catalog.js';

export interface RuleExamples {
  bad: string;
  good: string;
}

export interface RuleDoc extends RuleMeta {
  /** A Dockerfile (or .dockerignore) that triggers the rule, and one that does not. */
  examples: RuleExamples;
  /** What to do about a finding: what `goimg audit --fix` changes, or what to change by hand. */
  fix: string;
  /** The commands that report the rule. */
  checkedBy: string[];
}

/** Examples for rules no audit module carries. */
const OTHER_EXAMPLES: Readonly<Record<string, RuleExamples>> = {
  'parse-error': {
    bad: 'RUN apk add --no-cache git     # an instruction before the first FROM\nFROM golang:1.23',
    good: 'FROM golang:1.23\nRUN apk add --no-cache git',
  },
  'missing-interpreter': {
    bad: 'FROM golang:1.23 AS builder\nRUN go build -o /app .          # imports net: cgo on, needs the libc loader\nFROM scratch\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
    good: 'FROM golang:1.23 AS builder\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
  },
  'missing-library': {
    bad: 'FROM golang:1.23 AS builder\nRUN apt-get update && apt-get install -y libsqlite3-dev\nRUN go build -o /app .          # links libsqlite3.so.0\nFROM gcr.io/distroless/base-debian12\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
    good: 'FROM golang:1.23 AS builder\nRUN apt-get update && apt-get install -y libsqlite3-dev\nRUN go build -o /app .\nFROM debian:12-slim\nRUN apt-get update && apt-get install -y libsqlite3-0 && rm -rf /var/lib/apt/lists/*\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
  },
  'go-vulnerability': {
    bad: 'FROM golang:1.21 AS builder      # a Go release with fixed vulnerabilities since\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
    good: 'FROM golang:1.23 AS builder      # the release (or `go get module@fixed`) the finding names\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
  },
  'toolchain-in-image': {
    bad: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nENTRYPOINT ["/app"]',
    good: 'FROM golang:1.23 AS builder\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=builder /app /app\nENTRYPOINT ["/app"]',
  },
};

const COMMANDS: Readonly<Record<RuleScope, string[]>> = {
  source: ['goimg audit'],
  image: ['goimg image'],
  both: ['goimg audit', 'goimg image'],
};

interface ModuleDocs {
  examples: RuleExamples;
  fixDescription?: string;
}

let modules: ReadonlyMap<string, ModuleDocs> | undefined;

function moduleDocs(id: string): ModuleDocs | undefined {
  modules ??= new Map(AUDIT_RULES.map((m) => [m.id, m]));
  return modules.get(id);
}

function fixText(rule: RuleMeta, fixDescription: string | undefined): string {
  const byHand =
    rule.scope === 'image'
      ? 'change the Dockerfile the image is built from as in the good example, then rebuild'
      : 'change the file as in the good example';
  if (!rule.fixable) return `By hand: ${byHand}.`;
  const how = fixDescription ?? 'Rewrites the instruction as in the good example.';
  return `With \`goimg audit --fix\`: ${how} Where it cannot, ${byHand}.`;
}

function toDoc(rule: RuleMeta): RuleDoc {
  const own = moduleDocs(rule.id);
  const examples = own?.examples ?? OTHER_EXAMPLES[rule.id];
  if (!examples) throw new Error(`rule ${rule.id} has no examples`);
  return { ...rule, examples, fix: fixText(rule, own?.fixDescription), checkedBy: COMMANDS[rule.scope] };
}

/** Every rule's documentation, in catalog order. */
export function ruleDocs(): RuleDoc[] {
  return RULES.map(toDoc);
}

/** One rule's documentation, or undefined for an unknown id. */
export function ruleDoc(id: string): RuleDoc | undefined {
  const rule = RULES.find((r) => r.id === id);
  return rule ? toDoc(rule) : undefined;
}
