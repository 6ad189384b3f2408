// ws-missing-connection: a WebSocket location whose effective Connection header is missing or does
// not upgrade (`""` sends none, `close` breaks it); "upgrade" or a variable mapped from $http_upgrade does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETC, MAIN, httpConf, lines, relatedOf, shownAt, wsFindings } from '../support/websocket';

const CODE = 'ws-missing-connection';
const findings = (files: Record<string, string>, target = MAIN) => wsFindings(files, target, CODE);

const MAP = ['    map $http_upgrade $connection_upgrade {', '        default upgrade;', "        ''      close;", '    }'];
/** http { [before...] server { location /ws { proxy_pass; Upgrade; headers... } } } */
const conf = (headers: string[], before: string[] = []) =>
  httpConf(
    ...before,
    '    server {',
    '        listen 443 ssl;',
    '        location /ws {',
    '            proxy_pass http://127.0.0.1:3000;',
    '            proxy_http_version 1.1;',
    '            proxy_set_header Upgrade $http_upgrade;',
    ...headers.map((line) => '            ' + line),
    '        }',
    '    }',
  );

test('missing: a warning on the location line; fixes "upgrade" and the map idiom', () => {
  const files = { [MAIN]: conf([]) };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(shownAt(files, finding), '5: location /ws');
  assert.match(finding.message, /Connection/);
  assert.match(finding.message, /"Connection: close" by default/);
  assert.deepEqual(finding.related ?? [], []);
  assert.deepEqual(finding.fixes?.map((fix) => fix.title), [
    `Add 'proxy_set_header Connection "upgrade";'`,
    'Add "proxy_set_header Connection $connection_upgrade;" and the map $http_upgrade $connection_upgrade at http level',
  ]);
  assert.deepEqual(finding.fixes?.map((fix) => fix.preferred ?? false), [true, false]);
});

test('Connection "" in the location: named in the message, related to the line', () => {
  const files = { [MAIN]: conf(['proxy_set_header Connection "";']) };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '5: location /ws');
  assert.match(finding.message, /"Connection """ breaks the WebSocket upgrade/);
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:9: proxy_set_header Connection ""; — Connection is set to "" here']);
  assert.match(finding.fixes?.[0].title ?? '', /^Change to/);
});

test('Connection close, and $http_upgrade used as a Connection value ("websocket" is no Connection token)', () => {
  for (const [line, shown] of [['proxy_set_header Connection close;', '"close"'], ['proxy_set_header Connection $http_upgrade;', '"$http_upgrade"']]) {
    const files = { [MAIN]: conf([line]) };
    const [finding, ...rest] = findings(files);
    assert.equal(rest.length, 0, line);
    assert.ok(finding.message.includes(`"Connection ${shown}"`), finding.message);
  }
});

test('Connection "" set at http level (upstream keepalive) and inherited: related into http', () => {
  const files = {
    [MAIN]: httpConf(
      '    proxy_set_header Upgrade $http_upgrade;',
      '    proxy_set_header Connection "";',
      '    server {',
      '        location /ws {',
      '            proxy_pass http://127.0.0.1:3000;',
      '        }',
      '    }',
    ),
  };
  const [finding, ...rest] = findings(files);
  assert.equal(rest.length, 0);
  assert.equal(shownAt(files, finding), '6: location /ws');
  assert.deepEqual(relatedOf(files, finding), ['nginx.conf:4: proxy_set_header Connection ""; — Connection is set to "" here']);
  // The keepalive setting at http level stays: the location gets its own list.
  const [fix] = finding.fixes ?? [];
  assert.equal(fix.title, `Add 'proxy_set_header Connection "upgrade";' (and re-declare the 1 inherited proxy_set_header)`);
  assert.deepEqual(fix.edits.map((edit) => edit.newText.trim().split(/\s*\n\s*/)), [
    ['proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";'],
  ]);
});

test('an inherited Connection "" lost by inheritance is no lost header: the Connection is missing', () => {
  const files = {
    [MAIN]: httpConf(
      '    proxy_set_header Connection "";',
      '    server {',
      '        location /ws {',
      '            proxy_pass http://127.0.0.1:3000;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '        }',
      '    }',
    ),
  };
  assert.deepEqual(findings(files).map((f) => f.message), [
    `WebSocket proxying needs 'proxy_set_header Connection' with "upgrade": nginx sends "Connection: close" by default`,
  ]);
  assert.deepEqual(wsFindings(files, MAIN, 'ws-headers-not-inherited'), []);
});

test('the map idiom uses an existing map from $http_upgrade, wherever it is defined', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf('    map $http_upgrade $ws_connection {', '        default upgrade;', "        ''      close;", '    }', '    include sites-enabled/*;'),
    [site]: lines('server {', '    location /ws {', '        proxy_pass http://127.0.0.1:3000;', '        proxy_set_header Upgrade $http_upgrade;', '    }', '}'),
  };
  const [finding] = findings(files, site);
  assert.equal(shownAt(files, finding), '2: location /ws');
  // The configuration follows the map idiom already: using its map is the preferred fix.
  assert.deepEqual(finding.fixes?.map((fix) => [fix.title, fix.preferred]), [
    ['Add "proxy_set_header Connection $ws_connection;" (map from $http_upgrade)', true],
    [`Add 'proxy_set_header Connection "upgrade";'`, undefined],
  ]);
  assert.deepEqual(finding.fixes?.[0].edits.map((edit) => edit.file), [site]);
});

test('the map is added to nginx.conf\'s http block for a location in sites-enabled', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf('    include sites-enabled/*;'),
    [site]: lines('server {', '    location /ws {', '        proxy_pass http://127.0.0.1:3000;', '        proxy_set_header Upgrade $http_upgrade;', '    }', '}'),
  };
  const mapFix = findings(files, site)[0].fixes?.[1];
  assert.deepEqual(mapFix?.edits.map((edit) => edit.file), [MAIN, site]);
});

test('no map fix when no http level is known, or when $connection_upgrade means something else', () => {
  const alone = `${ETC}/sites-available/app.conf`;
  const files = { [alone]: lines('server {', '    location /ws {', '        proxy_pass http://127.0.0.1:3000;', '    }', '}') };
  assert.deepEqual(findings(files, alone)[0].fixes?.map((fix) => fix.title), [`Add 'proxy_set_header Connection "upgrade";'`]);
  const taken = { [MAIN]: conf([], ['    map $http_x_mode $connection_upgrade {', '        default close;', '    }']) };
  assert.deepEqual(findings(taken)[0].fixes?.map((fix) => fix.title), [`Add 'proxy_set_header Connection "upgrade";'`]);
});

test('a variable mapped from something else than $http_upgrade does not upgrade', () => {
  const files = { [MAIN]: conf(['proxy_set_header Connection $conn;'], ['    map $http_x_mode $conn {', '        default close;', '    }']) };
  assert.deepEqual(findings(files).map((f) => shownAt(files, f)), ['8: location /ws']);
});

test('no finding: "upgrade" in any case, the map idiom, $http_connection, in a snippet, inherited', () => {
  const variants: Record<string, Record<string, string>> = {
    upgrade: { [MAIN]: conf(['proxy_set_header Connection "upgrade";']) },
    'Upgrade, unquoted': { [MAIN]: conf(['proxy_set_header Connection Upgrade;']) },
    'token list': { [MAIN]: conf(['proxy_set_header Connection "keep-alive, Upgrade";']) },
    'header name case': { [MAIN]: conf(['proxy_set_header connection upgrade;']) },
    'map idiom': { [MAIN]: conf(['proxy_set_header Connection $connection_upgrade;'], MAP) },
    'map idiom, ${braces}': { [MAIN]: conf(['proxy_set_header Connection ${connection_upgrade};'], MAP) },
    'map variable case': { [MAIN]: conf(['proxy_set_header Connection $Connection_Upgrade;'], MAP) },
    '$http_connection': { [MAIN]: conf(['proxy_set_header Connection $http_connection;']) },
    snippet: {
      [MAIN]: conf(['include snippets/conn.conf;']),
      [`${ETC}/snippets/conn.conf`]: lines('proxy_set_header Connection "upgrade";'),
    },
  };
  for (const [name, files] of Object.entries(variants)) assert.deepEqual(findings(files), [], name);
});

test('no finding: the map idiom at http level reaching a location in sites-enabled', () => {
  const site = `${ETC}/sites-enabled/app.conf`;
  const files = {
    [MAIN]: httpConf(...MAP, '    proxy_set_header Upgrade $http_upgrade;', '    proxy_set_header Connection $connection_upgrade;', '    include sites-enabled/*.conf;'),
    [site]: lines('server {', '    location /ws/ {', '        proxy_pass http://127.0.0.1:3000;', '    }', '}'),
  };
  assert.deepEqual(findings(files, site), []);
});

test('no finding: a nested location inherits Connection from its parent location', () => {
  const files = {
    [MAIN]: httpConf(
      '    server {',
      '        location /app/ {',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection "upgrade";',
      '            location /app/ws {',
      '                proxy_pass http://127.0.0.1:3000;',
      '            }',
      '        }',
      '    }',
    ),
  };
  assert.deepEqual(findings(files), []);
});

test('no finding: a plain /api/ proxy with no Connection header', () => {
  const files = { [MAIN]: httpConf('    server {', '        location /api/ {', '            proxy_pass http://127.0.0.1:3000;', '        }', '    }') };
  assert.deepEqual(wsFindings(files, MAIN), []);
});
