/** Every image runtime check, in report order. Ids and metadata: src/rules/catalog.ts. */
import { baseImageEol } from './base-image-eol.js';
import type { ImageRule } from './context.js';
import { missingCaCertificates } from './missing-ca-certificates.js';
import { missingInterpreter } from './missing-interpreter.js';
import { missingLibrary } from './missing-library.js';
import { missingTzdata } from './missing-tzdata.js';
import { runsAsRoot } from './runs-as-root.js';
import { shellFormWithoutShell } from './shell-form-without-shell.js';
import { toolchainInImage } from './toolchain-in-image.js';
import { upxPacked } from './upx-packed.js';

export const IMAGE_RULES: readonly ImageRule[] = [
  missingInterpreter,
  missingLibrary,
  shellFormWithoutShell,
  runsAsRoot,
  missingCaCertificates,
  missingTzdata,
  upxPacked,
  toolchainInImage,
  baseImageEol,
];

export type { EntrypointInfo, ImageRule, ImageRuleContext } from './context.js';
