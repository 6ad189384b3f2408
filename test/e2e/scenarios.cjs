'use strict';
// Scenario data shared by the two end-to-end runners:
//   - run.mjs drives the real VS Code workbench (code-server in headless Chromium) by keyboard and mouse;
//   - electron/suite/index.cjs runs the same checks through the extension API in an extension host
//     (VS Code Electron via @vscode/test-electron, or code-server's remote extension host).
// Paths are relative to the fixture workspace test/e2e/workspace/.

/** @type {{ languageId: string, languageLabel: RegExp, grammarScope: string }} */
const language = {
  languageId: 'nginx',
  // What the status bar's language mode shows (the first alias of the language).
  languageLabel: /^nginx$/i,
  grammarScope: 'source.nginx',
};

const scenarios = {
  // 1. A workspace config opens as nginx and the grammar colours its tokens.
  language: {
    file: 'nginx.conf',
    // A directive token: must get a scope (and colour) of its own from the grammar.
    token: 'proxy_read_timeout',
  },

  // 1b. Problems for the whole configuration: with only nginx.conf open, a problem of a file it includes is listed.
  workspaceProblems: {
    file: 'nginx.conf',
    // conf.d/ws-incomplete.conf's problem, shown although that file is not open.
    code: 'ws-missing-upgrade',
    inFile: 'ws-incomplete.conf',
  },

  // 6. nginx -t from the Command Palette: the status-bar item shows the result, the Output channel the run.
  nginxTest: {
    command: 'nginx: Test Configuration',
    showOutput: 'nginx: Show Output',
    statusText: 'nginx -t',
    // The open buffers are checked: after the snippet scenario (proxy_pass http://backend:9000, a host nginx
    // cannot resolve without network) the run fails, alone it passes; either way the status bar shows the result.
    resultIcons: ['codicon-check', 'codicon-error'],
    // \s: the editor renders some spaces as no-break spaces.
    logged: /exit\sstatus\s[01]\b/,
  },

  // 2. Hover a directive name: its syntax and default.
  hover: {
    file: 'nginx.conf',
    word: 'proxy_read_timeout',
    // Every pattern must match the hover's text.
    // (Rendered text in the workbench, Markdown source through the API: allow for `**` and backticks.)
    expect: [/proxy_read_timeout\s+time;/, /Default:?\**:?\s*`?proxy_read_timeout 60s;?`?/, /nginx\.org/],
  },

  // 3. Quick fix for an incomplete WebSocket location.
  wsQuickFix: {
    file: 'conf.d/ws-incomplete.conf',
    code: 'ws-missing-upgrade',
    severity: 'warning',
    // The fix passes only WebSocket upgrades, through the maps it adds to nginx.conf's http block.
    fixTitle: /^Add "?proxy_set_header Upgrade \$websocket_upgrade;?"? and the maps/,
    // After the fix the document must hold a line matching this.
    expectLine: /^\s*proxy_set_header\s+Upgrade\s+\$websocket_upgrade;\s*$/,
  },

  // 4. The TLS quick fix on a plain-HTTP WebSocket server.
  tlsQuickFix: {
    file: 'conf.d/ws-plain-http.conf',
    code: 'ws-no-tls',
    severity: 'information',
    fixTitle: /TLS/,
    expectLines: [/^\s*listen\s+443\s+ssl\b.*;\s*$/, /^\s*ssl_certificate\s+\S+;\s*$/, /^\s*ssl_certificate_key\s+\S+;\s*$/],
  },

  // 6. h2c smuggling: an Upgrade that passes any protocol in a server with access control.
  h2cQuickFix: {
    file: 'conf.d/ws-h2c.conf',
    code: 'ws-upgrade-unrestricted',
    severity: 'warning',
    // The code is on other files' rows too (as Information): the row is the one with this text.
    problemText: /bypasses this server's access control/,
    fixTitle: /^Pass only WebSocket upgrades/,
    // Only the values change in this file; the maps go to nginx.conf's http block.
    expectLines: [/^\s*proxy_set_header\s+Upgrade\s+\$websocket_upgrade;\s*$/, /^\s*proxy_set_header\s+Connection\s+\$websocket_connection;\s*$/],
  },

  // 7. Hover a location: the headers it really sends, and the level they come from (the server's list).
  headersHover: {
    file: 'conf.d/ws-headers.conf',
    word: 'location',
    expect: [/Headers sent to the upstream/, /proxy_set_header from server \(line 2\)/, /Upgrade: `?\$http_upgrade`?/, /Connection: `?\$connection_upgrade`? → `?close`? \| `?upgrade`?/],
  },

  // 9. A typo: the error's preferred quick fix is the directive meant ("did you mean").
  typoQuickFix: {
    file: 'conf.d/typo.conf',
    code: 'unknown-directive',
    severity: 'error',
    fixTitle: /^Change to "proxy_pass"/,
    expectLine: /^\s*proxy_pass\s+http:\/\/127\.0\.0\.1:9200;\s*$/,
  },

  // 10. Argument completion: after "proxy_pass http://" the upstreams of the configuration, with their servers.
  upstreamCompletion: {
    file: 'conf.d/upstream-pass.conf',
    // 1-based line of the empty line inside `location /new/`; typed at the end of the line above after Enter.
    line: 12,
    typed: 'proxy_pass http://',
    label: 'app',
    // The entry's detail: nginx.conf's upstream app.
    detail: /1 server: 127\.0\.0\.1:8080 · keepalive 16/,
    expectLine: /^\s*proxy_pass\s+http:\/\/app;\s*$/,
  },

  // 11. Hover an upstream name where proxy_pass uses it: its servers, where it is defined (a link), its uses.
  upstreamHover: {
    file: 'conf.d/upstream-pass.conf',
    // The rendered token; the hover is on its last characters, the upstream name.
    token: 'http://app',
    // nginx.conf:14 on disk; the quick fixes of scenarios 3 and 6 add maps above it in the open buffer.
    expect: [/upstream app/, /Defined in \S*nginx\.conf:\d+/, /server 127\.0\.0\.1:8080;/, /keepalive 16;/, /Used by \d+ `?\*_pass`? directives?/],
  },

  // 12. nginx: Which location serves a URL… with a WebSocket URL: the editor jumps to the location, a notification
  // names the server, the location, the URI and the headers the upstream gets (the server's list, inherited).
  whichLocation: {
    file: 'conf.d/ws-headers.conf',
    command: 'nginx: Which location serves a URL…',
    url: 'wss://live.example.test:8445/live/chat?room=1',
    expect: [
      /location \/live\/ at ws-headers\.conf:10/,
      /the upstream gets \/live\/chat\?room=1 with/,
      /Upgrade: websocket \(\$http_upgrade\)/,
      /Connection: upgrade \(\$connection_upgrade\)/,
      /Host: 127\.0\.0\.1:9002 \(\$proxy_host\)/,
    ],
    // The line the editor selects: the location's.
    locationLine: 10,
  },

  // 5. Type a snippet prefix, accept it, fill its placeholders.
  snippet: {
    file: 'conf.d/snippet.conf',
    // 1-based line of the empty line inside the server block; the runners press Enter at the end of the line above
    // it (so VS Code indents the new line) and type the prefix there.
    line: 5,
    prefix: 'ws-location',
    // Typed into the first two tab stops of the snippet (location path, upstream address).
    placeholders: ['/chat/', 'backend:9000'],
    // The inserted lines, compared trimmed, in order, right from the line the prefix was typed on.
    expectLines: [
      'location /chat/ {',
      'proxy_pass http://backend:9000;',
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection "upgrade";',
      'proxy_read_timeout 3600s;',
      '}',
    ],
  },
};

/**
 * The expanded snippet sits one level inside the server block (as indented as the line above it) and its body one
 * level deeper. Returns an error message, or undefined when the indentation is right.
 */
function snippetIndentError(text) {
  const lines = text.split(/\r?\n/);
  const first = scenarios.snippet.expectLines[0];
  const i = lines.findIndex((l) => l.trim() === first);
  if (i < 1) return `"${first}" not found`;
  const indent = (l) => /^\s*/.exec(l)[0].length;
  if (indent(lines[i]) !== indent(lines[i - 1]) || indent(lines[i]) === 0) {
    return `"${first}" is indented ${indent(lines[i])}, the line above ${indent(lines[i - 1])}`;
  }
  if (!(indent(lines[i + 1]) > indent(lines[i]))) return `the snippet body is not indented under "${first}"`;
  return undefined;
}

/** True when every regex in `patterns` matches somewhere in `text`. Returns the first one that does not. */
function firstUnmatched(patterns, text) {
  for (const p of patterns) if (!p.test(text)) return p;
  return undefined;
}

/** True when `expected` (trimmed lines) appear consecutively in `text` (compared trimmed). */
function containsLines(text, expected) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  outer: for (let i = 0; i + expected.length <= lines.length; i++) {
    for (let j = 0; j < expected.length; j++) if (lines[i + j] !== expected[j]) continue outer;
    return true;
  }
  return false;
}

module.exports = { language, scenarios, firstUnmatched, containsLines, snippetIndentError };
