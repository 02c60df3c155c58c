export { compileIgnore, filterIgnored } from './ignore.js';
export { findConfig, loadConfig, loadConfigFor, parseConfig } from './load.js';
export {
  applyRuleOverrides,
  isRuleLevel,
  parseRuleFlag,
  parseRuleFlags,
  RULE_LEVELS,
  type RuleLevel,
  type RuleOverrides,
  ruleIds,
} from './overrides.js';
export {
  CONFIG_FILE_NAMES,
  type GoimgConfig,
  type LoadedConfig,
  SECTION_KEYS,
  TOP_LEVEL_KEYS,
} from './schema.js';
export { closest, didYouMean } from './suggest.js';
