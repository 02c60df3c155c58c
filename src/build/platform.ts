/** Platforms as Go and OCI name them: the model is in oci/platform.ts. */
/** The same function as formatPlatform (one implementation), under the name build code uses. */
export {
  formatPlatform,
  formatPlatform as formatPlatformName,
  hostPlatform,
  ociPlatform,
  type Platform,
} from '../oci/platform.js';
