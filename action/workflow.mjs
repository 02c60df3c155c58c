/**
 * The runner's side of a JavaScript action, as GitHub documents it: inputs arrive as INPUT_<NAME>
 * variables (upper-cased, spaces as underscores, hyphens kept), outputs go to the GITHUB_OUTPUT
 * file in the multi-line `name<<DELIMITER` form, and `::error::` lines become annotations.
 */
import { randomUUID } from 'node:crypto';

/** An input's value, trimmed, or `fallback` when it is unset or empty. */
export function input(env, name, fallback = '') {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim() ?? '';
  return value === '' ? fallback : value;
}

/** Outputs as the GITHUB_OUTPUT file wants them; a random delimiter no value can contain. */
export function outputText(values) {
  let text = '';
  for (const [name, raw] of Object.entries(values)) {
    const value = String(raw);
    let delimiter = `goimg_${randomUUID()}`;
    while (value.includes(delimiter)) delimiter = `goimg_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}

/** A workflow command's message, escaped as the runner unescapes it. */
export function errorCommand(message) {
  const data = message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `::error title=goimg::${data}\n`;
}
