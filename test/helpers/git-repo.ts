/** A scratch git repository for tests: write files, commit, read shas. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class ScratchRepo {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@goimg.local');
    this.git('config', 'user.name', 'goimg test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }

  write(path: string, text: string): void {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }

  append(path: string, text: string): void {
    writeFileSync(join(this.dir, path), text, { flag: 'a' });
  }

  chmod(path: string, mode: number): void {
    chmodSync(join(this.dir, path), mode);
  }

  remove(path: string): void {
    rmSync(join(this.dir, path), { recursive: true, force: true });
  }

  /** Stages everything and commits; returns the new sha. */
  commit(subject: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', subject);
    return this.git('rev-parse', 'HEAD').trim();
  }
}

/** Git settings for a test's own git runs: no system or user config, a fixed identity. */
export function isolatedGitEnv(home: string): Record<string, string> {
  return {
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: home,
    GIT_AUTHOR_NAME: 'goimg',
    GIT_AUTHOR_EMAIL: 'goimg@example.invalid',
    GIT_COMMITTER_NAME: 'goimg',
    GIT_COMMITTER_EMAIL: 'goimg@example.invalid',
  };
}
