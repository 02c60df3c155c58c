/** YAML text to plain data: its own module, so that only projects with a YAML file load the parser. */
import { parse } from 'yaml';

export function parseYaml(text: string): unknown {
  return parse(text);
}
