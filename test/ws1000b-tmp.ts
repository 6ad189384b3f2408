import { LanguageService } from '/work/main/server/src/features/service';
import { memoryFs } from '/work/main/test/support/memoryFs';
const files: Record<string, string> = { '/r/nginx.conf': 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade { default upgrade; "" close; }\n    proxy_read_timeout 60s;\n    include sites-enabled/*.conf;\n}\n' };
for (let i = 0; i < Number(process.env.N ?? 1000); i++) files[`/r/sites-enabled/site${String(i).padStart(4, '0')}.conf`] = `server {\n    listen ${8000 + i};\n    server_name s${i}.bench.test;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:${9000 + i};\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n        proxy_read_timeout 3600s;\n    }\n}\n`;
const service = new LanguageService({ ...memoryFs(files), fileStatus: (p: string) => (p in files ? 'readable' : 'missing') });
service.setRoots(['/r/nginx.conf']);
for (const i of [0, 1, 100, 254, 255, 256, 300].filter((i) => i < Number(process.env.N ?? 1000))) console.log(i, service.diagnose(`/r/sites-enabled/site${String(i).padStart(4, '0')}.conf`).map((f) => `${f.code}@${f.span.start} ${JSON.stringify(f.related ?? [])}`));
