// ws-read-timeout-ineffective on the wire: a request that `try_files` hands to a named location
// runs with the named location's proxy_read_timeout, not with the one of the location it came
// from. The backend stays silent for BACKEND_SILENCE_MS, between the two timeouts: nginx answers
// 504 when the timeout in force is the shorter one, the backend's 200 when it is the longer one.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../support/analysis';
import { BACKEND_ADDRESS, exchange, LISTEN_ADDRESS, liveJudges, liveMain, RecordingBackend } from '../support/liveProxy';
import { MAIN } from '../support/websocket';

/** The backend's silence, between SHORT and LONG. */
const BACKEND_SILENCE_MS = 2000;
const SHORT = '1s';
const LONG = '4s';

const config = (handing: string, named: string) => liveMain([
  '    server {',
  `        listen ${LISTEN_ADDRESS};`,
  '        root html;',
  '        location /ws {',
  `            proxy_read_timeout ${handing};`,
  '            try_files /maintenance.html @ws;',
  '        }',
  '        location @ws {',
  `            proxy_pass http://${BACKEND_ADDRESS};`,
  '            proxy_http_version 1.1;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '            proxy_set_header Connection "upgrade";',
  `            proxy_read_timeout ${named};`,
  '        }',
  '    }',
]);

const REQUEST = 'GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

for (const { binary, version, skip } of liveJudges()) {
  describe(`a timeout before a hand-off to a named location, nginx ${version}`, { skip }, () => {
    let backend: RecordingBackend;
    before(async () => (backend = await RecordingBackend.start(BACKEND_SILENCE_MS)));
    after(() => backend.stop());

    for (const [handing, named, status] of [[SHORT, LONG, 200], [LONG, SHORT, 504]] as const) {
      test(`/ws ${handing}, @ws ${named}: @ws's applies (${status}), and the analysis says /ws's has no effect`, async () => {
        const text = config(handing, named);
        const findings = analyzeFiles({ [MAIN]: text }, MAIN, { nginxVersion: version }).filter((f) => f.code === 'ws-read-timeout-ineffective');
        assert.deepEqual(findings.map((f) => text.slice(f.span.start, f.span.end)), [`proxy_read_timeout ${handing};`]);
        const result = await exchange(binary!, text, backend, REQUEST);
        assert.equal(result.received.length, 1, 'the request reached the backend through @ws');
        assert.equal(result.status, status);
      });
    }
  });
}
