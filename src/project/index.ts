/** The Go project model: parsers for go.mod/go.work and the project scanner. */
export { buildsForLinux } from './buildtags.js';
export { isLocalPath, parseGoMod, parseGoSum, parseGoWork } from './gomod.js';
export { CGO_ONLY_MODULES, NET_USING_STD, TLS_CLIENT_MODULES, USER_USING_STD } from './known.js';
export type * from './model.js';
export { scanProject } from './scan.js';
