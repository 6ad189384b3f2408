import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeFiles } from '../support/analysis';
import { nginxAvailable, nginxTest, testCertificates, wrapInHttp } from '../support/nginx';

interface Snippet {
  prefix: string;
  description: string;
  body: string | string[];
}

const snippets: Snippet[] = Object.values(
  JSON.parse(readFileSync(new URL('../../snippets/nginx.json', import.meta.url), 'utf8')),
);

function bodyOf(prefix: string): string {
  const snippet = snippets.find((s) => s.prefix === prefix);
  assert.ok(snippet, `no snippet with prefix ${prefix}`);
  return Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
}

/** Snippet text, or a tab stop with its default (null for a bare `$1`, which mirrors). */
type SnippetPart = string | { stop: number; value: SnippetPart[] | null };

/** Parses the VS Code snippet syntax the snippets use; anything else (e.g. an unescaped `$name`) throws. */
function parseSnippet(body: string): SnippetPart[] {
  let pos = 0;
  const parse = (nested: boolean): SnippetPart[] => {
    const parts: SnippetPart[] = [];
    while (pos < body.length) {
      const rest = body.slice(pos);
      let m: RegExpExecArray | null;
      if ((m = /^\\([$}\\])/.exec(rest))) {
        parts.push(m[1]);
      } else if (nested && rest[0] === '}') {
        pos++;
        return parts;
      } else if ((m = /^\$(\d+)|^\$\{(\d+)\}/.exec(rest))) {
        parts.push({ stop: Number(m[1] ?? m[2]), value: null });
      } else if ((m = /^\$\{(\d+)\|((?:[^\\|]|\\.)*)\|\}/.exec(rest))) {
        const first = m[2].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
        parts.push({ stop: Number(m[1]), value: [first] });
      } else if ((m = /^\$\{(\d+):/.exec(rest))) {
        pos += m[0].length;
        parts.push({ stop: Number(m[1]), value: parse(true) });
        continue;
      } else if (rest[0] === '$') {
        throw new Error(`unsupported snippet syntax (unescaped $?) at: ${rest.slice(0, 30)}`);
      } else {
        m = /^[^$\\}]+|^[\s\S]/.exec(rest)!;
        parts.push(m[0]);
      }
      pos += m[0].length;
    }
    if (nested) throw new Error(`unterminated placeholder in: ${body}`);
    return parts;
  };
  return parse(false);
}

/** Inserts every tab stop's default, as accepting a snippet without typing would. */
function expandSnippet(body: string): string {
  const parts = parseSnippet(body);
  // As in VS Code, a bare `$n` mirrors the default of placeholder n.
  const defaults = new Map<number, SnippetPart[]>();
  const collect = (list: SnippetPart[]): void => {
    for (const part of list) {
      if (typeof part === 'string' || !part.value) continue;
      if (!defaults.has(part.stop)) defaults.set(part.stop, part.value);
      collect(part.value);
    }
  };
  const render = (list: SnippetPart[]): string =>
    list.map((part) => (typeof part === 'string' ? part : render(part.value ?? defaults.get(part.stop) ?? []))).join('');
  collect(parts);
  return render(parts);
}

const skip = nginxAvailable() ? false : 'nginx not installed';

const inServer = (location: string): string => `server {\n\tlisten 8080;\n${location}\n}`;

// Where each snippet goes inside `http { }`, with whatever else it needs to be valid there.
const placements: Record<string, (expanded: string) => string> = {
  'ws-location': inServer,
  'ws-location-production': inServer,
  'ws-location-map': (location) => `${expandSnippet(bodyOf('ws-map-upgrade'))}\n${inServer(location)}`,
  'ws-map-upgrade': (map) => map,
  'wss-server': (server) => server,
  'upstream-keepalive': (upstream) => upstream,
  'http-to-https-redirect': (server) => server,
};

/** Points ssl_certificate / ssl_certificate_key at real files so nginx can load them. */
function useTestCertificates(config: string): string {
  if (!/\bssl_certificate/.test(config)) return config;
  const { cert, key } = testCertificates();
  return config
    .replace(/^(\s*ssl_certificate)\s[^;]*;/gm, `$1 ${cert};`)
    .replace(/^(\s*ssl_certificate_key)\s[^;]*;/gm, `$1 ${key};`);
}

test('every snippet has a unique prefix and a description', () => {
  const prefixes = snippets.map((s) => s.prefix);
  assert.equal(new Set(prefixes).size, prefixes.length, `duplicate prefix in ${prefixes.join(', ')}`);
  for (const snippet of snippets) {
    assert.equal(typeof snippet.prefix, 'string');
    assert.ok(typeof snippet.description === 'string' && snippet.description.length > 0, snippet.prefix);
  }
  assert.deepEqual([...prefixes].sort(), Object.keys(placements).sort(), 'every snippet needs a placement');
});

test('nginx variables in snippet bodies are escaped', () => {
  // An unescaped `$http_upgrade` is a snippet variable: VS Code would insert "http_upgrade".
  for (const { prefix } of snippets) {
    assert.doesNotMatch(bodyOf(prefix), /(?<!\\)\$(?![{\d])/, prefix);
  }
});

test('the expander inserts defaults', () => {
  assert.equal(expandSnippet('a ${1:x} $2 ${3} $0'), 'a x   ');
  assert.equal(expandSnippet('${1|on,off|};'), 'on;');
  assert.equal(expandSnippet('${1:/a/${2:b}/c} \\$host \\}'), '/a/b/c $host }');
  assert.equal(expandSnippet('${2:/live/$1/cert.pem} ${1:example.com}'), '/live/example.com/cert.pem example.com');
  assert.throws(() => expandSnippet('proxy_set_header Upgrade $http_upgrade;'), /unescaped/);
});

test('WebSocket snippets include the upgrade handshake', () => {
  for (const prefix of ['ws-location', 'ws-location-production', 'ws-location-map', 'wss-server']) {
    const text = expandSnippet(bodyOf(prefix));
    assert.match(text, /proxy_http_version 1\.1;/, prefix);
    assert.match(text, /proxy_set_header Upgrade \$(http_upgrade|websocket_upgrade);/, prefix);
    assert.match(text, /proxy_set_header Connection ("upgrade"|\$websocket_connection);/, prefix);
  }
});

for (const { prefix } of snippets) {
  test(`nginx -t accepts the ${prefix} snippet`, { skip }, () => {
    const place = placements[prefix];
    assert.ok(place, `no placement for ${prefix}`);
    const config = wrapInHttp(useTestCertificates(place(expandSnippet(bodyOf(prefix)))));
    const result = nginxTest({ 'nginx.conf': config }, 'nginx.conf');
    assert.equal(result.ok, true, `${result.output}\n${config}`);
  });
}

for (const { prefix } of snippets) {
  test(`our own rules find no Warning in the ${prefix} snippet (h2c included)`, () => {
    const config = wrapInHttp(placements[prefix](expandSnippet(bodyOf(prefix))));
    const findings = analyzeFiles({ '/etc/nginx/nginx.conf': config }, '/etc/nginx/nginx.conf');
    assert.deepEqual(findings.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => `${f.code}: ${f.message}`), [], config);
  });
}

test('the map snippet passes only "websocket": no h2c finding for a location using it', () => {
  const config = wrapInHttp(placements['ws-location-map'](expandSnippet(bodyOf('ws-location-map'))));
  assert.deepEqual(analyzeFiles({ '/etc/nginx/nginx.conf': config }, '/etc/nginx/nginx.conf').filter((f) => f.code === 'ws-upgrade-unrestricted'), []);
});
