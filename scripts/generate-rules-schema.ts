// Writes package.json's `nginx.rules` schema from the rule registry (one key per rule, with its
// description): run `node --import tsx scripts/generate-rules-schema.ts` after adding a rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rulesSettingSchema } from '../server/src/features/settings';

const manifestPath = path.resolve(__dirname, '../package.json');
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
manifest.contributes.configuration.properties['nginx.rules'] = rulesSettingSchema();
fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
