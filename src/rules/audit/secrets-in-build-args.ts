import type { AuditContext, RuleHit } from '../../audit/context.js';
import { copySources } from '../../audit/context.js';

export const id = 'secrets-in-build-args';

export const examples = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile text, not a template
  bad: 'ARG GITHUB_TOKEN\nRUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"',
  good: 'ENV GOPRIVATE=github.com/acme/*\nRUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download',
};

const SECRET =
  /(^|_)(TOKEN|PASSWORD|PASSWD|PASS|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|NETRC|AUTH)(_|$)/i;
const NOT_SECRET = /_(FILE|PATH|DIR|URL|URI|HOST|ID|NAME|USER|TYPE)$/i;
const SECRET_FILES = /(^|\/)(\.netrc|\.git-credentials|\.npmrc|id_rsa|id_ed25519|\.env)$/;

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const ins of ctx.df.instructions) {
    if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
      for (const a of ins.args) {
        const name = a.value.split('=')[0]!;
        if (SECRET.test(name) && !NOT_SECRET.test(name)) {
          hits.push({
            message: `${ins.keyword} ${name} looks like a credential: build args and env are stored in the image history and config; use RUN --mount=type=secret (with GOPRIVATE for private modules)`,
            span: a.span,
          });
        }
      }
    }
    if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && !ins.flags.some((f) => f.name === 'from')) {
      const secret = copySources(ins).sources.find((s) => SECRET_FILES.test(s));
      if (secret) {
        hits.push({
          message: `${secret} is copied into a layer, where it stays forever; use RUN --mount=type=secret`,
          span: ins.span,
        });
      }
    }
  }
  return hits;
}
