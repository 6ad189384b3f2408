// Regular expressions as PCRE compiles them when nginx reads a directive (invalid-regex) and their
// named groups as nginx adds them as variables (duplicate-variable): every case is asked of each
// nginx binary there is, PCRE's words before 1.21.5 and PCRE2's from then on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pcreCompileError } from '../../server/src/analysis/knowledge/pcreSyntax';
import { analyzeFiles } from '../support/analysis';
import { nginxTest } from '../support/nginx';
import { nginxBinaries } from '../support/nginxBuilds';

const MAIN = '/etc/nginx/nginx.conf';
const errorsOf = (text: string, nginxVersion: string) =>
  analyzeFiles({ [MAIN]: text }, MAIN, { nginxVersion }).filter((f) => f.severity === 'error').map((f) => f.message);

/** A quoted nginx string that gives `pattern` to PCRE: nginx reads `\\` and `\"` in quotes as `\` and `"`. */
const quoted = (pattern: string) => `"${pattern.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const inServer = (lines: string[]) => `events {}\nhttp {\n  server {\n    listen 8080;\n    ${lines.join('\n    ')}\n  }\n}\n`;
const locationOf = (pattern: string) => `location ~ ${quoted(pattern)} { return 200; }`;

/** Patterns PCRE or PCRE2 refuses, with the error the scanner finds. */
const REFUSED = [
  '^/(foo', '^/foo)', '*foo', '^/[abc', 'a|*b', '^*', 'a**', 'a{2}*', 'a{2}{3}', 'a*?+', 'a{2}??', 'x*{2}',
  '(?i)*', 'a(?i)*', '(?#c)*', '\\b*', '$*', '\\A*', '\\z*', '\\K*', '{2}', 'x|{2}', '^+',
  '[z-a]', '[a-\\]]', 'a{3,2}', 'a{65536}', 'a{1,65536}', '[]', '[^]', '[[:alpha:]', '((a)', '(?:a|b', 'a)(', '(a))',
  '[:alpha:]', '[[:foo:]]', '[[.a.]]', '(?#comment', '(?<1a>x)', '(?<abcdefghijabcdefghijabcdefghijabc>x)',
  '(?<n>a)(?<n>b)', "(?<n>a)(?'n'b)", '(?<n>a)|(?P<n>b)',
  // PCRE2 only: escapes of unknown letters, which PCRE reads as the letter.
  '\\i', '\\y', '[\\i]', '\\T', '\\F', '[\\F]', '\\L', '\\u0041',
];

/** Patterns both compile. */
const ACCEPTED = [
  '^/static/.*\\.(css|js|png|jpe?g|gif|ico|svg|woff2?)$', '^/(?<a1>[^/]+)/(?<a_b>.*)$', '\\.(?:jpg|png)$', '^(?!/admin)',
  'a|', '()', '(|)', 'a{2}?', 'a{2}+', 'a++', '(?:a|b)?+', '(?=x)*', '(?<=x)*', '(?:)*', 'a(?#c)*', 'a(?i)b*',
  '[a-]', '[-a]', '[a-z-9]', '[a\\-z]', '[%--]', '[---]', '[]a]', '[]-a]', '[^\\]]', '[\\\\-a]', '[[:^alpha:]]', '[[:word:]]',
  'a{', 'a{2', 'a{2,', 'a{x}', 'a{2,x}', 'x{2,}', '\\x{41}', '\\xZ', '\\xff', '\\cA', '\\o{7}', '\\p{L}', '\\N', '\\/+',
  '(?-i)x', '(?i:x)', '(?ix-s:a)', "(?'n'x)", 'x(?<n>a)(?P=n)', '(?>a)', '(?<!ab|c)d', '~*', '[0-9]{1,3}.[0-9]{1,3}', 'a||b',
];

/** Patterns nginx refuses for what the scanner leaves to PCRE (verbs, references, lookbehind lengths...): it says nothing. */
const LEFT_TO_PCRE = ['a(*b)', '(a)\\2', '\\8', '(?z)', '(?<n', '(?<>x)', 'a(?', '\\k<zz>', '(?<=a+)b', '\\p{Zz}', '[\\d-z]', '[\\w-a]', '\\x{zz}', '(*)', '[\\x{100}]'];

test('the scanner finds an error in every refused pattern, none in the others, and words it as each library does', () => {
  for (const pattern of REFUSED) assert.ok(pcreCompileError(pattern, 'pcre2'), pattern);
  for (const pattern of [...ACCEPTED, ...LEFT_TO_PCRE]) {
    assert.equal(pcreCompileError(pattern, 'pcre2'), undefined, pattern);
    assert.equal(pcreCompileError(pattern, 'pcre'), undefined, pattern);
  }
  assert.equal(pcreCompileError('^/(foo', 'pcre2'), 'pcre2_compile() failed: missing closing parenthesis in "^/(foo"');
  assert.equal(pcreCompileError('^/(foo', 'pcre'), 'pcre_compile() failed: missing ) in "^/(foo"');
  assert.equal(pcreCompileError('*.php$', 'pcre2'), 'pcre2_compile() failed: quantifier does not follow a repeatable item in "*.php$" at "*.php$"');
  assert.equal(pcreCompileError('(?<n>a)(?<n>b)', 'pcre'), 'pcre_compile() failed: two named subpatterns have the same name in "(?<n>a)(?<n>b)" at ">b)"');
  assert.equal(pcreCompileError('\\i', 'pcre'), undefined, 'PCRE reads \\i as i');
});

test('a location regex: ours and each nginx binary give the same verdict, in the same words', async (t) => {
  const { binaries } = nginxBinaries();
  if (binaries.length === 0) t.skip('no nginx binary (apt-get install nginx-extras, node scripts/build-nginx.mjs)');
  for (const binary of binaries) {
    await t.test(`nginx ${binary.label}`, () => {
      const accepted = inServer(ACCEPTED.map(locationOf));
      assert.deepEqual(errorsOf(accepted, binary.version), []);
      const all = nginxTest({ 'nginx.conf': accepted }, 'nginx.conf', binary.path);
      assert.ok(all.ok, all.output);
      for (const pattern of REFUSED) {
        const text = inServer([locationOf(pattern)]);
        const verdict = nginxTest({ 'nginx.conf': text }, 'nginx.conf', binary.path);
        const ours = errorsOf(text, binary.version);
        if (verdict.ok) assert.deepEqual(ours, [], `${pattern}: nginx accepts`);
        else assert.deepEqual(ours, [verdict.message], `${pattern}: ${verdict.output}`);
      }
    });
  }
});

/** Every directive that compiles a regex, with PCRE2's error (nginx 1.22.1) or that of the named group. */
const DIRECTIVE_CASES: Array<[line: string, message: string | undefined]> = [
  ['location ~^/api/(v1 { return 200; }', 'pcre2_compile() failed: missing closing parenthesis in "^/api/(v1"'],
  ['location ~* \\.(jpg|png$ { return 200; }', 'pcre2_compile() failed: missing closing parenthesis in "\\.(jpg|png$"'],
  ['location ^~ /(a { return 200; }', undefined],
  ['location ~ ^/(?<uri>.*)$ { return 200; }', 'the duplicate "uri" variable'],
  ['location ~ ^/(?<path>.*)$ { return 200; }', undefined],
  ['server_name ~^(www\\.;', 'pcre2_compile() failed: missing closing parenthesis in "^(www\\."'],
  ['server_name ~^(?<Host>.+)\\.example\\.com$;', 'the duplicate "Host" variable'],
  ['rewrite ^/old/(.*$ /new/$1 last;', 'pcre2_compile() failed: missing closing parenthesis in "^/old/(.*$"'],
  ['if ($http_user_agent ~* "bot(") { return 403; }', 'pcre2_compile() failed: missing closing parenthesis in "bot("'],
  ['if ($uri ~ ^/(a)) { return 403; }', undefined],
  ['if ($uri !~ [a) { return 403; }', 'pcre2_compile() failed: missing terminating ] for character class in "[a"'],
  ['gzip_disable msie6 "MSIE [1-6\\.";', 'pcre2_compile() failed: missing terminating ] for character class in "MSIE [1-6\\."'],
  ['valid_referers none ~\\.google\\.(com;', 'pcre2_compile() failed: missing closing parenthesis in "\\.google\\.(com"'],
  ['valid_referers ~(?<host>a);', undefined],
  ['location / { proxy_pass http://127.0.0.1:1; proxy_redirect ~*^http://(a /; }', 'pcre2_compile() failed: missing closing parenthesis in "^http://(a"'],
  ['location / { proxy_pass http://127.0.0.1:1; proxy_cookie_domain ~*a b; }', 'pcre2_compile() failed: quantifier does not follow a repeatable item in "*a" at "*a"'],
  ['location / { proxy_pass http://127.0.0.1:1; proxy_cookie_path ~*^/(a /; }', 'pcre2_compile() failed: missing closing parenthesis in "^/(a"'],
  ['location ~ \\.php { fastcgi_split_path_info ^(.+\\.php)(/.+$; fastcgi_pass 127.0.0.1:9000; }', 'pcre2_compile() failed: missing closing parenthesis in "^(.+\\.php)(/.+$"'],
];

test('each directive that compiles a regex: the pattern it gives PCRE, and the named groups it makes variables, as nginx 1.22.1 reads them', (t) => {
  const inHttp = (line: string) => `events {}\nhttp {\n  ${line}\n}\n`;
  const cases: Array<[string, string | undefined]> = [
    ...DIRECTIVE_CASES.map(([line, message]): [string, string | undefined] => [inServer([line]), message]),
    [inHttp('map $uri $m {\n    ~^/(?<host>a) 1;\n  }'), 'the duplicate "host" variable'],
    [inHttp('map $uri $m {\n    ~*^/(b 2;\n  }'), 'pcre2_compile() failed: missing closing parenthesis in "^/(b"'],
    [inHttp('map $uri $m {\n    \\~^/(b 2;\n  }'), undefined],
  ];
  for (const [text, message] of cases) {
    assert.deepEqual(errorsOf(text, '1.22.1'), message ? [message] : [], text);
    const verdict = nginxTest({ 'nginx.conf': text }, 'nginx.conf');
    if (/No such file|not found/.test(verdict.output) && !verdict.message) {
      t.skip('nginx not installed (apt-get install nginx-extras)');
      return;
    }
    if (message) assert.equal(verdict.message, message, text);
    else assert.ok(verdict.ok, `${text}\n${verdict.output}`);
  }
});
