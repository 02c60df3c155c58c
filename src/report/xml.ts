/**
 * XML 1.0 text and attribute escaping for text from hostile input: the five markup characters
 * become entities, control characters XML cannot carry (even as references) become visible
 * escapes, and lone surrogates or U+FFFE/U+FFFF become U+FFFD.
 */
import { visible } from './sanitize.js';

const MARKUP = /[&<>"']/g;
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const NOT_XML = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

function clean(text: string): string {
  return visible(text)
    .replace(NOT_XML, '\uFFFD')
    .replace(MARKUP, (c) => ENTITY[c]!);
}

/** Escapes element content. */
export function xmlText(text: string): string {
  return clean(text);
}

/** Escapes an attribute value; tab and line ends survive attribute-value normalisation. */
export function xmlAttr(text: string): string {
  return clean(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
