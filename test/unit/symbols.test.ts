import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigFile } from '../../server/src/analysis/workspace';
import { documentSymbols, MAX_SYMBOL_DEPTH, workspaceSymbols, type SymbolNode } from '../../server/src/features/symbols';
import { withCursor } from '../support/cursor';

/** The outline as indented lines "kind name [detail]", depth first, without recursion. */
function outline(text: string): string[] {
  const lines: string[] = [];
  const stack: Array<{ node: SymbolNode; depth: number }> = documentSymbols(parseConfigFile('/t.conf', text))
    .map((node) => ({ node, depth: 0 }))
    .reverse();
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    lines.push(`${'  '.repeat(depth)}${node.kind} ${node.name}${node.detail ? ` [${node.detail}]` : ''}`);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], depth: depth + 1 });
  }
  return lines;
}

test('http › server › location › nested location, servers named by server_name with listen as detail', () => {
  const text = `
events { worker_connections 512; }
http {
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream chat_backend { server 127.0.0.1:3000; server 127.0.0.1:3001 backup; }
  upstream one { server a:1; }
  server {
    listen 443 ssl;
    listen [::]:443 ssl;
    server_name chat.example.com www.chat.example.com;
    location / {
      location ~* \\.php$ { return 404; }
      limit_except GET POST { deny all; }
    }
    location @fallback { if ($http_upgrade = "websocket") { return 426; } }
    location = /ws { content_by_lua_block { ngx.say("}") } }
  }
  server { listen 80 default_server; return 444; }
  types { text/html html; }
  geo $remote_addr $geo { default 0; }
  split_clients "\${remote_addr}AAA" $variant { 50% a; * b; }
}`;
  assert.deepEqual(outline(text), [
    'events events',
    'http http',
    '  map $http_upgrade → $connection_upgrade',
    '  upstream chat_backend [2 servers]',
    '  upstream one [1 server]',
    '  server chat.example.com www.chat.example.com [443 ssl, [::]:443 ssl]',
    '    location /',
    '      location ~* \\.php$',
    '      limit_except limit_except GET POST',
    '    location @fallback',
    '      if if ($http_upgrade = "websocket")',
    '    location = /ws',
    '      lua content_by_lua_block',
    '  server server [80 default_server]',
    '  types types',
    '  geo $remote_addr → $geo',
    '  split_clients "${remote_addr}AAA" → $variant',
  ]);
});

test('stream and mail servers are named by their listen addresses', () => {
  const text = `
stream { upstream dns { server 10.0.0.1:53; } server { listen 53 udp; proxy_pass dns; } }
mail { server { listen 25; protocol smtp; server_name mail.example.com; } }
`;
  assert.deepEqual(outline(text), [
    'stream stream',
    '  upstream dns [1 server]',
    '  server 53 udp',
    'mail mail',
    '  server 25 [smtp]',
  ]);
});

test('unknown blocks and a fragment file (top-level server) still make an outline', () => {
  assert.deepEqual(outline('server { server_name a.test; location /x { foo_block on { bar; } } }'), [
    'server a.test',
    '  location /x',
    '    block foo_block on',
  ]);
});

test('span covers the whole directive, selectionSpan its words', () => {
  const text = 'http {\n  server {\n    location ~ ^/api { return 204; }\n  }\n}\n';
  const [http] = documentSymbols(parseConfigFile('/t.conf', text));
  const location = http.children[0].children[0];
  assert.equal(text.slice(http.span.start, http.span.end), text.trimEnd());
  assert.equal(text.slice(http.selectionSpan.start, http.selectionSpan.end), 'http');
  assert.equal(text.slice(location.span.start, location.span.end), 'location ~ ^/api { return 204; }');
  assert.equal(text.slice(location.selectionSpan.start, location.selectionSpan.end), 'location ~ ^/api');
});

test('the `)` nginx swallows after a quote is part of the if selection', () => {
  const text = 'if ($a = "b") { return 403; }';
  const [node] = documentSymbols(parseConfigFile('/t.conf', text));
  assert.equal(text.slice(node.selectionSpan.start, node.selectionSpan.end), 'if ($a = "b")');
});

test('an unclosed block (syntax error) still gets its symbol, spanning to the end of the file', () => {
  const text = 'http {\n  server {\n    server_name x.test;\n';
  const [http] = documentSymbols(parseConfigFile('/t.conf', text));
  assert.equal(http.span.end, text.length);
  assert.equal(http.children[0].name, 'x.test');
});

test('5,000 nested blocks: no stack overflow; nesting capped so that the result serializes', () => {
  const depth = 5000;
  const text = 'location /a {\n'.repeat(depth) + '}\n'.repeat(depth);
  const roots = documentSymbols(parseConfigFile('/deep.conf', text));
  let count = 0;
  let levels = 0;
  for (let level = roots; level.length > 0; level = level.flatMap((node) => node.children)) {
    count += level.length;
    levels++;
  }
  assert.equal(count, depth, 'every block is in the outline');
  assert.equal(levels, MAX_SYMBOL_DEPTH + 1);
  assert.doesNotThrow(() => JSON.stringify(roots));
});

test('workspace symbols: servers and upstreams of every file, substring or subsequence, any case', () => {
  const a = parseConfigFile('/etc/nginx/a.conf', 'http { server { server_name chat.example.com; location /chat { } } upstream chat_pool { server x; } }');
  const b = parseConfigFile('/etc/nginx/b.conf', 'server { server_name api.example.com; listen 80; }\nupstream Legacy { server y; }');
  const names = (query: string) => workspaceSymbols([a, b], query).map((s) => `${s.kind} ${s.name} ${s.file}`);
  assert.deepEqual(names('CHAT'), ['server chat.example.com /etc/nginx/a.conf', 'upstream chat_pool /etc/nginx/a.conf']);
  // "cxc" is a subsequence of "chat.example.com" only; substring matches come first.
  assert.deepEqual(names('cxc'), ['server chat.example.com /etc/nginx/a.conf']);
  assert.deepEqual(names('le'), [
    'server chat.example.com /etc/nginx/a.conf', 'server api.example.com /etc/nginx/b.conf', 'upstream Legacy /etc/nginx/b.conf',
  ]);
  assert.deepEqual(names('pool'), ['upstream chat_pool /etc/nginx/a.conf']);
  assert.equal(names('').length, 4);
  assert.deepEqual(names('zzz'), []);
});

test('workspace symbol spans point at the directive', () => {
  const { text, offset } = withCursor('http {\n  |upstream backend { server 127.0.0.1:8080; }\n}');
  const file = parseConfigFile('/u.conf', text);
  const [symbol] = workspaceSymbols([file], 'backend');
  assert.equal(symbol.span.start, offset);
  assert.equal(symbol.detail, '1 server');
  assert.equal(text.slice(symbol.span.start, symbol.span.end), 'upstream backend { server 127.0.0.1:8080; }');
});

test('substring matches are ranked before subsequence matches', () => {
  const file = parseConfigFile('/r.conf', 'upstream a_p_i_x { } upstream api { }');
  assert.deepEqual(workspaceSymbols([file], 'api').map((s) => s.name), ['api', 'a_p_i_x']);
});
