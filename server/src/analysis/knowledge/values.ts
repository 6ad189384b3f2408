// nginx's readers of directive values, as the ngx_conf_set_*_slot handlers call them (64-bit
// builds): src/core/ngx_string.c (ngx_atoi, ngx_atosz, ngx_atoof) and src/core/ngx_parse.c
// (ngx_parse_size, ngx_parse_offset, ngx_parse_time). Each answers whether nginx takes the text.

import type { ValueSyntax } from './directives';

/** NGX_MAX_INT_T_VALUE, NGX_MAX_SIZE_T_VALUE and NGX_MAX_OFF_T_VALUE on a 64-bit build. */
const MAX = 2n ** 63n - 1n;

/** ngx_atoi / ngx_atosz / ngx_atoof: decimal digits only, at most MAX. */
function decimal(text: string): bigint | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX ? value : undefined;
}

const UNITS_SIZE: Record<string, bigint> = { k: 1024n, m: 1024n ** 2n };
const UNITS_OFFSET: Record<string, bigint> = { ...UNITS_SIZE, g: 1024n ** 3n };

/** ngx_parse_size (k, m) and ngx_parse_offset (k, m, g): a number with an optional unit, either case. */
function scaled(text: string, units: Record<string, bigint>): bigint | undefined {
  const scale = units[text.slice(-1).toLowerCase()];
  const value = decimal(scale ? text.slice(0, -1) : text);
  return value === undefined || value > MAX / (scale ?? 1n) ? undefined : value * (scale ?? 1n);
}

/** ngx_parse_size: `64`, `128k`, `1m`. */
export const parseSize = (text: string) => scaled(text, UNITS_SIZE);

/**
 * A `NAME:SIZE` zone parameter after its prefix (`zone=`, `keys_zone=`, `shared:`): the name ends at the
 * first colon (ngx_http_limit_req_zone(), ngx_http_file_cache_set_slot()); `size` is undefined where
 * ngx_parse_size() cannot read it.
 */
export function zoneParameter(word: string | undefined, prefix: string): { name: string; size: bigint | undefined } | undefined {
  if (!word?.startsWith(prefix)) return undefined;
  const rest = word.slice(prefix.length);
  const colon = rest.indexOf(':');
  return colon > 0 ? { name: rest.slice(0, colon), size: parseSize(rest.slice(colon + 1)) } : undefined;
}

const SECONDS: Record<string, bigint> = { y: 31536000n, M: 2592000n, w: 604800n, d: 86400n, h: 3600n, m: 60n, s: 1n };
/** The units of ngx_parse_time in the order they must come; `ms` only for milliseconds. */
const STEPS = ['y', 'M', 'w', 'd', 'h', 'm', 's', 'ms', ' '];

/** ngx_parse_time: `1h 30m`, `500ms`, `60` (seconds); each unit once, largest first; no `y` or `M` in milliseconds. */
export function parseTime(text: string, isSec: boolean): bigint | undefined {
  let step = isSec ? -1 : STEPS.indexOf('M');
  let value = 0n;
  let total = 0n;
  let valid = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c >= '0' && c <= '9') {
      value = value * 10n + BigInt(c.charCodeAt(0) - 48);
      if (value > MAX) return undefined;
      valid = true;
      i++;
      continue;
    }
    const unit = c === 'm' && text[i + 1] === 's' ? 'ms' : c;
    const at = STEPS.indexOf(unit);
    // A space ends the number before the seconds; `ms` is refused in seconds.
    if (at < 0 || (unit === 'ms' && isSec) || (unit === ' ' ? step >= STEPS.indexOf('s') : at <= step)) return undefined;
    step = at;
    i += unit.length;
    let scale = unit === 'ms' || unit === ' ' ? 1n : SECONDS[unit];
    let max = unit === 'ms' || unit === ' ' ? MAX : MAX / SECONDS[unit];
    if (unit !== 'ms' && !isSec) {
      scale *= 1000n;
      max /= 1000n;
    }
    if (value > max) return undefined;
    if (total > MAX - value * scale) return undefined;
    total += value * scale;
    value = 0n;
    while (text[i] === ' ') i++;
  }
  if (!valid) return undefined;
  if (!isSec) {
    if (value > MAX / 1000n) return undefined;
    value *= 1000n;
  }
  return total > MAX - value ? undefined : total + value;
}

/**
 * nginx's complaint about a directive's arguments, as the slot handler words it (ngx_conf_handler()
 * prefixes a returned text with `"name" directive`), or undefined when nginx takes them.
 */
/** ngx_conf_check_num_bounds() (src/core/ngx_conf_file.c), the post handler of bounded numbers. */
function outOfBounds(number: bigint, [low, high]: readonly [number, number]): string | undefined {
  if (high === -1) return number >= BigInt(low) ? undefined : `value must be equal to or greater than ${low}`;
  return number >= BigInt(low) && number <= BigInt(high) ? undefined : `value must be between ${low} and ${high}`;
}

export function valueProblem(syntax: ValueSyntax, name: string, args: readonly string[]): string | undefined {
  const [first = '', second = ''] = args;
  const invalid = `"${name}" directive invalid value`;
  const oneOf = (value: string) => syntax.values?.some((known) => known.toLowerCase() === value.toLowerCase());
  switch (syntax.kind) {
    case 'flag':
      return /^(on|off)$/i.test(first) ? undefined : `invalid value "${first}" in "${name}" directive, it must be "on" or "off"`;
    case 'num': {
      const number = decimal(first);
      if (number === undefined) return `"${name}" directive invalid number`;
      return syntax.bounds && outOfBounds(number, syntax.bounds);
    }
    case 'size':
      return scaled(first, UNITS_SIZE) === undefined ? invalid : undefined;
    case 'complexSize':
      return !first.includes('$') && scaled(first, UNITS_SIZE) === undefined ? invalid : undefined;
    case 'off':
      return scaled(first, UNITS_OFFSET) === undefined ? invalid : undefined;
    case 'msec':
    case 'sec':
      return parseTime(first, syntax.kind === 'sec') === undefined ? invalid : undefined;
    case 'bufs':
      // ngx_conf_set_bufs_slot: a number and a size, neither of them 0.
      return decimal(first) && scaled(second, UNITS_SIZE) ? undefined : invalid;
    case 'enum':
      return oneOf(first) ? undefined : `invalid value "${first}"`;
    case 'bitmask': {
      const wrong = args.find((arg) => !oneOf(arg));
      return wrong === undefined ? undefined : `invalid value "${wrong}"`;
    }
  }
}
