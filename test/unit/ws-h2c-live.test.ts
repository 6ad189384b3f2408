// The h2c fix on the wire: a real nginx (Debian's 1.22.1 and the newest source build) in front of a
// loopback backend that records what it receives. Before the fix an `Upgrade: h2c` request reaches
// the backend with the upgrade headers (and the backend switches protocols, past `deny all`);
// after it the backend sees no upgrade, and WebSocket handshakes still succeed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { BACKEND_ADDRESS, exchange, h2cUpgradeRequest, LISTEN_ADDRESS, liveJudges, liveMain, RecordingBackend, webSocketHandshake } from '../support/liveProxy';
import { MAIN } from '../support/websocket';

const CONFIG = liveMain([
  '    map $http_upgrade $connection_upgrade {',
  '        default upgrade;',
  "        ''      close;",
  '    }',
  '    server {',
  `        listen ${LISTEN_ADDRESS};`,
  '        location /admin {',
  '            deny all;',
  '        }',
  '        location /ws {',
  `            proxy_pass http://${BACKEND_ADDRESS};`,
  '            proxy_http_version 1.1;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '            proxy_set_header Connection $connection_upgrade;',
  '        }',
  '    }',
]);

for (const { binary, version, skip } of liveJudges()) {
  describe(`h2c smuggling, nginx ${version}`, { skip }, () => {
    let backend: RecordingBackend;
    before(async () => (backend = await RecordingBackend.start()));
    after(() => backend.stop());
    const send = (config: string, request: string) => exchange(binary!, config, backend, request);

    const findings = analyzeFiles({ [MAIN]: CONFIG }, MAIN, { nginxVersion: version });
    const h2c = findings.find((finding) => finding.code === 'ws-upgrade-unrestricted');

    test('the analysis warns (the server has access control) and offers the fix', () => {
      assert.equal(h2c?.severity, 'warning');
      assert.equal(h2c?.fixes?.length, 1);
    });

    test('before the fix: Upgrade: h2c reaches the backend with Connection: upgrade, which switches', async () => {
      const { status, received } = await send(CONFIG, h2cUpgradeRequest('/ws'));
      assert.equal(received.length, 1);
      assert.equal(received[0].headers.upgrade, 'h2c');
      assert.match(received[0].headers.connection ?? '', /upgrade/i);
      assert.equal(status, 101);
    });

    test('after the fix: no upgrade reaches the backend for h2c; WebSocket handshakes still succeed', async () => {
      const fixed = applyEdits({ [MAIN]: CONFIG }, h2c!.fixes![0].edits)[MAIN];
      assert.deepEqual(analyzeFiles({ [MAIN]: fixed }, MAIN, { nginxVersion: version }).filter((f) => f.severity === 'warning' || f.severity === 'error'), []);
      const smuggled = await send(fixed, h2cUpgradeRequest('/ws'));
      assert.equal(smuggled.received.length, 1);
      assert.equal(smuggled.received[0].headers.upgrade, undefined);
      assert.doesNotMatch(smuggled.received[0].headers.connection ?? '', /upgrade/i);
      assert.equal(smuggled.status, 200);
      const webSocket = await send(fixed, webSocketHandshake('/ws'));
      assert.equal(webSocket.received[0]?.headers.upgrade, 'websocket');
      assert.equal(webSocket.status, 101);
    });

    test('an if that returns for any Upgrade but websocket: h2c never reaches the backend, and nothing is said', async () => {
      const guarded = CONFIG.replace(`            proxy_pass http://${BACKEND_ADDRESS};`, `            if ($http_upgrade != "websocket") { return 404; }\n            proxy_pass http://${BACKEND_ADDRESS};`);
      assert.deepEqual(analyzeFiles({ [MAIN]: guarded }, MAIN, { nginxVersion: version }).filter((f) => f.code === 'ws-upgrade-unrestricted'), []);
      const smuggled = await send(guarded, h2cUpgradeRequest('/ws'));
      assert.equal(smuggled.received.length, 0);
      assert.equal(smuggled.status, 404);
      const webSocket = await send(guarded, webSocketHandshake('/ws'));
      assert.equal(webSocket.status, 101);
    });
  });
}
