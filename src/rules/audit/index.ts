/**
 * The registry of audit checks: one module per rule id (the id, severity and texts are in
 * src/rules/catalog.ts). Each module exports `id`, `check`, `examples` and, when it can fix,
 * `fixDescription`; docs/rules.md is generated from these and the catalog.
 */

import * as addInsteadOfCopy from './add-instead-of-copy.js';
import * as aptInstallRecommends from './apt-install-recommends.js';
import * as argOutOfScope from './arg-out-of-scope.js';
import * as baseImageEol from './base-image-eol.js';
import * as cacheMountTargetMismatch from './cache-mount-target-mismatch.js';
import * as cgoNotDisabled from './cgo-not-disabled.js';
import * as cgoRequiredStaticBase from './cgo-required-static-base.js';
import * as chmodInLaterLayer from './chmod-in-later-layer.js';
import * as cleanupInLaterLayer from './cleanup-in-later-layer.js';
import * as cmdRepeatsEntrypoint from './cmd-repeats-entrypoint.js';
import type { RuleModule } from './context.js';
import * as copyFromMissing from './copy-from-missing.js';
import * as copySourceMissing from './copy-source-missing.js';
import * as dockerignoreExcludesNeeded from './dockerignore-excludes-needed.js';
import * as dockerignoreGaps from './dockerignore-gaps.js';
import * as emulatedCrossBuild from './emulated-cross-build.js';
import * as entrypointWithoutExec from './entrypoint-without-exec.js';
import * as fatRuntimeBase from './fat-runtime-base.js';
import * as goInsecure from './go-insecure.js';
import * as goSumNotCopied from './go-sum-not-copied.js';
import * as goVersionMismatch from './go-version-mismatch.js';
import * as goVersionUnsupported from './go-version-unsupported.js';
import * as libcMismatch from './libc-mismatch.js';
import * as localReplaceMissing from './local-replace-missing.js';
import * as missingCaCertificates from './missing-ca-certificates.js';
import * as missingDockerignore from './missing-dockerignore.js';
import * as missingSyntaxDirective from './missing-syntax-directive.js';
import * as missingTzdata from './missing-tzdata.js';
import * as noGoCacheMount from './no-go-cache-mount.js';
import * as noModuleDownloadStep from './no-module-download-step.js';
import * as noStripFlags from './no-strip-flags.js';
import * as noTrimpath from './no-trimpath.js';
import * as packagesAfterSource from './packages-after-source.js';
import * as runsAsRoot from './runs-as-root.js';
import * as secretsInBuildArgs from './secrets-in-build-args.js';
import * as shellFormWithoutShell from './shell-form-without-shell.js';
import * as singleArchBinary from './single-arch-binary.js';
import * as singleStage from './single-stage.js';
import * as sourceBeforeDeps from './source-before-deps.js';
import * as unpinnedBaseImage from './unpinned-base-image.js';
import * as upxPacked from './upx-packed.js';
import * as wholeTreeInFinal from './whole-tree-in-final.js';
import * as xFlagUnknownPackage from './x-flag-unknown-package.js';

export const AUDIT_RULES: readonly RuleModule[] = [
  addInsteadOfCopy,
  argOutOfScope,
  baseImageEol,
  cacheMountTargetMismatch,
  cgoNotDisabled,
  cgoRequiredStaticBase,
  chmodInLaterLayer,
  aptInstallRecommends,
  copyFromMissing,
  copySourceMissing,
  cleanupInLaterLayer,
  cmdRepeatsEntrypoint,
  dockerignoreExcludesNeeded,
  dockerignoreGaps,
  emulatedCrossBuild,
  entrypointWithoutExec,
  fatRuntimeBase,
  goInsecure,
  goSumNotCopied,
  goVersionMismatch,
  goVersionUnsupported,
  libcMismatch,
  localReplaceMissing,
  missingCaCertificates,
  missingDockerignore,
  missingSyntaxDirective,
  missingTzdata,
  noGoCacheMount,
  noModuleDownloadStep,
  noStripFlags,
  noTrimpath,
  runsAsRoot,
  secretsInBuildArgs,
  shellFormWithoutShell,
  singleArchBinary,
  singleStage,
  sourceBeforeDeps,
  packagesAfterSource,
  unpinnedBaseImage,
  upxPacked,
  wholeTreeInFinal,
  xFlagUnknownPackage,
];
