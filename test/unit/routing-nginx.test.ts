// Our route against the real nginx's, request by request: corpus configurations with several
// servers or locations (read in place) and one of ours that has every kind of name, reduced to
// their routing skeleton and served by Debian's nginx and by a source build on loopback ports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAIN } from '../../server/src/analysis/context';
import { readConfiguration, type Configuration } from '../../server/src/analysis/rules/load/configuration';
import { route, routingModel, type RoutingModel } from '../../server/src/analysis/routing';
import { candidateUris, sampleOfRegex } from '../../server/src/analysis/routing/samples';
import { Workspace } from '../../server/src/analysis/workspace';
import { CORPUS_DIR, corpusAvailable, oracleRecords } from '../support/corpus';
import { memoryFs } from '../support/memoryFs';
import { nginxBinaries, type NginxBinary } from '../support/nginxBuilds';
import { routingSkeleton, sendAll, startNginx, type Answer, type Probe, type Skeleton } from '../support/routingNginx';

/** Bounds on what one configuration sends: hosts, URIs, and requests in all. */
const MAX_HOSTS = 8;
const MAX_URIS = 48;
const MAX_PROBES_PER_CONFIG = 400;
/** The first loopback port the skeletons listen on; each configuration port gets the next one. */
const FIRST_PORT = 20_000 + (process.pid % 20_000);

/** Every kind of server name and location, with nested ones, redirects and merge_slashes off. */
const OURS = `events {}
http {
  server {
    listen 80 default_server;
    server_name example.com *.example.com www.example.* ~^(?<app>[a-z]+)\\.apps\\.test$ ~^API\\.;
    location / { }
    location = /exact { }
    location /static/ { }
    location ^~ /assets/ { location ~ \\.map$ { } }
    location ~ \\.php$ { }
    location ~* \\.(js|css)$ { }
    location /api/ {
      location ~ ^/api/v2/ { location ~ /inner/ { } }
      location /api/admin/ { internal; }
    }
    location /app/ { proxy_pass http://127.0.0.1:9; }
    location @fallback { }
  }
  server { listen 80; server_name .wild.test; location / { } location /ws/ { } }
  server { listen 80; server_name example.com; location / { } }
  server { listen 8080; merge_slashes off; location /a/ { } location ~ ^/a//b { } }
}
`;

interface Case {
  name: string;
  configuration: Configuration;
}

const configurationOf = (text: string): Configuration => {
  const path = '/etc/nginx/nginx.conf';
  const workspace = new Workspace(memoryFs({ [path]: text }));
  return readConfiguration(workspace.file(path)!, MAIN, workspace, true);
};

/** The corpus files nginx accepts that route through several servers or locations, made whole configs as the oracle made them. */
function corpusCases(): Case[] {
  const wrap: Record<string, (text: string) => string> = {
    main: (text) => text,
    http: (text) => `events {}\nhttp {\n${text}\n}\n`,
    server: (text) => `events {}\nhttp {\nserver {\n${text}\n}\n}\n`,
  };
  const cases: Case[] = [];
  for (const record of oracleRecords()) {
    const wrapper = record.wrapped_as && wrap[record.wrapped_as];
    if (record.ok !== true || !wrapper) continue;
    const configuration = configurationOf(wrapper(readFileSync(join(CORPUS_DIR, record.file), 'latin1')));
    const model = routingModel(configuration);
    const locations = model.servers.reduce((sum, server) => sum + server.locations.length, 0);
    if (model.servers.length >= 2 || locations >= 2) cases.push({ name: record.file, configuration });
  }
  return cases;
}

function hostsOf(model: RoutingModel): string[] {
  const hosts = new Set<string>();
  for (const server of model.servers) {
    for (const { name, kind } of server.names) {
      if (kind === 'exact' && name) hosts.add(name);
      if (kind === 'leading') hosts.add(`x${name.replace(/^\*/, '')}`).add(name.replace(/^[*.]+/, ''));
      if (kind === 'trailing') hosts.add(name.replace(/\*$/, 'net'));
      if (kind === 'regex') hosts.add(sampleOfRegex(name).toLowerCase());
    }
  }
  const first = [...hosts][0];
  if (first) hosts.add(`${first.toUpperCase()}.`);
  hosts.add('unmatched.invalid');
  return [...hosts].filter((host) => /^[\x21-\x7e]+$/.test(host)).slice(0, MAX_HOSTS);
}

/** URIs near every location's name: the name, longer, shorter, other case, with `//`, `.`, `..` and `%XX`. */
function urisOf(model: RoutingModel): string[] {
  const uris = new Set(['/', '/index.html', '/a.php', '/x/y.JS', '/ws/', '/%2E%2E/x', '/a/../b/', '//a//b']);
  const visit = (locations: RoutingModel['servers'][number]['locations']) => {
    for (const location of locations) {
      const name = location.kind === 'regex' ? `/${sampleOfRegex(location.name).replace(/^\/+/, '')}` : location.name;
      const escaped = name.replace(/^\/(\w)/, (_, c: string) => `/%${c.charCodeAt(0).toString(16)}`);
      for (const uri of [...candidateUris(location), `/${name}`, `/x/..${name}`, escaped]) uris.add(uri);
      visit(location.children);
    }
  };
  for (const server of model.servers) visit(server.locations);
  return [...uris]
    .filter((uri) => uri.startsWith('/'))
    .map((uri) => uri.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)))
    .slice(0, MAX_URIS);
}

interface Expectation {
  probe: Probe;
  url: string;
  /** What nginx must answer: a status, the location's id (200), the server's id. */
  status?: number;
  notStatus?: number;
  body?: string;
  server?: string;
}

/** Our route for each probe as the answer the skeleton must give; undecided ones are counted apart. */
function expectations(configuration: Configuration, skeleton: Skeleton, covered: Map<string, number>): { expected: Expectation[]; undecided: number } {
  const cover = (what: string) => covered.set(what, (covered.get(what) ?? 0) + 1);
  const model = routingModel(configuration);
  const expected: Expectation[] = [];
  let undecided = 0;
  const hosts = hostsOf(model);
  const uris = urisOf(model);
  for (const [port, loopback] of skeleton.ports) {
    for (const host of hosts) {
      for (const path of uris) {
        if (expected.length >= MAX_PROBES_PER_CONFIG) break;
        const url = `http://${host}:${port}${path}`;
        const ours = route(model, { url, address: '127.0.0.1' });
        const probe = { port: loopback, host: `${host}:${port}`, path };
        if (ours.error?.startsWith('no server')) continue;
        if (ours.error) {
          cover('bad request');
          expected.push({ probe, url, status: 400 });
          continue;
        }
        const server = skeleton.ids.get(ours.server!.server.placed);
        const match = ours.match!;
        const by = ours.server!.by;
        if ('name' in by && by.name.kind !== 'exact') cover(`${by.name.kind} server name`);
        if (match.kind !== 'undecided' && match.location) cover(`${match.chain.length > 1 ? 'nested ' : ''}${match.location.kind} location`);
        if (match.kind === 'undecided') {
          undecided++;
          continue;
        }
        const location = match.location;
        if (match.kind === 'redirect') {
          cover('redirect');
          expected.push({ probe, url, status: 301, server });
        } else if (location?.internal) {
          cover('internal');
          expected.push({ probe, url, status: 404, server });
        } else if (location) expected.push({ probe, url, status: 200, body: skeleton.ids.get(location.placed), server });
        else expected.push({ probe, url, notStatus: 200, server });
      }
    }
  }
  return { expected, undecided };
}

function differs(expectation: Expectation, answer: Answer): string | undefined {
  const { status, notStatus, body, server } = expectation;
  const got = `${answer.status} ${answer.body.slice(0, 20)} (server ${answer.server})`;
  if (status !== undefined && answer.status !== status) return `status ${status} expected, got ${got}`;
  if (notStatus !== undefined && answer.status === notStatus) return `no location expected, got ${got}`;
  if (body !== undefined && answer.body !== body) return `location ${body} expected, got ${got}`;
  if (server !== undefined && answer.server !== server) return `server ${server} expected, got ${got}`;
  return undefined;
}

/** Debian's nginx and the newest source build. */
function judges(): NginxBinary[] {
  const { binaries } = nginxBinaries();
  const debian = binaries.find((binary) => binary.debian);
  const built = binaries.filter((binary) => !binary.debian).pop();
  return [debian, built].filter((binary): binary is NginxBinary => !!binary);
}

const binaries = judges();
const skip = binaries.length === 0 ? 'no nginx binary (Debian nginx-extras or a source build)' : !corpusAvailable() ? 'no ../shared/corpus' : false;

test('our route equals the real nginx for every generated request', { skip }, async (t) => {
  const cases: Case[] = [{ name: 'ours (every kind of name)', configuration: configurationOf(OURS) }, ...corpusCases()];
  let port = FIRST_PORT;
  const skeletons: Array<{ name: string; skeleton: Skeleton; expected: Expectation[] }> = [];
  const skipped: string[] = [];
  let undecided = 0;
  const covered = new Map<string, number>();
  for (const { name, configuration } of cases) {
    const skeleton = routingSkeleton(configuration, () => port++);
    if (typeof skeleton === 'string') {
      skipped.push(`${name}: ${skeleton}`);
      continue;
    }
    const found = expectations(configuration, skeleton, covered);
    undecided += found.undecided;
    skeletons.push({ name, skeleton, expected: found.expected });
  }
  assert.ok(skeletons.length > 1, 'the corpus gives configurations to compare');
  const kinds = ['exact location', 'prefix location', 'noregex location', 'regex location', 'nested regex location', 'nested prefix location',
    'leading server name', 'trailing server name', 'regex server name', 'redirect', 'internal', 'bad request'];
  assert.deepEqual(kinds.filter((kind) => !covered.has(kind)), [], 'every kind of location and server name is compared');
  t.diagnostic(`requests per kind: ${[...covered].map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
  const probes = skeletons.flatMap(({ expected }) => expected.map((e) => e.probe));
  for (const binary of binaries) {
    await t.test(binary.label, async () => {
      const nginx = await startNginx(binary.path, skeletons.map(({ skeleton }) => skeleton.text).join('\n'), FIRST_PORT);
      let answers: Answer[];
      try {
        answers = await sendAll(probes);
      } finally {
        await nginx.stop();
      }
      const mismatches: string[] = [];
      let index = 0;
      for (const { name, expected } of skeletons) {
        for (const expectation of expected) {
          const difference = differs(expectation, answers[index++]);
          if (difference) mismatches.push(`${name}: ${expectation.url}: ${difference}`);
        }
      }
      t.diagnostic(`${binary.label}: ${probes.length} requests over ${skeletons.length} configurations, ${mismatches.length} differ; ` +
        `${undecided} undecided (regexes JavaScript cannot match as PCRE does), ${skipped.length} configurations skipped (${skipped.join('; ')})`);
      assert.deepEqual(mismatches.slice(0, 20), []);
    });
  }
});
