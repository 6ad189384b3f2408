// The WebSocket Warnings judged on the wire: hundreds of variants of a WebSocket location (the
// http version, the Upgrade and Connection values, maps, where the headers are set, a location
// list that breaks their inheritance) run by a real nginx of two releases before a strict backend.
// A Warning must stand exactly where the handshake fails, the analysis judging for the release
// that runs it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../support/analysis';
import { BACKEND_ADDRESS, freePort, LISTEN_ADDRESS, liveJudges, liveMain, LiveNginx, RecordingBackend, statusOf, webSocketHandshake } from '../support/liveProxy';
import { MAIN } from '../support/websocket';

/** Precision and recall the Warnings must reach on each release (issue 11). */
const MIN_PRECISION = 0.98;
const MIN_RECALL = 0.98;

const MAPS = [
  '    map $http_upgrade $connection_upgrade {', '        default upgrade;', "        ''      close;", '    }',
  '    map $http_upgrade $websocket_upgrade {', '        default       "";', '        ~*^websocket$ $http_upgrade;', '    }',
  '    map $http_connection $pass_connection {', '        "~*Upgrade" $http_connection;', '        default keep-alive;', '    }',
  '    map $http_upgrade $never_upgrade {', '        default close;', '    }',
  // Its values the wrong way round: "upgrade" only for requests without an Upgrade header.
  '    map $http_upgrade $reversed_upgrade {', '        default close;', "        ''      upgrade;", '    }',
];

const VERSIONS = ['', 'proxy_http_version 1.0;', 'proxy_http_version 1.1;'];
const UPGRADES = ['', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Upgrade "";', 'proxy_set_header Upgrade $websocket_upgrade;', 'proxy_set_header Upgrade websocket;',
  'proxy_set_header Upgrade $http_connection;'];
const CONNECTIONS = [
  '', 'proxy_set_header Connection "upgrade";', 'proxy_set_header Connection close;', 'proxy_set_header Connection "";',
  'proxy_set_header Connection $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;', 'proxy_set_header Connection $http_connection;',
  'proxy_set_header Connection $pass_connection;', 'proxy_set_header Connection $never_upgrade;', 'proxy_set_header Connection $reversed_upgrade;',
  'proxy_set_header Connection $connection_upgrade; proxy_set_header Connection "";', 'proxy_set_header Connection "keep-alive, Upgrade";',
];
/** Where the headers are: in the location, at the server level, or at the server level with a location list of its own. */
const PLACEMENTS = ['location', 'server', 'server, location list'] as const;

interface Variant {
  name: string;
  server: string[];
}

function variants(): Variant[] {
  const all: Variant[] = [];
  for (const version of VERSIONS) {
    for (const upgrade of UPGRADES) {
      for (const connection of CONNECTIONS) {
        for (const placement of PLACEMENTS) {
          const headers = [upgrade, connection].filter(Boolean);
          const index = all.length;
          const location = [
            `            proxy_pass http://${BACKEND_ADDRESS};`,
            ...(version ? [`            ${version}`] : []),
            ...(placement === 'location' ? headers.map((line) => `            ${line}`) : []),
            ...(placement === 'server, location list' ? ['            proxy_set_header X-Variant $host;'] : []),
          ];
          all.push({
            name: `v${index}: ${[version, upgrade, connection].map((line) => line || '-').join(' | ')} @ ${placement}`,
            server: [
              '    server {',
              `        listen ${LISTEN_ADDRESS};`,
              `        server_name v${index};`,
              ...(placement !== 'location' ? headers.map((line) => `        ${line}`) : []),
              '        location /ws {',
              ...location,
              '        }',
              '    }',
            ],
          });
        }
      }
    }
  }
  return all;
}

for (const { binary, version, skip } of liveJudges()) {
  describe(`WebSocket Warnings on the wire, nginx ${version}`, { skip }, () => {
    let backend: RecordingBackend;
    let nginx: LiveNginx;
    let port: number;
    const all = variants();
    const config = liveMain([...MAPS, ...all.flatMap((variant) => variant.server)]);

    before(async () => {
      backend = await RecordingBackend.start();
      port = await freePort();
      const text = config.replaceAll(BACKEND_ADDRESS, `127.0.0.1:${backend.port}`).replaceAll(LISTEN_ADDRESS, `127.0.0.1:${port}`);
      nginx = await LiveNginx.start(binary!.path, { 'nginx.conf': text }, port);
    });
    after(async () => {
      await nginx?.stop();
      await backend?.stop();
    });

    test(`a Warning exactly where the handshake fails: precision and recall at least ${MIN_PRECISION} / ${MIN_RECALL}`, async (t) => {
      // Each variant analysed on its own (one file of them all would pass the findings cap).
      const warned = new Set(all.flatMap((variant, index) => {
        const alone = liveMain([...MAPS, ...variant.server]);
        const findings = analyzeFiles({ [MAIN]: alone }, MAIN, { nginxVersion: version });
        return findings.some((f) => f.severity === 'warning' && f.code.startsWith('ws-')) ? [index] : [];
      }));
      let truePositives = 0;
      const wrong: string[] = [];
      let failing = 0;
      for (const [index, variant] of all.entries()) {
        const status = await statusOf(port, webSocketHandshake('/ws', `v${index}`));
        const fails = status !== 101;
        if (fails) failing++;
        if (fails && warned.has(index)) truePositives++;
        if (fails !== warned.has(index)) wrong.push(`${variant.name}: handshake ${status}, ${warned.has(index) ? 'Warning' : 'no Warning'}`);
      }
      const precision = warned.size === 0 ? 1 : truePositives / warned.size;
      const recall = failing === 0 ? 1 : truePositives / failing;
      const summary = `${all.length} variants, ${failing} failing handshakes, ${warned.size} warned: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`;
      t.diagnostic(summary);
      assert.ok(failing > 0 && failing < all.length, `the variants must both fail and succeed: ${summary}`);
      assert.ok(precision >= MIN_PRECISION && recall >= MIN_RECALL, `${summary}\n${wrong.join('\n')}`);
    });
  });
}
