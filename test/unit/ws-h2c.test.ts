// The header model (analysis/headers) and ws-upgrade-unrestricted (h2c smuggling): every entry of
// the list in force is sent, empty values are skipped, map values are followed; an Upgrade that
// passes any protocol is a Warning where the server has access control, Information elsewhere.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headerEntries, mapDefinitions, possibleValues } from '../../server/src/analysis/headers';
import { levelDirectives, type Level } from '../../server/src/analysis/websocket/levels';
import { Workspace } from '../../server/src/analysis/workspace';
import { directivesNamed } from '../../server/src/parser';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { memoryFs } from '../support/memoryFs';
import { MAIN, httpConf, wsFindings } from '../support/websocket';

const CODE = 'ws-upgrade-unrestricted';

/** The location /ws of `files`' main config, its levels innermost first, and the maps. */
function model(text: string) {
  const workspace = new Workspace(memoryFs({ [MAIN]: text }));
  const tree = workspace.file(MAIN)!.tree;
  const chain = ['http', 'server', 'location'].map((name) => directivesNamed(tree, name)[0]);
  const levels: Level[] = chain.reverse().map((block) => ({ block, file: MAIN, directives: levelDirectives(workspace, MAIN, block.block!) }));
  return { levels, maps: mapDefinitions(workspace, [MAIN]) };
}

const mapsOf = (text: string) => mapDefinitions(new Workspace(memoryFs({ [MAIN]: text })), [MAIN]);

const location = (...lines: string[]) => httpConf(
  '    map $http_connection $pass_connection {', '        "~*Upgrade" $http_connection;', '        default keep-alive;', '    }',
  '    proxy_set_header X-From http;',
  '    server {',
  '        listen 443 ssl;',
  '        location /ws {',
  '            proxy_pass http://127.0.0.1:3000;',
  ...lines.map((line) => '            ' + line),
  '        }',
  '    }',
);

test('headers: every entry of the level in force, empty values not sent, the level they come from', () => {
  const { levels, maps } = model(location('proxy_set_header Connection $pass_connection;', 'proxy_set_header Connection "";'));
  const entries = headerEntries(levels, 'proxy_set_header', maps);
  assert.deepEqual(entries.map((entry) => [entry.name, entry.value, entry.sent, entry.level.block?.name.value]), [
    ['Connection', '$pass_connection', true, 'location'],
    ['Connection', '', false, 'location'],
  ]);
  // The location's own list replaces the http level's: X-From is not inherited.
  assert.ok(!entries.some((entry) => entry.key === 'x-from'));
  // A level without a list of its own inherits the next one out.
  const outer = headerEntries(levels.slice(1), 'proxy_set_header', maps);
  assert.deepEqual(outer.map((entry) => [entry.name, entry.level.block?.name.value]), [['X-From', 'http']]);
});

test('maps: regex keys, variables as values and the default are followed, through maps of maps', () => {
  const maps = mapsOf(httpConf(
    '    map $http_upgrade $inner { default ""; websocket $http_upgrade; }',
    '    map $host $outer { ~^a $inner; default close; }',
  ));
  assert.deepEqual(possibleValues('$outer', maps)?.map((possible) => possible.value), ['$http_upgrade', '', 'close']);
  assert.deepEqual(possibleValues('$OUTER', maps)?.map((possible) => possible.via.map((step) => step.entry?.key ?? 'default')),
    [['^a', 'websocket'], ['^a', 'default'], ['default']]);
  assert.deepEqual(possibleValues('upgrade', maps), [{ value: 'upgrade', via: [] }]);
  const withInclude = mapsOf(httpConf('    map $http_upgrade $partial { include upgrade-map.conf; default ""; }'));
  assert.equal(possibleValues('$partial', withInclude), undefined, 'an included map is not known');
});

test('Connection $connection_upgrade then Connection "": the upgrade stays, no Connection warning', () => {
  const files = { [MAIN]: location('proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection $pass_connection;', 'proxy_set_header Connection "";') };
  assert.deepEqual(wsFindings(files, MAIN, 'ws-missing-connection'), []);
});

test('Connection $http_connection with proxy_pass: a WebSocket location, and its Connection is fine', () => {
  const files = { [MAIN]: location('proxy_http_version 1.1;', 'proxy_set_header Connection $http_connection;') };
  const codes = wsFindings(files, MAIN).map((finding) => finding.code);
  assert.ok(codes.includes('ws-missing-upgrade'), codes.join());
  assert.ok(!codes.includes('ws-missing-connection'), codes.join());
});

test('a map whose values never upgrade is judged by its values', () => {
  const files = { [MAIN]: location('proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;',
    'proxy_set_header Connection $always_close;').replace('http {', 'http {\n    map $http_upgrade $always_close { default close; }') };
  assert.equal(wsFindings(files, MAIN, 'ws-missing-connection').length, 1);
});

const ws = (upgrade: string, ...extra: string[]) => location('proxy_http_version 1.1;', upgrade, 'proxy_set_header Connection "upgrade";', ...extra);

test('h2c: $http_upgrade is Information without access control, Warning with it anywhere in the server', () => {
  const [open] = wsFindings({ [MAIN]: ws('proxy_set_header Upgrade $http_upgrade;') }, MAIN, CODE);
  assert.equal(open.severity, 'information');
  for (const guard of ['deny all;', 'auth_basic "admin";', 'auth_request /auth;']) {
    const files = { [MAIN]: ws('proxy_set_header Upgrade $http_upgrade;').replace('listen 443 ssl;', `listen 443 ssl;\n        location /admin { ${guard} }`) };
    const [finding, ...rest] = wsFindings(files, MAIN, CODE);
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning', guard);
    assert.match(finding.message, /bypasses this server's access control/);
  }
  for (const open of ['auth_basic off;', 'allow all;']) {
    const files = { [MAIN]: ws('proxy_set_header Upgrade $http_upgrade;', open) };
    assert.equal(wsFindings(files, MAIN, CODE)[0].severity, 'information', `${open} restricts nothing`);
  }
});

test('h2c: access control in force in the WebSocket location itself is not bypassed: the client passed it to open the tunnel', () => {
  const serverWide = (...lines: string[]) => ({ [MAIN]: ws('proxy_set_header Upgrade $http_upgrade;').replace('listen 443 ssl;', ['listen 443 ssl;', ...lines].join('\n        ')) });
  for (const guard of [['allow 10.0.0.0/8;', 'deny all;'], ['auth_basic "all";', 'auth_basic_user_file /etc/nginx/users;']]) {
    assert.equal(wsFindings(serverWide(...guard), MAIN, CODE)[0].severity, 'information', guard.join(' '));
  }
  // Inherited by the WebSocket location, but replaced in it by its own rules: the server's deny still guards the rest.
  const replaced = { [MAIN]: serverWide('deny 192.0.2.1;')[MAIN].replace('proxy_http_version 1.1;', 'proxy_http_version 1.1;\n            allow all;') };
  assert.equal(wsFindings(replaced, MAIN, CODE)[0].severity, 'warning');
  const both = serverWide('allow 10.0.0.0/8;', 'deny all;', 'location /admin { auth_basic "admin"; }');
  const [finding] = wsFindings(both, MAIN, CODE);
  assert.equal(finding.severity, 'warning');
  assert.deepEqual(finding.related?.filter((related) => related.message.startsWith('access control')).map((related) => both[MAIN].slice(related.span.start, related.span.end)), ['auth_basic "admin";']);
});

test('h2c: access control of a location that passes to another upstream guards what the tunnel cannot reach', () => {
  const withAdmin = (pass: string) => ({ [MAIN]: ws('proxy_set_header Upgrade $http_upgrade;').replace('listen 443 ssl;', `listen 443 ssl;\n        location /admin { auth_basic "admin"; ${pass} }`) });
  // The WebSocket location passes to 127.0.0.1:3000.
  assert.equal(wsFindings(withAdmin('proxy_pass http://127.0.0.1:8080;'), MAIN, CODE)[0].severity, 'information');
  assert.equal(wsFindings(withAdmin('proxy_pass http://127.0.0.1:3000/admin/;'), MAIN, CODE)[0].severity, 'warning');
  assert.equal(wsFindings(withAdmin('proxy_pass http://$backend;'), MAIN, CODE)[0].severity, 'warning', 'variables may choose the same upstream');
  assert.equal(wsFindings(withAdmin('location /admin/api { proxy_pass http://127.0.0.1:3000; }'), MAIN, CODE)[0].severity, 'warning', 'a nested location passes to it');
});

test('h2c: an Upgrade restricted to websocket by a map, a constant, or not sent at all is no finding', () => {
  const restricted = [
    ['map $http_upgrade $only_ws { default ""; websocket $http_upgrade; }', 'proxy_set_header Upgrade $only_ws;'],
    ['map $http_upgrade $only_ws { default ""; "~*^websocket$" $http_upgrade; }', 'proxy_set_header Upgrade $only_ws;'],
    ['', 'proxy_set_header Upgrade websocket;'],
  ];
  for (const [map, upgrade] of restricted) {
    const files = { [MAIN]: ws(upgrade).replace('http {', `http {\n    ${map}`) };
    assert.deepEqual(wsFindings(files, MAIN, CODE), [], upgrade);
  }
  const unanchored = { [MAIN]: ws('proxy_set_header Upgrade $any;').replace('http {', 'http {\n    map $http_upgrade $any { default ""; ~*websocket $http_upgrade; }') };
  assert.equal(wsFindings(unanchored, MAIN, CODE).length, 1, '"h2c, websocket" matches an unanchored regex');
});

test('h2c: an if of the location or its server that returns for any Upgrade but websocket guards it; an unanchored one does not', () => {
  const withIf = (condition: string) => ({ [MAIN]: ws('proxy_set_header Upgrade $http_upgrade;').replace('proxy_pass', `if (${condition}) { return 404; }\n            proxy_pass`) });
  for (const condition of ['$http_upgrade != "websocket"', '$http_upgrade !~* ^websocket$', '$http_upgrade !~ "^(?i)websocket$"']) {
    assert.deepEqual(wsFindings(withIf(condition), MAIN, CODE), [], condition);
  }
  for (const condition of ['$http_upgrade !~* websocket', '$http_upgrade = "h2c"']) assert.equal(wsFindings(withIf(condition), MAIN, CODE).length, 1, condition);
});

test('h2c fix: maps at http level, only the values replaced (alignment kept), Connection follows, version-aware default', () => {
  const files = { [MAIN]: ws('proxy_set_header Upgrade    $http_upgrade;') };
  const [finding] = wsFindings(files, MAIN, CODE);
  const [fix] = finding.fixes ?? [];
  assert.equal(fix.preferred, true);
  const fixed = applyEdits(files, fix.edits)[MAIN];
  assert.match(fixed, /proxy_set_header Upgrade    \$websocket_upgrade;/);
  assert.match(fixed, /proxy_set_header Connection \$websocket_connection;/);
  assert.match(fixed, /map \$http_upgrade \$websocket_connection {\n {8}default {7}close;\n {8}~\*\^websocket\$ upgrade;/);
  assert.deepEqual(wsFindings({ [MAIN]: fixed }, MAIN).filter((f) => f.severity === 'warning'), []);
  assert.deepEqual(wsFindings({ [MAIN]: fixed }, MAIN, CODE), []);
  // From 1.29.7 nginx sends no Connection header by default: the map keeps that.
  const newer = analyzeFiles(files, MAIN, { nginxVersion: '1.31.4' }).find((f) => f.code === CODE)!;
  assert.match(applyEdits(files, newer.fixes![0].edits)[MAIN], /default {7}"";\n {8}~\*\^websocket\$ upgrade;/);
});
